"""Extractive answers: sentences quoted verbatim from retrieved passages, each with its
citation, or an honest abstention with the closest material (`decide`).

The candidates are the quotable sentences of the best passages (`index.answer.evidence`).
With the learned decision (`index.answer.decision`, the default) each gets the probability
that it answers the question, from its signals: how much of the question it holds, how close
it is in meaning (`index.answer.semantic`), whether it has the kind of answer asked for, names
the question's entities, falls in its time, where its passage ranked. The answer is the most
probable sentence when it reaches the model's threshold, and up to three more that are nearly
as probable and add something (a word of the question the first lacks, another report's
view, the detail in the sentence after it). Otherwise the reports "don't say".

The earlier hand rules (word overlap, then `index.answer.judge.misfits` and fixed thresholds)
remain as the `lexical` and `semantic` configurations, which `dossier eval --ablation`
measures against the learned decision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from index.answer import decision as dm
from index.answer import judge
from index.answer.attribution import with_speakers
from index.answer.evidence import (Candidate, Reports, addressed_to_a_machine, answer_signals, gather, has_count,
                                   has_kind, lead_with_type, misfits, signals, term_weights, unknown_share,
                                   unknown_things)
from index.answer.question import Question, question_parts

__all__ = ["AnswerConfig", "CONFIGS", "Decision", "addressed_to_a_machine", "choose", "decide", "has_count",
           "has_kind"]

MAX_SENTENCES = 4
MIN_COVERAGE = 0.10           # hand rules: chosen on the tune split (was 0.15 on all 100 old questions)
MAX_UNKNOWN = 0.60            # hand rules: share of the question's words that no report uses (tune split; was 0.40)
FOLLOW = 0.5                  # hand rules: a further sentence needs this share of the best one's coverage
OTHER_VIEW = 0.8              # ...and one from another report that adds no word of the question, this share
MAX_UNKNOWN_FOCUS = 0.99      # ...and when none of its topic words (names aside) occurs in any report
CLOSEST = 3
# The learned decision's choice of sentences (`pick`), chosen on the tune split (key facts against
# reading: follow 0.25 / 0.4 / 0.5, 2 or 3 passages, 3 to 5 sentences, same-passage share 0.05 / 0.15)
PICK_FOLLOW = 0.4             # a further sentence needs this share of the best one's probability
PICK_SAME = 0.15              # ...one from a passage already cited (nothing more to read but itself), this share
PICK_PASSAGES = 3             # sentences from at most this many passages
PICK_SENTENCES = 5
KIND_BONUS = 0.1              # hand rules: a sentence holding what was asked for (a number, a date) ranks first
FIT_BONUS = 1.0               # hand rules: a sentence that answers the question (judge) ranks above one that doesn't
RANK_BONUS = 0.12             # hand rules: a little for the passage's rank


@dataclass(frozen=True)
class AnswerConfig:
    """Which parts of the answer path are on (the ablation's steps)."""

    name: str
    semantic: bool = True         # sentences scored with the embedding model too
    learned: bool = True          # the learned decision (else the hand rules)
    context: bool = True          # sentence vectors read with title, headings and the sentence before

    @property
    def model(self) -> str:
        return "context" if self.context else ("semantic" if self.semantic else "lexical")


# The ablation's steps, in order. The default is `context`: on the tune split of every corpus
# pooled, sentences read with their title, section and the sentence before gave more key facts,
# fewer false abstentions and more honest declines than `learned` (docs/quality.md), for about
# 30 ms more of a warm ask (p95 ~100 against ~70 ms at 1,000 reports, load 1).
CONFIGS = {
    "lexical": AnswerConfig("lexical", semantic=False, learned=False, context=False),
    "semantic": AnswerConfig("semantic", semantic=True, learned=False, context=False),
    "learned": AnswerConfig("learned", semantic=True, learned=True, context=False),
    "context": AnswerConfig("context", semantic=True, learned=True, context=True),
}
DEFAULT = CONFIGS["context"]


@dataclass
class Decision:
    """What to say: quoted sentences citing passages numbered 1..n in `cited` order, or an
    abstention with the closest passages (`cited`, shown as such, never as an answer).
    `unanswered` names the parts of a several-part question that no sentence answers.
    `candidates` are the sentences weighed (for the eval and the training of the decision);
    `parts`, each question part with its sentences, their signals and probabilities (`python -m
    eval.why` prints them)."""

    abstained: bool
    sentences: list[dict]
    cited: list[str]
    unanswered: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    parts: list[tuple[Question, list[Candidate]]] = field(default_factory=list)


def choose(cands: list[Candidate], *, floor: float = 0.0, follow: float = FOLLOW, use_coverage: bool = True,
           max_sentences: int = MAX_SENTENCES) -> list[Candidate]:
    """The best sentence, the one after it in the same passage (a topic sentence is often
    followed by the detail asked for), then others that add words of the question or
    another report's view. `use_coverage`: a further sentence is measured by its share of the
    question's words (the hand rules), else by its score against the best one's."""
    ranked = sorted(cands, key=lambda c: -c.score)
    follower = None                      # the sentence after the best one (key facts 0.775 -> 0.798)
    if ranked:
        top = ranked[0]
        follower = next((c for c in cands if c.passage_id == top.passage_id
                         and c.order == (top.order[0], top.order[1] + 1)), None)
        if follower is not None:
            ranked.remove(follower)
            ranked.insert(1, follower)
    chosen: list[Candidate] = []
    seen_text: set[str] = set()
    covered: set[str] = set()
    for c in ranked:
        key = re.sub(r"\W+", " ", c.text.lower()).strip()
        if key in seen_text or len(key) < 15:
            continue
        if not chosen:
            chosen.append(c)
        else:
            best = chosen[0]
            adds = c.terms - covered
            other_report = all(c.report_id != x.report_id for x in chosen)
            if use_coverage:
                if c is not follower and c.coverage < max(MIN_COVERAGE, follow * best.coverage):
                    continue
                near = c.coverage >= OTHER_VIEW * best.coverage
            else:
                if c is not follower and (c.score < floor or c.score < follow * best.score):
                    continue
                if c is follower and c.score < floor * follow:
                    continue
                near = c.score >= OTHER_VIEW * best.score
            same_passage = c.passage_id == best.passage_id
            if not adds and not same_passage and (not other_report or not near):
                continue
            chosen.append(c)
        seen_text.add(key)
        covered |= c.terms
        if len(chosen) >= max_sentences:
            break
    return chosen


def should_abstain(cands: list[Candidate], unknown: list[str], unknown_frac: float, question: Question,
                   unknown_focus: float = 0.0) -> bool:
    """The hand rules' abstention (configurations `lexical` and `semantic`)."""
    if not cands or unknown or unknown_frac > MAX_UNKNOWN or unknown_focus > MAX_UNKNOWN_FOCUS:
        return True
    best = max(c.coverage for c in cands)
    if best < MIN_COVERAGE:
        return True
    # a how-many question answered by no sentence with a number (or a when-question by
    # none with a date) among the close candidates is not answered by the reports
    close = [c for c in cands if c.coverage >= max(MIN_COVERAGE, FOLLOW * best)]
    return not any(has_kind(c.text, question.kind, question.text) for c in close)


def _cover(question: Question, cands: list[Candidate], lex: Any, context: str) -> list[Candidate]:
    """Copies of the candidates with their coverage of this question (a part's own words)."""
    weights = term_weights(question, lex, context)
    total = sum(weights.values()) or 1.0
    out = []
    for c in cands:
        d = dict(c.__dict__)
        d["coverage"] = sum(w for t, w in weights.items() if t in c.terms) / total
        d["terms"] = c.terms & set(weights)
        d["signals"] = {}
        out.append(Candidate(**d))
    return out


def weigh(question: Question, pool: list[Candidate], hits: list, lex: Any, *, context: str = "",
          vectors: Any = None, sem: list[float] | None = None, align: Any = None) -> list[Candidate]:
    """Copies of the candidates with this question's coverage and every signal filled in."""
    cands = _cover(question, pool, lex, context)
    signals(question, cands, hits, lex, vectors=vectors, semantic=sem, align=align)
    return cands


def semantic_scores(question: Question, pool: list[Candidate], semantic: Any, reports: Reports, lex: Any, *,
                    context: bool = False) -> tuple[list[float], Any]:
    """Each candidate's cosine to the question, and `align(terms)`: its alignment with those
    of the question's words (index.answer.semantic); `context`: sentences read with theirs."""
    qs = semantic.question(question.text, weight=lex.idf if lex is not None else None)
    sem = semantic.cosines(qs.vector, pool, reports, context=context)

    def align(terms: set[str]) -> list[float]:
        return semantic.alignment(qs, pool, reports, only=terms, context=context)

    return sem, align


def decide(question: Question, hits: list, snapshot: Any, lex: Any, *, context: str = "",
           vectors: judge.WordVectors | None = None, semantic: Any = None,
           config: AnswerConfig = DEFAULT, weights: Any = None, reports: Reports | None = None) -> Decision:
    """The extractive answer to a question from its retrieved passages (`hits`, best first).
    `semantic`: an index.answer.semantic.SentenceVectors (without it the semantic signals are
    0); `weights`: a decision weights file (tests); `reports`: the snapshot's reports as read
    so far (evidence.Reports, kept by the caller across questions)."""
    closest = Decision(True, [], [h.id for h in hits[:CLOSEST]])
    reports = reports if reports is not None and reports.snapshot is snapshot else Reports(snapshot)
    pool = gather(question, hits, snapshot, lex, context=context, reports=reports)
    sem = align = None
    if config.semantic and semantic is not None and pool:
        sem, align = semantic_scores(question, pool, semantic, reports, lex, context=config.context)
    model = dm.decider(config.model, weights) if config.learned else None
    parts = question_parts(question)
    best: dict[tuple[str, int], float] = {}
    unanswered = []
    whole: list[Candidate] = []
    weighed: list[tuple[Question, list[Candidate]]] = []
    for part in parts:                    # each part of a several-part question on its own
        if model is not None:
            cands = weigh(part, pool, hits, lex, context=context, vectors=vectors, sem=sem, align=align)
            fits = learned_fits(model, cands)
        else:
            cands = _cover(part, pool, lex, context)
            fits = _hand_fits(part, cands, lex, vectors, sem)
        weighed.append((part, cands))
        if len(parts) == 1:
            whole = cands
        if not fits:
            unanswered.append(part.text)
        for c in fits:
            best[c.key] = max(best.get(c.key, 0.0), c.score)
    if not whole:
        whole = _cover(question, pool, lex, context)
    if not best or question.names_nothing:
        closest.candidates, closest.parts = whole, weighed
        return closest                    # no sentence answers any part (or nothing was asked): the reports don't say
    if len(parts) == 1:
        unanswered = []
    if model is not None:
        for c in whole:
            c.score = best.get(c.key, 0.0)
        picked = pick([c for c in whole if c.key in best])
    else:
        for i, c in enumerate(whole):
            c.score = c.coverage + RANK_BONUS / (c.order[0] + 1) + (sem[i] if sem is not None else 0.0)
            if c.key in best:
                c.score += FIT_BONUS
            if question.kind and has_kind(c.text, question.kind, question.text):
                c.score += KIND_BONUS
        picked = choose(whole)
    numbers: dict[str, int] = {}
    sentences = []
    for c in with_speakers(picked, reports):
        n = numbers.setdefault(c.passage_id, len(numbers) + 1)
        sentences.append({"text": c.text, "citations": [n], "markers": c.markers})
    return Decision(False, sentences, list(numbers), unanswered, whole, weighed)


def pick(cands: list[Candidate], *, follow: float | None = None, max_sentences: int | None = None,
         max_passages: int | None = None) -> list[Candidate]:
    """The learned decision's choice: the most probable sentence, then, most probable first,
    those at least `follow` times as probable, from at most `max_passages` passages (each new
    passage is more to read), no text twice. A sentence from a passage not yet cited that
    holds no word of the question the chosen ones lack and no value of the type asked adds
    nothing but reading (`adds_nothing`)."""
    follow = PICK_FOLLOW if follow is None else follow
    max_sentences = PICK_SENTENCES if max_sentences is None else max_sentences
    max_passages = PICK_PASSAGES if max_passages is None else max_passages
    ranked = sorted(cands, key=lambda c: -c.score)
    chosen: list[Candidate] = []
    seen: set[str] = set()
    passages: set[str] = set()
    covered: set[str] = set()
    for c in ranked:
        key = re.sub(r"\W+", " ", c.text.lower()).strip()
        if key in seen:
            continue
        if chosen and c.score < (PICK_SAME if c.passage_id in passages else follow) * chosen[0].score:
            continue
        if c.passage_id not in passages and len(passages) >= max_passages:
            continue
        if chosen and c.passage_id not in passages and adds_nothing(c, covered):
            continue
        chosen.append(c)
        seen.add(key)
        passages.add(c.passage_id)
        covered |= c.terms
        if len(chosen) >= max_sentences:
            break
    return sorted(chosen, key=lambda c: (c.order[0] if c is not chosen[0] else -1, c.start)) if chosen else chosen


def adds_nothing(c: Candidate, covered: set[str]) -> bool:
    """The sentence holds no word of the question beyond `covered` and, for a question asking
    for a type (a number, a date, a person), no new value of it. Judged from a single
    question's signals: a part of a several-part question keeps none, and nothing is pruned
    there (a part's answer often holds none of the whole question's words)."""
    sig = c.signals
    return bool(sig) and not (c.terms - covered) and (sig.get("value_missing", 0.0) == 1.0
                                                      or sig.get("kind_missing", 0.0) == 1.0)


def learned_fits(model: dm.Decider, cands: list[Candidate]) -> list[Candidate]:
    """The learned decision: each sentence's probability from the ranker; when the answerer
    says the reports answer, every candidate with its probability (the choice takes the best
    and those nearly as good), else none; none either when the question's topic is absent
    from every report and every candidate (`evidence.topic_absent`)."""
    if not cands:
        return []
    probs = lead_with_type([c.signals for c in cands], [model.ranker.probability(c.signals) for c in cands])
    for c, p in zip(cands, probs):
        c.score = p
    said = answer_signals(cands, probs)
    if said["topic_absent"] or model.answerer.probability(said) < model.threshold:
        return []
    return list(cands)


def _hand_fits(part: Question, cands: list[Candidate], lex: Any, vectors: Any, sem: list[float] | None) -> list[Candidate]:
    """The hand rules: the reports don't say when the best coverage is too low or the question
    names what no report has; else the sentences that pass every check of `judge.misfits`."""
    if should_abstain(cands, unknown_things(part, lex), unknown_share(list(part.terms), lex), part,
                      unknown_share(list(part.focus), lex)):
        return []
    fits = []
    for c in cands:
        if not misfits(part, c, lex, vectors):
            c.score = 1.0
            fits.append(c)
    return fits
