"""`python -m eval.compare BEFORE.json AFTER.json`: two `dossier eval --json` runs, question by question.

A change to the answer path moves a handful of questions each way; at 22 to 75 answerable
questions a corpus, a figure that moves by 0.05 may be two questions, which another refit
can move back (docs/quality.md, eleventh session: `learned` and `context` swapped places on the
test split between two fits). This prints, per corpus and split, each metric before and after,
how many questions got better and how many worse, and the two-sided sign-test p of that split
(exact binomial over the questions that changed): p ≥ 0.05 says chance alone moves a figure so
far at that size. Questions are paired by id; the default answer path's records are compared
(the ablation keeps figures only, not questions).

    python -m eval.compare /tmp/main.json /tmp/branch.json
    python -m eval.compare /tmp/main.json /tmp/branch.json --corpus crs-pdf-strait-of-hormuz
    python -m eval.compare /tmp/main.json /tmp/branch.json --split tune --questions

`--split tune` prints the tune split only, so that a candidate is judged on tune without its
test figures being seen (docs/quality.md: rules are chosen on tune, test is looked at once).
`--questions` lists each question whose own outcome moved, one line each, as the answer gates
read them (`outcome_change`), and the split's pooled false abstentions, answered near-misses and
key facts before and after.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from eval.dataset import DEFAULT_SPLIT, REALWORLD_QUESTIONS, load_questions
from index.errors import UserInputError

# (key, label, higher is better)
METRICS = (("hit_at_5", "hit@5", True), ("key_fact_recall", "key facts", True),
           ("false_abstention", "false abstentions", False), ("abstention_recall", "abstention recall", True),
           ("invented_sources", "invented sources", False), ("reading_cost", "reading (chars)", False))
SAMPLES = "samples"


def sign_test(better: int, worse: int) -> float:
    """Two-sided exact sign test: the chance of a split at least this uneven when each changed
    question is as likely to move either way."""
    n = better + worse
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(better, worse) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def _splits_from_files(result: Mapping[str, Any], corpus: str) -> dict[str, str]:
    """Each question's split for a run written before records carried one: from its questions file."""
    path = Path(result.get("questions_file") or "") if corpus == SAMPLES else \
        REALWORLD_QUESTIONS / f"{corpus.split('.')[0]}.questions.jsonl"
    try:
        return {q["id"]: q["split"] for q in load_questions(path)}
    except (OSError, UserInputError):     # a file moved or gone: the split is unknown
        return {}


def corpora(result: Mapping[str, Any]) -> Iterator[tuple[str, list[dict]]]:
    """(corpus name, its records) of a run: the primary questions first, then each corpus."""
    if result.get("questions"):
        yield SAMPLES, list(result["questions"])
    for name, c in (result.get("corpora") or {}).items():
        if isinstance(c, Mapping) and c.get("records"):
            yield name, list(c["records"])


def _value(record: Mapping[str, Any], key: str) -> float | None:
    o = ((record.get("metrics") or {}).get("dossier") or {}).get(key)
    return None if o is None else float(o["value"])


def compare(before: Mapping[str, Any], after: Mapping[str, Any], only: str | None = None) -> list[dict[str, Any]]:
    """One row per corpus, split and metric: values before and after (means over the questions
    both runs scored), questions better and worse, sign-test p."""
    rows = []
    after_corpora = dict(corpora(after))
    for name, recs_before in corpora(before):
        if (only and name != only) or name not in after_corpora:
            continue
        fallback = {} if all("split" in r for r in recs_before) else _splits_from_files(before, name)

        def split_of(r: Mapping[str, Any]) -> str:
            return r.get("split") or fallback.get(r["id"], DEFAULT_SPLIT)

        by_id = {r["id"]: r for r in after_corpora[name]}
        pairs = [(r, by_id[r["id"]]) for r in recs_before if r["id"] in by_id]
        for split in sorted({split_of(r) for r, _ in pairs}):
            in_split = [(a, b) for a, b in pairs if split_of(a) == split]
            for key, label, higher in METRICS:
                vals = [(va, vb) for va, vb in ((_value(a, key), _value(b, key)) for a, b in in_split)
                        if va is not None and vb is not None]
                if not vals:
                    continue
                better = sum(1 for va, vb in vals if (vb > va if higher else vb < va))
                worse = sum(1 for va, vb in vals if (vb < va if higher else vb > va))
                rows.append({"corpus": name, "split": split, "metric": key, "label": label, "n": len(vals),
                             "before": sum(va for va, _ in vals) / len(vals),
                             "after": sum(vb for _, vb in vals) / len(vals),
                             "better": better, "worse": worse, "p": sign_test(better, worse)})
    return rows


def outcome_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[int, str]:
    """How one question's own outcome moved: +1 better, -1 worse, 0 not, and in what. Its key
    facts decide first, then a false abstention (answered now, or declined now), then a
    near-miss (declined now, or answered now)."""
    for key, label, higher in (("key_fact_recall", "key facts", True), ("false_abstention", "declined though answerable", False),
                               ("abstention_recall", "near-miss declined", True)):
        va, vb = _value(before, key), _value(after, key)
        if va is not None and vb is not None and va != vb:
            return (1 if (vb > va) == higher else -1), f"{label} {va:g} -> {vb:g}"
    return 0, ""


def moved(before: Mapping[str, Any], after: Mapping[str, Any], *, split: str | None = None,
          only: str | None = None) -> list[dict[str, Any]]:
    """Every question of both runs (of `split`, of corpus `only`) whose outcome moved."""
    out = []
    after_corpora = dict(corpora(after))
    for name, recs in corpora(before):
        if (only and name != only) or name not in after_corpora:
            continue
        by_id = {r["id"]: r for r in after_corpora[name]}
        for r in recs:
            if r["id"] not in by_id or (split and (r.get("split") or DEFAULT_SPLIT) != split):
                continue
            change, what = outcome_change(r, by_id[r["id"]])
            if change:
                out.append({"corpus": name, "id": r["id"], "split": r.get("split") or DEFAULT_SPLIT,
                            "change": change, "what": what, "question": r.get("question", "")})
    return out


def pooled(result: Mapping[str, Any], *, split: str | None = None, only: str | None = None) -> dict[str, float]:
    """Over every corpus (or `only`) of one run's `split`: false abstentions and answered
    near-misses counted, key facts averaged over the answerable questions."""
    fa = nm = kf = n = 0.0
    for name, recs in corpora(result):
        if only and name != only:
            continue
        for r in recs:
            if split and (r.get("split") or DEFAULT_SPLIT) != split:
                continue
            v = _value(r, "false_abstention")
            fa += v or 0.0
            v = _value(r, "abstention_recall")
            nm += (1.0 - v) if v is not None else 0.0
            v = _value(r, "key_fact_recall")
            if v is not None:
                kf, n = kf + v, n + 1
    return {"false_abstentions": fa, "answered_near_misses": nm, "key_facts": kf / n if n else 0.0}


def format_moved(changes: Sequence[Mapping[str, Any]], before: Mapping[str, float], after: Mapping[str, float]) -> str:
    lines = [f"{'better' if c['change'] > 0 else 'worse '}  {c['corpus']}  {c['id']} ({c['split']}): {c['what']}"
             f"  | {c['question'][:90]}" for c in changes]
    better = sum(1 for c in changes if c["change"] > 0)
    lines.append(f"questions better {better}, worse {len(changes) - better}")
    for label, fig in (("before", before), ("after", after)):
        lines.append(f"{label}: false abstentions {fig['false_abstentions']:.0f}, answered near-misses "
                     f"{fig['answered_near_misses']:.0f}, key facts {fig['key_facts']:.4f}")
    return "\n".join(lines)


def format_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    head = ("corpus", "split", "metric", "n", "before", "after", "better", "worse", "sign test p")
    body = []
    for r in rows:
        fmt = "{:.0f}" if r["metric"] == "reading_cost" else "{:.3f}"
        body.append((r["corpus"], r["split"], r["label"], str(r["n"]), fmt.format(r["before"]), fmt.format(r["after"]),
                     str(r["better"]), str(r["worse"]), f"{r['p']:.3f}" + ("" if r["p"] < 0.05 else "  (chance)")))
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in (head, *body)]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.compare", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="examples:\n  python -m eval.compare main.json branch.json\n"
                                        "  python -m eval.compare main.json branch.json --corpus mueller-vol-2\n"
                                        "  python -m eval.compare main.json branch.json --split tune --questions\n")
    ap.add_argument("before", type=Path, help="a `dossier eval --json` file (the baseline)")
    ap.add_argument("after", type=Path, help="a `dossier eval --json` file of the same questions (the change)")
    ap.add_argument("--corpus", help="only this corpus (samples, or a corpus name the runs print)")
    ap.add_argument("--split", choices=("tune", "test"), help="only this split (judge a candidate on tune unseen by test)")
    ap.add_argument("--questions", action="store_true",
                    help="list each question whose outcome moved, and the split's pooled figures")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)
    runs = []
    for path in (args.before, args.after):
        try:
            runs.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as e:
            print(f"error: {path}: not a readable `dossier eval --json` file ({e.__class__.__name__})", file=sys.stderr)
            return 2
    rows = [r for r in compare(*runs, only=args.corpus) if not args.split or r["split"] == args.split]
    if args.questions and rows:
        changes = moved(*runs, split=args.split, only=args.corpus)
        figs = [pooled(run, split=args.split, only=args.corpus) for run in runs]
        print(json.dumps({"moved": changes, "before": figs[0], "after": figs[1]}, indent=1) if args.json
              else format_moved(changes, *figs))
        return 0
    if not rows:
        print("error: the two runs share no scored question" + (f" of corpus {args.corpus!r}" if args.corpus else ""),
              file=sys.stderr)
        return 2
    print(json.dumps(rows, indent=1) if args.json else format_rows(rows))
    if not args.json:
        print("better/worse: questions whose own figure moved; p: two-sided sign test over them "
              "(chance: p >= 0.05, a move chance alone makes at this size)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:               # `| head`: the reader has what it wanted
        sys.stderr.close()
        sys.exit(0)
