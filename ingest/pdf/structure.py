"""A PDF's body lines and notes as a Document (ingest/document.py): blocks in reading order,
markers linked to their notes, pages and page labels.

What each body line is, in this order of evidence:
- front matter: the title page, or the title, date, time and byline lines above the first
  paragraph of page 1 (ingest/pdf/front.py);
- a contents line: under a "Contents" heading while lines end in page numbers (a multi-line
  entry ends in one), a line with dot leaders, or a line almost wholly covered by a link to
  another page (hyperref's and Word's linked tables of contents);
- a heading: a line the document outline (bookmarks) points at whose text is the entry's
  title, over one to three lines, at the entry's depth; else a short standalone paragraph set
  bold or larger than the body that does not end like a sentence, at the depth its type takes
  among the outline's headings (or by size when there is no outline);
- otherwise body text, joined into paragraphs (ingest/pdf/text.py).

A marker is a superscript number or symbol (ingest/pdf/layout.py); in a redacted passage the
markers may stand alone on a line of small type ("891 892"), which is read as markers too. A
marker links to its note by its link annotation when it has one (the note that starts where
the link points), else to the note with its label on its page or the pages after (page-bottom
notes), else to the next unused endnote with its label.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from index.text.quotations import introduces_quotation
from ingest.document import (CONTENTS, FRONT, HEADING, PARAGRAPH, TITLE, Block, DocNote, Mark, in_quotation_marks,
                             only_redacted, take_links)
from ingest.pdf.areas import Areas
from ingest.pdf.chars import Outline
from ingest.pdf.layout import HEADING_LEADING, Line, Piece
from ingest.pdf.notes import RawNote, note_label, numbered_notes, section_notes
from ingest.pdf.text import BULLET, ENUMERATOR, Edges, breaks_paragraph, join, opens_item

_CONTENTS_HEADING = re.compile(r"^\s*(?:table\s+of\s+contents|contents|list\s+of\s+(?:figures|tables|illustrations)"
                               r"|inhalt(?:sverzeichnis)?|table\s+des\s+mati[eè]res|sommaire)\b", re.I)
# a box that lists a short paper's sections without page numbers ("IN THIS BRIEFING" over "➢ Introduction", …)
_BOX_HEADING = re.compile(r"^\s*in\s+this\s+(?:briefing|brief|issue|paper|report|edition|study|chapter)\s*:?\s*$", re.I)
_LEADERS = re.compile(r"(?:[.·…_]\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,7})\s*$", re.I)
_ENDS_IN_PAGE = re.compile(r"(?:\d{1,4}|(?:\s|^)[ivxlc]{1,7})\s*$", re.I)
_MARKER_LINE = re.compile(r"^\d{1,4}(?:[ ,]+\d{1,4})*$")
# A table's or figure's caption: "Table 1. …", "Figure A-2: …", "Exhibit 3 …"
_CAPTION = re.compile(r"^(?:table|figure|fig\.|exhibit|chart|map|graph|box)\s+[A-Z]?-?\d+(?:[.\-\u2013]\d+)*[a-z]?"
                      r"(?:[.:\-\u2013\u2014]|\s)", re.I)
SMALLER = 0.95            # type this much smaller than the body's: a table's rows, a figure's source lines


@dataclass
class _Mark:
    """A marker found in a line's text: where it stands and what it links to."""

    pos: int
    label: str
    target: tuple[int, float | None] | None


@dataclass
class _Para:
    kind: str
    lines: list[Line]
    text: str = ""
    marks: list[_Mark] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    level: int = 0
    heading_key: int | None = None      # the outline entry it came from
    ends: int = 0                       # the level of a table's or figure's caption whose section it ends


# ------------------------------------------------------------------ one line's text and markers
def line_content(line: Line) -> tuple[str, list[_Mark]]:
    """The line's text (spaces folded, ends trimmed, soft hyphens inside it dropped) and its
    markers with their offsets in that text."""
    out: list[str] = []
    marks: list[_Mark] = []
    length = 0
    for p in line.pieces:
        if p.marker:
            label = str(int(p.text)) if p.text.isdecimal() else p.text.strip()
            if label:
                marks.append(_Mark(length, label, p.target))
            continue
        for ch in p.text:
            if ch in " \t\u00a0\u2009\u202f\u2007":
                if length == 0 or out[-1] == " ":
                    continue
                ch = " "
            out.append(ch)
            length += 1
    while out and out[-1] == " ":
        out.pop()
        length -= 1
    text = "".join(out)
    if "\u00ad" in text[:-1]:
        keep = [i for i, ch in enumerate(text) if ch != "\u00ad" or i == len(text) - 1]
        new_pos = {old: new for new, old in enumerate(keep)}
        for m in marks:
            m.pos = next((new_pos[i] for i in range(m.pos, len(text)) if i in new_pos), len(keep))
        text = "".join(text[i] for i in keep)
    for m in marks:
        m.pos = min(m.pos, len(text))
    return text, marks


def _as_markers(line: Line, body_size: float, last: int | None) -> bool:
    """A line of small type holding only numbers (markers whose text was redacted): its
    numbers become marker pieces, when a link points each at a note or they go on from the
    last marker (`last`) in order. True when it did."""
    if any(p.marker for p in line.pieces) or line.size >= 0.9 * body_size or not _MARKER_LINE.match(line.plain):
        return False
    numbers = [int(n) for n in re.findall(r"\d+", line.plain)]
    linked = all(p.target is not None for p in line.pieces if p.text.strip())
    in_order = last is not None and all(a < b for a, b in zip([last] + numbers, numbers)) and numbers[-1] <= last + 20
    if not (linked or in_order):
        return False
    pieces: list[Piece] = []
    for p in line.pieces:
        for tok in re.findall(r"\d+|\D+", p.text):
            if tok.isdigit():
                pieces.append(Piece(tok, marker=True, target=p.target))
            else:
                pieces.append(Piece(" "))
    line.pieces = pieces
    return True


# ------------------------------------------------------------------ contents lines
def _link_share(line: Line, own_page: int) -> float:
    """The share of the line's text under links to another page."""
    total = linked = 0
    for p in line.pieces:
        if p.marker:
            continue
        n = len(p.text.strip())
        total += n
        if p.target is not None and p.target[0] != own_page:
            linked += n
    return linked / total if total else 0.0


def contents_lines(lines: list[Line], headings: set[int]) -> set[int]:
    """ids of table-of-contents (or list-of-figures) lines. `headings`: ids of lines known to
    be headings, where a contents region ends."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        text = ln.plain
        if _LEADERS.search(text) or (_link_share(ln, ln.page) > 0.8 and _ENDS_IN_PAGE.search(text)):
            out.add(id(ln))
        if _BOX_HEADING.match(text):
            out.add(id(ln))
            j = i + 1                   # its entries: short lines, each a bullet and a section's name
            while (j < len(lines) and BULLET.match(lines[j].plain) and len(lines[j].plain) < 80
                   and not lines[j].plain.rstrip().endswith(".") and id(lines[j]) not in headings):
                out.add(id(lines[j]))
                j += 1
            i = j
            continue
        if _CONTENTS_HEADING.match(text) and len(text) < 60:
            out.add(id(ln))
            j = i + 1
            while j < len(lines):
                # an entry ends in a page number; up to three lines of its type before it continue it
                end = None
                for k in range(j, min(j + 4, len(lines))):
                    x = lines[k]
                    if id(x) in headings or (k > j and abs(x.size - lines[j].size) > 0.1 * x.size):
                        break
                    if _ENDS_IN_PAGE.search(x.plain) or _CONTENTS_HEADING.match(x.plain) or _link_share(x, x.page) > 0.8:
                        end = k
                        break
                if end is None:
                    break
                out.update(id(x) for x in lines[j:end + 1])
                j = end + 1
            i = j
            continue
        i += 1
    # continuation lines of linked entries: a line between two contents lines, itself linked
    for a, b, c in zip(lines, lines[1:], lines[2:]):
        if id(a) in out and id(c) in out and id(b) not in out and _link_share(b, b.page) > 0.5:
            out.add(id(b))
    return out


# ------------------------------------------------------------------ headings from the outline
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”„\"]", '"', text)
    return re.sub(r"[^\w]+", "", text)


def _strip_enumerator(text: str) -> str:
    return ENUMERATOR.sub("", text, count=1)


def outline_headings(lines: list[Line], outline: list[Outline]) -> dict[int, tuple[int, int, int | None]]:
    """{id(line): (outline entry index, level, cut)} for the lines that print an outline entry's
    title; `cut`, on a line that goes on after the title (a run-in heading), is how many letters
    and digits of the line belong to the title."""
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    found: dict[int, tuple[int, int, int | None]] = {}
    for k, entry in enumerate(outline):
        want = _norm(_strip_enumerator(entry.title))
        if not want:
            continue
        cands = by_page.get(entry.page, [])
        if entry.y is not None:
            cands = [ln for ln in cands if ln.bottom >= entry.y - 2]
        for i, ln in enumerate(cands[:12]):
            if id(ln) in found:
                continue
            have = _norm(_strip_enumerator(ln.plain))
            if not have or not want.startswith(have[:max(8, len(have) // 2)]) and not have.startswith(want):
                continue
            group = [ln]
            acc = have
            before = 0
            for nxt in cands[i + 1:i + 4]:
                if len(acc) >= len(want) or id(nxt) in found:
                    break
                more = _norm(nxt.plain)
                if not more or not want.startswith(acc + more[:min(len(more), 6)]):
                    break
                group.append(nxt)
                before = len(acc)
                acc += more
            if len(acc) >= 0.8 * len(want) and (want.startswith(acc) or acc.startswith(want)):
                cut = None
                if len(acc) > len(want) + 2:
                    # the last line goes on after the title; a first line keeps its enumerator
                    skipped = len(_norm(group[-1].plain)) - len(_norm(_strip_enumerator(group[-1].plain)))
                    cut = len(want) - before + (skipped if len(group) == 1 else 0)
                    at, plain = _cut(group[-1].plain, cut), group[-1].plain
                    if 0 < at < len(plain) and plain[at - 1].isalnum() and plain[at].isalnum():
                        # the title stops inside a word: a bookmark cut short (GAO's, at 60 characters:
                        # "… between Accountabil"), no run-in heading; the heading's next lines are its rest.
                        # One holding a sentence's end marks a paragraph, no heading: it stays a paragraph
                        if re.search(r"[.!?]\s+[A-Z]", entry.title):
                            break
                        cut = None
                        group += _rest_of_heading(group[-1], cands[i + len(group):i + len(group) + 3], found)
                for g in group:
                    found[id(g)] = (k, entry.level, None)
                if cut is not None:
                    found[id(group[-1])] = (k, entry.level, cut)
                break
    return found


def _rest_of_heading(last: Line, following: list[Line], found: dict) -> list[Line]:
    """The lines after `last` set as it is and as close under it as a heading's lines are."""
    out: list[Line] = []
    for ln in following:
        if (id(ln) in found or ln.col != last.col or abs(ln.size - last.size) > 0.05 * last.size
                or ln.top - last.bottom > HEADING_LEADING * last.size):
            break
        out.append(ln)
        last = ln
    return out


def _cut(text: str, letters: int) -> int:
    """The offset in `text` after its first `letters` letters and digits (as _norm counts them)."""
    n = 0
    for i, ch in enumerate(text):
        n += len(_norm(ch))
        if n >= letters:
            return i + 1
    return len(text)


def _style(para: _Para) -> tuple[float, bool]:
    return (round(max(ln.size for ln in para.lines), 1), all(ln.bold for ln in para.lines))


def _looks_like_heading(para: _Para, body_size: float) -> bool:
    """Short, standalone, bold or larger than the body, not ending like a sentence (a bold
    one-line sentence on its own is a run-in section title: "Efforts to curtail the
    investigation.")."""
    text = para.text
    if not text or len(text) > 200 or len(para.lines) > 3 or not re.search(r"[^\W\d_]", text):
        return False
    words = text.split()
    figures = sum(1 for w in words if re.search(r"\d", w))
    if figures >= 3 and 2 * figures >= len(words):     # a table's bold row: "ITA units 613.0 611.0 611.0"
        return False
    if BULLET.match(para.lines[0].plain):       # a list's item, however large its type (a briefing slide's)
        return False
    size, bold = _style(para)
    if re.search(r"[,;:]$", text) or (text.endswith(".") and not (bold and len(para.lines) == 1 and len(text) < 120)):
        return bool(re.search(r"\b(?:[A-Z]|[IVX]+|\d+)\.$", text)) and (bold or size >= 1.12 * body_size)
    return bold or size >= 1.12 * body_size


# ------------------------------------------------------------------ body lines to blocks
def body_blocks(lines: list[Line], areas: Areas, front: dict[int, str], outline: list[Outline]) -> list[_Para]:
    """Blocks in reading order. `front`: {id(line): FRONT or TITLE} from the front matter."""
    last: int | None = None
    for ln in lines:
        if ln.hung:                          # a number hung before a line of the text: a figure's label, not
            for p in ln.pieces:              # a marker (a marker follows what it marks; notes' numbers hang)
                if p.marker:
                    p.marker = False
                    break
        _as_markers(ln, areas.size, last)
        labels = [p.text for p in ln.pieces if p.marker and p.text.isdecimal()]
        if labels:
            last = int(labels[-1])
    rest = [ln for ln in lines if id(ln) not in front]
    headed = outline_headings([ln for ln in rest if not _LEADERS.search(ln.plain)], outline)
    contents = contents_lines(rest, set(headed))
    headed = {k: v for k, v in headed.items() if k not in contents}
    paras: list[_Para] = []
    prev: Line | None = None
    for ln in lines:
        kind = front.get(id(ln)) or (CONTENTS if id(ln) in contents else None)
        key = headed.get(id(ln))
        text, marks = line_content(ln)
        if not text and not marks:
            continue
        if kind is None and key is not None and key[2] is not None:
            # a run-in heading: the title, then the paragraph it opens
            at = _cut(text, key[2])
            head, rest = text[:at].rstrip(), text[at:].lstrip()
            cur = paras[-1] if paras else None
            if cur is not None and cur.kind == HEADING and cur.heading_key == key[0]:
                cur.text = join(cur.text, head, prev, ln, areas.edges, areas.vocab) if cur.text else head
                cur.lines.append(ln)
            else:
                paras.append(_Para(HEADING, [ln], head, [], [(0, ln.page)], key[1], key[0]))
            shift = len(text) - len(rest)
            paras.append(_Para(PARAGRAPH, [ln], rest, [_Mark(max(0, m.pos - shift), m.label, m.target) for m in marks],
                               [(0, ln.page)]))
            prev = ln
            continue
        if kind is None and key is not None:
            kind = HEADING
        kind = kind or PARAGRAPH
        cur = paras[-1] if paras else None
        same = (cur is not None and cur.kind == kind and prev is not None
                and (kind != HEADING or cur.heading_key == (key[0] if key else None)))
        if same and kind in (PARAGRAPH, FRONT, CONTENTS):
            same = not breaks_paragraph(prev, ln, areas.edges) and not (
                not cur.text and cur.marks) and not (not text and marks)
            if kind == CONTENTS and same:
                same = not _ENDS_IN_PAGE.search(prev.plain)
        if same and kind == TITLE:
            same = True
        if not same:
            bullet = BULLET.match(text)
            if bullet and kind == PARAGRAPH:        # a list item's bullet is layout, not text
                text = text[bullet.end():]
                for m in marks:
                    m.pos = max(0, m.pos - bullet.end())
            cur = _Para(kind, [ln], heading_key=key[0] if key else None, level=key[1] if key else 0)
            cur.text = text
            cur.marks = marks
            cur.pages = [(0, ln.page)]
            paras.append(cur)
        else:
            joined = join(cur.text, text, prev, ln, areas.edges, areas.vocab) if cur.text and text else (
                cur.text or text)
            shift = len(joined) - len(text)
            for m in cur.marks:
                m.pos = min(m.pos, len(joined) if text else m.pos)
            for m in marks:
                m.pos += shift
            if ln.page != cur.pages[-1][1]:
                cur.pages.append((shift, ln.page))
            cur.text = joined
            cur.marks += marks
            cur.lines.append(ln)
        prev = ln
    _style_headings(paras, areas.size)
    _caption_ends(paras, areas.size)
    _quotations(paras, areas.edges)
    return paras


def _set_apart(p: _Para, edges: Edges) -> float | None:
    """How far a paragraph is indented when it is set apart as a block quotation: every line
    indented alike from the left margin (the first maybe by the paragraph indent more), by
    other than the paragraph indent (the right margin set in too, as LaTeX's quote and Word's
    Quote style do, or not, as APA's and Chicago's block quotations), no bullet or number
    opening it and no lower-case word (a clause of the report's own list). None for any other
    paragraph."""
    left = edges.left.get(p.lines[0].col)
    if left is None or any(ln.col != p.lines[0].col for ln in p.lines) or p.text[:1].islower():
        return None
    if opens_item(p.lines[0]):
        return None
    ins = [ln.x0 - left for ln in p.lines]
    d, size = ins[-1], p.lines[-1].size
    if d < 0.8 * size or abs(d - edges.indent) <= 1 or any(abs(i - d) > 0.5 for i in ins[1:]):
        return None
    if abs(ins[0] - d) > 0.5 and not (edges.indent and abs(ins[0] - d - edges.indent) <= 1):
        return None
    return d


def _quotations(paras: list[_Para], edges: Edges) -> None:
    """A block quotation in quotation marks (ingest/document.py): a paragraph set apart
    (`_set_apart`) that the paragraph before introduces (it ends with a colon, "… the
    President suggested that it was "very brave" that Manafort did not "flip":", or a comma),
    or that goes on a quotation so introduced at the same indent. A box, a table's rows or a
    caption set in from the margins is introduced by nothing and stays the report's own."""
    prev: _Para | None = None
    prev_in: float | None = None        # how far the paragraph before is set apart (None: not at all)
    prev_quoted = False
    for k, p in enumerate(paras):
        d = _set_apart(p, edges) if p.kind == PARAGRAPH and p.text else None
        if (d is not None and introduces_quotation(p.text) and k + 1 < len(paras) and paras[k + 1].lines
                and opens_item(paras[k + 1].lines[0])):
            d = None                    # the lead-in of a list set in under it ("Their mothers were:" • …)
        quoted = d is not None and prev is not None and prev.kind == PARAGRAPH and (
            prev_in is None and introduces_quotation(prev.text) or prev_quoted and abs(prev_in - d) <= 0.5)
        if quoted:
            marked = in_quotation_marks(p.text)
            if marked is not None:
                p.text, moved = marked
                for m in p.marks:
                    m.pos = moved(m.pos)
                p.pages = [(moved(off) if off else 0, page) for off, page in p.pages]
        prev, prev_in, prev_quoted = p, d, quoted


def _wrapped_headings(paras: list[_Para], candidates: list[_Para], body_size: float) -> list[_Para]:
    """A heading set ragged over two or three lines ("Breastfeeding Rates: Associated with Age," /
    "Education, Marital Status, and Race", a briefing slide's title) stops short of the margin, so its
    lines came out as paragraphs of their own: paragraphs of one style, one under the other at the line
    pitch, at one left edge, the first not ending a sentence, each a heading on its own but for the comma
    its line breaks after, are one heading (merged in `paras`). The candidates, merged."""
    ids = {id(p) for p in candidates}
    out: list[_Para] = []
    for p in paras:
        last = out[-1] if out else None
        if (last is not None and last.kind == PARAGRAPH and p.kind == PARAGRAPH and (id(p) in ids or id(last) in ids)
                and _style(p) == _style(last) and len(last.lines) + len(p.lines) <= 3
                and _wraps_into(last.lines[-1], p.lines[0]) and not re.search(r"[.!?:;]$", last.text)
                and all(_heading_part(x, body_size) for x in (last, p))):
            shift = len(last.text) + 1
            merged = _Para(PARAGRAPH, last.lines + p.lines, f"{last.text} {p.text}",
                           last.marks + [_Mark(m.pos + shift, m.label, m.target) for m in p.marks], last.pages)
            if _looks_like_heading(merged, body_size):
                out[-1] = merged
                ids.add(id(merged))
                continue
        out.append(p)
    paras[:] = out
    return [p for p in out if id(p) in ids]


def _heading_part(para: _Para, body_size: float) -> bool:
    """A heading's line on its own: one, or one but for the comma (or colon) its line breaks after."""
    if _looks_like_heading(para, body_size):
        return True
    cut = para.text.rstrip(",;:")
    return cut != para.text and _looks_like_heading(_Para(para.kind, para.lines, cut), body_size)


def _wraps_into(a: Line, b: Line) -> bool:
    """Line `b` is the next line of `a`'s text block: same page and column, the same left edge, right
    under it at no more than the line pitch of its size."""
    return (a.page == b.page and a.col == b.col and abs(a.x0 - b.x0) < 0.5 * a.size
            and 0 <= b.top - a.bottom <= 0.6 * a.size)


def _style_headings(paras: list[_Para], body_size: float) -> None:
    """Short standalone bold or large paragraphs become headings; their depth comes from the
    outline's headings of the same type, else from the type size among heading styles."""
    levels: dict[tuple[float, bool], list[int]] = {}
    for p in paras:
        if p.kind == HEADING and p.level:
            levels.setdefault(_style(p), []).append(p.level)
    style_level = {st: max(set(v), key=v.count) for st, v in levels.items()}
    candidates = _wrapped_headings(paras, [p for p in paras if p.kind == PARAGRAPH and _looks_like_heading(p, body_size)],
                                    body_size)
    unknown = sorted({_style(p) for p in candidates if _style(p) not in style_level}, key=lambda st: (-st[0], not st[1]))
    deepest = max(style_level.values(), default=0)
    for st in unknown:
        bigger = [lv for (size, bold), lv in style_level.items() if size > st[0] or (size == st[0] and bold and not st[1])]
        style_level[st] = (max(bigger) + 1) if bigger else (deepest + 1 if style_level else 1)
        if not bigger:
            deepest = max(deepest, style_level[st])
    for p in candidates:
        p.kind = HEADING
        p.level = style_level[_style(p)]


def _caption_ends(paras: list[_Para], body_size: float) -> None:
    """A table's or figure's caption is a heading (an outline entry, or bold) whose section is the table:
    its rows, its source and notes lines, set smaller than the body. The first paragraph in the body's
    size after them is the report's text again and ends the caption's section (R48908: "In the enacted
    FY2026 appropriations, …" after Table 2 is under "Budget and Staffing", not under the table)."""
    level, small = 0, False
    for p in paras:
        if p.kind == HEADING:
            level, small = (p.level if p.level and _CAPTION.match(p.text) else 0), False
        elif level and p.kind == PARAGRAPH and p.lines:
            if _style(p)[0] < SMALLER * body_size:
                small = True
            elif small:
                p.ends, level = level, 0


# ------------------------------------------------------------------ notes and the marker -> note links
def doc_notes(areas: Areas, paras: list[_Para]) -> tuple[list[RawNote], list[RawNote], dict[int, Line]]:
    """(page-bottom notes, endnotes, {id(mark): the note line its link points at}); a line
    that a marker's link points at opens a note."""
    pointed = _target_lines(areas.foot + areas.section, [m for p in paras for m in p.marks if m.target])
    starts = {id(ln) for ln in pointed.values()}
    foot = numbered_notes(areas.foot, areas.edges, areas.vocab, starts=starts, links="marked") if areas.foot else []
    end = [n for _, lines in areas.sections if lines
           for n in section_notes(lines, areas.edges, areas.vocab, starts=starts, links="marked")]
    return foot, end, pointed


def _opening_label(line: Line) -> str | None:
    mk = line.leading_marker
    if mk is not None:
        return note_label(mk)
    m = re.match(r"^\s*\[?(\d{1,4})\b", line.plain)
    return str(int(m.group(1))) if m else None


def _target_lines(lines: list[Line], marks: list[_Mark]) -> dict[int, Line]:
    """{id(mark): the line its link points at}. The place a link names is near the top of the
    note's first line (hyperref: one line pitch above its baseline; others: its top or its
    baseline): of the lines within two line pitches, the one that opens with the marker's
    label, else the nearest whose baseline lies below the place."""
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    out: dict[int, Line] = {}
    for m in marks:
        page, y = m.target
        if y is None or page not in by_page:
            continue
        near = [ln for ln in by_page[page] if abs(ln.top - y) < 2 * ln.size]
        same = [ln for ln in near if _opening_label(ln) == m.label]
        if same:
            out[id(m)] = min(same, key=lambda ln: abs(ln.top - y))
            continue
        below = [ln for ln in near if ln.bottom > y + 0.5]
        if below:
            out[id(m)] = min(below, key=lambda ln: abs(ln.top - y))
    return out


def link_marks(paras: list[_Para], foot: list[RawNote], end: list[RawNote], pointed: dict[int, Line]) -> dict[int, str]:
    """{id(mark): note key}: each marker's note. Keys are the notes' indexes in foot + end."""
    notes = foot + end
    key_of = {id(n): f"n{i + 1}" for i, n in enumerate(notes)}
    by_line: dict[int, RawNote] = {}
    for n in notes:
        if n.lines:
            by_line[id(n.lines[0])] = n
    foot_by_label: dict[str, list[RawNote]] = {}
    for n in foot:
        foot_by_label.setdefault(n.number or "", []).append(n)
    end_by_label: dict[str, list[RawNote]] = {}
    for n in end:
        end_by_label.setdefault(n.number or "", []).append(n)
    used: set[int] = set()
    out: dict[int, str] = {}
    for p in paras:
        page_at = _page_finder(p)
        for m in p.marks:
            line = pointed.get(id(m))
            note = by_line.get(id(line)) if line is not None else None
            if note is not None and note.number not in (m.label, "", None):
                note = None                     # the link points at another number's note
            if note is None:
                page = page_at(m.pos)
                cands = [n for n in foot_by_label.get(m.label, []) if id(n) not in used and n.pages
                         and page <= n.pages[0] <= page + 2]
                note = cands[0] if cands else None
            if note is None:
                cands = [n for n in end_by_label.get(m.label, []) if id(n) not in used]
                note = cands[0] if cands else None
            if note is not None:
                used.add(id(note))
                out[id(m)] = key_of[id(note)]
    return out


def _page_finder(p: _Para):
    starts = p.pages

    def page_at(pos: int) -> int:
        page = starts[0][1] if starts else 0
        for off, pg in starts:
            if off <= pos:
                page = pg
        return page
    return page_at


def to_blocks(paras: list[_Para], mark_notes: dict[int, str]) -> list[Block]:
    out = []
    for p in paras:
        marks = [Mark(m.pos, m.label, mark_notes.get(id(m))) for m in p.marks]
        if p.ends:                       # a heading without text ends the caption's section (ingest/build.py)
            out.append(Block(HEADING, "", level=p.ends, pages=list(p.pages[:1])))
        out.append(Block(p.kind, p.text, level=p.level if p.kind == HEADING else 0, marks=marks, pages=list(p.pages)))
    return out


def to_notes(foot: list[RawNote], end: list[RawNote]) -> dict[str, DocNote]:
    out: dict[str, DocNote] = {}
    for i, n in enumerate(foot + end):
        # a link whose label is not its address: the address is a source, not text
        text, links = take_links(re.sub(r"\s+", " ", n.text).strip())
        cut = len(text) - len(text.lstrip())
        text = text.strip()
        if only_redacted(text) and not links:
            text = ""                               # a note redacted to its number, as the HTML edition reads it
        links = [(max(0, min(pos - cut, len(text))), url) for pos, url in links]
        out[f"n{i + 1}"] = DocNote(key=f"n{i + 1}", label=n.number or "", text=text, links=links,
                                   redacted=bool(n.number) and not text and not links, pages=sorted(set(n.pages)))
    return out


__all__ = ["TITLE", "body_blocks", "doc_notes", "link_marks", "to_blocks", "to_notes", "line_content"]
