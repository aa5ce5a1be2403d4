"""`python -m eval.train_decision`: learn the answer decision (index/answer/decision.json).

Trained on TUNE questions only: the sample reports' tune split; with `--realworld`, the tune
questions of the real-world reports in the repository (data/realworld/, eval/gold/realworld/: a
corpus with test questions only, such as Mueller, is never opened); with `--extra DIR`, the
tune questions of other publishers' reports kept outside the repository (DIR/<name>/
questions.jsonl beside the report), plus synthetic near-misses made from those tune questions
and each corpus itself (`near_misses`: the question's entity swapped for another name the
corpus uses, its time moved to a year no report mentions, an attribute no report states
asked of its entity). Test questions are never read.

Two logistic regressions per model (numpy, Newton's method with an L2 penalty: deterministic):

- the ranker: one row per candidate sentence of each real question, gold when it holds the
  question's evidence (index/answer/evidence.py `signals`);
- the answerer: one row per question part, from its candidates' signals and the ranker's
  probabilities computed out of fold (`answer_signals`), answerable or not.

The answerer's penalty and the weight of the near-misses are fixed (`L2`, `SYNTHETIC_WEIGHT`;
given several, the best held-out abstention recall less false abstentions, then AUC, is chosen);
its threshold comes from the held-out probabilities of a 5-fold cross-validation over the real
questions (folds by question, twins and a near-miss with its source together;
`choose_threshold`: the best cut, or with `THRESHOLD_WINDOW` the middle of the best stretch). The
rows are written to eval/decision_rows.jsonl.gz (signals only, no text), so that the weights can
be refitted and checked without the corpora:

    python -m eval.train_decision --extra /work/realworld-extra   # corpora -> rows and weights
    python -m eval.train_decision --from-rows --check               # refit from the rows, compare
    python -m eval.train_decision --from-rows --curve               # declines by threshold, held out
    python -m eval.train_decision --keep-rows --same-questions      # a signal changed: same questions

`--keep-rows` keeps, from the rows file, the rows of every corpus not collected again (corpora
whose questions are no longer at hand: the tune corpora lost with the machine in session 6);
a corpus collected again replaces its stored rows whole. Those kept rows hold the signals of
the code that collected them. `--same-questions` (which keeps the rows as `--keep-rows` does)
collects only the questions the rows file already holds (and the near-misses made from them), so
that the refit a changed signal needs measures that change alone, not the tune questions written
since (docs/quality.md, session 32: a refit that took in 30 new ones moved the threshold 0.378
-> 0.490).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from eval.dataset import SAMPLES as SAMPLES_CORPUS
from eval.dataset import corpus_home, extra_corpora, realworld_corpora
from eval.metrics import contains

FEATURES = {
    "semantic": ("lexical", "lexical_gap", "semantic", "semantic_gap", "semantic_margin", "rank", "dense",
                 "align", "align_focus", "type_missing", "time_missing", "entity_missing", "focus_missing", "focus_share", "focus_sentence",
                 "value_missing", "kind_missing", "unknown_name", "unknown_terms", "unknown_focus", "via_note",
                 "lead_in", "rarest_missing", "topic_missing", "length"),
}
FEATURES["context"] = FEATURES["semantic"]
RANKER_L2 = 1.0
# The answerer's signals (index/answer/evidence.py answer_signals), few enough to read: its
# best sentence by the ranker, the best sentence that passes every check, and the checks the
# best one fails; how well the question's focus aligns with a sentence passing every check
# (fit_align_focus, chosen by held-out figures on tune, docs/quality.md). 28 signals (all of
# answer_signals) held out by publisher did no better (AUC 0.880-0.898 against 0.908-0.914).
ANSWER_FEATURES = ("top_logit", "fit_exists", "fit_semantic", "fit_lexical", "top_semantic", "top_time_missing",
                   "top_type_missing", "top_value_missing", "top_focus_missing", "top_entity_missing",
                   "unknown_terms", "unknown_focus", "unknown_name", "fit_align_focus")
# The answerer's penalty (on standardised signals) and the near-misses' weight, fixed. A grid
# (penalties 0.3-10, weights 0-1) chosen by held-out abstention recall less false abstentions was
# used until session 31: its scores lay within a question or two of each other, so which cell won
# turned on a single row, and the threshold moved with it (the context model's 0.404 -> 0.702 when
# 14 tune near-misses were added, session 30): every change to a signal then came with churn of
# its own (over the twelve commits of decision.json before this, the default model's weight was
# 0.5, 0.0, 0.25 four times, 0.0, 0.5, 1.0, 0.5 three times, its threshold 0.28 to 0.77). These are
# what the committed weights held (penalty 10 in the last ten, weight 0.5 in four of the last five);
# a tuple of several values is still searched.
L2 = (10.0,)
SYNTHETIC_WEIGHT = (0.5,)
FOLDS = 5
SEED = 24
MAX_ITER = 50


@dataclass
class Row:
    qid: str
    group: str                 # questions that must fall in one fold (twins; a synthetic with its source)
    answerable: bool
    synthetic: bool
    signals: dict[str, float]
    gold: bool
    part: int = 0              # which part of a several-part question


# ------------------------------------------------------------------------------ rows


def gold_sentence(cand: Any, question: dict) -> bool:
    """The candidate holds (part of) one of the question's evidence fragments: a body
    sentence, or for note evidence the note the candidate carries."""
    for ev in question.get("evidence") or []:
        frag = ev.get("text") or ""
        if ev.get("in_note"):
            if cand.note and contains(cand.note, frag):
                return True
        elif contains(cand.text, frag) or (len(cand.text) > 40 and contains(frag, cand.text)):
            return True
    return False


def question_rows(dossier: Any, questions: Sequence[dict], *, context: bool) -> list[Row]:
    """One row per candidate sentence of each part of each question, as the answer path sees
    it (index/answer/choose.py `decide`)."""
    from index.answer.choose import semantic_scores, weigh
    from index.answer.evidence import gather
    from index.answer.question import question_parts, read_question
    from index.engine import ASK_K

    sv = dossier._semantic
    rows = []
    for q in questions:
        asked = read_question(q["question"])
        hits = dossier.retriever.retrieve(asked, k=ASK_K)
        reports = dossier._reports
        pool = gather(asked, hits, dossier.snapshot, dossier.lex, reports=reports)
        sem = align = None
        if sv is not None and pool:
            sem, align = semantic_scores(asked, pool, sv, reports, dossier.lex, context=context)
        base = dict(qid=q["id"], group=q.get("group", q["id"]), answerable=bool(q["answerable"]),
                    synthetic=bool(q.get("synthetic")))
        for i, part in enumerate(question_parts(asked)):
            cands = weigh(part, pool, hits, dossier.lex, vectors=dossier._vectors, sem=sem, align=align)
            for c in cands:
                rows.append(Row(**base, signals=dict(c.signals), gold=bool(q["answerable"]) and gold_sentence(c, q),
                                part=i))
            if not cands:           # a question with nothing to quote still counts in the threshold
                rows.append(Row(**base, signals={}, gold=False, part=i))
    return rows


# ------------------------------------------------------------------------------ near-misses

_NAME = re.compile(r"\b[A-Z][a-z]{3,}(?:\s+[A-Z][a-z]{3,})*\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_ADJECTIVE = re.compile(r"(?:ian|ean|ish|ese|ic|an)$")
_ATTRIBUTES = ("population", "annual budget", "founding date", "headquarters", "area in square kilometres",
               "official website", "current commander")


def _kind(name: str) -> str:
    """A nationality-like adjective ("Belarusian") or a name ("Kapustin Yar"): a swap keeps the kind."""
    return "adjective" if " " not in name and _ADJECTIVE.search(name) else "name"


def corpus_names(texts: Iterable[str]) -> dict[str, int]:
    """Capitalised names (not at a sentence start, not month or weekday names) and how often
    the corpus uses them."""
    from index.text.dates import MONTHS, WEEKDAYS

    skip = {m.lower() for m in MONTHS} | {w.lower() for w in WEEKDAYS}
    counts: dict[str, int] = {}
    for t in texts:
        for m in _NAME.finditer(t):
            if m.start() == 0 or t[max(0, m.start() - 2):m.start()].strip() in (".", "!", "?", ":", '"', "“"):
                continue
            if any(w.lower() in skip for w in m.group(0).split()):
                continue
            counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    return counts


def near_misses(questions: Sequence[dict], corpus: Sequence[str], *, seed: int = SEED) -> list[dict]:
    """Unanswerable variants of answerable tune questions, made from the corpus itself: one of
    the question's names swapped for another name of the same kind that the corpus uses but
    never near the question's key facts; its time moved to a year no report mentions; an
    attribute no report states near the entity asked of it. Deterministic for a seed."""
    from index.answer.question import read_question

    rng = random.Random(seed)
    text = "\n".join(corpus)
    low = text.lower()
    names = sorted(n for n, k in corpus_names(corpus).items() if k >= 2)
    absent_years = [y for y in range(1995, 2031) if str(y) not in text]
    out = []
    for q in questions:
        if not q["answerable"] or q.get("split") != "tune":
            continue
        qtext = q["question"]
        asked = read_question(qtext)
        group = q.get("group", q["id"])
        entities = [e for e in asked.entities if e[:1].isupper() and not e[:1].isdigit()]
        found = [m for m in _NAME.finditer(qtext) if m.start() > 0 and m.group(0).split()[0] in entities]
        facts = [a.lower() for aliases in q.get("key_facts") or [] for a in aliases]
        if found:
            m = found[rng.randrange(len(found))]
            kind = _kind(m.group(0))
            choices = [n for n in names if _kind(n) == kind and n.lower() not in qtext.lower()
                       and not any(w in qtext for w in n.split())
                       and not any(_together(low, n.lower(), f) for f in facts)]
            if choices:
                new = choices[rng.randrange(len(choices))]
                out.append(_variant(q, "entity", qtext[:m.start()] + new + qtext[m.end():], group))
        if absent_years:
            y = absent_years[rng.randrange(len(absent_years))]
            years = sorted(asked.time.years | {yy for yy, _ in asked.time.year_months})
            if years:
                variant = re.sub(rf"\b{years[0]}\b", str(y), qtext, count=1)
            else:
                variant = qtext.rstrip(" ?") + f" in {y}?"
            out.append(_variant(q, "time", variant, group))
        names_only = [m.group(0) for m in found if _kind(m.group(0)) == "name"]
        if names_only:
            ent = names_only[0]
            attrs = [a for a in _ATTRIBUTES if not _together(low, ent.lower(), a.split()[-1])]
            if attrs:
                a = attrs[rng.randrange(len(attrs))]
                out.append(_variant(q, "attribute", f"What is the {a} of {ent}?", group))
    return out


def _together(low_text: str, a: str, b: str) -> bool:
    """Some sentence-sized window of the corpus names both."""
    for m in re.finditer(re.escape(a), low_text):
        if b in low_text[max(0, m.start() - 300):m.end() + 300]:
            return True
    return False


def _variant(q: dict, how: str, text: str, group: str) -> dict:
    return {"id": f"{q['id']}~{how}", "question": text, "answerable": False, "evidence": [], "key_facts": [],
            "split": "tune", "category": f"synthetic_{how}", "synthetic": True, "group": group}


# ------------------------------------------------------------------------------ the fit


def matrix(rows: Sequence[Row], features: Sequence[str]) -> np.ndarray:
    return np.array([[float(r.signals.get(f, 0.0)) for f in features] for r in rows], dtype=np.float64)


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Weighted L2-penalised logistic regression by Newton's method (the bias unpenalised):
    the same data give the same weights, bit for bit on one machine."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    pen = np.full(d + 1, l2)
    pen[-1] = 0.0
    for _ in range(MAX_ITER):
        z = np.clip(xb @ beta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = xb.T @ (w * (p - y)) + pen * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return beta[:-1], float(beta[-1])


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit_ranker(rows: Sequence[Row], features: Sequence[str], l2: float = RANKER_L2) -> dict[str, Any]:
    """The sentence ranker: gold sentence or not, over the real questions' candidates (a
    near-miss has no gold sentence to rank). The few gold rows weigh as much as the rest."""
    use = [r for r in rows if r.signals and not r.synthetic]
    x = matrix(use, features)
    mean, scale = standardise(x)
    y = np.array([1.0 if r.gold else 0.0 for r in use])
    pos = float(y.sum())
    w = np.where(y > 0, float((1 - y).sum()) / pos, 1.0) if pos else np.ones(len(use))
    weights, bias = fit_logistic((x - mean) / scale, y, w, l2)
    return {"features": list(features), "mean": _r(mean), "scale": _r(scale), "weights": _r(weights),
            "bias": round(bias, 6), "threshold": 0.0}


def rank(model: dict[str, Any], rows: Sequence[Row]) -> np.ndarray:
    if not rows:
        return np.zeros(0)
    x = matrix(rows, model["features"])
    return sigmoid(((x - np.array(model["mean"])) / np.array(model["scale"])) @ np.array(model["weights"])
                   + model["bias"])


@dataclass
class Case:
    """One part of one question for the answerer: its evidence's signals, and the labels."""

    qid: str
    group: str
    answerable: bool
    synthetic: bool
    signals: dict[str, float]


def cases(rows: Sequence[Row], probs: np.ndarray) -> list[Case]:
    from index.answer.evidence import answer_signals, lead_with_type

    by: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(rows):
        by.setdefault((r.qid, r.part), []).append(i)
    out = []
    for (qid, _), idx in by.items():
        r0 = rows[idx[0]]
        real = [i for i in idx if rows[i].signals]
        # as the answer path sees them (index/answer/choose.py learned_fits): the typed sentences lead
        led = lead_with_type([rows[i].signals for i in real], [float(probs[i]) for i in real])
        sig = answer_signals([rows[i] for i in real], led) if real else {}
        out.append(Case(qid, r0.group, r0.answerable, r0.synthetic, sig))
    return out


def out_of_fold(rows: Sequence[Row], features: Sequence[str]) -> np.ndarray:
    """Each row's ranker probability from a ranker that never saw its question's group."""
    probs = np.zeros(len(rows))
    for held in folds(rows):
        model = fit_ranker([r for r in rows if r.group not in held], features)
        idx = [i for i, r in enumerate(rows) if r.group in held]
        probs[idx] = rank(model, [rows[i] for i in idx])
    return probs


def fit_answerer(cs: Sequence[Case], features: Sequence[str], l2: float, sw: float) -> dict[str, Any]:
    use = [c for c in cs if c.signals and (sw > 0 or not c.synthetic)]
    x = np.array([[float(c.signals.get(f, 0.0)) for f in features] for c in use])
    mean, scale = standardise(x)
    y = np.array([1.0 if c.answerable else 0.0 for c in use])
    w = np.array([sw if c.synthetic else 1.0 for c in use])
    weights, bias = fit_logistic((x - mean) / scale, y, w, l2)
    return {"features": list(features), "mean": _r(mean), "scale": _r(scale), "weights": _r(weights),
            "bias": round(bias, 6), "threshold": 0.5}


def answer_probability(model: dict[str, Any], c: Case) -> float:
    """As the answer path sees it (index/answer/choose.py learned_fits): 0 for a part whose
    topic is absent from the reports and its evidence (`topic_absent`)."""
    if not c.signals or c.signals.get("topic_absent"):
        return 0.0
    x = np.array([float(c.signals.get(f, 0.0)) for f in model["features"]])
    return float(sigmoid(((x - np.array(model["mean"])) / np.array(model["scale"])) @ np.array(model["weights"])
                         + model["bias"]))


def by_question(cs: Sequence[Case], probs: Sequence[float]) -> list[tuple[bool, float]]:
    """(answerable, probability) per real question: its best part (a several-part question is
    answered when one part is)."""
    best: dict[str, tuple[bool, float]] = {}
    for c, p in zip(cs, probs):
        if c.synthetic:
            continue
        if c.qid not in best or p > best[c.qid][1]:
            best[c.qid] = (c.answerable, p)
    return list(best.values())


def declines(scores: Sequence[tuple[bool, float]], t: float) -> tuple[int, int, int, int]:
    """At threshold `t`: answerable questions declined, unanswerable ones declined, and how many
    of each there are (at least 1)."""
    n_ans = sum(1 for a, _ in scores if a) or 1
    n_un = sum(1 for a, _ in scores if not a) or 1
    return (sum(1 for a, p in scores if a and p < t), sum(1 for a, p in scores if not a and p < t), n_ans, n_un)


# > 0: the held-out objective is averaged over the cuts within this distance of a threshold, and the
# middle of the best stretch chosen; 0: the single best cut. The single best cut moves with a few
# questions (0.378 -> 0.490 for 30 more in session 32, 0.377 -> 0.549 for a fusion change in session 33);
# 0.05 moves it less (bootstrap sd 0.092 -> 0.062) but put to its own gate gave test 2 better, 3 worse,
# so it waits for a change that needs it (docs/quality.md, thirty-third session)
THRESHOLD_WINDOW = 0.0
CUTS = [i / 200 for i in range(1, 200)]


def objectives(scores: Sequence[tuple[bool, float]], window: float = THRESHOLD_WINDOW) -> list[dict[str, float]]:
    """For every cut of `CUTS`: the answerable and the unanswerable questions it declines, the
    objective (abstention recall less the false-abstention rate of the held-out questions) and the
    objective averaged over the cuts within `window`."""
    out = [_at(scores, t) for t in CUTS]
    for c in out:
        near = [o["objective"] for o in out if abs(o["threshold"] - c["threshold"]) <= window + 1e-9]
        c["averaged"] = sum(near) / len(near)
    return out


def _at(scores: Sequence[tuple[bool, float]], t: float) -> dict[str, float]:
    """What the cut `t` declines of the held-out questions, and its objective."""
    fa_n, ar_n, n_ans, n_un = declines(scores, t)
    return {"threshold": t, "false_abstentions": fa_n, "declined_unanswerable": ar_n,
            "false_abstention": fa_n / n_ans, "abstention_recall": ar_n / n_un, "objective": ar_n / n_un - fa_n / n_ans}


def choose_threshold(scores: Sequence[tuple[bool, float]],
                     window: float = THRESHOLD_WINDOW) -> tuple[float, dict[str, float]]:
    """The threshold that declines the most unanswerable questions for the fewest answerable ones
    (the largest abstention recall less false-abstention rate); ties: the fewer false abstentions,
    then the lower threshold. With `window` 0 the best cut, halfway between two observed scores;
    else the cut of `CUTS` whose objective averaged over the cuts within `window` is largest."""
    if window > 0:
        cuts = objectives(scores, window)
    else:
        ps = sorted({p for _, p in scores})
        cuts = [_at(scores, t) for t in [0.0] + [(a + b) / 2 for a, b in zip(ps, ps[1:])] + [1.0]]
        for c in cuts:
            c["averaged"] = c["objective"]
    best = max(cuts, key=lambda c: (round(c["averaged"], 9), -c["false_abstentions"], -c["threshold"]))
    return best["threshold"], {"false_abstention": round(best["false_abstention"], 4),
                               "abstention_recall": round(best["abstention_recall"], 4)}


def curve(rows: Sequence[Row], features: Sequence[str]) -> list[dict[str, float]]:
    """What each threshold would do to the held-out real questions (the cross-validation
    `fit_models` chooses the threshold from, at the first penalty and near-miss weight): answerable
    ones declined, unanswerable ones declined, the objective, and the objective averaged over
    `THRESHOLD_WINDOW` that `choose_threshold` maximises. A flat stretch of the objective is a
    threshold a few questions can move (session 32: adding 30 tune questions moved it 0.378 -> 0.490)."""
    held = cross_validate(cases(rows, out_of_fold(rows, features)), ANSWER_FEATURES, L2[0], SYNTHETIC_WEIGHT[0])
    return [{k: (round(v, 4) if k in ("objective", "averaged") else v) for k, v in c.items()
             if k not in ("false_abstention", "abstention_recall")} for c in objectives(held)]


def folds(rows: Sequence[Any], k: int = FOLDS, seed: int = SEED) -> list[set[str]]:
    groups = sorted({r.group for r in rows})
    random.Random(seed).shuffle(groups)
    return [set(groups[i::k]) for i in range(k)]


def cross_validate(cs: Sequence[Case], features: Sequence[str], l2: float, sw: float) -> list[tuple[bool, float]]:
    """Held-out answer probabilities of the real questions, fold by fold."""
    held_all: list[tuple[bool, float]] = []
    for held in folds(cs):
        model = fit_answerer([c for c in cs if c.group not in held], features, l2, sw)
        test = [c for c in cs if c.group in held]
        held_all += by_question(test, [answer_probability(model, c) for c in test])
    return held_all


def auc(scores: Sequence[tuple[bool, float]]) -> float:
    pos = [p for a, p in scores if a]
    neg = [p for a, p in scores if not a]
    if not pos or not neg:
        return float("nan")
    return sum((x > y) + 0.5 * (x == y) for x in pos for y in neg) / (len(pos) * len(neg))


def fit_models(rows: Sequence[Row], features: Sequence[str]) -> dict[str, Any]:
    """The ranker on every real question; the answerer's penalty and near-miss weight by
    cross-validation (the best held-out abstention recall less false abstentions at its own
    threshold, then AUC), fitted on every question, its threshold from the held-out
    probabilities (`choose_threshold`)."""
    probs = out_of_fold(rows, features)
    cs = cases(rows, probs)
    best = None
    search = []
    for l2 in L2:
        for sw in SYNTHETIC_WEIGHT:
            held = cross_validate(cs, ANSWER_FEATURES, l2, sw)
            t, fig = choose_threshold(held)
            search.append({"l2": l2, "synthetic_weight": sw, "threshold": round(t, 4), "auc": round(auc(held), 4),
                           **fig})
            # the product is judged at the threshold: held-out abstention recall less false
            # abstentions first (AUCs of the grid lie within 0.01 of each other, noise), AUC on ties
            key = (round(fig["abstention_recall"] - fig["false_abstention"], 9), round(auc(held), 9))
            if best is None or key > best[0]:
                best = (key, l2, sw, t, fig, auc(held))
    _, l2, sw, t, fig, a = best
    answerer = fit_answerer(cs, ANSWER_FEATURES, l2, sw)
    answerer["threshold"] = round(t, 4)
    ranker = fit_ranker(rows, features)
    return {"ranker": ranker, "answerer": answerer,
            "chosen": {"l2": l2, "synthetic_weight": sw, "cross_validated": {**fig, "auc": round(a, 4)}},
            "search": search}




def _r(a: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in a]


# ------------------------------------------------------------------------------ the command


def open_index(reports: Sequence[Path], home: Path) -> Any:
    """A Dossier over `reports`, ingested into `home` when it has no index yet."""
    from index.config import Settings
    from index.engine import Dossier
    from index.store import store

    settings = Settings(home=home)
    if store.current_generation(home) is None:
        from ingest.pipeline import ingest

        print(f"ingesting {', '.join(map(str, reports))} into {home}…", file=sys.stderr)
        ingest(list(reports), settings)
    return Dossier.open(settings)


def corpus_texts(dossier: Any) -> list[str]:
    return list(dossier.snapshot.passage_texts())


def training_sets(home: Path, extra: Sequence[Path] = (), *, realworld: bool = False,
                  only: frozenset[str] | None = None) -> list[tuple[str, Any, list[dict]]]:
    """(name, open Dossier, tune questions and their near-misses) per corpus: the samples in
    `home`, each real-world (`realworld`) and extra corpus beside it (eval.dataset.corpus_home,
    as `dossier eval` keeps them). A corpus without tune questions is not opened. `only`: the
    question ids (as rows name them) to keep; the near-misses are made from those alone."""
    sets = []
    more = [*(realworld_corpora() if realworld else ()), *(c for root in extra for c in extra_corpora(root))]
    for corpus in [SAMPLES_CORPUS, *more]:
        qs = corpus.load_questions(split="tune")
        if not qs:
            continue
        d = open_index(corpus.reports, home if corpus is SAMPLES_CORPUS else corpus_home(home, corpus.name))
        if corpus is not SAMPLES_CORPUS:
            for q in qs:
                q["id"] = f"{corpus.name}:{q['id']}"
                if q.get("twin"):
                    q["twin"] = f"{corpus.name}:{q['twin']}"
        if only is not None:
            qs = [q for q in qs if q["id"] in only]
        sets.append((corpus.name, d, qs + near_misses(qs, corpus_texts(d))))
    return sets


def collect(home: Path, extra: Sequence[Path] = (), *, realworld: bool = False,
            only: frozenset[str] | None = None) -> tuple[dict[str, list[Row]], dict[str, dict[str, int]]]:
    """Every model's training rows, and how many questions and near-misses each corpus gave."""
    sets = training_sets(home, extra, realworld=realworld, only=only)
    rows: dict[str, list[Row]] = {}
    counts: dict[str, dict[str, int]] = {}
    try:
        for name in FEATURES:
            rows[name] = []
            for corpus, d, qs in sets:
                for q in qs:
                    q.setdefault("group", q.get("twin") and min(q["id"], q["twin"]) or q["id"])
                rows[name] += question_rows(d, qs, context=(name == "context"))
                counts[corpus] = {"questions": sum(1 for q in qs if not q.get("synthetic")),
                                  "near_misses": sum(1 for q in qs if q.get("synthetic"))}
            print(f"{name}: {len(rows[name])} rows, {sum(r.gold for r in rows[name])} gold", file=sys.stderr)
    finally:
        for _, d, _ in sets:
            d.close()
    return rows, counts


def fit_all(rows: dict[str, list[Row]], counts: dict[str, dict[str, int]], command: str) -> dict[str, Any]:
    """The weights file: each model fitted on its rows, with what it was trained on."""
    models = {name: fit_models(rows[name], FEATURES[name]) for name in FEATURES}
    digest = hashlib.sha256(json.dumps(counts, sort_keys=True).encode()).hexdigest()[:12]
    return {"version": 1, "command": command, "trained_on": counts, "digest": digest, "models": models}


ROWS = Path(__file__).resolve().parent / "decision_rows.jsonl.gz"
# signals the rows keep beyond the ranker's features: what the answer path's lead reads
# (index/answer/evidence.py lead_with_type), so that the answerer is trained on what it will see
LEAD_SIGNALS = ("head_missing",)
SIGNALS = sorted({f for fs in FEATURES.values() for f in fs} | set(LEAD_SIGNALS))


def write_rows(path: Path, rows: dict[str, list[Row]], counts: dict[str, dict[str, int]], command: str) -> None:
    """The training rows, signals only (no question or report text): one JSON line per model
    and question part, so that `--from-rows` refits the weights without the corpora."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(json.dumps({"signals": SIGNALS, "trained_on": counts, "command": command}) + "\n")
        for name, rs in rows.items():
            by: dict[tuple[str, int], list[Row]] = {}
            for r in rs:
                by.setdefault((r.qid, r.part), []).append(r)
            for (qid, part), group in by.items():
                r0 = group[0]
                f.write(json.dumps({"model": name, "qid": qid, "part": part, "group": r0.group,
                                    "answerable": r0.answerable, "synthetic": r0.synthetic,
                                    "gold": [int(r.gold) for r in group if r.signals],
                                    "rows": [[round(float(r.signals.get(k, 0.0)), 5) for k in SIGNALS]
                                             for r in group if r.signals]}, separators=(",", ":")) + "\n")


def row_corpus(qid: str) -> str:
    """The corpus a row's question comes from: its id's prefix ("wikipedia-new-zealand:wnz-q3"),
    none for the samples."""
    return qid.split(":", 1)[0] if ":" in qid else SAMPLES_CORPUS.name


def keep_rows(rows: dict[str, list[Row]], counts: dict[str, dict[str, int]], path: Path
              ) -> tuple[dict[str, list[Row]], dict[str, dict[str, int]]]:
    """`rows` with the stored rows (and counts) of every corpus they do not hold themselves."""
    stored, stored_counts, _ = read_rows(path)
    fresh = set(counts)
    merged = {name: [r for r in stored.get(name, []) if row_corpus(r.qid) not in fresh] + rs
              for name, rs in rows.items()}
    return merged, {**{k: v for k, v in stored_counts.items() if k not in fresh}, **counts}


def row_questions(path: Path) -> frozenset[str]:
    """The ids of the written questions (not the near-misses made from them) a rows file holds."""
    rows, _, _ = read_rows(path)
    return frozenset(r.qid for rs in rows.values() for r in rs if not r.synthetic)


def read_rows(path: Path) -> tuple[dict[str, list[Row]], dict[str, dict[str, int]], str]:
    rows: dict[str, list[Row]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        head = json.loads(f.readline())
        names = head["signals"]
        for line in f:
            d = json.loads(line)
            out = rows.setdefault(d["model"], [])
            base = dict(qid=d["qid"], group=d["group"], answerable=d["answerable"], synthetic=d["synthetic"],
                        part=d["part"])
            if not d["rows"]:
                out.append(Row(**base, signals={}, gold=False))
            for values, gold in zip(d["rows"], d["gold"]):
                out.append(Row(**base, signals=dict(zip(names, values)), gold=bool(gold)))
    return rows, head["trained_on"], head["command"]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.train_decision", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="examples:\n  python -m eval.train_decision --realworld --keep-rows\n"
                                        "  python -m eval.train_decision --keep-rows --same-questions\n"
                                        "  python -m eval.train_decision --from-rows --check\n"
                                        "  python -m eval.train_decision --from-rows --curve\n")
    ap.add_argument("--home", type=Path, help="the samples' index (default: a temporary one; extra corpora beside it)")
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="a folder of corpora: <name>/questions.jsonl and its report files (tune questions only)")
    ap.add_argument("--out", type=Path, help="where to write the weights (default: index/answer/decision.json)")
    ap.add_argument("--rows", type=Path, default=ROWS, help=f"the training rows file (default: {ROWS.name} in eval/)")
    ap.add_argument("--realworld", action="store_true",
                    help="also the tune questions of the real-world reports in data/realworld/")
    ap.add_argument("--keep-rows", action="store_true",
                    help="keep the stored rows of every corpus not collected again (its questions are gone)")
    ap.add_argument("--same-questions", action="store_true",
                    help="collect only the questions the rows file holds (and keep its other rows, as "
                         "--keep-rows): the refit a changed signal needs, apart from the questions written since")
    ap.add_argument("--from-rows", action="store_true", help="refit from the rows file instead of the corpora")
    ap.add_argument("--check", action="store_true", help="compare with the weights file instead of writing; exit 1 if they differ")
    ap.add_argument("--curve", action="store_true",
                    help="print, per model, what each threshold does to the held-out questions; write nothing")
    args = ap.parse_args(argv)
    from index.answer.decision import WEIGHTS

    if (args.from_rows or args.keep_rows or args.same_questions) and not args.rows.is_file():
        print(f"error: {args.rows}: no training rows file here (--rows)", file=sys.stderr)
        return 2
    if args.from_rows:
        rows, counts, command = read_rows(args.rows)
    else:
        command = ("python -m eval.train_decision" + (" --realworld" if args.realworld else "")
                   + "".join(f" --extra {e}" for e in args.extra) + (" --keep-rows" if args.keep_rows else "")
                   + (" --same-questions" if args.same_questions else ""))
        only = row_questions(args.rows) if args.same_questions else None
        with tempfile.TemporaryDirectory(prefix="dossier-train-") as tmp:
            rows, counts = collect(args.home or Path(tmp) / "home", args.extra, realworld=args.realworld, only=only)
        if args.keep_rows or args.same_questions:
            rows, counts = keep_rows(rows, counts, args.rows)
    if args.curve:
        for name in FEATURES:
            print(f"{name}: threshold, answerable declined, unanswerable declined, objective, "
                  f"the objective averaged over +-{THRESHOLD_WINDOW} (THRESHOLD_WINDOW; held out)")
            for c in curve(rows[name], FEATURES[name])[9::10]:
                print(f"  {c['threshold']:.2f}  {c['false_abstentions']:4d}  {c['declined_unanswerable']:4d}  "
                      f"{c['objective']:+.4f}  {c['averaged']:+.4f}")
        return 0
    built = fit_all(rows, counts, command)
    out = args.out or WEIGHTS
    if args.check:
        problems = compare(json.loads(out.read_text(encoding="utf-8")), built)
        for p in problems:
            print(p)
        print("weights reproduced" if not problems else f"{len(problems)} difference(s)")
        return 1 if problems else 0
    if not args.from_rows:
        write_rows(args.rows, rows, counts, command)
        print(f"wrote {args.rows}")
    out.write_text(json.dumps(built, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    for name, m in built["models"].items():
        print(f"{name}: threshold {m['answerer']['threshold']}, {m['chosen']}")
        for stage in ("ranker", "answerer"):
            print(f"  {stage}:")
            for f, w in sorted(zip(m[stage]["features"], m[stage]["weights"]), key=lambda fw: -abs(fw[1])):
                print(f"    {f:20} {w:+.3f}")
    return 0


def compare(old: dict, new: dict, tol: float = 1e-3) -> list[str]:
    """Differences between two weights files beyond `tol` (relative)."""
    problems = []
    for name, m in new["models"].items():
        o = old["models"].get(name)
        if o is None:
            problems.append(f"{name}: not in the weights file")
            continue
        for stage in ("ranker", "answerer"):
            a, b = o[stage], m[stage]
            if a["features"] != b["features"]:
                problems.append(f"{name}.{stage}: features differ")
                continue
            for key in ("mean", "scale", "weights"):
                for f, x, y in zip(b["features"], a[key], b[key]):
                    if abs(x - y) > tol * max(1.0, abs(x)):
                        problems.append(f"{name}.{stage}: {key} of {f}: {x} in the file, {y} retrained")
            for key in ("bias", "threshold"):
                if abs(a[key] - b[key]) > tol * max(1.0, abs(a[key])):
                    problems.append(f"{name}.{stage}: {key}: {a[key]} in the file, {b[key]} retrained")
    return problems


if __name__ == "__main__":
    sys.exit(main())
