"""The evidence for an answer: the sentences of the retrieved passages that could be quoted,
and what each says about the question (the signals `index.answer.decision` weighs).

Only body sentences are quoted. A heading, a table-of-contents line or the report's title is
never an answer (`quotable`), and a note's own text never is either: a note passage that
retrieval finds brings the body sentence that carries its marker, so the note is shown where
it belongs, as that sentence's footnote ("notes stay citations").
"""
from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from index.answer import judge
from index.answer.question import Question, question_terms
from index.text import words
from index.text.dates import ANY_MONTH, WEEKDAY
from index.text.sentences import split_sentences

MAX_PASSAGES = 6              # passages whose sentences are candidates (notes bring their anchors)

_ADDRESSED = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.]{0,60}\b(instructions?|prompts?|rules|reports?|context|above)\b"
    r"|^\s*(system|assistant|user)\s*:|\byou are (now|an? )\b|\bas an ai\b|\btell the (user|reader)\b", re.I)
_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
_LEADERS = re.compile(r"(?:\.\s?){4,}|…{2,}|\s{3,}\d+\s*$|\.\s*\d{1,4}\s*$")


def addressed_to_a_machine(text: str) -> bool:
    """Text that talks to an assistant rather than about the world (a prompt injection in a
    report) is never quoted as an answer; it can still be found and shown as a passage."""
    return bool(_ADDRESSED.search(text))


def quotable(text: str, title: str = "", *, structured: bool = False) -> bool:
    """A sentence that can be quoted as an answer: not the report's title, not a question the
    report asks, not a table-of-contents line (dot leaders, a page number at its end), not a
    fragment; in a plain-text report, not a heading (short, no closing punctuation). A report
    read from a structured format (HTML, Word, PDF) has its headings marked by its reader, and
    there a short line without a full stop can be a value ("Date: 21/05/2024")."""
    t = " ".join(text.split())
    if len(t) < (4 if structured else 15):
        return False
    if title and t.rstrip(".").casefold() == " ".join(title.split()).rstrip(".").casefold():
        return False
    if t.endswith("?"):
        return False
    if not structured and len(t) < 90 and not _END.search(t):
        return False
    return not (_LEADERS.search(t) and len(t) < 200)


@dataclass
class Candidate:
    """A sentence that could be quoted, with where it stands and the signals about it."""

    text: str
    passage_id: str                   # the body passage it is quoted from (its citation)
    report_id: str
    markers: list[str]
    order: tuple[int, int]            # (rank of the passage that brought it, its place in that passage)
    passage: str = ""                 # its passage's text, report title and date (what judge reads)
    title: str = ""
    date: str = ""
    start: int = 0                    # offsets in its report's text
    end: int = 0
    prev: str = ""                    # the sentence before it in its report ("" at the start)
    via_note: str = ""                # the marker of the note passage that brought it, if one did
    note: str = ""                    # ...and that note's text
    around: str = ""                  # the headings its passage stands under and the passage before it
    report_text: str = field(default="", repr=False, compare=False)   # its report's whole text (judge's surname check)
    coverage: float = 0.0             # IDF-weighted share of the question's terms it holds
    terms: set[str] = field(default_factory=set)
    signals: dict[str, float] = field(default_factory=dict)
    score: float = 0.0                # the decision's probability that it answers the question

    @property
    def key(self) -> tuple[str, int]:
        return (self.report_id, self.start)


@dataclass
class ReportView:
    """What the answer reads of one report: its text, its sentences as (start, end, markers),
    its title and date, whether a structured-format reader built it, its body passages."""

    text: str
    sentences: list[tuple[int, int, list[str]]]
    title: str
    date: str
    structured: bool
    passages: list[dict]
    _before: dict[str, str] | None = field(default=None, repr=False, compare=False)   # around()'s, built once

    def around(self, passage: dict) -> str:
        """The headings a body passage stands under and the text of the body passage before it:
        where a passage's subject is often named (in EPRS's Red Sea briefing the passage before "In
        its resolution of 28 February 2024 ... the European Parliament condemned the attacks" says
        whose attacks: the Houthis')."""
        if self._before is None:
            self._before = {b["id"]: a["text"] for a, b in zip(self.passages, self.passages[1:])}
        section = (passage.get("section") or "").replace(" > ", ". ")
        return " ".join(t for t in (section, self._before.get(passage["id"], "")) if t)


class Reports:
    """The reports that hits come from, read once per generation and kept (the most recently
    used `size`): a warm process does not decode a report's sentences again for each question."""

    def __init__(self, snapshot: Any, size: int = 256):
        self.snapshot = snapshot
        self._size = size
        self._views: OrderedDict[str, ReportView] = OrderedDict()

    def view(self, rid: str) -> ReportView:
        v = self._views.get(rid)
        if v is not None:
            self._views.move_to_end(rid)
            return v
        r = self.snapshot.report(rid) or {}
        sents = [(s["start"], s["end"], list(s["markers"])) for s in r.get("sentences") or []]
        body = [p for p in self.snapshot.passages_of_report(rid) if p["kind"] == "body"]
        v = ReportView(r.get("text", ""), sents, r.get("title", ""), r.get("date", ""), bool(r.get("structured")),
                       body)
        self._views[rid] = v
        while len(self._views) > self._size:
            self._views.popitem(last=False)
        return v

    def text(self, rid: str) -> tuple[str, list]:
        v = self.view(rid)
        return v.text, v.sentences

    def meta(self, rid: str) -> dict:
        v = self.view(rid)
        return {"title": v.title, "date": v.date, "structured": v.structured}

    def body_passages(self, rid: str) -> list[dict]:
        return self.view(rid).passages


def term_weights(question: Question, lex: Any, context: str = "") -> dict[str, float]:
    q = list(question.terms)
    ctx = [t for t in question_terms(context) if t not in q] if context else []
    weights = {t: (lex.idf(t) if lex else 1.0) for t in q}
    weights.update({t: 0.5 * (lex.idf(t) if lex else 1.0) for t in ctx})
    return weights


def gather(question: Question, hits: list, snapshot: Any, lex: Any, *, context: str = "",
           reports: Reports | None = None, max_passages: int = MAX_PASSAGES) -> list[Candidate]:
    """The candidate sentences of the best `max_passages` hits, in rank order: a body
    passage's quotable sentences; for a note passage, the body sentences carrying its marker."""
    weights = term_weights(question, lex, context)
    total = sum(weights.values()) or 1.0
    reports = reports or Reports(snapshot)
    passages = snapshot.passages([h.id for h in hits])
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    rank = 0
    for h in hits:
        if rank >= max_passages:
            break
        p = passages.get(h.id)
        if p is None:
            continue
        if addressed_to_a_machine(p["text"]):
            continue                     # a passage that talks to the assistant is not evidence at all
        rid = p["report_id"]
        view = reports.view(rid)              # its text, sentences, title, date and body passages, read once
        rtext, sents, title, date = view.text, view.sentences, view.title, view.date
        found: list[tuple[int, dict, str, str]] = []      # (sentence index, body passage, via note, note)
        if p["kind"] == "note":
            marker = p["markers"][0] if p["markers"] else ""
            for i, (a, b, markers) in enumerate(sents):
                if marker and marker in markers:
                    holder = next((bp for bp in view.passages if bp["start"] <= a and b <= bp["end"]), None)
                    if holder is not None:
                        found.append((i, holder, marker, p["text"]))
        else:
            found = [(i, p, "", "") for i, (a, b, _) in enumerate(sents) if a >= p["start"] and b <= p["end"]]
        for j, (i, holder, marker, note) in enumerate(found):
            a, b, markers = sents[i]
            text = rtext[a:b]
            if (rid, a) in seen or not quotable(text, title, structured=view.structured):
                continue
            seen.add((rid, a))
            terms = set(words.terms(text + (" " + note if note else "")))      # all its words, its note's too
            cov = sum(w for t, w in weights.items() if t in terms) / total
            prev = rtext[sents[i - 1][0]:sents[i - 1][1]] if i > 0 else ""
            out.append(Candidate(text, holder["id"], rid, list(markers), (rank, j), holder["text"], title, date,
                                 a, b, prev, marker, note, view.around(holder), rtext, cov, terms))
        rank += 1
    return out


def note_sentences(text: str) -> list[str]:
    """The prose sentences of a note, its links left out (they are its sources)."""
    out = []
    for a, b in split_sentences(text):
        seg = text[a:b]
        link = re.search(r"[\s;,]*(?:<?https?://|www\.)", seg)
        seg = seg[:link.start()] if link else seg
        if len(seg) > 15:
            out.append(seg)
    return out


# ----------------------------------------------------------------------------------- signals

def unknown_things(question: Question, lex: Any) -> list[str]:
    """Names and numbers of the question that no report mentions (prefix-tolerant:
    'Moldovan' is known when the reports say 'Moldova')."""
    if lex is None:
        return []
    missing = []
    for w in question.named:
        toks = words.terms(w)
        if toks and all(not lex.knows(t) for t in toks):
            missing.append(w)
    return missing


def unknown_share(terms: list[str] | tuple[str, ...], lex: Any) -> float:
    if lex is None or not terms:
        return 0.0
    return sum(1 for t in terms if t not in lex.vocab) / len(terms)


_COUNT_WORDS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                          r"fifty|dozens?|hundreds?|thousands?|millions?|billions?|several)\b", re.I)
_MONTHS = rf"({ANY_MONTH})"
_DATE = re.compile(rf"\b(1[89]|20)\d\d\b|\b({ANY_MONTH})\b|\b({WEEKDAY}|yesterday|today|week|month|year)\b")


def has_count(text: str, question: str = "") -> bool:
    """A quantity: a cardinal that is not a year, not a day of a date, not part of a name
    (M4, S-400, 76th) and not already in the question; or a number word."""
    for m in judge.CARDINAL.finditer(text):
        num = m.group(1).rstrip(".,")
        if not num or re.fullmatch(r"(19|20)\d\d", num) or num in question:
            continue
        if re.search(_MONTHS + r"\.?\s*$", text[max(0, m.start() - 12):m.start()]) or re.match(
                r"\s*" + _MONTHS, text[m.end():m.end() + 12]):
            continue
        return True
    return bool(_COUNT_WORDS.search(text))


def has_kind(text: str, kind: str | None, question: str = "") -> bool:
    if kind == "number":
        return has_count(text, question)
    if kind == "date":
        return bool(_DATE.search(text))
    return True


def _has_kind(text: str, question: Question) -> bool:
    return has_kind(text, question.kind, question.text)


def misfits(question: Question, c: Candidate, lex: Any, vectors: judge.WordVectors | None = None) -> list[str]:
    """`judge.misfits` of a candidate: its sentence with its note's text, read in its passage,
    report and what stands around the passage."""
    return judge.misfits(question, c.text + (" " + c.note if c.note else ""), c.passage, c.date, c.title,
                         lex=lex, vectors=vectors, around=c.around, report=c.report_text)


def signals(question: Question, cands: list[Candidate], hits: list, lex: Any, *,
            vectors: judge.WordVectors | None = None, semantic: list[float] | None = None,
            align: Any = None) -> None:
    """Fill each candidate's `signals`: every figure the decision may weigh, named. `semantic`
    holds each candidate's cosine to the question (None: not measured, the signal is 0);
    `align(terms)`: each candidate's alignment with those of the question's words
    (index.answer.semantic.SentenceVectors.alignment; None: not measured)."""
    unknown = 1.0 if unknown_things(question, lex) else 0.0
    unknown_terms = unknown_share(question.terms, lex)
    unknown_focus = unknown_share(question.focus, lex)
    best_cov = max((c.coverage for c in cands), default=0.0)
    sems = semantic if semantic is not None else [0.0] * len(cands)
    best_sem = max(sems, default=0.0)
    dense = {h.id: (h.dense if h.dense is not None else 0.0) for h in hits}
    focus_terms = {t for t, _ in question.attribute} or set(question.focus)
    # the question's most telling word (the rarest in the reports; a word no report uses, rarest
    # of all): a near-miss about a topic the reports lack ("the carbon footprint of data centres")
    # is met by sentences that hold its other words
    idf = {t: (lex.idf(t) if lex is not None and t in lex.vocab else (_MAX_IDF if lex is not None else 1.0))
           for t in question.focus or question.terms}
    rarest = max(idf, key=lambda t: idf[t]) if idf else None
    total_idf = sum(idf.values()) or 1.0
    aligned = align(set(question.terms)) if align is not None else [0.0] * len(cands)
    # a question without focus words aligns as its words do (not as fully aligned: "Since when?"
    # alone, which names nothing, must not look answered)
    aligned_focus = (align(focus_terms) if focus_terms else list(aligned)) if align is not None \
        else [0.0] * len(cands)
    for c, sem, al, af in zip(cands, sems, aligned, aligned_focus):
        why = misfits(question, c, lex, vectors)
        typed = bool(question.answer_type and question.answer_type in judge.CHECKED_TYPES)
        kind = question.kind is not None
        others = [s for s, o in zip(sems, cands) if o is not c]
        c.signals = {
            "lexical": c.coverage,
            "lexical_gap": c.coverage - best_cov,
            "semantic": sem,
            "semantic_gap": sem - best_sem,
            "semantic_margin": sem - max(others, default=0.0),
            "align": al,
            "align_focus": af,
            "rank": 1.0 / (1 + c.order[0]),
            "dense": dense.get(c.passage_id, 0.0) if not c.via_note else max(dense.get(c.passage_id, 0.0), 0.0),
            "type_missing": 1.0 if typed and "type" in why else 0.0,
            "time_missing": 1.0 if "time" in why else 0.0,
            "entity_missing": 1.0 if "entity" in why else 0.0,
            "focus_missing": 1.0 if "focus" in why else 0.0,
            "focus_share": judge.focus_share(question, c.text, c.passage, lex, vectors),
            "focus_sentence": judge.focus_share(question, c.text, "", lex, vectors),
            "value_missing": 0.0 if judge.new_value(question, c.text + (" " + c.note if c.note else "")) else 1.0,
            "kind_missing": 1.0 if kind and not _has_kind(c.text + " " + c.note, question) else 0.0,
            "unknown_name": unknown,
            "unknown_terms": unknown_terms,
            "unknown_focus": unknown_focus,
            "via_note": 1.0 if c.via_note else 0.0,
            "lead_in": 1.0 if c.text.rstrip().endswith(":") else 0.0,
            "rarest_missing": 0.0 if rarest is None or rarest in c.terms or rarest in _passage_terms(c) else 1.0,
            "topic_missing": sum(w for t, w in idf.items() if t not in c.terms and t not in _passage_terms(c))
            / total_idf,
            "length": math.log(max(len(c.text), 20) / 150.0),
            "head_missing": 1.0 if question.head and not names_head(c.text + " " + c.note, question.head) else 0.0,
        }


_MAX_IDF = 12.0               # the weight of a word no report uses (above any used word's IDF at these sizes)


def _passage_terms(c: Candidate) -> frozenset[str]:
    return judge.terms_of(c.passage + " " + c.title)


# When the question asks for a type (a person, a number, a date...) and some sentence holds a new
# value of it, the sentences lacking one weigh TYPE_LEAD of the ranker's probability: "Who founded
# NEXTA?" is answered by "Stepan Putilo, founder of the NEXTA Telegram channel", not by the closer
# "NEXTA, which operates out of Poland, ...". Chosen on the tune split (eval/train_decision.py,
# out-of-fold ranker, 207 question parts with a gold sentence): the gold sentence first for 156
# against 153 without (0.5, 0.25 and 0.1 alike). Before the answerer read fit_align_focus its
# held-out abstention recall less false abstentions was 0.755 at 0.5 against 0.736 without; with
# it, 0.765 at 0.5, 0.764 without, 0.760 at 0.25 and 0.1. Requiring the typed sentence to reach a
# probability first (0.2, 0.4, 0.6) did no better.
TYPE_LEAD = 0.5
HEAD_LEAD = 0.25


def _lacks_type(s: dict[str, float]) -> bool:
    return bool(s) and (s.get("type_missing", 0.0) > 0 or s.get("value_missing", 0.0) > 0)


def _lacks_head(s: dict[str, float]) -> bool:
    return bool(s) and s.get("head_missing", 0.0) > 0


_NAME_WORD = re.compile(r"[\w’'.-]+")


def names_head(text: str, head: tuple[str, ...]) -> bool:
    """The text names a thing of the kind a "which <noun>" question asks for: a name ends in the
    noun ("Russia's 234th Guards Airborne Assault Regiment" for "which regiment"), capitalised
    after a capitalised word or a number; a word inside a name is not its kind ("Digital
    Government Strategy" is no government). A generic noun ("which unit", "which company") is
    seldom the end of the name that answers it: then no sentence names one, and nothing leads
    (`lead_with_type`)."""
    toks = _NAME_WORD.findall(text) + [""]
    for prev, w, after in zip(toks, toks[1:], toks[2:]):
        if (w[:1].isupper() and (prev[:1].isupper() or prev[:1].isdigit()) and not after[:1].isupper()
                and set(words.terms(w)) & set(head)):
            return True
    return False


def lead_with_type(sigs: list[dict[str, float]], probs: list[float]) -> list[float]:
    """The ranker's probabilities with the sentences that hold the asked type ahead of those
    that lack it (`TYPE_LEAD`), and for a "which <noun>" question those that name such a thing
    ahead of those that don't; each unchanged when not asked or when no sentence holds it."""
    out = list(probs)
    for lacks, share in ((_lacks_type, TYPE_LEAD), (_lacks_head, HEAD_LEAD)):
        if any(s and not lacks(s) for s in sigs) and any(lacks(s) for s in sigs):
            out = [p * share if lacks(s) else p for s, p in zip(sigs, out)]
    return out


MISFITS = ("type_missing", "time_missing", "entity_missing", "focus_missing")
FIT_COVERAGE = 0.10           # a fitting sentence holds at least this share of the question's words


# A sentence this close to the question as a whole (its `semantic` cosine) states the question's
# topic, whatever its words: word vectors miss a paraphrase that the sentence model sees ("How
# many Moriori were still alive in 1862?": "In 1862 only 101 survived", cosine 0.73). On the tune
# split the questions whose topic words no report uses had their closest sentence at 0.25-0.60
# when the reports do not answer them (13 near-misses) and at 0.73 when they do (one question).
TOPIC_STATED = 0.65


def topic_absent(cands: list[Candidate]) -> bool:
    """The question's topic words are used by no report and no candidate sentence states one,
    even in other words (`judge.focus_share` with word vectors, or a sentence as close to the
    whole question as `TOPIC_STATED`): whatever the sentences say is about something else
    ("What did the reports say about the weather in Minsk?" met by sentences about Minsk). The
    answer path declines such a question part whatever the answerer's probability
    (`index.answer.choose.learned_fits`). On the tune split it declined no question the answerer
    answered (docs/quality.md, eighth session); the answerer alone, with a lower threshold,
    answered the weather question."""
    return bool(cands) and all(c.signals.get("unknown_focus", 0.0) >= 1.0 and c.signals.get("focus_sentence", 1.0) == 0.0
                               and c.signals.get("semantic", 0.0) < TOPIC_STATED for c in cands)


def answer_signals(cands: list[Candidate], probs: list[float]) -> dict[str, float]:
    """What the question's evidence as a whole says (the answerability decision's signals):
    the best sentence by the ranker, how far it stands out, and the best of the sentences that
    pass every check (type, time, entities, focus). `probs`: the ranker's probability of each."""
    if not cands:
        return {}
    order = sorted(range(len(cands)), key=lambda i: -probs[i])
    top = cands[order[0]].signals
    p1 = probs[order[0]]
    p2 = probs[order[1]] if len(order) > 1 else 0.0
    fit = [i for i, c in enumerate(cands)
           if all(c.signals[m] == 0 for m in MISFITS) and c.signals["lexical"] >= FIT_COVERAGE]
    fit_new = [i for i in fit if cands[i].signals["value_missing"] == 0]
    # a sentence that passes every check and holds a new value of the asked type: how well the
    # question's focus words align with it in context (tune, 5-fold held out, mean over 5 fold
    # seeds: abstention recall less false abstentions 0.756 without, 0.771 with)
    whole = [c for c in cands if all(c.signals[m] == 0 for m in MISFITS) and c.signals["value_missing"] == 0]
    best_fit = max((probs[i] for i in fit), default=0.0)
    return {
        "top_logit": _logit(p1),
        "margin": p1 - p2,
        "top_semantic": top["semantic"],
        "top_lexical": top["lexical"],
        "top_align": top["align"],
        "top_align_focus": top["align_focus"],
        "best_align": max(c.signals["align"] for c in cands),
        "best_align_focus": max(c.signals["align_focus"] for c in cands),
        "fit_exists": 1.0 if fit else 0.0,
        "fit_new_value": 1.0 if fit_new else 0.0,
        "fit_logit": _logit(best_fit) if fit else -10.0,
        "fit_semantic": max((cands[i].signals["semantic"] for i in fit), default=0.0),
        "fit_lexical": max((cands[i].signals["lexical"] for i in fit), default=0.0),
        "fit_share": len(fit) / len(cands),
        "fit_align_focus": max((c.signals["align_focus"] for c in whole), default=0.0),
        "top_type_missing": top["type_missing"],
        "top_time_missing": top["time_missing"],
        "top_entity_missing": top["entity_missing"],
        "top_focus_missing": top["focus_missing"],
        "top_kind_missing": top["kind_missing"],
        "top_value_missing": top["value_missing"],
        "top_focus_sentence": top["focus_sentence"],
        "top_rarest_missing": top["rarest_missing"],
        "top_topic_missing": top["topic_missing"],
        "least_topic_missing": min(c.signals["topic_missing"] for c in cands),
        "unknown_name": top["unknown_name"],
        "unknown_terms": top["unknown_terms"],
        "unknown_focus": top["unknown_focus"],
        "best_dense": max(c.signals["dense"] for c in cands),
        "topic_absent": 1.0 if topic_absent(cands) else 0.0,
    }


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
