"""A PDF's pages as PDFium sees them: characters with their boxes and fonts, links, rules.

The library is pypdfium2 (Apache-2.0/BSD-3, PDFium in the wheel). Measured on a real 192-page
XeLaTeX report (2 shared cores): every character with its origin, font size, weight and name
in about 3.5 s, with the fi/fl ligatures, §, en/em dashes and curly quotes as printed;
pdfplumber (pdfminer.six) needed about 15 s for the same pages' text and dropped the ligatures
("testi ed") and mapped § to "x", – to "{" and — to "|" on that font, because it decodes the
font's encoding itself where PDFium uses the font's own Unicode map and glyph names. PDFium
also marks a line-end hyphen it judged to break a word (`FPDFText_IsHyphen`) and gives link
annotations with their targets (a LaTeX hyperref footnote marker links to its note) and the
document's page labels and outline. PyMuPDF is AGPL and ruled out. No OCR.

Coordinates here are PDF points from the page's top-left corner (y grows downwards), as the
layout code reads them; `bottom` of a character is its baseline.
"""
from __future__ import annotations

import bisect
import ctypes
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ReportReadError

# a font whose name says it is bold (subset prefixes like "ABCDEF+" aside): Computer Modern's
# CMBX12 / CMSSBX10 / CMB10, "LMRoman10-Bold", Word's "Calibri-Bold", "Arial,Bold", "…-Semibold"
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|bx\d|^cmb\d", re.I)
_SPELLED = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st",
              # Word's Symbol and Wingdings bullets land in the private use area
              "\uf0b7": "•", "\uf0a7": "▪", "\uf076": "❖", "\uf0d8": "➢", "\uf0fc": "✓", "\uf0a8": "◦"}
# Adobe's fonts map their old-style figures and small capitals into the private use area ("zero.oldstyle"
# U+F730-F739, "Asmall"-"Zsmall" U+F761-F77A): a book set in them read "in \uf731\uf738\uf733\uf739"
# for "in 1839", and its notes' numbers were no numbers
_SPELLED.update({chr(0xF730 + d): str(d) for d in range(10)})
_SPELLED.update({chr(0xF761 + k): chr(ord("a") + k) for k in range(26)})


@dataclass
class Link:
    """A link annotation: its rectangle and either a web address or a place in the document."""

    x0: float
    top: float
    x1: float
    bottom: float
    uri: str | None = None
    page: int | None = None         # 1-based page of an internal destination
    y: float | None = None          # its height on that page (from the top), when given; from its sheet's
                                    # height on a trimmed page until reader.py `_on_trimmed_pages` moves it


@dataclass
class Page:
    number: int                     # 1-based
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)   # horizontal rules (y, x0, x1)
    label: str = ""                 # the printed page number the PDF declares ("" when none)
    unmapped: int = 0               # characters whose font has no Unicode map
    raised: float = 0.0             # how far its crop box's top stands above its height (a book's trimmed page)


@dataclass
class Outline:
    """One entry of the document outline (bookmarks): a heading's title, depth and place."""

    title: str
    level: int                      # 1 for the top level
    page: int                       # 1-based
    y: float | None                 # from the top of that page, when the entry gives it


def _damaged(path: Path, why: str) -> ReportReadError:
    return ReportReadError(path, f"damaged PDF, cannot be read ({why})")


def open_pdf(path: Path, max_pages: int):
    """The pypdfium2 document, or ReportReadError with one line naming the file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == 4:                           # FPDF_ERR_PASSWORD
            raise ReportReadError(path, "encrypted PDF (a password is needed to read it)") from None
        if code == 5:                           # FPDF_ERR_SECURITY: an unsupported security handler
            raise ReportReadError(path, "encrypted PDF (unsupported security handler)") from None
        raise _why_unreadable(path) from None
    n = len(pdf)
    if n == 0:
        pdf.close()
        raise ReportReadError(path, "PDF has no pages")
    if n > max_pages:
        pdf.close()
        raise ReportReadError(path, f"PDF has {n} pages, over the {max_pages}-page limit for one report file")
    return pdf


_WHY = {"PSEOF": "it ends early", "PDFSyntaxError": "syntax error", "PDFNoValidXRef": "no cross-reference table",
        "PSSyntaxError": "syntax error", "PDFTypeError": "malformed object", "KeyError": "malformed object"}


def _why_unreadable(path: Path) -> ReportReadError:
    """PDFium says only "data format error": pdfminer (already installed for pdfplumber) names
    the damage, or finds a readable file that has no pages."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        with open(path, "rb") as f:
            doc = PDFDocument(PDFParser(f))
            if not any(True for _ in PDFPage.create_pages(doc)):
                return ReportReadError(path, "PDF has no pages")
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        return _damaged(path, _WHY.get(type(e).__name__, type(e).__name__))
    return _damaged(path, "PDFium cannot parse it")


def _text(buf_fn, *args) -> str:
    """A UTF-16LE string from a PDFium getter that takes (…, buffer, length) and returns bytes needed."""
    n = buf_fn(*args, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    buf_fn(*args, buf, n)
    return buf.raw[:n].decode("utf-16-le", errors="replace").rstrip("\x00")


def page_label(pdf, index: int) -> str:
    """The page label the document declares for a 0-based page index, or ""."""
    import pypdfium2.raw as c

    return _text(c.FPDF_GetPageLabel, pdf.raw, index)


def outline(pdf) -> list[Outline]:
    out: list[Outline] = []
    try:
        for b in pdf.get_toc(max_depth=8):
            dest = b.get_dest()
            index = dest.get_index() if dest is not None else None
            if index is None:
                continue
            y = None
            if dest is not None:
                _mode, view = dest.get_view()
                if len(view) >= 2 and view[1]:
                    y = float(pdf.get_page_size(index)[1]) - float(view[1])
            title = re.sub(r"\s+", " ", b.get_title() or "").strip()
            if title:
                out.append(Outline(title, b.level + 1, index + 1, y))
    except Exception:  # noqa: BLE001 - a broken outline is no reason to refuse the text
        return []
    return out


def _links(pdf, page, number: int, top: float, left: float) -> list[Link]:
    import pypdfium2.raw as c

    out: list[Link] = []
    pos = ctypes.c_int(0)
    link = c.FPDF_LINK()
    rect = c.FS_RECTF()
    while c.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
        if not c.FPDFLink_GetAnnotRect(link, rect):
            continue
        lk = Link(min(rect.left, rect.right) - left, top - max(rect.top, rect.bottom),
                  max(rect.left, rect.right) - left, top - min(rect.top, rect.bottom))
        dest = c.FPDFLink_GetDest(pdf.raw, link)
        action = c.FPDFLink_GetAction(link) if not dest else None
        if action:
            kind = c.FPDFAction_GetType(action)
            if kind == c.PDFACTION_URI:
                n = c.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
                if n > 1:
                    buf = ctypes.create_string_buffer(n)
                    c.FPDFAction_GetURIPath(pdf.raw, action, buf, n)
                    lk.uri = buf.value.decode("utf-8", errors="replace").strip() or None
            elif kind == c.PDFACTION_GOTO:
                dest = c.FPDFAction_GetDest(pdf.raw, action)
        if dest:
            index = c.FPDFDest_GetDestPageIndex(pdf.raw, dest)
            if index >= 0:
                lk.page = index + 1
                hx, hy, hz = c.FPDF_BOOL(), c.FPDF_BOOL(), c.FPDF_BOOL()
                x, y, z = c.FS_FLOAT(), c.FS_FLOAT(), c.FS_FLOAT()
                if c.FPDFDest_GetLocationInPage(dest, hx, hy, hz, x, y, z) and hy.value:
                    lk.y = float(pdf.get_page_size(index)[1]) - y.value
        if lk.uri or lk.page:
            out.append(lk)
    return out


def _paths(page, top: float, left: float):
    """Horizontal rules (y, x0, x1): paths (lines or filled rectangles) under 2 points high and
    over 20 wide (a footnote separator is one); short ones, under 1.2 points high and 1 to 12
    wide (TeX draws an underscore as one); and dark filled boxes the height of a line of text
    (top, bottom, x0, x1, a rectangle): redaction bars."""
    import pypdfium2.raw as c

    long, short, boxes = [], [], []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    for obj in page.get_objects(filter=[c.FPDF_PAGEOBJ_PATH], max_depth=2):
        try:
            x0, y0, x1, y1 = obj.get_bounds()
        except Exception:  # noqa: BLE001 - a path without bounds
            continue
        x0, x1 = x0 - left, x1 - left
        if y1 - y0 < 2 and x1 - x0 > 20:
            long.append((top - (y0 + y1) / 2, x0, x1))
        elif y1 - y0 < 1.2 and 1 < x1 - x0 < 12:
            short.append((top - y0, x0, x1))
        elif 4 < y1 - y0 < 30 and x1 - x0 > 1.5 and c.FPDFPath_GetDrawMode(obj.raw, fill, stroke) and fill.value:
            if c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a) and r.value + g.value + b.value < 150 and a.value > 200:
                boxes.append((top - y1, top - y0, x0, x1, _rectangle(obj.raw)))
    return long, short, boxes


def _rectangle(path) -> bool:
    """The path is a rectangle: straight sides only, at most six segments (a logo's letters drawn
    as outlines have curves)."""
    import pypdfium2.raw as c

    n = c.FPDFPath_CountSegments(path)
    return 0 < n <= 6 and all(c.FPDFPathSegment_GetType(c.FPDFPath_GetPathSegment(path, k)) != c.FPDF_SEGMENT_BEZIERTO
                              for k in range(n))


def _ink(chars: list[dict], boxes: list[tuple[float, float, float, float, bool]]) -> None:
    """A redaction bar as a blank character on its line: the line keeps its width (a sentence
    with a redacted stretch is not taken for a short line that ends its paragraph). `rect`: the
    box is a rectangle (ingest/pdf/layout.py reads only those as redactions); `covered`: a printed
    character's middle lies on it (a table's dark header cell under its white words: no redaction,
    whose words are gone)."""
    middles = sorted(((ch["top"] + ch["bottom"]) / 2, (ch["x0"] + ch["x1"]) / 2) for ch in chars if ch["text"].strip())
    ys = [y for y, _ in middles]
    for top, bottom, x0, x1, rect in boxes:
        h = bottom - top
        size = round(h / 0.9, 2)
        covered = any(x0 <= x <= x1 for _, x in middles[bisect.bisect_left(ys, top):bisect.bisect_right(ys, bottom)])
        chars.append({"text": "\u2588", "x0": x0, "x1": x1, "top": top, "bottom": bottom - 0.15 * h,
                      "size": size, "sz1": round(size, 1), "fontname": "", "bold": False, "hyphen": False, "ink": True,
                      "rect": rect, "covered": covered})


def _underscores(chars: list[dict], short: list[tuple[float, float, float]]) -> None:
    """A short rule on a line's baseline in the gap between two of its characters is an
    underscore drawn as a rule ("SCR015_000202"); an underline (under characters) is not."""
    for y, x0, x1 in short:
        row = [ch for ch in chars if abs(ch["bottom"] - y) <= 0.25 * ch["size"] and not ch["text"].isspace()]
        if not row or any(min(ch["x1"], x1) - max(ch["x0"], x0) > 0.4 * (x1 - x0) for ch in row):
            continue
        left = [ch for ch in row if abs(x0 - ch["x1"]) <= 0.3 * ch["size"]]
        right = [ch for ch in row if abs(ch["x0"] - x1) <= 0.3 * ch["size"]]
        if left and right:
            a, b = min(ch["x1"] for ch in left) - 0.5, max(ch["x0"] for ch in right) + 0.5
            chars[:] = [ch for ch in chars if not (ch.get("generated") and abs(ch["bottom"] - y) <= 0.25 * ch["size"]
                                                   and a <= ch["x0"] <= b)]
            chars.append(dict(left[0], text="_", x0=x0, x1=x1, hyphen=False))


# spacing accents a font may draw over a letter as a glyph of their own, and the combining marks they stand for
_ACCENTS = {"\u02c6": "\u0302", "^": "\u0302", "\u00b8": "\u0327", "\u02dc": "\u0303", "~": "\u0303",
            "\u00a8": "\u0308", "\u00b4": "\u0301", "`": "\u0300", "\u02c7": "\u030c", "\u02d8": "\u0306",
            "\u02da": "\u030a", "\u00af": "\u0304", "\u02d9": "\u0307", "\u02dd": "\u030b", "\u02db": "\u0328"}


def _accents(chars: list[dict]) -> list[dict]:
    """Accents drawn over a letter as glyphs of their own joined to it: "Ageˆncia Nacional de Aviac¸a˜o
    Civil" (each accent's box inside the letter's, just before or after it) reads "Agência Nacional de
    Aviação Civil". An accent with a place of its own ("don´t") stays as printed."""
    out: list[dict] = []
    skip = -1
    for k, ch in enumerate(chars):
        if k == skip:
            continue
        mark = _ACCENTS.get(ch["text"])
        if mark is not None:
            mid = (ch["x0"] + ch["x1"]) / 2
            for j in (k - 1, k + 1):
                base = out[-1] if j == k - 1 and out else (chars[j] if j == k + 1 and j < len(chars) else None)
                if (base is not None and len(base["text"]) == 1 and base["text"].isalpha()
                        and base["x0"] - 0.5 <= mid <= base["x1"] + 0.5 and abs(base["size"] - ch["size"]) < 0.5):
                    joined = unicodedata.normalize("NFC", base["text"] + mark)
                    if len(joined) == 1:
                        if j == k - 1:
                            out[-1] = dict(base, text=joined)
                        else:
                            out.append(dict(base, text=joined))
                            skip = j
                        break
            else:
                out.append(ch)
            continue
        out.append(ch)
    return out


def _crop_corner(page, width: float, height: float) -> tuple[float, float]:
    """The crop box's left and top in the page's own space: what a viewer shows. A book exported with
    its printer's marks trims a 6 by 9 inch page out of a letter sheet (crop box 90-522 by 72-720):
    its characters are placed on the sheet, and read against the trimmed page's height they stood
    29 points above its top, its page numbers outside the band where running lines are looked for.
    A rotated page keeps the sheet's own corner."""
    try:
        if page.get_rotation() == 0:
            left, bottom, right, top = (float(v) for v in page.get_cropbox())
            if abs((right - left) - width) < 1 and abs((top - bottom) - height) < 1:
                return left, top
    except Exception:  # noqa: BLE001 - a page without a readable crop box is read on its sheet
        pass
    return 0.0, height


def read_page(pdf, index: int) -> Page:
    """One page's characters (with the spaces PDFium infers between words; its line ends left
    out: the layout decides), its links and rules."""
    import pypdfium2.raw as c

    page = pdf[index]
    try:
        width, height = float(page.get_width()), float(page.get_height())
        left, top = _crop_corner(page, width, height)
        trimmed = left != 0 or top != height        # else text off the page is read as before (a viewer hides it)
        out = Page(index + 1, width, height, label=page_label(pdf, index), raised=top - height)
        textpage = page.get_textpage()
        try:
            raw = textpage.raw
            n = c.FPDFText_CountChars(raw)
            box = c.FS_RECTF()
            ox, oy = ctypes.c_double(), ctypes.c_double()
            fonts: dict[tuple[float, int, int], tuple[str, bool, bool]] = {}
            name_buf = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            chars = out.chars
            last_key, last_x, upright = None, None, True
            angle_at: tuple | None = None       # (baseline, font) where the rotation was last read
            get_unicode, get_size, get_font = c.FPDFText_GetUnicode, c.FPDFText_GetFontSize, c.FPDFText_GetFontInfo
            get_box, get_origin, is_generated = c.FPDFText_GetLooseCharBox, c.FPDFText_GetCharOrigin, c.FPDFText_IsGenerated
            get_matrix, matrix = c.FPDFText_GetMatrix, c.FS_MATRIX()
            for k in range(n):
                u = get_unicode(raw, k)
                if u in (0x20, 0x0D, 0x0A) and is_generated(raw, k):
                    # a space PDFium infers between words is kept (it measures gaps by advance
                    # widths, which italic overhangs do not fool); its line ends are not
                    if u == 0x20 and chars and chars[-1]["text"] != " ":
                        get_origin(raw, k, ox, oy)
                        prev = chars[-1]
                        x = max(prev["x0"] + 0.001, min(prev["x1"], ox.value - left - 0.01))
                        chars.append(dict(prev, text=" ", x0=x, x1=x, hyphen=False, generated=True))
                        last_key = None
                    continue
                hyphen = u in (0x02, 0xFFFE)        # a hyphen PDFium judged to break a word at the line end
                if hyphen:
                    u = 0x2D
                elif u in (0x0D, 0x0A) or u == 0:
                    continue
                size = get_size(raw, k)
                if size <= 0:
                    continue
                # the font operator's size scaled by the character's matrix: a PDF that sets every font
                # at 1 point and scales its text matrix (the US Government Publishing Office's, through
                # iText) reads as 1-point type throughout otherwise, its superscripts as big as its body
                if get_matrix(raw, k, matrix):
                    size *= math.hypot(matrix.c, matrix.d) or 1.0
                # the font told apart by its name's length and its flags (one call, no copy):
                # "LiberationSans" and "LiberationSans-Bold" report the same weight
                key = (size, get_font(raw, k, None, 0, flags), flags.value)
                get_box(raw, k, box)                # x: the origin and the advance width
                get_origin(raw, k, ox, oy)
                font = fonts.get(key)
                if font is None:
                    nb = get_font(raw, k, name_buf, 256, flags)
                    name = name_buf.value.decode("latin-1", errors="replace") if nb else ""
                    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
                    font = (name, bool(_BOLD_NAME.search(name)) or c.FPDFText_GetFontWeight(raw, k) >= 600,
                            c.FPDFText_HasUnicodeMapError(raw, k) == 1)
                    fonts[key] = font
                if font[2]:
                    out.unmapped += 1               # a font without a Unicode map: glyph numbers, not letters
                    continue
                y = oy.value
                if angle_at != (y, key):            # a rotated run changes its baseline at every letter
                    angle = c.FPDFText_GetCharAngle(raw, k)             # radians, 0 to 2π; -1: unknown
                    upright = angle < 0 or min(angle, 6.283185 - angle) < 0.02
                    angle_at = (y, key)
                if not upright:
                    continue                        # rotated text: a margin stamp, an axis label
                ch = chr(u)
                text = _SPELLED.get(ch, ch)
                if (key == last_key and ox.value == last_x and chars and text.isalpha() and chars[-1]["text"].isalpha()
                        and abs(max(box.left, box.right) - left - chars[-1]["x1"]) < 0.01):
                    chars[-1]["text"] += text       # PDFium spells a ligature glyph as letters in one box
                    continue
                last_key, last_x = key, ox.value
                base = top - y
                x0, x1 = box.left - left, box.right - left
                if x1 < x0:
                    x0, x1 = x1, x0
                if x1 <= x0 and u != 0x20:
                    x0, x1 = ox.value - left, ox.value - left + 0.25 * size
                if trimmed and (base < 0 or base - 0.8 * size > height or x1 < 0 or x0 > width):
                    continue                        # outside the crop box: a printer's slug, not on the page
                size = round(size, 2)
                chars.append({"text": text, "x0": x0, "x1": x1, "top": base - 0.8 * size, "bottom": base,
                              "size": size, "sz1": round(size, 1), "fontname": font[0], "bold": font[1],
                              "hyphen": hyphen})
        finally:
            textpage.close()
        if any(ch["text"] in _ACCENTS for ch in out.chars):
            out.chars = _accents(out.chars)
        out.links = _links(pdf, page, index + 1, top, left)
        out.rules, short, boxes = _paths(page, top, left)
        if short:
            _underscores(out.chars, short)
        if boxes:
            _ink(out.chars, boxes)
        return out
    finally:
        page.close()
