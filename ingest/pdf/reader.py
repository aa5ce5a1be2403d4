"""A PDF file to reports: body text in reading order with its footnote markers, its notes, and
the page every sentence and note came from.

The library is pdfplumber (MIT, over pdfminer.six, MIT): it gives every character with its
font, size and box, the page's rules and the link annotations, which is what markers
(size and baseline), note areas (a rule, smaller type) and columns need. pypdfium2
(Apache/BSD, faster) gives text and boxes but not font sizes per character as directly;
PyMuPDF is AGPL and ruled out. Nothing is downloaded; no OCR.

The reader writes the same kind of text the text parser reads (`[N]` markers in the body, one
paragraph a line, a blank line where the layout leaves space), so statuses, DNGTS, URLs as
written and the endnote alignment are the text parser's own: notes found by layout are handed
to it as parsed notes, unnumbered endnotes as endnote lines. Pages: ingest/pdf/pages.py.

Speed (tests/ingest/pdf/timing.py, 2 shared cores): 8 pages/s on the test layouts, parsing
0.42 of the time embedding their passages takes; most of it is pdfminer's page rendering and
pdfplumber's per-character objects, not this module. A 492-page PDF: 67 s, 171 MB peak.
"""
from __future__ import annotations

import re
from pathlib import Path

from index.errors import ReportReadError
from ingest.footnotes import make_note
from ingest.model import Report
from ingest.pdf.layout import Line, drop_running_lines, page_lines
from ingest.pdf.notes import NOTES_HEADING, RawNote, footnote_area, numbered_notes, section_notes
from ingest.pdf.pages import PageText, assign_pages
from ingest.pdf.text import Edges, body_size, breaks_paragraph, join, line_text, spaced, vocabulary
from ingest.report import attach_notes, reports_of
from ingest.split import Segment, split_segments

MAX_PAGES = 2000                # one PDF; a longer one is refused (the byte limit applies too)
_WHY = {"PSEOF": "it ends early", "PDFSyntaxError": "syntax error", "PDFNoValidXRef": "no cross-reference table",
        "PSSyntaxError": "syntax error", "PDFTypeError": "malformed object", "KeyError": "malformed object"}
# document information that names the tool or the file, not the report
_JUNK_INFO = re.compile(r"^(?:untitled|anonymous|unknown|user|admin|owner|unspecified|microsoft word\b.*"
                        r"|.*\.(?:docx?|pdf|txt|indd|qxd))$", re.I)


def _damaged(path: Path, e: BaseException) -> ReportReadError:
    name = type(e).__name__
    return ReportReadError(path, f"damaged PDF, cannot be read ({_WHY.get(name, name)})")


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path))
        n = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReportReadError(path, "encrypted PDF (a password is needed to read it)") from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        inner = e.args[0] if e.args and isinstance(e.args[0], Exception) else e   # pdfplumber wraps them
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(inner).lower():
            raise ReportReadError(path, "encrypted PDF (a password is needed to read it)") from None
        raise _damaged(path, inner) from None
    if n == 0:
        pdf.close()
        raise ReportReadError(path, "PDF has no pages")
    if n > MAX_PAGES:
        pdf.close()
        raise ReportReadError(path, f"PDF has {n} pages, over the {MAX_PAGES}-page limit for one report file")
    return pdf


def _rules(page) -> list[tuple[float, float, float]]:
    """Horizontal rules (y, x0, x1): lines, and rectangles thinner than 2 points."""
    out = []
    for ln in page.lines:
        if abs(ln["top"] - ln["bottom"]) < 1 and ln["x1"] - ln["x0"] > 20:
            out.append((ln["top"], ln["x0"], ln["x1"]))
    for r in page.rects:
        if r["height"] < 2 and r["width"] > 20:
            out.append((r["top"], r["x0"], r["x1"]))
    return out


def read_pdf(path: Path, source: str) -> tuple[list[Report], list[str]]:
    """Reports of one PDF and the titles of teasers skipped, or ReportReadError naming it."""
    pdf = _open(path)
    try:
        pages: list[list[Line]] = []
        heights: list[float] = []
        rules: list[list[tuple[float, float, float]]] = []
        unmapped = total = 0
        for i, page in enumerate(pdf.pages):
            links = [a for a in page.hyperlinks if a.get("uri")]
            chars = page.chars
            total += len(chars)
            unmapped += sum(1 for c in chars if c["text"].startswith("(cid:"))
            pages.append(page_lines(i + 1, [c for c in chars if not c["text"].startswith("(cid:")],
                                    float(page.width), links))
            heights.append(float(page.height))
            rules.append(_rules(page))
            page.close()                      # pdfplumber caches objects per page: memory stays flat
        info = dict(pdf.metadata or {})
    except ReportReadError:
        raise
    except Exception as e:  # noqa: BLE001 - a page that pdfminer cannot decode
        raise _damaged(path, e.args[0] if e.args and isinstance(e.args[0], Exception) else e) from None
    finally:
        pdf.close()
    if total and unmapped > total / 10:
        # fonts without a Unicode map: the text layer holds glyph numbers, not letters
        raise ReportReadError(path, "text layer unreadable (fonts without Unicode maps); OCR is not supported")
    if not any(pages):
        raise ReportReadError(path, "no text layer: scanned PDF? OCR is not supported")
    return parse_lines(pages, heights, rules, info, source)


def parse_lines(pages: list[list[Line]], heights: list[float], rules: list[list[tuple[float, float, float]]],
                info: dict, source: str) -> tuple[list[Report], list[str]]:
    pages = drop_running_lines(pages, heights)
    _left_column_pages(pages)
    every = [ln for p in pages for ln in p]
    size = body_size(every)
    edges = Edges.of(every, size)
    vocab = vocabulary(every)
    body, foot = _note_areas(pages, heights, rules, size)
    body, section = _endnotes_section(body)
    notes = numbered_notes(foot, edges, vocab) if foot else []
    endnotes = section_notes(section, edges, vocab) if section else []
    notes += [n for n in endnotes if n.number is not None]
    unnumbered = [n for n in endnotes if n.number is None]

    text = PageText()
    paragraphs = _paragraphs(body, edges, vocab)
    for k, (para, page_spans, gap) in enumerate(paragraphs):
        if k:   # a blank line where the layout leaves one: a tight block (a list of endnotes) stays one
            text.add("\n\n" if gap else "\n", page_spans[0][1])
        for piece, page in page_spans:
            text.add(piece, page)
    segments = split_segments(text.text)
    _metadata(segments, body, size, info)
    attach_notes(segments, [(n.number or "", n.text) for n in notes], [n.text for n in unnumbered])
    reports, skipped = reports_of(segments, source)
    assign_pages(reports, text)
    _note_pages(reports, notes, unnumbered)
    return reports, skipped


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


def _endnotes_section(body: list[Line]) -> tuple[list[Line], list[Line]]:
    """(body, endnotes section): the section is everything after the last "Notes" heading
    line that follows some text with markers (the notes may be most of the document)."""
    first_marker = next((i for i, ln in enumerate(body) if any(p.marker for p in ln.pieces)
                         or re.search(r"\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]", ln.plain)), len(body))
    for i in range(len(body) - 1, first_marker, -1):
        if NOTES_HEADING.match(body[i].plain) and not any(p.marker for p in body[i].pieces):
            return body[:i], body[i + 1:]
    return body, []


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


def _paragraphs(lines: list[Line], edges: Edges, vocab) -> list[tuple[str, list[tuple[str, int]], bool]]:
    """Body lines to paragraphs: (text, [(piece of text, page)], white space above it)."""
    out: list[tuple[str, list[tuple[str, int]], bool]] = []
    prev: Line | None = None
    for ln in lines:
        t = line_text(ln)
        if not t or re.fullmatch(r"[-*•·▪◦]", t):       # an empty list item's bullet is layout
            continue
        if prev is None or breaks_paragraph(prev, ln, edges):
            out.append((t, [(t, ln.page)], prev is not None and spaced(prev, ln, edges)))
        else:
            cur, spans, gap = out[-1]
            joined = join(cur, t, prev, ln, edges, vocab)
            if joined.startswith(cur):
                spans.append((joined[len(cur):], ln.page))
            else:                                         # a line-end hyphen dropped
                last, page = spans[-1]
                spans[-1] = (last[:-1], page)
                spans.append((t, ln.page))
            out[-1] = (joined, spans, gap)
        prev = ln
    return out


def _metadata(segments: list[Segment], body: list[Line], size: float, info: dict) -> None:
    """Title and authors of a PDF whose text does not state them in the text parser's shape:
    the large type at the top of page 1, or the document information when page 1 shows it."""
    if not segments or segments[0].title:
        return
    seg = segments[0]
    first = next((i for i, x in enumerate(seg.body_lines) if x.strip()), None)
    if first is None:
        return
    head = seg.body_lines[first].strip()
    page1 = [ln for ln in body if ln.page == 1]
    big = [ln for ln in page1[:4] if ln.size >= 1.2 * size]
    title_info = str(info.get("Title") or "").strip()
    is_title = bool(big) and head.startswith(big[0].plain[:20]) and len(head) < 250 and not head.endswith(".")
    if not is_title and title_info and not _JUNK_INFO.match(title_info):
        is_title = _norm(head) == _norm(title_info)
    if is_title:
        seg.title = re.sub(r"\s+", " ", re.sub(r"\[\d{1,3}\]", "", head)).strip()
        seg.body_lines = seg.body_lines[first + 1:]
    author = str(info.get("Author") or "").strip()
    if not seg.authors and author and not _JUNK_INFO.match(author):
        page_text = _norm(" ".join(ln.plain for ln in page1))
        if _norm(author) in page_text:
            seg.authors = [a.strip() for a in re.split(r"\s*(?:;|,|\band\b|&)\s*", author) if a.strip()]


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def _note_pages(reports: list[Report], notes: list[RawNote], unnumbered: list[RawNote]) -> None:
    by_number: dict[str, list[list[int]]] = {}
    for n in notes:
        by_number.setdefault(n.number or "", []).append(sorted(n.pages))
    by_text = {make_note("", n.text).text: sorted(n.pages) for n in unnumbered}
    for r in reports:
        for marker, note in r.notes.items():
            if note.text and note.text in by_text:
                note.pages = by_text[note.text]
            elif by_number.get(marker) and note.text:
                note.pages = by_number[marker].pop(0) if len(by_number[marker]) > 1 else by_number[marker][0]
        for note in r.unplaced_notes:
            if note.text in by_text:
                note.pages = by_text[note.text]
