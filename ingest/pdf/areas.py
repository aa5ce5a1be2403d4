"""A document's lines sorted into body text and notes.

Running headers, footers and page numbers out (ingest/pdf/layout.py); the page-bottom note
area of each column (ingest/pdf/notes.py `footnote_area`), and an endnotes section after a
"Notes" heading. What is left is the body, in reading order across pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.pdf.layout import Line, drop_running_lines
from ingest.pdf.notes import NOTES_HEADING, footnote_area
from ingest.pdf.text import Edges, body_size, vocabulary


@dataclass
class Areas:
    body: list[Line]            # reading order, all pages
    foot: list[Line]            # page-bottom note lines, reading order
    section: list[Line]         # an endnotes section's lines (after its heading)
    heading: Line | None        # the endnotes section's heading line
    size: float                 # the body text's type size
    edges: Edges
    vocab: tuple[set[str], set[str]]


def split_areas(pages: list[list[Line]], heights: list[float], rules: list[list[tuple[float, float, float]]],
                printed: dict[int, str] | None = None) -> Areas:
    """`printed` receives the bare page numbers found in the running lines."""
    pages = drop_running_lines(pages, heights, printed)
    _left_column_pages(pages)
    every = [ln for p in pages for ln in p]
    size = body_size(every)
    edges = Edges.of(every, size)
    vocab = vocabulary(every)
    body, foot = _note_areas(pages, heights, rules, size)
    body, heading, section = _endnotes_section(body)
    return Areas(body, foot, section, heading, size, edges, vocab)


def _note_areas(pages: list[list[Line]], heights: list[float], rules: list[list[tuple[float, float, float]]],
                size: float) -> tuple[list[Line], list[Line]]:
    """(body lines, page-bottom note lines), both in reading order."""
    body: list[Line] = []
    foot: list[Line] = []
    continuing = False
    for lines, h, rl in zip(pages, heights, rules):
        for run in _column_runs(lines):         # two columns may each end in their own notes
            x0, x1 = min(ln.x0 for ln in run), max(ln.x1 for ln in run)
            inside = [r for r in rl if r[1] >= x0 - 5 and r[2] <= x1 + 5]
            k = footnote_area(run, inside, size, h, continuing)
            body += run[:k]
            foot += run[k:]
            continuing = k < len(run)
    return body, foot


def _endnotes_section(body: list[Line]) -> tuple[list[Line], Line | None, list[Line]]:
    """(body, endnotes section): the section is everything after the last "Notes" heading
    line that follows some text with markers (the notes may be most of the document)."""
    first_marker = next((i for i, ln in enumerate(body) if any(p.marker for p in ln.pieces)
                         or re.search(r"\[\d{1,4}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]", ln.plain)), len(body))
    for i in range(len(body) - 1, first_marker, -1):
        if NOTES_HEADING.match(body[i].plain) and not any(p.marker for p in body[i].pieces):
            return body[:i], body[i], body[i + 1:]
    return body, None, []


def _left_column_pages(pages: list[list[Line]]) -> None:
    """A page of a two-column text whose right column is empty (the last page) has no gutter
    of its own: when all its lines sit inside the left column of the other pages, they are
    left-column lines."""
    left = [ln for p in pages for ln in p if ln.col == 1]
    if not left:
        return
    x0, x1 = min(ln.x0 for ln in left), max(ln.x1 for ln in left)
    for lines in pages:
        if lines and all(ln.col == 0 and ln.x0 >= x0 - 2 and ln.x1 <= x1 + 2 for ln in lines):
            for ln in lines:
                ln.col = 1


def _column_runs(lines: list[Line]) -> list[list[Line]]:
    """A page's lines (reading order) cut where the column changes."""
    runs: list[list[Line]] = []
    for ln in lines:
        if runs and runs[-1][-1].col == ln.col:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs
