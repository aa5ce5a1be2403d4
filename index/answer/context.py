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
PARTS = ("title", "section", "prev")     # what is folded in (chosen on the tune split, see docs/quality.md)


def prefix(*, title: str = "", section: str = "", prev: str = "") -> str:
    """The text put before a passage: "Title. Section. Previous sentence. " ("" when none)."""
    parts = []
    given = {"title": title, "section": section.replace(" > ", ". ") if section else "", "prev": _cut(prev)}
    for part in (given[p] for p in PARTS):
        part = " ".join(part.split())
        if part and part not in parts:
            parts.append(part if part[-1] in ".!?:;\"”’)" else part + ".")
    return " ".join(parts) + " " if parts else ""


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_PREV:
        return text
    cut = text[-MAX_PREV:]
    return cut[cut.find(" ") + 1:] if " " in cut else cut        # its end is what leads into the passage


def embedded(text: str, *, title: str = "", section: str = "", prev: str = "") -> tuple[str, int]:
    """The passage as it is read for its vector, and where its own text starts in that."""
    p = prefix(title=title, section=section, prev=prev)
    return p + text, len(p)


def embedded_texts(report: Any, passages: Sequence[Any]) -> list[str]:
    """What ingest embeds of each passage of a report (ingest.model's Report and Passages): its
    text read with its context: the report's title, the headings it stands under, the sentence
    before it (for a note passage: the sentence that carries its marker, what the note backs)."""
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
        out.append(embedded(p.text, title=report.title, section=section, prev=prev)[0])
    return out
