"""A PDF file to reports: body text in reading order with its footnote markers linked to their
notes, headings, the title page, and the page (and printed page label) of every sentence and note.

Characters, fonts, links, rules, page labels and the outline come from PDFium (chars.py says
why); lines, superscripts and columns from layout.py; body, page-bottom notes and endnote
sections from areas.py; the Document (ingest/document.py) from structure.py and front.py. The
builder all structured formats share (ingest/build.py) makes the reports. A marker is linked
to its note by the link annotation over it when the PDF has one (LaTeX's hyperref, Word's and
LibreOffice's exports do), else to the note with its label on its page or the next ones, else
to the next endnote with its label: a note printed with its number only stays empty and the
next one keeps its own text.

Two shapes keep the text parser's route (the reader writes `[N]` markers and note lines as
text and ingest/report.py parses them): a web page or text file printed to PDF (markers set
as text, several reports in one file), and unnumbered endnotes (aligned to markers by their
words, ingest/endnotes.py, with statuses a Document cannot carry).

Measured (eval/bench/pdf.py, 2 shared cores, load in the closing note of the pdf branch): the
192-page XeLaTeX report in 5 s of CPU (10-15 pages/s on a loaded machine), 960 pages in
118 MiB peak; 1,092 of 1,092 markers with 1,091 notes right (tests/ingest/pdf/test_realworld.py).
"""
from __future__ import annotations

import re
from pathlib import Path

from index.errors import ReportReadError
from ingest.footnotes import make_note
from ingest.model import Report
from ingest.pdf.areas import Areas, split_areas
from ingest.document import TITLE, Block, Document, Mark
from ingest.pdf.chars import Outline, Page, open_pdf, outline, read_page
from ingest.pdf.front import JUNK_INFO, front_matter, later_documents
from ingest.pdf.structure import body_blocks, doc_notes, link_marks, to_blocks, to_notes
from ingest.pdf.layout import Line, document_gutters, page_lines
from ingest.pdf.notes import RawNote, numbered_notes, section_notes
from ingest.pdf.pages import PageText, assign_pages
from ingest.pdf.text import Edges, breaks_paragraph, join, line_text, spaced
from ingest.report import attach_notes, reports_of
from ingest.split import Segment, split_segments

_PRINTED_MARKER = re.compile(r"\[\d{1,4}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]|<sup>")
MAX_PAGES = 2000                # one PDF; a longer one is refused (the byte limit applies too)


def read_pages(path: Path) -> tuple[list[Page], list[list[Line]], dict, list[Outline]]:
    """Every page (links, rules, label) with its lines, the document information and the
    outline, or ReportReadError naming the file (encrypted, damaged, no pages, too many, no
    text layer). A page's characters are dropped once its lines are made: memory holds lines
    (about a tenth of the characters' size), so a 1,000-page file fits."""
    pdf = open_pdf(path, MAX_PAGES)
    pages: list[Page] = []
    lines: list[list[Line]] = []
    found: list[list[float]] = []            # each page's gutters, of the pages with rows enough to show them
    few: list[tuple[int, list[dict]]] = []   # pages of too few rows without gutters: the document's may part them
    total = unmapped = 0
    try:
        for i in range(len(pdf)):
            page = read_page(pdf, i)
            total += len(page.chars) + page.unmapped
            unmapped += page.unmapped
            layout = page_lines(page.number, page.chars, page.width, page.links)
            lines.append(layout.lines)
            if layout.few_rows and not layout.gutters:
                few.append((i, page.chars))
            elif not layout.few_rows:
                found.append(layout.gutters)
            page.chars = []
            pages.append(page)
        gutters = document_gutters(found)
        for i, chars in few if gutters else []:
            layout = page_lines(pages[i].number, chars, pages[i].width, pages[i].links, gutters)
            if layout.gutters:
                lines[i] = layout.lines
        info = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        toc = outline(pdf)
        if any(p.raised for p in pages):
            _on_trimmed_pages(pages, lines, toc)
    except ReportReadError:
        raise
    except Exception as e:  # noqa: BLE001 - a page PDFium cannot decode
        raise ReportReadError(path, f"damaged PDF, cannot be read ({type(e).__name__})") from None
    finally:
        pdf.close()
    if total and unmapped > total / 10:
        # fonts without a Unicode map: the text layer holds glyph numbers, not letters
        raise ReportReadError(path, "text layer unreadable (fonts without Unicode maps); OCR is not supported")
    if not any(lines):
        raise ReportReadError(path, "no text layer: scanned PDF? OCR is not supported")
    return pages, lines, info, toc


def _on_trimmed_pages(pages: list[Page], lines: list[list[Line]], toc: list[Outline]) -> None:
    """Places a link or a bookmark points at, measured from the top of the page it points to:
    PDFium gives them from that page's sheet, whose top a trimmed page's stands below (chars.py
    `_crop_corner`)."""
    def moved(page: int, y: float | None) -> float | None:
        return y + pages[page - 1].raised if y is not None and 0 < page <= len(pages) else y

    for ln in (ln for page_lines_ in lines for ln in page_lines_):
        for p in ln.pieces:
            if p.target is not None:
                p.target = (p.target[0], moved(*p.target))
    for entry in toc:
        entry.y = moved(entry.page, entry.y)


def read_document(path: Path, source: str) -> Document:
    """One PDF as a Document (ingest/document.py), or ReportReadError naming it."""
    pages, lines, info, toc = read_pages(path)
    return document_of(lines, pages, info, toc, source)


def document_of(lines: list[list[Line]], pages: list[Page], info: dict, toc: list[Outline], source: str,
                areas: Areas | None = None, printed: dict[int, str] | None = None) -> Document:
    if areas is None:
        printed = {}
        areas = split_areas(lines, [p.height for p in pages], [p.rules for p in pages], printed, producer(info))
    front = front_matter(areas.body, areas.size, areas.edges, info, lines[0] if lines else [],
                         pages[0].height if pages else 0.0)
    paras = body_blocks([ln for ln in areas.body if id(ln) not in front.masthead], areas, front.kinds, toc)
    foot, end, pointed = doc_notes(areas, paras)
    doc = Document(source=source, blocks=to_blocks(paras, link_marks(paras, foot, end, pointed)),
                   notes=to_notes(foot, end),
                   title=front.title, date=front.date, time=front.time, authors=front.authors,
                   publisher=front.publisher)
    doc.page_labels = page_labels(pages, printed or {})
    _one_title_block(doc)
    doc.parts = later_documents(doc.blocks)
    if doc.parts:
        doc.issue_date = doc.date
    return doc


def _one_title_block(doc: Document) -> None:
    """The title's lines as one TITLE block that reads as the title (a form's "Title: …" cell
    with its value going on below, beside other fields: the title, not the row)."""
    at = [i for i, b in enumerate(doc.blocks) if b.kind == TITLE]
    if not at or not doc.title:
        return
    first = doc.blocks[at[0]]
    marks = [Mark(min(m.pos, len(doc.title)), m.label, m.note) for i in at for m in doc.blocks[i].marks]
    doc.blocks[at[0]] = Block(TITLE, doc.title, marks=marks, pages=first.pages[:1])
    doc.blocks = [b for i, b in enumerate(doc.blocks) if i not in at[1:]]


def page_labels(pages: list[Page], printed: dict[int, str]) -> dict[int, str]:
    """{page: printed number} where it differs from the page index: the labels the PDF
    declares, else the bare page numbers printed in its running lines."""
    declared = {p.number: p.label for p in pages if p.label}
    labels = declared or printed
    return {k: v for k, v in labels.items() if v != str(k)}


def read_pdf(path: Path, source: str) -> tuple[list[Report], list[str]]:
    """Reports of one PDF and the titles of teasers skipped, or ReportReadError naming it.

    A PDF whose markers are set as superscripts (or that has none) is read by its layout into
    a Document, which the builder every structured format shares turns into reports
    (ingest/build.py). A web page or text file printed to PDF writes its markers as text
    ("[12]", its notes as "[12] https://…" lines) and may hold several reports: it is read as
    the text it prints, by the text parser."""
    pages, lines, info, toc = read_pages(path)
    if printed_text(lines):
        return parse_lines(lines, [p.height for p in pages], [p.rules for p in pages], info, source)
    printed: dict[int, str] = {}
    areas = split_areas(lines, [p.height for p in pages], [p.rules for p in pages], printed, producer(info))
    if any(n.number is None for _, ls in areas.sections for n in section_notes(ls, areas.edges, areas.vocab)):
        # unnumbered endnotes: the text parser aligns them to the markers by their words and
        # says which it cannot place (ingest/endnotes.py); a Document has no such status
        return parse_lines(lines, [p.height for p in pages], [p.rules for p in pages], info, source, areas)
    from ingest.build import reports_from_document

    return reports_from_document(document_of(lines, pages, info, toc, source, areas, printed))


def producer(info: dict) -> str:
    """What wrote the PDF, from its document information: "Creator; Producer"."""
    return "; ".join(str(info.get(k) or "") for k in ("Creator", "Producer"))


def printed_text(lines: list[list[Line]]) -> bool:
    """No superscript marker anywhere, and bracketed numbers in the text: the text shape."""
    if any(p.marker for page in lines for ln in page for p in ln.pieces):
        return False
    return any(_PRINTED_MARKER.search(ln.plain) for page in lines for ln in page)


def parse_lines(pages: list[list[Line]], heights: list[float], rules: list[list[tuple[float, float, float]]],
                info: dict, source: str, areas: Areas | None = None) -> tuple[list[Report], list[str]]:
    """The reports of lines written as the text parser's text (a printed web page, unnumbered endnotes)."""
    areas = areas or split_areas(pages, heights, rules, producer=producer(info))
    body, foot, section, size, edges, vocab = (areas.body, areas.foot, areas.section, areas.size, areas.edges,
                                               areas.vocab)
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
    if not is_title and title_info and not JUNK_INFO.match(title_info):
        is_title = _norm(head) == _norm(title_info)
    if is_title:
        seg.title = re.sub(r"\s+", " ", re.sub(r"\[\d{1,3}\]", "", head)).strip()
        seg.body_lines = seg.body_lines[first + 1:]
    author = str(info.get("Author") or "").strip()
    if not seg.authors and author and not JUNK_INFO.match(author):
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
