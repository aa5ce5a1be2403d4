"""`python -m eval.why HOME "question"`: why Dossier answered a question or declined it.

For each part of the question: the answerer's probability that the reports answer it against
its threshold, whether its topic is absent from every report (`evidence.topic_absent`, which
declines whatever the answerer says), and the candidate sentences, most probable first, with
the checks each fails (type, time, entity, focus, value...) and its cosine to the question. What
a developer reads before changing a rule, on tune questions only (docs/quality.md).

    python -m eval.why .dossier "Which Russian regiment trained with Belarusian forces near Brest?"
    python -m eval.why .dossier "What will the weather be like in Minsk tomorrow?" --top 3 --json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from index.answer import decision as dm
from index.answer.evidence import MISFITS, answer_signals, topic_absent

CHECKS = (*MISFITS, "value_missing", "kind_missing", "head_missing")


def explain(dossier: Any, question: str, top: int = 5) -> dict[str, Any]:
    """The answer to `question` and, per part, what decided it (learned decision only)."""
    answer = dossier.ask(question)
    decision = dossier.last_decision
    model = dm.decider(dossier.answers.model) if dossier.answers.learned else None
    parts = []
    for part, cands in decision.parts:
        probs = [c.score for c in cands]
        said = answer_signals(cands, probs) if cands and all(c.signals for c in cands) else {}
        parts.append({
            "part": part.text,
            "answerer": round(model.answerer.probability(said), 4) if model is not None and said else None,
            "threshold": model.threshold if model is not None else None,
            "topic_absent": bool(said) and topic_absent(cands),
            "candidates": [{"text": c.text, "probability": round(c.score, 4),
                            "semantic": round(c.signals.get("semantic", 0.0), 4),
                            "fails": [k.removesuffix("_missing") for k in CHECKS if c.signals.get(k)]}
                           for c in sorted(cands, key=lambda c: -c.score)[:top]],
        })
    return {"question": question, "abstained": answer["abstained"], "unanswered": answer.get("unanswered", []),
            "answer": [s["text"] for s in answer["answer"]], "parts": parts}


def format_explanation(why: dict[str, Any]) -> str:
    lines = [f"{'declined' if why['abstained'] else 'answered'}: {why['question']}"]
    lines += [f"  > {t}" for t in why["answer"]]
    for p in why["parts"]:
        head = f"part: {p['part']}"
        if p["answerer"] is not None:
            head += f"  answerer {p['answerer']:.3f} against {p['threshold']:.3f}"
        if p["topic_absent"]:
            head += "  (topic absent from every report: declined whatever the answerer says)"
        lines.append(head)
        for c in p["candidates"]:
            fails = ", ".join(c["fails"]) or "no check"
            lines.append(f"  {c['probability']:.3f}  cos {c['semantic']:.2f}  fails {fails}: {c['text'][:160]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.why", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="examples:\n  python -m eval.why .dossier \"Who founded NEXTA?\"\n"
                                        "  python -m eval.why /tmp/home \"Since when?\" --top 3 --json\n")
    ap.add_argument("home", type=Path, help="a Dossier home with an index (`dossier ingest --home HOME ...`)")
    ap.add_argument("question")
    ap.add_argument("--top", type=int, default=5, help="candidate sentences shown per part (default 5)")
    ap.add_argument("--json", action="store_true", help="print the explanation as JSON")
    args = ap.parse_args(argv)
    from index.config import Settings
    from index.engine import Dossier
    from index.errors import UserInputError

    if not (args.home / "CURRENT").exists():
        print(f"error: {args.home}: no Dossier index here (run `dossier ingest --home {args.home} FILES`)",
              file=sys.stderr)
        return 2
    try:
        dossier = Dossier.open(Settings.from_env(home=args.home), exact=True)
    except (UserInputError, FileNotFoundError) as e:
        print(f"error: {args.home}: {e}", file=sys.stderr)
        return 2
    why = explain(dossier, args.question, args.top)
    print(json.dumps(why, indent=1, ensure_ascii=False) if args.json else format_explanation(why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
