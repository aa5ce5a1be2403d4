"""Sentence boundaries in clean report text, as character offsets (never recovered with find)."""
from __future__ import annotations

import re

_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "adm", "st", "jr", "sr",
    "u.s", "u.k", "u.n", "ret", "aka", "e.g", "i.e", "vs", "inc", "co", "corp", "fig",
    "gov", "sen", "rep", "pres", "approx", "est", "ed", "eds", "vol", "pp", "op", "cf",
}
_MONTH_ABBREV = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_LIST_LABEL = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})")
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[•]?[A-Z0-9\u0400-\u042f])")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences in text[start:end]; paragraphs ('\\n') always split."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text[start:end]):
        p0 = start + para.start()
        p1 = start + para.end()
        cur = p0
        segment = text[p0:p1]
        for m in _END.finditer(segment):
            cut = p0 + m.end()
            dot = p0 + m.start()
            word = re.search(r"([\w.]+)$", text[cur:dot])
            token = word.group(1).lower() if word else ""
            if token in _ABBREV or re.fullmatch(r"[a-z]", token) and text[dot - 1].isupper():
                continue
            if token in _MONTH_ABBREV and not text[dot - 1].isupper() and text[cut:cut + 3].strip()[:1].isdigit():
                continue                     # "Sept. 17", but not "since 27 JUL. The"
            if token in ("no", "nos") and text[cut:cut + 2].strip()[:1].isdigit():
                continue
            if cut - cur < 2 or cur == p0 and _LIST_LABEL.fullmatch(text[cur:dot].strip()):
                continue                     # a list item's number opens its sentence ("1. Oversupply …")
            spans.append(_trim(text, cur, cut))
            cur = cut
        if text[cur:p1].strip():
            spans.append(_trim(text, cur, p1))
    return [s for s in spans if s[1] > s[0]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def sentence_of(spans: list[tuple[int, int]], pos: int, text: str, starts: list[int] | None = None) -> int:
    """Index of the sentence a marker at `pos` ends: the last sentence that starts before it.
    Pass `starts` ([a for a, _ in spans], computed once) when calling it for many markers."""
    import bisect

    q = pos
    while q > 0 and text[q - 1].isspace():
        q -= 1
    starts = starts if starts is not None else [a for a, _ in spans]
    return bisect.bisect_left(starts, q) - 1


def sentence_texts(text: str) -> list[str]:
    """The sentences of a plain string (a generated reply, a paragraph), as text."""
    return [text[a:b] for a, b in split_sentences(text)]
