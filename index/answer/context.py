"""What a passage is read with: its report's title, the headings it stands under and the
sentence before it, folded in front of its own text.

A passage cut from the middle of a report often names neither its subject nor its time ("The
exercise's fictional enemy, Veyshnoriya, ...": the exercise is named in the sentence before).
The same prefix serves ingest (the passage vector, `ingest/passage_splitter.py`) and the
answer (each sentence's vector is pooled from its passage read with this prefix,
`index/answer/semantic.py`).
"""
from __future__ import annotations

import bisect
from typing import Any, Sequence

MAX_PREV = 300          # characters of the previous sentence kept (a long one is cut at a word)
ALL = ("title", "section", "prev")
# What a sentence is read with when the answer scores it (index/answer/semantic.py), and what
# ingest folds into a passage's vector. Measured on the tune split of every corpus (docs/quality.md):
# folded into the passage vectors, the context cost retrieval (hit@5 0.842 plain, 0.837 with the
# title, 0.823 with the sentence before, 0.823 both; pooled from the passage's own tokens only
# 0.818-0.828), so ingest embeds the passage alone.
SENTENCE_PARTS = ALL
PASSAGE_PARTS: tuple[str, ...] = ()


def prefix(*, title: str = "", section: str = "", prev: str = "", parts: Sequence[str] = ALL) -> str:
    """The text put before a passage: "Title. Section. Previous sentence. " ("" when none)."""
    out: list[str] = []
    given = {"title": title, "section": section.replace(" > ", ". ") if section else "", "prev": _cut(prev)}
    for part in (given[p] for p in parts):
        part = " ".join(part.split())
        if part and part not in out:
            out.append(part if part[-1] in ".!?:;\"”’)" else part + ".")
    return " ".join(out) + " " if out else ""


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_PREV:
        return text
    cut = text[-MAX_PREV:]
    return cut[cut.find(" ") + 1:] if " " in cut else cut        # its end is what leads into the passage


def embedded(text: str, *, title: str = "", section: str = "", prev: str = "",
             parts: Sequence[str] = ALL) -> tuple[str, int]:
    """The passage read with its context, and where its own text starts in that."""
    p = prefix(title=title, section=section, prev=prev, parts=parts)
    return p + text, len(p)


def embedded_texts(report: Any, passages: Sequence[Any], parts: Sequence[str] | None = None) -> list[str]:
    """What ingest embeds of each passage of a report (ingest.model's Report and Passages): its
    text read with the context `parts` (default PASSAGE_PARTS): the report's title, the headings
    it stands under, the sentence before it (for a note passage: the sentence that carries its
    marker, what the note backs)."""
    parts = PASSAGE_PARTS if parts is None else parts
    if not parts:
        return [p.text for p in passages]
    out = []
    sents = report.sentences
    ends = [s.end for s in sents]
    for p in passages:
        if p.kind == "note":
            anchor = next((s for s in sents if p.markers and p.markers[0] in s.markers), None)
            prev = report.text[anchor.start:anchor.end] if anchor is not None else ""
            section = getattr(anchor, "section", "") if anchor is not None else ""
        else:
            i = bisect.bisect_right(ends, p.start) - 1
            prev = report.text[sents[i].start:sents[i].end] if i >= 0 else ""
            section = getattr(p, "section", "")
        out.append(embedded(p.text, title=report.title, section=section, prev=prev, parts=parts)[0])
    return out
