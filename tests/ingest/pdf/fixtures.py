"""PDF and Word fixtures made from the sample reports, by two independent PDF writers.

A small typesetter lays a report out (greedy line breaking, optional hyphenation, one or two
columns, notes at the page bottom under a rule or as an endnotes section, running header and
page-number footer, a note that does not fit continued on the next page) and draws it with
one of two writers: reportlab (BSD) or fpdf2 (LGPL, tests only). Both embed DejaVu Sans
(matplotlib's copy), so curly quotes, Cyrillic and accents are real text.

The report's content comes from the text parser's view of the sample file (its title, time
line, byline, body paragraphs with their markers, and its notes as written): the PDF must
give back what the text gave.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib

from ingest.footnotes import take_markers
from ingest.metadata import parse_byline
from ingest.report import body_paragraphs, build_report
from ingest.split import split_segments
from index.text.dates import MONTHS

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR, BOLD = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
_URL = re.compile(r"(?:https?://|www\.)\S+")
HEAD_IN_NOTE = 13.0                          # the size of a heading inside a note
BAR = "\u2007"                               # a word of these (figure spaces) is set blank under a black bar: redacted


# ------------------------------------------------------------------ what to typeset
@dataclass
class Para:
    runs: list[tuple[str, bool]]             # (text, is a superscript marker)
    size: float = 10.0
    bold: bool = False
    space_before: float = 6.0
    span: bool = False                       # across both columns (the title block)
    inset: tuple[float, float] = (0.0, 0.0)  # set in from the left and right margins (a block quotation)


@dataclass
class Spec:
    paras: list[Para]
    notes: list[tuple[str | None, str]]      # (number or None, text as written)
    notes_mode: str = "foot"                 # foot | foot-norule | end-numbered | end-unnumbered
    columns: int = 1
    gutter: float = 22.0                     # between two columns (LaTeX's twocolumn sets 10 pt)
    header: str = ""                         # running header on every page
    outer_numbers: bool = False              # the page number in the header, on the page's outer side (a book's:
                                             # left of the header on even pages, right of it on odd ones)
    footer: str = "{n}"                      # page-number footer ("" for none)
    hyphenate: bool = False
    link_urls: bool = False                  # link annotations over the URLs in notes
    page: tuple[float, float] = (420.0, 560.0)
    title_info: str = ""                     # the document information Title
    label_links: dict[str, tuple[str, str]] = field(default_factory=dict)   # note -> (label, uri)
    indent: float = 0.0                      # first-line indent of body paragraphs
    note_heads: dict[str, str] = field(default_factory=dict)
    # note -> a heading its text opens with (a note paragraph styled as a heading, which pandoc
    # sets large and bold): the heading cannot stay on the page, so the note's label stands alone
    # at the foot and the heading and the rest go on under the next page's rule


class _Styled(list):
    """A typeset note line set in its own size and weight (a heading inside a note)."""

    size: float = 0.0
    bold: bool = False


def sample_spec(text: str, *, title: str, date: str, **options) -> Spec:
    """The report (title, date) of a sample file's text as a Spec."""
    segs = [s for s in split_segments(text) if s.title == title and s.date == date]
    seg = segs[0]
    paras: list[Para] = []
    if seg.date and not seg.time:            # the date came from a weekday date line: print it
        y, m, d = seg.date.split("-")
        import datetime
        weekday = datetime.date(int(y), int(m), int(d)).strftime("%A")
        paras.append(Para([(f"{weekday}, {MONTHS[int(m) - 1].capitalize()} {int(d)}, {y}", False)],
                          space_before=0, span=True))
    if seg.title:
        paras.append(Para([(seg.title, False)], size=15, bold=True, space_before=0, span=True))
    if seg.time:
        y, m, d = seg.date.split("-")
        paras.append(Para([(f"{MONTHS[int(m) - 1].capitalize()} {int(d)}, {y}, {seg.time}", False)],
                          space_before=4, span=True))
    if seg.authors:
        line = "By " + " and ".join(seg.authors)
        assert parse_byline(line) == seg.authors
        paras.append(Para([(line, False)], space_before=2, span=True))
    for p in body_paragraphs(seg.body_lines):
        marked = take_markers(p)
        runs: list[tuple[str, bool]] = []
        last = 0
        for pos, number in marked.markers:
            runs.append((marked.text[last:pos], False))
            runs.append((number, True))
            last = pos
        runs.append((marked.text[last:], False))
        runs = [r for r in runs if r[0]]
        heading = len(marked.text) < 90 and not re.search(r"[.!?:;\"”’)]$", marked.text)
        paras.append(Para(runs, bold=heading, space_before=8 if heading else 6))
    if seg.endnote_lines:
        notes = [(None, line) for line in seg.endnote_lines]
    else:
        report = build_report(seg, "x")
        notes = [(n.marker, n.text) for n in sorted(report.notes.values(), key=lambda n: int(n.marker))
                 if n.text]
    return Spec(paras=paras, notes=notes, **options)


def printed_text_spec(text: str, **options) -> Spec:
    """A text file printed as it is (a web page saved as PDF): one paragraph a line, the
    markers and note lines as the text writes them (`[1]`, `[1] https://…`).

    Non-breaking spaces become spaces: reportlab writes U+00A0 as a plain space in the text
    layer, so a line break the typesetter avoided there would look like a paragraph's end."""
    paras: list[Para] = []
    blank = False
    for line in text.split("\n"):
        if not line.strip():
            blank = True
            continue
        paras.append(Para([(line.replace("\u00a0", " ").strip(), False)], space_before=6.0 if blank else 0.0))
        blank = False
    return Spec(paras=paras, notes=[], notes_mode="none", **options)


# ------------------------------------------------------------------ the two writers
class ReportlabWriter:
    name = "reportlab"

    def __init__(self, size: tuple[float, float], *, encrypt: str | None = None, title: str = "") -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        for name, path in (("DV", REGULAR), ("DVB", BOLD)):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
        self._metrics = pdfmetrics
        self.buf = io.BytesIO()
        kw = {}
        if encrypt is not None:
            from reportlab.lib.pdfencrypt import StandardEncryption
            kw["encrypt"] = StandardEncryption(encrypt, ownerPassword="owner-" + encrypt, canCopy=0)
        self.c = canvas.Canvas(self.buf, pagesize=size, **kw)
        if title:
            self.c.setTitle(title)
        self.h = size[1]

    def width(self, text: str, size: float, bold: bool) -> float:
        return self._metrics.stringWidth(text, "DVB" if bold else "DV", size)

    def draw(self, x: float, y: float, runs: list[tuple[str, float, float, bool]]) -> None:
        t = self.c.beginText(x, self.h - y)
        for text, size, rise, bold in runs:
            t.setFont("DVB" if bold else "DV", size)
            t.setRise(rise)
            t.textOut(text)
        self.c.drawText(t)

    def rule(self, x0: float, x1: float, y: float) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(x0, self.h - y, x1, self.h - y)

    def bar(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.c.setFillColorRGB(0, 0, 0)
        self.c.rect(x0, self.h - bottom, x1 - x0, bottom - top, stroke=0, fill=1)

    def link(self, x0: float, top: float, x1: float, bottom: float, uri: str) -> None:
        self.c.linkURL(uri, (x0, self.h - bottom, x1, self.h - top), relative=0, thickness=0)

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        from reportlab.lib.utils import ImageReader
        self.c.drawImage(ImageReader(io.BytesIO(png)), x, self.h - y - h, w, h)

    def new_page(self) -> None:
        self.c.showPage()

    def save(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()


class FpdfWriter:
    name = "fpdf2"

    def __init__(self, size: tuple[float, float], *, encrypt: str | None = None, title: str = "") -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt", format=size)
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("DV", "", str(REGULAR))
        self.pdf.add_font("DV", "B", str(BOLD))
        self.pdf.add_page()
        if title:
            self.pdf.set_title(title)
        if encrypt is not None:
            self.pdf.set_encryption(owner_password="owner-" + encrypt, user_password=encrypt)

    def width(self, text: str, size: float, bold: bool) -> float:
        self.pdf.set_font("DV", "B" if bold else "", size)
        return self.pdf.get_string_width(text)

    def draw(self, x: float, y: float, runs: list[tuple[str, float, float, bool]]) -> None:
        for text, size, rise, bold in runs:
            self.pdf.set_font("DV", "B" if bold else "", size)
            self.pdf.text(x, y - rise, text)
            x += self.pdf.get_string_width(text)

    def rule(self, x0: float, x1: float, y: float) -> None:
        self.pdf.set_line_width(0.5)
        self.pdf.line(x0, y, x1, y)

    def bar(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.pdf.set_fill_color(0)
        self.pdf.rect(x0, top, x1 - x0, bottom - top, style="F")

    def link(self, x0: float, top: float, x1: float, bottom: float, uri: str) -> None:
        self.pdf.link(x0, top, x1 - x0, bottom - top, uri)

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        self.pdf.image(io.BytesIO(png), x, y, w, h)

    def new_page(self) -> None:
        self.pdf.add_page()

    def save(self) -> bytes:
        return bytes(self.pdf.output())


WRITERS = {"reportlab": ReportlabWriter, "fpdf2": FpdfWriter}


# ------------------------------------------------------------------ the typesetter
Word = list[tuple[str, bool]]                # pieces: (text, superscript)
SUP_SIZE, SUP_RISE = 0.6, 0.38               # of the line's size


@dataclass
class TypeLine:
    words: list[Word]
    size: float
    bold: bool
    uris: list[str | None] = field(default_factory=list)


def _words(runs: list[tuple[str, bool]]) -> list[Word]:
    words: list[Word] = []
    for text, sup in runs:
        if sup:
            if words:
                words[-1].append((text, True))
            else:
                words.append([(text, True)])
            continue
        parts = re.split(r"( )", text)
        glue = bool(words) and not text.startswith(" ")
        for part in parts:
            if part == " ":
                glue = False
                continue
            if not part:
                continue
            if glue and words:
                words[-1].append((part, False))
            else:
                words.append([(part, False)])
            glue = False
    return words


class Typesetter:
    def __init__(self, writer, spec: Spec) -> None:
        self.w, self.s = writer, spec
        self.pw, self.ph = spec.page
        self.margin = 45.0
        self.top = self.margin + 10
        self.bottom = self.ph - self.margin
        self.gutter = spec.gutter
        self.col_w = (self.pw - 2 * self.margin - (self.gutter if spec.columns == 2 else 0)) / spec.columns
        self.continued: list[tuple[str, int, int]] = []   # (note, page, column) of notes carried on
        self.hyphenated = 0

    # measuring
    def wword(self, word: Word, size: float, bold: bool) -> float:
        return sum(self.w.width(t, size * SUP_SIZE if sup else size, bold) for t, sup in word)

    def break_lines(self, words: list[Word], width: float, size: float, bold: bool,
                    indent: float = 0.0) -> list[list[Word]]:
        lines: list[list[Word]] = []
        cur: list[Word] = []
        used = indent
        space = self.w.width(" ", size, bold)
        queue = list(words)
        while queue:
            word = queue.pop(0)
            ww = self.wword(word, size, bold)
            need = ww + (space if cur else 0)
            if used + need <= width:
                cur.append(word)
                used += need
                continue
            text = "".join(t for t, sup in word if not sup)
            room = width - used - (space if cur else 0)
            if self.s.hyphenate and cur and len(word) == 1 and re.fullmatch(r"[a-z]{9,}", text):
                for cut in range(len(text) - 4, 3, -1):
                    head = text[:cut] + "-"
                    if self.w.width(head, size, bold) <= room:
                        cur.append([(head, False)])
                        queue.insert(0, [(text[cut:], False)])
                        self.hyphenated += 1
                        break
                else:
                    cut = 0
                if cut:
                    lines.append(cur)
                    cur, used = [], 0.0
                    continue
            if ww > width and len(word) == 1:            # a long URL: cut it at the margin
                k = len(text)
                while k > 1 and self.w.width(text[:k], size, bold) > (room if cur else width):
                    k -= 1
                if cur and k < 8 and not all(sup for w in cur for _, sup in w):
                    lines.append(cur)
                    cur, used = [], 0.0
                    queue.insert(0, word)
                    continue
                cur.append([(text[:k], False)])
                queue.insert(0, [(text[k:], False)])
                lines.append(cur)
                cur, used = [], 0.0
                continue
            if cur:
                lines.append(cur)
            cur, used = [word], ww
        if cur:
            lines.append(cur)
        return lines

    def runs_of(self, words: list[Word], size: float, bold: bool) -> list[tuple[str, float, float, bool]]:
        runs: list[tuple[str, float, float, bool]] = []
        for i, word in enumerate(words):
            for j, (t, sup) in enumerate(word):
                if i and j == 0:
                    t = " " + t if not sup else t
                runs.append((t, size * SUP_SIZE if sup else size, size * SUP_RISE if sup else 0.0, bold))
        return runs

    # notes as typeset lines
    def note_lines(self, number: str | None, text: str, width: float, size: float) -> list[list[Word]]:
        words = _words([(text, False)])
        head = self.s.note_heads.get(number or "")
        if head is not None and number is not None:
            lines: list[list[Word]] = [[[(number, True)]]]
            for ln in self.break_lines(_words([(head, False)]), width, HEAD_IN_NOTE, True):
                styled = _Styled(ln)
                styled.size, styled.bold = HEAD_IN_NOTE, True
                lines.append(styled)
            return lines + self.break_lines(words, width, size, False)
        if number is not None:
            if self.s.notes_mode.startswith("end"):
                words.insert(0, [(f"{number}.", False)])
            else:
                words.insert(0, [(number, True)])
        return self.break_lines(words, width, size, False)

    def draw_line(self, x: float, y: float, words: list[Word], size: float, bold: bool, links: bool = False) -> None:
        self.w.draw(x, y, self.runs_of(words, size, bold))
        pos = x
        space = self.w.width(" ", size, bold)
        for i, word in enumerate(words):
            if i:
                pos += space
            ww = self.wword(word, size, bold)
            text = "".join(t for t, _ in word)
            blank = "".join(t for t, sup in word if not sup)
            if blank and not blank.strip(BAR):          # a redaction bar over blank type (a marker may follow it)
                self.w.bar(pos, y - 0.8 * size, pos + self.w.width(blank, size, bold), y + 0.2 * size)
            if not links:
                pos += ww
                continue
            m = _URL.match(text)
            if m and "(.)" not in text and self.s.link_urls:
                self.w.link(pos, y - size, pos + ww, y + 0.25 * size, text.rstrip(";,."))
            for label, (_, uri) in self.s.label_links.items():
                if text == label:
                    self.w.link(pos, y - size, pos + ww, y + 0.25 * size, uri)
            pos += ww

    # pages
    def run(self) -> bytes:
        s = self.s
        page = 1
        lead = 1.25
        foot_size = 8.0
        numbers = {n: t for n, t in s.notes if n is not None}
        placed_notes: set[str] = set()
        carry: list[list[Word]] = []         # note lines continued from the previous page
        foot: list[list[Word]] = []
        col = 0
        y = self.top

        def foot_height(lines_: list[list[Word]]) -> float:
            return (sum((getattr(ln, "size", 0.0) or foot_size) * lead for ln in lines_) + 12) if lines_ else 0.0

        foot_cols: list[list[list[Word]]] = []    # notes of columns already full on this page
        col_top = [self.top]                      # where columns start on this page

        def draw_foot(lines_: list[list[Word]], c: int) -> None:
            fy = self.bottom - foot_height(lines_) + 12
            x = x_of(c)
            if s.notes_mode == "foot":
                self.w.rule(x, x + 80, fy - 9)
            for ln in lines_:
                size = getattr(ln, "size", 0.0) or foot_size
                fy += size * lead
                self.draw_line(x, fy - 2, ln, size, getattr(ln, "bold", False), links=True)

        def furniture() -> None:
            if s.header:
                head_x = self.margin + (30 if s.outer_numbers and page % 2 == 0 else 0)
                self.w.draw(head_x, self.margin - 12, [(s.header, 7.5, 0.0, False)])
                if s.outer_numbers:
                    num_x = self.margin if page % 2 == 0 else self.pw - self.margin - 20
                    self.w.draw(num_x, self.margin - 12, [(str(page), 7.5, 0.0, False)])
            if s.footer:
                self.w.draw(self.pw / 2 - 8, self.ph - 22, [(s.footer.format(n=page), 7.5, 0.0, False)])
            for c, lines_ in enumerate(foot_cols + [foot]):
                if lines_:
                    draw_foot(lines_, c)

        def next_column() -> None:
            nonlocal page, foot, carry, col, y
            if s.columns == 2 and col == 0:
                foot_cols.append(foot)
                foot, carry = list(carry), []
                col, y = 1, col_top[0]
                return
            col_top[0] = self.top
            furniture()
            foot_cols.clear()
            foot = list(carry)
            carry = []
            self.w.new_page()
            page += 1
            col, y = 0, self.top

        def x_of(c: int) -> float:
            return self.margin + c * (self.col_w + self.gutter)

        def place_block(lines: list[list[Word]], size: float, bold: bool, space_before: float,
                        indent: float = 0.0, inset: float = 0.0) -> None:
            nonlocal y, foot, carry
            first = True
            for ln in lines:
                h = size * lead
                new_notes = [t for w in ln for t, sup in w if sup and t in numbers and t not in placed_notes]
                note_ls = [x for n in new_notes for x in self.note_lines(n, numbers[n], self.col_w, foot_size)] \
                    if s.notes_mode.startswith("foot") else []
                gap = space_before if first and y > self.top else 0.0
                def fits(extra: list[list[Word]]) -> bool:
                    return y + gap + h <= self.bottom - foot_height(foot + extra)

                if any(n in s.note_heads for n in new_notes) and not carry and len(note_ls) > 1:
                    split = next(i for i, x in enumerate(note_ls) if isinstance(x, _Styled))
                    carry = note_ls[split:] + carry      # the label stays, the heading goes on
                    self.continued.append((new_notes[-1], page, col))
                    note_ls = note_ls[:split]
                while True:
                    if fits(note_ls):
                        break
                    # the notes do not fit whole: keep their first line(s) here, the rest next page
                    if note_ls and not carry:
                        fit = len(note_ls)
                        while fit > 1 and not fits(note_ls[:fit]):
                            fit -= 1
                        if fits(note_ls[:fit]):
                            carry = note_ls[fit:] + carry
                            self.continued.append((new_notes[-1], page, col))
                            note_ls = note_ls[:fit]
                            break
                    next_column()
                    gap = 0.0
                y += gap + h
                self.draw_line(x_of(col) + inset + (indent if first else 0.0), y, ln, size, bold)
                foot += note_ls
                placed_notes.update(new_notes)
                first = False

        full_w = self.pw - 2 * self.margin
        for p in s.paras:
            if p.span and page == 1 and col == 0:      # the title block, across both columns
                for ln in self.break_lines(_words(p.runs), full_w, p.size, p.bold):
                    y += (p.space_before if y > self.top else 0) + p.size * lead
                    self.draw_line(self.margin, y, ln, p.size, p.bold)
                col_top[0] = y
                continue
            indent = 0.0 if p.bold or any(p.inset) else s.indent
            left, right = p.inset
            lines = self.break_lines(_words(p.runs), self.col_w - left - right, p.size, p.bold, indent)
            place_block(lines, p.size, p.bold, p.space_before, indent, left)
        if s.notes_mode.startswith("end"):
            place_block([[[("Notes" if s.notes_mode == "end-unnumbered" else "Endnotes", False)]]], 12, True, 16)
            for number, text in s.notes:
                place_block(self.note_lines(number, text, self.col_w, 9), 9, False, 5)
        while carry:
            next_column()
        furniture()
        self.pages = page
        return self.w.save()


def build_pdf(spec: Spec, writer: str) -> tuple[bytes, Typesetter]:
    w = WRITERS[writer](spec.page, title=spec.title_info)
    ts = Typesetter(w, spec)
    return ts.run(), ts


# ------------------------------------------------------------------ bad PDFs
def scanned_pdf(writer: str = "reportlab") -> bytes:
    """A page that is only a picture of text (no text layer)."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(img).text((20, 80), "Belarus Warning Update: scanned page", fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    w = WRITERS[writer]((420.0, 560.0))
    w.image(buf.getvalue(), 40, 60, 340, 170)
    return w.save()


def encrypted_pdf(writer: str = "reportlab", password: str | None = "secret") -> bytes:
    """Encrypted with a password to open; with password "" only copying and printing are
    restricted (an owner password), and any reader opens it; None: not encrypted."""
    w = WRITERS[writer]((420.0, 560.0), encrypt=password)
    w.draw(50, 80, [("Lukashenko met Putin in Sochi on September 14, 2020. They agreed on a loan. "
                     "Talks went on.", 10.0, 0.0, False)])
    return w.save()


def damaged_pdf(good: bytes) -> bytes:
    """A PDF cut short in its first object, with its cross-reference table gone."""
    return good[:300] + b"\x00garbage\xff" * 20


ZERO_PAGES = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
              b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
              b"trailer << /Root 1 0 R >>\n%%EOF\n")


# ------------------------------------------------------------------ Word
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_with_document(data: bytes, edit) -> bytes:
    """The .docx with word/document.xml replaced by edit(its XML text)."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            raw = src.read(item.filename)
            z.writestr(item, edit(raw.decode()).encode() if item.filename == "word/document.xml" else raw)
    return out.getvalue()


def docx_bytes(title: str, header: list[str], paras: list[tuple[list[tuple[str, bool]], str]],
               notes: list[tuple[str, str]], *, endnotes: list[tuple[str, str]] = (), author: str = "",
               num_start: int = 1, hyperlinks: dict[str, str] | None = None) -> bytes:
    """A .docx written part by part: body paragraphs (runs of text and footnote references by
    note id, style 'Heading1' or ''), footnotes.xml, endnotes.xml, hyperlinks via the rels."""
    hyperlinks = hyperlinks or {}
    rels = {label: f"rIdL{i}" for i, label in enumerate(hyperlinks)}

    def run(text: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    def runs_with_links(text: str) -> str:
        out, last = [], 0
        for label, rid in rels.items():
            k = text.find(label, last)
            if k >= 0:
                out.append(run(text[last:k]))
                out.append(f'<w:hyperlink r:id="{rid}">{run(label)}</w:hyperlink>')
                last = k + len(label)
        out.append(run(text[last:]))
        return "".join(out)

    body = []
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    if title:
        body.append(f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{run(title)}</w:p>')
    for line in header:
        body.append(f"<w:p>{run(line)}</w:p>")
    for runs, style in paras:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        parts = []
        for text, is_ref in runs:
            if is_ref:
                kind = "endnoteReference" if text.startswith("e") else "footnoteReference"
                parts.append(f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/>'
                             f'</w:rPr><w:{kind} w:id="{text.lstrip("e")}"/></w:r>')
            else:
                parts.append(runs_with_links(text))
        body.append(f"<w:p>{ppr}{''.join(parts)}</w:p>")
    sect = f'<w:sectPr><w:footnotePr><w:numStart w:val="{num_start}"/></w:footnotePr></w:sectPr>'
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}" xmlns:r="{R}" {mc}><w:body>{"".join(body)}{sect}</w:body></w:document>')

    def notes_part(kind: str, items) -> str:
        out = [f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
               f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>']
        for nid, text in items:
            ref = "footnoteRef" if kind == "footnote" else "endnoteRef"
            body_xml = text if text.startswith(("<w:", "<mc:")) else runs_with_links(text)    # raw runs, as given
            out.append(f'<w:{kind} w:id="{nid}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                       f'<w:{ref}/></w:r>{run(" ")}{body_xml}</w:p></w:{kind}>')
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:{kind}s xmlns:w="{W}" xmlns:r="{R}" {mc}>{"".join(out)}</w:{kind}s>')

    rel_xml = "".join(f'<Relationship Id="{rid}" Type="{R}/hyperlink" Target="{escape(hyperlinks[label])}" '
                      f'TargetMode="External"/>' for label, rid in rels.items())
    rels_doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rIdF" Type="{R}/footnotes" Target="footnotes.xml"/>'
                f'<Relationship Id="rIdE" Type="{R}/endnotes" Target="endnotes.xml"/>{rel_xml}</Relationships>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator></cp:coreProperties>')
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/></Types>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("word/document.xml", document)
        z.writestr("word/footnotes.xml", notes_part("footnote", notes))
        z.writestr("word/endnotes.xml", notes_part("endnote", endnotes))
        z.writestr("word/_rels/document.xml.rels", rels_doc)
        for part in ("footnotes", "endnotes"):             # links inside notes resolve through their own rels
            z.writestr(f"word/_rels/{part}.xml.rels", rels_doc)
        z.writestr("docProps/core.xml", core)
    return buf.getvalue()
