"""What a passage is read with: its report's title, the headings it stands under and the
sentence before it, folded in front of its own text.

A passage cut from the middle of a report often names neither its subject nor its time ("The
exercise's fictional enemy, Veyshnoriya, ...": the exercise is named in the sentence before).
The same prefix serves ingest (the passage vector, `ingest/passage_splitter.py`) and the
answer (each sentence's vector is pooled from its passage read with this prefix,
`index/answer/semantic.py`).
"""
from __future__ import annotations

MAX_PREV = 300          # characters of the previous sentence kept (a long one is cut at a word)


def prefix(*, title: str = "", section: str = "", prev: str = "") -> str:
    """The text put before a passage: "Title. Section. Previous sentence. " ("" when none)."""
    parts = []
    for part in (title, section.replace(" > ", ". ") if section else "", _cut(prev)):
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
