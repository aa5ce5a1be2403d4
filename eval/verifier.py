"""How often the verifier (`index/answer/verify.py`) agrees with people: hand-labelled sentences.

`eval/gold/verifier_labels.jsonl` holds sentences written against real passages of the
sample reports, each labelled supported or unsupported by a person, with the passages shown
and the numbers cited (faithful paraphrases, invented numbers, wrong dates, wrong names,
wrong or missing citations, vague but true sentences, contradictions, outside knowledge).

    python -m eval.verifier            # agreement at the current threshold, then a sweep

The threshold in index/answer/verify.py was chosen with this sweep on these same labels, so the
agreement it reports is optimistic for sentences nobody has labelled yet.
"""
from __future__ import annotations

import sys
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

    @property
    def value(self) -> float:
        return self.agree / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "value": round(self.value, 4), "n": self.n, "agree": self.agree,
                "kept_unsupported": self.kept_unsupported, "removed_supported": self.removed_supported}


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    rows = []
    for i, row in json_lines(path, "labels"):
        if not isinstance(row, dict) or row.get("label") not in ("supported", "unsupported") or not row.get("sentence"):
            raise UserInputError(f"{path}:{i}: needs \"sentence\" and \"label\": supported or unsupported")
        rows.append(row)
    return rows


def verdict(row: dict[str, Any], threshold: float = verify.MIN_OVERLAP) -> verify.Verdict:
    shown = {int(p["n"]): p for p in row["passages"]}
    return verify.verify_sentence(row["sentence"], row["cites"], shown, min_overlap=threshold,
                                  question=row.get("question"))


def agreement(rows: Sequence[dict[str, Any]], threshold: float = verify.MIN_OVERLAP) -> Agreement:
    agree = kept_bad = removed_good = 0
    for row in rows:
        supported = verdict(row, threshold).supported
        truth = row["label"] == "supported"
        agree += supported == truth
        kept_bad += supported and not truth
        removed_good += truth and not supported
    return Agreement(threshold, len(rows), agree, kept_bad, removed_good)


def sweep(rows: Sequence[dict[str, Any]], thresholds: Sequence[float] = SWEEP) -> list[Agreement]:
    return [agreement(rows, t) for t in thresholds]


def main(argv: list[str] | None = None) -> int:
    rows = load_labels(Path(argv[0]) if argv else LABELS)
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
