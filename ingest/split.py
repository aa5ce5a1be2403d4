"""One file to several report segments: date line, title, time line, byline, body, notes.

A blog dump holds several reports, each opening with a weekday date line. A segment
without a date line still counts when it has a body; a teaser (a title, a byline and a
"Click here to download" line, no body of its own) does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.footnotes import NUMBER, SYMBOL, is_note_line, parse_note_block
from ingest.metadata import TIME_LINE, parse_byline, parse_date_line, parse_time_line
from ingest.model import Note


@dataclass
class Segment:
    title: str = ""
    date: str = ""
    time: str = ""
    authors: list[str] = field(default_factory=list)
    body_lines: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    endnote_lines: list[str] = field(default_factory=list)


def _clean_title(line: str) -> str:
    t = line.replace("\u00a0", " ").strip()
    t = re.sub(r"^#+\s*", "", t)
    t = t.replace("**", "").strip()
    return re.sub(r"\s+", " ", t)


# A Markdown file's first line as a level-1 heading ("# Title") names the document.
_MD_TITLE = re.compile(r"^#\s+\S")


def _looks_like_title(line: str) -> bool:
    t = _clean_title(line)
    return 0 < len(t) < 250 and not t.endswith((".", "?", "!", ";", ",")) and not is_note_line(line)


def split_segments(text: str) -> list[Segment]:
    """Every report-like segment of a file, in file order (teasers included, see is_teaser)."""
    chunks: list[tuple[str, list[str]]] = []
    current: list[str] = []
    date = ""
    for line in text.split("\n"):
        d = parse_date_line(line)
        if d:
            if any(x.strip() for x in current):
                chunks.append((date, current))
            current, date = [], d
            continue
        current.append(line)
    if any(x.strip() for x in current):
        chunks.append((date, current))
    segments: list[Segment] = []
    for date, lines in chunks:
        segments.extend(_parse_chunk(date, lines))
    return segments


def _parse_chunk(date: str, lines: list[str]) -> list[Segment]:
    seg = Segment(date=date)
    idx = [i for i, x in enumerate(lines) if x.strip()]
    pos = 0                                     # index into idx: next header candidate
    if idx:
        first = lines[idx[0]]
        nxt = [lines[i] for i in idx[1:4]]
        has_header_after = any(TIME_LINE.match(x.replace("\u00a0", " ")) or parse_byline(x) for x in nxt[:2])
        if _looks_like_title(first) and not TIME_LINE.match(first.replace("\u00a0", " ")) and (
                date or has_header_after or _MD_TITLE.match(first)):
            seg.title = _clean_title(first)
            pos = 1
    if pos < len(idx):
        d, t = parse_time_line(lines[idx[pos]])
        if d:
            seg.date = seg.date or d
            seg.time = t
            pos += 1
    if pos < len(idx):
        authors = parse_byline(lines[idx[pos]], bare_ok=bool(seg.time))
        if authors:
            seg.authors = authors
            pos += 1
    start = idx[pos] if pos < len(idx) else len(lines)
    rest = lines[start:]
    note_at = next((i for i, x in enumerate(rest) if is_note_line(x)), None)
    leftovers: list[str] = []
    if note_at is None:
        seg.body_lines = rest
        seg.body_lines, seg.endnote_lines = _split_endnotes(rest)
    else:
        seg.body_lines = rest[:note_at]
        seg.notes, leftovers = parse_note_block(rest[note_at:])
    out = [seg]
    if any(x.strip() for x in leftovers):
        out.extend(_parse_chunk("", leftovers))
    return out


_BRACKET = re.compile(rf"\[(?:{NUMBER}|{SYMBOL})\]")
_CITATION = re.compile(r"\b(1[89]|20)\d\d\b|https?://|[“\"”]")


def _split_endnotes(lines: list[str]) -> tuple[list[str], list[str]]:
    """A body with [N] markers and no numbered notes may end in a block of unnumbered
    endnotes: the last run of consecutive non-blank lines, none holding a marker, most of
    at least half of them looking like citations (a year, a link or a quoted title)."""
    from ingest.footnotes import take_markers

    if not any(n for _, n in take_markers("\n".join(lines)).markers):
        return lines, []
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    block = lines[start:end]
    citations = sum(1 for x in block if _CITATION.search(x))
    if len(block) >= 2 and not any(_BRACKET.search(x) for x in block) and 2 * citations >= len(block):
        return lines[:start], [x.strip() for x in block]
    return lines, []


def is_teaser(seg: Segment, body_sentences: int) -> bool:
    """No body of its own: a title and a download link, or too little text to be a report."""
    body = " ".join(seg.body_lines)
    if body_sentences == 0:
        return True                      # a note block (or a header) with no body before it
    if re.search(r"click here to download", body, re.I) and not seg.date:
        return True
    return body_sentences < 3 and not seg.notes
