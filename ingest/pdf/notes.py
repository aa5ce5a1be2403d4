"""Where a PDF's notes are, and the notes themselves.

Page-bottom footnotes: the lines under a short horizontal rule in the lower part of the page,
or, without a rule, the run of lines at the bottom of the page set smaller than the body whose
first line opens with a number. An endnotes section: everything after a heading line "Notes",
"Endnotes", "Footnotes" or "References" in the last part of the document, or, with no heading,
Word's endnotes: small type under the footnotes' separator rule (high on a page, too) from the
body's last line to the document's end, opening with note 1 (ingest/pdf/areas.py).

A note opens with its number: a superscript (digits, or a roman numeral i to xxxix where the
notes are numbered so), or `1.`, `1`, `[1]` at the start of a line followed by words, when
the number follows the previous note's (numbers only rise, some may be absent), or on a line
that a marker's link annotation points at (LaTeX's hyperref links every footnote marker to its
note). A line that does not open a note continues the previous one, also across a page (a note
continued on the next page). A number with nothing after it, followed by a line that opens the
next note, is a note printed with its number only (redacted): it stays empty and never takes
the next note's text. Unnumbered endnotes are split into paragraphs, one note each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.pdf.layout import ROMANS, Line
from ingest.pdf.text import Edges, breaks_paragraph, first_uri, join, last_uri, line_text, link_tail

NOTES_HEADING = re.compile(r"^\s*(?:end\s*notes|endnotes|foot\s*notes|footnotes|notes|references)\s*:?\s*$", re.I)
_NUMBERED = re.compile(r"^\s*\[?(\d{1,4})(?:[\])]|\.(?!\d)|(?=\s))\s*")   # "22.02.2025" opens no note 22
_SYMBOL = re.compile(r"^\s*([*†‡]{1,3})\s*")
_ALONE = re.compile(r"\[?(\d{1,4})[.)\]]?")
MAX_GAP = 20            # a printed note number at most this far after the previous one
MIN_RULE = 40.0         # points: a notes' separator is an inch or two (Word 144, LaTeX 0.4 of the text width)


@dataclass
class RawNote:
    number: str | None              # None for an unnumbered endnote
    text: str
    pages: list[int] = field(default_factory=list)
    top: float = 0.0                # where its first line is on its first page
    redacted: bool = False          # printed with its number only
    lines: list[Line] = field(default_factory=list, repr=False)


def footnote_area(lines: list[Line], rules: list[tuple[float, float, float]], body_size: float,
                  page_height: float, continuing: bool = False, ruled: bool = False, sup_only: bool = False) -> int:
    """Index into a column's `lines` (reading order) where its footnotes begin; len(lines) if
    none. `continuing`: the previous column or page ended in footnotes, so a bottom run of
    small type that opens with no number continues its last note. `ruled`: the document sets a
    rule over its notes (`under_rule` found one on some page), as Word, LaTeX and LibreOffice do
    over a note continued from the page before too: without one, small type at a page's foot
    that opens no note is a figure's or a table's source line ("Source: …"), not a note's rest.
    `sup_only`: the document numbers its notes with superscripts, so small type that opens with a
    plain number ("2018 (83 FR 63561)", the Federal Register's rule text in 8 pt) opens no note."""
    k = under_rule(lines, rules, body_size, page_height, continuing, sup_only)
    if k is not None:
        return k
    # no rule: a bottom run of smaller type whose first line opens with a number
    i = len(lines)
    while i > 0 and lines[i - 1].size < 0.9 * body_size:
        i -= 1
    if continuing and not ruled and i < len(lines):
        return i
    if continuing and i == 0 and any(ln.leading_marker is not None for ln in lines[1:]):
        return 0                # a whole page of notes going on from the page before (Word's endnotes)
    while i < len(lines) and not opens_note(lines[i], None, sup_only):
        i += 1
    return i if i < len(lines) and i > 0 else len(lines)


def under_rule(lines: list[Line], rules: list[tuple[float, float, float]], body_size: float,
               page_height: float, continuing: bool = False, sup_only: bool = False) -> int | None:
    """Index into a column's `lines` where footnotes under a separator rule begin; None if none."""
    # a separator rule: the lowest horizontal line in the lower 2/3 of the page with text below
    # that is not an underline (a rule just under a line's baseline, over its text)
    for y, x0, x1 in sorted(rules, key=lambda r: -r[0]):
        if x1 - x0 < MIN_RULE or any(0 <= y - ln.bottom <= 0.35 * ln.size and ln.x0 < x1 and ln.x1 > x0 for ln in lines):
            continue                # a table cell's border, an underline
        below = [i for i, ln in enumerate(lines) if ln.top >= y - 1 and ln.x0 >= x0 - 2 * ln.size]
        if y < page_height / 3:
            # high on the page: Word's endnotes, under the separator that ends the body (on the page
            # the body ends on, or atop the next), or under the separator of notes continued; only
            # small type under it, opened by a raised note number (a table's rule has rows under it)
            rest = lines[below[0]:] if below else []
            while rest and rest[-1].plain.isdecimal():
                rest = rest[:-1]            # the page's number, left at its foot
            if (rest and all(ln.top >= y - 1 and ln.size < 0.95 * body_size for ln in rest)
                    and (rest[0].leading_marker is not None or continuing)
                    and any(ln.leading_marker is not None for ln in rest)):
                return below[0]
            continue
        if below and all(lines[i].top >= y - 1 for i in range(below[0], len(lines))):
            first = lines[below[0]]
            # notes open with their number, in small type or as a superscript (a numbered
            # paragraph under a table is body text); small type under a rule without a number
            # only goes on with a note from the page (column) before: else it is a table's rows
            small = first.size < 0.95 * body_size
            rest_small = all(ln.size < 0.95 * body_size for ln in lines[below[0]:])
            # a note's rest set as a heading (pandoc makes a note's Heading-styled paragraph one)
            # goes on from the page before when small type follows it and a note opens there;
            # body-size lines under a rule are a table's rows, not a note
            rest = lines[below[0]:]
            then_note = any(ln.size < 0.95 * body_size and opens_note(ln, None, sup_only) for ln in rest[1:]) and all(
                ln.size < 0.95 * body_size or ln.size > 1.15 * body_size for ln in rest)
            if ((small or first.leading_marker is not None) and (opens_note(first, None, sup_only) or _alone_number(first))
                    or (continuing and (rest_small or then_note))):
                return below[0]
    return None


def note_label(mark: str) -> str:
    """A marker's or a note's number as a label: "07" is "7"; "iv" and "*" as printed."""
    return str(int(mark)) if mark.isdecimal() else mark.strip()


def opens_note(line: Line, last: int | None, sup_only: bool = False) -> str | None:
    """The note number that opens this line, or None. With `sup_only` (the document numbers
    its notes with superscripts) a plain number at a line start is text ("15 June 2021")."""
    mk = line.leading_marker
    if mk is not None:
        return note_label(mk)
    m = _NUMBERED.match(line.plain) if not sup_only else None
    # a note's text has words and runs on: "1975 1980 1985" is a chart's axis, "1 U.K.<tab>86.0 Mexico<tab>26.3<tab>…"
    # a table's first row (one wide gap may part two columns of notes read across)
    if m and re.search(r"[^\W\d_]", line.plain[m.end():]) and line.plain.count("\t", m.end()) < 2:
        n = int(m.group(1))
        if last is None and 1800 <= n <= 2099:
            return None         # a year opens a chart's label ("2004 Global Embodied Emissions …"), not notes
        if last is None or last < n <= last + MAX_GAP:
            return str(n)
    m = _SYMBOL.match(line.plain)
    if m and line.plain[m.end():].strip():
        return m.group(1)
    return None


def _strip_number(text: str, number: str | None = None) -> str:
    if number in ROMANS:      # a roman note number: "iv Then …"
        return re.sub(rf"^\s*{number}\.?\s+", "", text, count=1)
    return re.sub(r"^\s*(?:\[\d{1,4}\]|\[?\d{1,4}[\].)]?|[*†‡§¶])\s*", "", text, count=1)


def _note_text(lines: list[Line], k: int, links: bool | str = True) -> str:
    """Line k of a run of note lines as text, a link running over lines judged whole."""
    ln = lines[k]
    prev = lines[k - 1] if k else None
    nxt = lines[k + 1] if k + 1 < len(lines) else None
    carried = link_tail(prev) if prev is not None else None
    if carried is not None and first_uri(ln) != carried[0]:
        carried = None
    continues = nxt is not None and last_uri(ln) is not None and last_uri(ln) == first_uri(nxt)
    return line_text(ln, links=links, carried=carried, continues=continues)


def _alone_number(line: Line) -> bool:
    return bool(_ALONE.fullmatch(line.plain)) or (line.leading_marker is not None and not line.plain)


def _alone(line: Line) -> str | None:
    """The number of a line that is a note number and nothing else (`15.`, a superscript 15)."""
    m = _ALONE.fullmatch(line.plain)
    if m:
        return str(int(m.group(1)))
    if line.leading_marker is not None and not line.plain:
        return note_label(line.leading_marker)
    return None


def numbered_notes(lines: list[Line], edges: Edges, vocab, notes: list[RawNote] | None = None,
                   starts: set[int] | None = None, links: bool | str = True) -> list[RawNote]:
    """Lines of note areas (in reading order, pages in turn) to numbered notes. `notes` holds
    the notes so far: a first line that opens no note continues the last of them. `starts`:
    ids of lines a marker's link points at (each opens a note)."""
    notes = notes if notes is not None else []
    starts = starts or set()
    prev: Line | None = None
    sup_only = any(ln.leading_marker is not None for ln in lines)
    pending: tuple[str, Line] | None = None     # a note number alone on its line (its text may follow)

    def last_number() -> int | None:
        for n in reversed(notes):
            if n.number and n.number.isdecimal():
                return int(n.number)
        return None

    def close_pending() -> None:
        nonlocal pending
        if pending is not None:
            number, ln = pending
            notes.append(RawNote(number, "", [ln.page], ln.top, redacted=True, lines=[ln]))
            pending = None

    for k, ln in enumerate(lines):
        last = last_number()
        alone = _alone(ln)
        if alone is not None and not (id(ln) in starts or not alone.isdigit() or (
                last is None and int(alone) <= MAX_GAP) or (last is not None and last < int(alone) <= last + MAX_GAP)):
            alone = None                        # "2022." alone on a line goes on with a note
        if alone is not None:
            close_pending()                     # two numbers in a row: the first has no text
            pending = (alone, ln)
            prev = ln
            continue
        number = opens_note(ln, last, sup_only)
        if number is None and id(ln) in starts:
            m = _NUMBERED.match(ln.plain)
            number = str(int(m.group(1))) if m else ""
        if number is not None:
            close_pending()
        elif pending is not None:               # the number's text on the next line
            number, first = pending
            pending = None
            text = _note_text(lines, k, links)
            notes.append(RawNote(number, text, [first.page] + ([ln.page] if ln.page != first.page else []),
                                 first.top, lines=[first, ln]))
            prev = ln
            continue
        text = _note_text(lines, k, links)
        if number is not None:
            notes.append(RawNote(number, _strip_number(text, number), [ln.page], ln.top, lines=[ln]))
        elif notes:
            cur = notes[-1]
            cur.text = join(cur.text, text, prev, ln, edges, vocab) if prev is not None else cur.text + " " + text
            cur.redacted = cur.redacted and not cur.text.strip()
            cur.lines.append(ln)
            if ln.page not in cur.pages:
                cur.pages.append(ln.page)
        prev = ln
    close_pending()
    _number_typed_in_text(notes)
    return notes


def _number_typed_in_text(notes: list[RawNote]) -> None:
    """A note printed with its number only, followed on its page by the next number with text,
    and that number printed again on the next note: the text was the first note's, opening
    with a number its writer typed ("1" then "2 These costs…", then the real note "2")."""
    i = 0
    while i + 2 < len(notes):
        a, b, c = notes[i], notes[i + 1], notes[i + 2]
        if (a.redacted and not a.text and a.number and b.number and a.number.isdecimal() and b.number.isdecimal()
                and int(b.number) == int(a.number) + 1 and c.number == b.number and b.text
                and b.pages[:1] == a.pages[-1:]):
            a.text, a.redacted = f"{b.number} {b.text}", False
            a.lines += b.lines
            a.pages += [p for p in b.pages if p not in a.pages]
            del notes[i + 1]
        i += 1


def unnumbered_notes(lines: list[Line], edges: Edges, vocab, links: bool | str = True) -> list[RawNote]:
    """An endnotes section without numbers: one note per paragraph."""
    notes: list[RawNote] = []
    prev: Line | None = None
    for k, ln in enumerate(lines):
        text = _note_text(lines, k, links)
        if prev is None or breaks_paragraph(prev, ln, edges):
            notes.append(RawNote(None, text, [ln.page], ln.top, lines=[ln]))
        else:
            cur = notes[-1]
            cur.lines.append(ln)
            cur.text = join(cur.text, text, prev, ln, edges, vocab)
            if ln.page not in cur.pages:
                cur.pages.append(ln.page)
        prev = ln
    return notes


def section_notes(lines: list[Line], edges: Edges, vocab, starts: set[int] | None = None,
                  links: bool | str = True) -> list[RawNote]:
    """An endnotes section: numbered when most of its paragraphs open with a number, or a third of
    them with numbers that rise one after another (a note set with a hanging indent reads as two
    paragraphs, its first line and the rest)."""
    opening = sum(1 for ln in lines if opens_note(ln, None) is not None)
    paras = len(unnumbered_notes(lines, edges, vocab)) if lines else 0
    rising, last = 0, None
    for ln in lines:
        number = opens_note(ln, last)
        if number is not None and number.isdecimal() and (last is None or last < int(number) <= last + MAX_GAP):
            rising, last = rising + 1, int(number)
    if lines and (opening >= max(1, paras // 2) or rising >= max(5, paras // 3)):
        return numbered_notes(lines, edges, vocab, starts=starts, links=links)
    return unnumbered_notes(lines, edges, vocab, links=links)
