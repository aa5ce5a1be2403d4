"""What a question asks for, read once from its wording and shared by retrieval and the answer.

    q = read_question("How many Belarusian tanks arrived on September 17?")
    q.terms      # informative BM25 terms, question filler ("what", "say", "about") out
    q.named      # names and numbers a report must mention to answer ("Belarusian", "17")
    q.kind       # "number" for how-many questions, "date" for when-questions, else None
    q.dates      # (month, day) pairs it names: [(9, 17)]
    q.latest     # it points at the newest report ("latest", "most recent", ...)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.text import words
from index.text.dates import month_days

# Words of the question's form, not its topic. "about", "regarding", "concerning": bm25s's
# 33 stopwords keep them, and "about" is rare enough in the reports to outweigh the topic of
# "what did the reports say about X" (an off-topic question was answered from it).
_FILLER = set(words.terms("what which who whom when where why how did does do happen happened "
                          "report reports reported say said says tell mention mentioned describe "
                          "according document question know isw "
                          "about regarding concerning"))
_NUMBER_Q = re.compile(r"\bhow (many|much|large|big|long|far|often)\b|\bwhat (share|percentage|proportion|number|size)\b"
                       r"|\bhow many\b", re.I)
_DATE_Q = re.compile(r"\b(on )?what (date|day|year)\b|\bwhich (date|day|year)\b|^\s*when\b", re.I)
_LATEST = re.compile(r"\b(latest|most recent|newest|last report|recent(?:ly)?|current(?:ly)?)\b", re.I)


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]
    named: tuple[str, ...]
    kind: str | None
    dates: tuple[tuple[int, int], ...]
    latest: bool


def read_question(text: str) -> Question:
    return Question(text=text, terms=tuple(question_terms(text)), named=tuple(named_things(text)),
                    kind=expected_kind(text), dates=tuple(month_days(text)), latest=bool(_LATEST.search(text)))


def question_terms(text: str) -> list[str]:
    """The informative BM25 terms of a question (or of earlier questions used as context)."""
    seen: dict[str, None] = {}
    for t in words.terms(text):
        if t not in _FILLER:
            seen.setdefault(t, None)
    return list(seen)


def named_things(question: str) -> list[str]:
    """Capitalised words (not the first) and numbers: things a report must mention to answer."""
    tokens = re.findall(r"[\w’'-]+", question)
    out = []
    for i, w in enumerate(tokens):
        if re.fullmatch(r"\d{2,}(?:st|nd|rd|th|s)?", w) or (i > 0 and w[:1].isupper() and len(w) > 2):
            out.append(w)
    return out


def expected_kind(question: str) -> str | None:
    """'number' for how-many questions, 'date' for when questions: an answer must hold one."""
    if _NUMBER_Q.search(question):
        return "number"
    if _DATE_Q.search(question):
        return "date"
    return None
