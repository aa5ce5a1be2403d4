"""How often the verifier (`index/answer/verify.py`) agrees with people: hand-labelled sentences.

`eval/gold/verifier_labels.jsonl` holds sentences written against real passages of the
sample reports, each labelled supported or unsupported by a person, with the passages shown
and the numbers cited (faithful paraphrases, invented numbers, wrong dates, wrong names,
wrong or missing citations, vague but true sentences, contradictions, outside knowledge).

    python -m eval.verifier            # agreement at the current threshold, then a sweep
    python -m eval.verifier eval/gold/llm_kept_sentences.jsonl --split tune   # a real model's, one split
    python -m eval.verifier eval/gold/llm_kept_sentences.jsonl --reread       # passages as today's readers read them

For a file whose rows carry a split it also prints, by split and collection, the sentences kept, the
unsupported ones among them and the supported ones removed, and what each part of rule 9 (a kept
sentence is a copy of one cited sentence) removes of what the other rules keep.

`--reread` reads the reports of data/realworld/ again and gives each passage the text today's readers make of it
(the passage of the same report and id, else of the same report, that holds the stored text's first words): a
reader change that a row's stored passage predates (the HTML reader's block quotations in their marks, session
15) is then measured on the sentences already judged. Passages of other reports keep their stored text.

The threshold in index/answer/verify.py was chosen with this sweep on these same labels, so the
agreement it reports is optimistic for sentences nobody has labelled yet.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from eval.dataset import json_lines
from index.answer import verify
from index.errors import UserInputError

LABELS = Path(__file__).resolve().parent / "gold" / "verifier_labels.jsonl"
SWEEP = tuple(round(0.05 * i, 2) for i in range(0, 21))


@dataclass(frozen=True)
class Agreement:
    threshold: float
    n: int
    agree: int
    kept_unsupported: int      # the harmful error: an unsupported sentence shown
    removed_supported: int     # the costly one: a true sentence dropped
    kept: int = 0              # sentences kept, whatever their label

    @property
    def value(self) -> float:
        return self.agree / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "value": round(self.value, 4), "n": self.n, "agree": self.agree,
                "kept_unsupported": self.kept_unsupported, "removed_supported": self.removed_supported,
                "kept": self.kept}


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    rows = []
    for i, row in json_lines(path, "labels"):
        if not isinstance(row, dict) or row.get("label") not in ("supported", "unsupported") or not row.get("sentence"):
            raise UserInputError(f"{path}:{i}: needs \"sentence\" and \"label\": supported or unsupported")
        rows.append(row)
    return rows


def reread(rows: Sequence[dict[str, Any]], data: Path | None = None) -> tuple[list[dict[str, Any]], int]:
    """The rows with each passage's text as today's readers make it of its report in `data` (default
    data/realworld), found by its id and its first words; and how many passages read differently."""
    import re

    from eval.dataset import REALWORLD_DATA, report_files
    from ingest.chunk import chunk_report
    from ingest.read import read_report_file
    from ingest.report import parse_text

    def flat(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    wanted = {p["passage_id"].rsplit("-", 1)[0] for row in rows for p in row["passages"]}
    today: dict[str, list[dict[str, str]]] = {}          # report id -> per file read: passage id -> text
    folders = sorted(p for p in (data or REALWORLD_DATA).iterdir() if p.is_dir())
    files = {f for folder in folders for f in report_files(folder) + report_files(folder, (".html", ".htm"))}
    for path in sorted(files):
        for report in parse_text(read_report_file(path), path.name)[0]:
            if report.id in wanted:
                today.setdefault(report.id, []).append({p.id: p.text for p in chunk_report(report)})
    out, changed = [], 0
    for row in rows:
        passages = []
        for p in row["passages"]:
            key, reads = flat(p["text"])[:80], today.get(p["passage_id"].rsplit("-", 1)[0], [])
            hit = next((t for read in reads for pid, t in read.items() if pid == p["passage_id"] and key in flat(t)),
                       None) or next((t for read in reads for t in read.values() if key and key in flat(t)), None)
            changed += hit is not None and hit != p["text"]
            passages.append(dict(p, text=hit) if hit is not None else p)
        out.append(dict(row, passages=passages))
    return out, changed


def verdict(row: dict[str, Any], threshold: float = verify.MIN_OVERLAP) -> verify.Verdict:
    shown = {int(p["n"]): p for p in row["passages"]}
    return verify.verify_sentence(row["sentence"], row["cites"], shown, min_overlap=threshold,
                                  question=row.get("question"))


def agreement(rows: Sequence[dict[str, Any]], threshold: float = verify.MIN_OVERLAP) -> Agreement:
    agree = kept_bad = removed_good = kept = 0
    for row in rows:
        supported = verdict(row, threshold).supported
        truth = row["label"] == "supported"
        kept += supported
        agree += supported == truth
        kept_bad += supported and not truth
        removed_good += truth and not supported
    return Agreement(threshold, len(rows), agree, kept_bad, removed_good, kept)


def sweep(rows: Sequence[dict[str, Any]], thresholds: Sequence[float] = SWEEP) -> list[Agreement]:
    return [agreement(rows, t) for t in thresholds]


def by_split(rows: Sequence[dict[str, Any]]) -> dict[tuple[str, Any], Agreement]:
    """Agreement at the current threshold for each (split, collection) of a real model's sentences."""
    groups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row.get("split", "-"), row.get("collection", 1)), []).append(row)
    return {key: agreement(group) for key, group in sorted(groups.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))}


def copy_parts(rows: Sequence[dict[str, Any]]) -> Counter:
    """What each part of rule 9 removes of the sentences every other rule keeps: (kind, label) -> sentences it
    fires on, and (kind + " alone", label) -> those it is the only part to fire on; ("kept by the rest", label)."""
    out: Counter = Counter()
    for row in rows:
        v = verdict(row)
        text = verify._CITATION.sub(" ", row["sentence"]).strip()
        faults = verify.copy_faults(text, [str(p.get("text") or "") for p in row["passages"] if p["n"] in row["cites"]])
        if not (v.supported or (faults and set(v.reasons) == {faults[0][1]})):
            continue                                        # another rule removes it anyway
        out[("kept by the rest", row["label"])] += 1
        kinds = sorted({kind for kind, _ in faults})
        for kind in kinds:
            out[(kind, row["label"])] += 1
        if len(kinds) == 1:
            out[(kinds[0] + " alone", row["label"])] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.verifier", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("labels", nargs="?", type=Path, default=LABELS)
    p.add_argument("--split", help="only the rows of this split (tune, test)")
    p.add_argument("--reread", action="store_true",
                   help="read data/realworld/ again: each cited passage as today's readers make it")
    args = p.parse_args(argv)
    rows = [r for r in load_labels(args.labels) if not args.split or r.get("split") == args.split]
    if not rows:
        raise UserInputError(f"{args.labels}: no rows" + (f" of split {args.split!r}" if args.split else ""))
    if args.reread:
        rows, changed = reread(rows)
        print(f"{changed} cited passages read differently today")
    if any("split" in r for r in rows):
        print("split  collection  judged  kept  unsupported kept  supported removed")
        for (split, collection), a in by_split(rows).items():
            print(f"{split:5}  {collection!s:>10}  {a.n:6d}  {a.kept:4d}  "
                  f"{a.kept_unsupported:16d}  {a.removed_supported:17d}")
        parts = copy_parts(rows)
        print("rule 9 on what the other rules keep (unsupported / supported): kept by the rest "
              f"{parts[('kept by the rest', 'unsupported')]} / {parts[('kept by the rest', 'supported')]}")
        for kind in ("added", "cuts", "cut", "start", "name", "question", "condition", "claim", "clause", "quoted",
                     "fragment", "phrase", "case", "part"):
            print(f"  {kind:9}  fires on {parts[(kind, 'unsupported')]} / {parts[(kind, 'supported')]}, "
                  f"alone on {parts[(kind + ' alone', 'unsupported')]} / {parts[(kind + ' alone', 'supported')]}")
    now = agreement(rows)
    print(f"verifier agreement with {now.n} hand labels at MIN_OVERLAP {now.threshold:.2f}: {now.value:.3f} "
          f"({now.kept_unsupported} unsupported kept, {now.removed_supported} supported removed)")
    print("threshold  agreement  unsupported kept  supported removed")
    for a in sweep(rows):
        print(f"{a.threshold:9.2f}  {a.value:9.3f}  {a.kept_unsupported:16d}  {a.removed_supported:17d}")
    for row in rows:
        v = verdict(row)
        if v.supported != (row["label"] == "supported"):
            print(f"  disagree {row['id']} ({row['kind']}, labelled {row['label']}): {row['sentence']}  "
                  f"-> {'; '.join(v.reasons) or 'kept'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
