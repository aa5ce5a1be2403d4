"""Which page each sentence of a report came from.

The reader writes a file's text with a page for every span of it; the report parser then
cleans that text (markers out, white space folded), so offsets move. Sentences are found
again by their letters and digits alone, in order, which survives every cleaning step.
"""
from __future__ import annotations

import bisect
import re

from ingest.footnotes import SUPERSCRIPTS
from ingest.model import Report

_MARKER = re.compile(r"\[\d{1,3}\]")


class PageText:
    """Text built piece by piece, each piece on a known page."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.pages: list[int] = []
        self.length = 0

    def add(self, text: str, page: int) -> None:
        if not text:
            return
        self.parts.append(text)
        self.starts.append(self.length)
        self.pages.append(page)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def pages_between(self, a: int, b: int) -> list[int]:
        i = max(0, bisect.bisect_right(self.starts, a) - 1)
        j = max(0, bisect.bisect_right(self.starts, max(a, b - 1)) - 1)
        return sorted(set(self.pages[i:j + 1]))


def _letters(text: str) -> tuple[str, list[int]]:
    keep = [(i, ch) for i, ch in enumerate(text.lower()) if ch.isalnum() and ch not in SUPERSCRIPTS]
    return "".join(ch for _, ch in keep), [i for i, _ in keep]


def assign_pages(reports: list[Report], source: PageText) -> None:
    """Set `pages` on every sentence of `reports` (parsed, in order, from `source.text`)."""
    src = _MARKER.sub(lambda m: " " * len(m.group(0)), source.text)
    norm, pos = _letters(src)
    cursor = 0
    for r in reports:
        for s in r.sentences:
            want, _ = _letters(r.text[s.start:s.end])
            if not want:
                continue
            k = norm.find(want, cursor)
            if k < 0:
                k = norm.find(want)
            if k < 0:
                continue
            s.pages = source.pages_between(pos[k], pos[k + len(want) - 1] + 1)
            cursor = k + len(want)
