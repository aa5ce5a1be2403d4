"""Extractive answers: sentences quoted verbatim from retrieved passages, each with its
citation, or an honest abstention with the closest material.

A sentence's score is the share of the question's informative words (IDF-weighted, as
BM25 weighs them) that it contains, plus a little for its passage's rank. The answer is the
best sentence and up to two more that add words of the question the first lacks or come
from another report. The reports "don't say" when the best sentence covers too little of
the question, or the question names a thing (a capitalised name, a number, a year) that no
report contains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.answer import judge

from index.store import lexical
from index.answer.question import Question, question_parts, question_terms
from index.text import words
from index.text.dates import ANY_MONTH, WEEKDAY
from index.text.sentences import split_sentences

MAX_SENTENCES = 4
MAX_PASSAGES = 6
MIN_COVERAGE = 0.10           # chosen on the tune split (was 0.15 on all 100 old questions), see README (Quality)
MAX_UNKNOWN = 0.60            # share of the question's words that no report uses (tune split; was 0.40)
FOLLOW = 0.5                  # a further sentence needs this share of the best one's coverage
OTHER_VIEW = 0.8              # ...and one from another report that adds no word of the question, this share
                              # (was FOLLOW: key facts 0.824 -> 0.835, reading 1,105 -> 1,043 chars on the gold
                              # questions; 0.7 and 0.9 measured too, see README)
MAX_UNKNOWN_FOCUS = 0.99     # ...and when none of its topic words (names aside) occurs in any report: "the weather
                              # in Minsk" (tune split: 0.5 and 0.75 cost false abstentions, 0.99 none)
CLOSEST = 3
KIND_BONUS = 0.1             # a sentence holding what was asked for (a number, a date) ranks first
FIT_BONUS = 1.0              # a sentence that answers the question (index.answer.judge) ranks above one that doesn't
CHECK_FIT = True


@dataclass
class Candidate:
    text: str
    passage_id: str
    report_id: str
    markers: list[str]
    coverage: float
    score: float
    terms: set[str]
    order: tuple[int, int]
    passage: str = ""                 # the passage's text, and its report's title and date:
    title: str = ""                   # what index.answer.judge reads a sentence with
    date: str = ""


_COUNT_WORDS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                          r"fifty|dozens?|hundreds?|thousands?|millions?|billions?|several)\b", re.I)
_CARDINAL = re.compile(r"(?<![\w-])(\d[\d,.]*)(?![\w-])")
_MONTHS = rf"({ANY_MONTH})"
_DATE = re.compile(rf"\b(1[89]|20)\d\d\b|\b({ANY_MONTH})\b|\b({WEEKDAY}|yesterday|today|week|month|year)\b")


def has_count(text: str, question: str = "") -> bool:
    """A quantity: a cardinal that is not a year, not a day of a date, not part of a name
    (M4, S-400, 76th) and not already in the question; or a number word."""
    for m in _CARDINAL.finditer(text):
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


_ADDRESSED = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.]{0,60}\b(instructions?|prompts?|rules|reports?|context|above)\b"
    r"|^\s*(system|assistant|user)\s*:|\byou are (now|an? )\b|\bas an ai\b|\btell the (user|reader)\b", re.I)


def addressed_to_a_machine(text: str) -> bool:
    """Text that talks to an assistant rather than about the world (a prompt injection in a
    report) is never quoted as an answer; it can still be found and shown as a passage."""
    return bool(_ADDRESSED.search(text))


def unknown_things(question: Question, lex: lexical.Lexical | None) -> list[str]:
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


def unknown_share(terms: list[str], lex: lexical.Lexical | None) -> float:
    if lex is None or not terms:
        return 0.0
    return sum(1 for t in terms if t not in lex.vocab) / len(terms)


def sentences_of(passage: dict, report_text: str, sentences: list[tuple[int, int, list[str]]]) -> list[tuple[str, list[str]]]:
    """(verbatim text, markers) of each sentence of a passage."""
    if passage["kind"] == "note":
        text = passage["text"]
        out = []
        for a, b in split_sentences(text):
            seg = text[a:b]
            link = re.search(r"[\s;,]*(?:<?https?://|www\.)", seg)       # the note's links are its sources,
            seg = seg[:link.start()] if link else seg                     # shown under the citation
            if len(seg) > 15:
                out.append((seg, list(passage["markers"])))
        return out
    out = []
    for a, b, markers in sentences:
        if a >= passage["start"] and b <= passage["end"]:
            out.append((report_text[a:b], list(markers)))
    return out or [(passage["text"], list(passage["markers"]))]


def candidates(question: Question, hits: list, snapshot, lex, context: str = "") -> tuple[list[Candidate], list[str]]:
    q = list(question.terms)
    ctx = [t for t in question_terms(context) if t not in q] if context else []
    weights = {t: (lex.idf(t) if lex else 1.0) for t in q}
    weights.update({t: 0.5 * (lex.idf(t) if lex else 1.0) for t in ctx})
    total = sum(weights.values()) or 1.0
    passages = snapshot.passages([h.id for h in hits])
    out: list[Candidate] = []
    texts: dict[str, tuple[str, list]] = {}
    reports: dict[str, dict] = {}
    rank = 0
    for h in hits:
        if rank >= MAX_PASSAGES:
            break
        p = passages.get(h.id)
        if p is None:
            continue
        rid = p["report_id"]
        if rid not in texts:
            texts[rid] = snapshot.report_text(rid)
            reports[rid] = snapshot.reports([rid]).get(rid, {})
        rtext, sents = texts[rid]
        report = reports[rid]
        sentences = sentences_of(p, rtext, sents)
        if any(addressed_to_a_machine(text) for text, _ in sentences):
            continue                 # a passage that talks to the assistant is not evidence at all
        for j, (text, markers) in enumerate(sentences):
            terms = set(words.terms(text))
            cov = sum(w for t, w in weights.items() if t in terms) / total
            out.append(Candidate(text, h.id, rid, markers, cov, cov + 0.12 / (rank + 1), terms & set(weights),
                                 (rank, j), p["text"], report.get("title", ""), report.get("date", "")))
        rank += 1
    return out, q


def choose(cands: list[Candidate]) -> list[Candidate]:
    """The best sentence, the one after it in the same passage (a topic sentence is often
    followed by the detail asked for), then others that add words of the question or
    another report's view."""
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
            if c is not follower and c.coverage < max(MIN_COVERAGE, FOLLOW * best.coverage):
                continue
            same_passage = c.passage_id == best.passage_id
            if not adds and not same_passage and (not other_report or c.coverage < OTHER_VIEW * best.coverage):
                continue
            chosen.append(c)
        seen_text.add(key)
        covered |= c.terms
        if len(chosen) >= MAX_SENTENCES:
            break
    return chosen


def should_abstain(cands: list[Candidate], unknown: list[str], unknown_frac: float, question: Question,
                   unknown_focus: float = 0.0) -> bool:
    if not cands or unknown or unknown_frac > MAX_UNKNOWN or unknown_focus > MAX_UNKNOWN_FOCUS:
        return True
    best = max(c.coverage for c in cands)
    if best < MIN_COVERAGE:
        return True
    # a how-many question answered by no sentence with a number (or a when-question by
    # none with a date) among the close candidates is not answered by the reports
    close = [c for c in cands if c.coverage >= max(MIN_COVERAGE, FOLLOW * best)]
    return not any(has_kind(c.text, question.kind, question.text) for c in close)


@dataclass
class Decision:
    """What to say: quoted sentences citing passages numbered 1..n in `cited` order, or an
    abstention with the closest passages (`cited`, shown as such, never as an answer).
    `unanswered` names the parts of a several-part question that no sentence answers."""

    abstained: bool
    sentences: list[dict]
    cited: list[str]
    unanswered: list[str] = field(default_factory=list)


def decide(question: Question, hits: list, snapshot, lex, *, context: str = "",
           vectors: judge.WordVectors | None = None) -> Decision:
    """The extractive answer to a question from its retrieved passages (`hits`, best first)."""
    closest = Decision(True, [], [h.id for h in hits[:CLOSEST]])
    cands, terms = candidates(question, hits, snapshot, lex, context=context)
    parts = question_parts(question) if CHECK_FIT else [question]
    fitting: set[tuple[str, tuple[int, int]]] = set()
    unanswered = []
    for part in parts:                    # each part of a several-part question on its own
        pc, pterms = (cands, terms) if len(parts) == 1 else candidates(part, hits, snapshot, lex, context=context)
        fits = [] if should_abstain(pc, unknown_things(part, lex), unknown_share(pterms, lex), part,
                                    unknown_share(list(part.focus), lex)) else [
            c for c in pc if not CHECK_FIT or not judge.misfits(part, c.text, c.passage, c.date, c.title,
                                                                 lex=lex, vectors=vectors)]
        if not fits:
            unanswered.append(part.text)
        fitting |= {(c.passage_id, c.order) for c in fits}
    if not fitting:
        return closest                    # no sentence answers any part: the reports don't say
    if len(parts) == 1:
        unanswered = []
    for c in cands:
        if (c.passage_id, c.order) in fitting:
            c.score += FIT_BONUS
    for c in cands:
        if question.kind and has_kind(c.text, question.kind, question.text):
            c.score += KIND_BONUS
    numbers: dict[str, int] = {}
    sentences = []
    for c in choose(cands):
        n = numbers.setdefault(c.passage_id, len(numbers) + 1)
        sentences.append({"text": c.text, "citations": [n], "markers": c.markers})
    return Decision(False, sentences, list(numbers), unanswered)
