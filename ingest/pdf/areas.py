"""A document's lines sorted into body text and notes.

Running headers, footers and page numbers out (ingest/pdf/layout.py); the page-bottom note
area of each column (ingest/pdf/notes.py `footnote_area`), and an endnotes section after a
"Notes" heading, or Word's, without one, after the body's last line. What is left is the body,
in reading order across pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.pdf.layout import ROMANS, Line, drop_running_lines
from ingest.pdf.notes import NOTES_HEADING, footnote_area, note_label, opens_note, under_rule
from ingest.pdf.text import Edges, Vocabulary, body_size, vocabulary


@dataclass
class Areas:
    body: list[Line]            # reading order, all pages
    foot: list[Line]            # page-bottom note lines, reading order
    section: list[Line]         # the endnotes sections' lines, one after the other
    sections: list[tuple[Line | None, list[Line]]]  # each endnotes section: its heading (None: unheaded), its lines
    size: float                 # the body text's type size
    edges: Edges
    vocab: Vocabulary


def split_areas(pages: list[list[Line]], heights: list[float], rules: list[list[tuple[float, float, float]]],
                printed: dict[int, str] | None = None, producer: str = "") -> Areas:
    """`printed` receives the bare page numbers found in the running lines; `producer`: the PDF's
    Creator and Producer information (what wrote it tells whether its line-end hyphens were typed)."""
    pages = drop_running_lines(pages, heights, printed)
    _left_column_pages(pages)
    _roman_markers([ln for p in pages for ln in p])
    every = [ln for p in pages for ln in p]
    size = body_size(every)
    edges = Edges.of(every, size)
    vocab = vocabulary(every, producer)
    body, foot, trailing = _note_areas(pages, heights, rules, size)
    body, sections = _endnotes_sections(body, size, footnoted=any(opens_note(ln, None) is not None for ln in foot))
    if trailing and not sections:
        sections = [(None, foot[-trailing:])]
        foot = foot[:-trailing]
    return Areas(body, foot, [ln for _, lines in sections for ln in lines], sections, size, edges, vocab)


def _note_areas(pages: list[list[Line]], heights: list[float], rules: list[list[tuple[float, float, float]]],
                size: float) -> tuple[list[Line], list[Line], int]:
    """(body lines, page-bottom note lines, how many of the last note lines are endnotes), the lines
    in reading order. Endnotes without a heading (Word's, under a separator like a footnote's) are
    note lines that follow the body's last line to the document's end, fill a page of their own at
    least or stand pages after note 1's marker, and open with note 1 (or i)."""
    body: list[Line] = []
    foot: list[Line] = []
    after_body = 0              # foot lines before the body's last line
    # notes numbered by superscripts in small type: a plain number opening small type is text; a number hung
    # before a line (a figure's raised label, as often as a note's number) does not tell
    sup_only = any(ln.leading_marker is not None and not ln.hung and ln.size < 0.9 * size
                   and ln.leading_marker not in ROMANS for lines in pages for ln in lines)
    ruled = any(under_rule(run, _rules_over(run, rl), size, h, sup_only=sup_only) is not None
                for lines, h, rl in zip(pages, heights, rules) for run in _column_runs(lines))
    continuing = False          # the last note so far may go on (the page before ended in notes)
    unfinished = False          # ... and its last line ran to the margin: it does go on
    for lines, h, rl in zip(pages, heights, rules):
        runs = _column_runs(lines)
        for r, run in enumerate(runs):          # two columns may each end in their own notes
            k = footnote_area(run, _rules_over(run, rl), size, h, continuing or unfinished, ruled, sup_only)
            if k == len(run) and r > 0 and _notes_under_columns(run, runs[:r], size):
                k = 0
            if 0 < k < len(run) and NOTES_HEADING.match(run[k - 1].plain):
                k = len(run)            # notes under a "Notes" heading: an endnotes section (_endnotes_sections)
            if unfinished and k < len(run):
                # a note's rest is set above the next notes, maybe pages later (LibreOffice):
                # the small type right above them that opens no note
                while (k > 0 and run[k - 1].size < 0.9 * size and opens_note(run[k - 1], None) is None
                       and 0 <= run[k].top - run[k - 1].bottom < 1.2 * run[k].size):
                    k -= 1
            body += run[:k]
            if k:
                after_body = len(foot)
            foot += run[k:]
            if k < len(run):
                continuing = True
                last = run[-1]
                unfinished = last.x1 > max(ln.x1 for ln in run[k:]) - 2 * last.size and not re.search(
                    r"[.!?)\]”\"]$", last.plain)
            else:
                continuing = False
    trailing = foot[after_body:]
    first = note_label(trailing[0].leading_marker) if trailing and trailing[0].leading_marker else None
    if first not in ("1", "i"):
        return body, foot, 0
    # endnotes, not the last page's footnotes: they fill a page of their own, or note 1's marker is pages
    # before them (a footnote stands at most two pages after its marker)
    cited = [ln.page for ln in body for p in ln.pieces[1:] if p.marker and note_label(p.text) == first]
    if cited and (any(ln.page > body[-1].page for ln in trailing) or max(cited) < trailing[0].page - 2):
        return body, foot, len(trailing)
    return body, foot, 0


def _notes_under_columns(run: list[Line], above: list[list[Line]], size: float) -> bool:
    """The page's last run, set across its foot under columns, is its notes (a slide's bullets beside a
    table, note 1 under both): all in small type, opened by a raised number that a marker above it on the
    page cites (not a running foot's page number, a figure's "1 million residents")."""
    label = note_label(run[0].leading_marker) if run[0].leading_marker else None
    return (label is not None and any(ln.col for part in above for ln in part)
            and all(ln.size < 0.9 * size for ln in run)
            and any(p.marker and note_label(p.text) == label for part in above for ln in part for p in ln.pieces[1:]))


def _roman_markers(lines: list[Line]) -> None:
    """A raised roman numeral is a note's number when the lines it opens are numbered i, ii, iii... in
    turn (Word's footnotes beside its endnotes), and a marker in the text where such a note opens: else
    it is a letter ("x" raised to "i"; a table's notes lettered a to y, among them i, v and x), read as
    text, before the notes are looked for."""
    opened = {ln.leading_marker for ln in lines if ln.leading_marker in ROMANS}
    valid = opened if opened == set(ROMANS[:len(opened)]) else set()
    for ln in lines:
        for p in ln.pieces:
            if p.marker and p.text in ROMANS and p.text not in valid:
                p.marker = False


def _rules_over(run: list[Line], rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """The page's rules across the column of `run`."""
    x0, x1 = min(ln.x0 for ln in run), max(ln.x1 for ln in run)
    return [r for r in rules if r[1] >= x0 - 5 and r[2] <= x1 + 5]


def _endnotes_sections(body: list[Line], size: float, footnoted: bool = False
                       ) -> tuple[list[Line], list[tuple[Line, list[Line]]]]:
    """(body, endnotes sections): a section is a "Notes" heading line after some text with
    markers, and the lines after it up to the next such heading or the next line set larger
    than the body (a chapter's title: notes at the end of each chapter). A section that is not
    the document's last must open with a numbered note. `footnoted`: the document has numbered notes
    at the page foot; then "References" over entries no number opens is its bibliography, part of
    the text, not its notes."""
    first_marker = next((i for i, ln in enumerate(body) if any(p.marker for p in ln.pieces)
                         or re.search(r"\[\d{1,4}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]", ln.plain)), len(body))
    heads = [i for i in range(first_marker + 1, len(body))
             if NOTES_HEADING.match(body[i].plain) and not any(p.marker for p in body[i].pieces)]
    if not heads:
        return body, []
    sections: list[tuple[int, int]] = []
    for k, i in enumerate(heads):
        stop = heads[k + 1] if k + 1 < len(heads) else len(body)
        j = next((j for j in range(i + 1, stop) if body[j].size >= 1.15 * size and opens_note(body[j], None) is None), stop)
        first = body[i + 1] if i + 1 < j else None
        if footnoted and _BIBLIOGRAPHY.match(body[i].plain) and not any(
                opens_note(ln, None) is not None for ln in body[i + 1:min(j, i + 6)]):
            continue
        if j == len(body) or (first is not None and opens_note(first, None) is not None):
            sections.append((i, j))
    if not sections:
        return body, []
    out: list[Line] = []
    last = 0
    for i, j in sections:
        out += body[last:i]
        last = j
    out += body[last:]
    return out, [(body[i], body[i + 1:j]) for i, j in sections]


_BIBLIOGRAPHY = re.compile(r"^\s*(?:references|bibliography|works cited|sources)\s*:?\s*$", re.I)


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
