"""Bytes on disk to text: encodings, BOM, line endings, and the files that are not text."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from index.errors import ReportReadError
from ingest.model import ParsedFile

# The version of what reading a file produces: its reports (text, sentences, footnote markers and
# notes, tables, pages, sections) and their passages. Bump it in the same commit as any change that
# alters that output for some file: the readers (this module, html.py, html_tree.py, docx.py,
# pdf/, tables.py, document.py, build.py), the text parser (split.py, metadata.py, footnotes.py,
# endnotes.py, report.py), the merge of copies (merge.py) or the passages (chunk.py). Each file's
# record keeps the version that read it (index/store/schema.py FileRecord.readers); the next
# `dossier ingest` re-reads every file read by another version, as if each had been edited, and
# rewrites the reports and passages that came out different (docs/ingest.md). A test records
# what the readers make of the bundled files per version (tests/ingest/test_readers_version.py).
READERS_VERSION = 38

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
PAGED = (".pdf", ".docx")        # read by layout (ingest/pdf/reader.py, ingest/docx.py), not decoded as text
_MB = 1024 * 1024
MAX_BYTES = 20 * _MB              # one report file; a larger one is refused, not read
MAX_PAGED_BYTES = 200 * _MB       # one PDF or Word file: images make them big, and their text is read
                                  # page by page (part by part), never the whole file at once

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (docx/xlsx?)",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Office document (doc/xls?)",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
}

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_regular(mode: int) -> str | None:
    """What a non-regular file is ('a named pipe (FIFO)', …), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    for test, what in _KINDS:
        if test(mode):
            return what
    return "not a regular file"


def read_report_file(path: Path, *, max_bytes: int = MAX_BYTES, max_paged_bytes: int = MAX_PAGED_BYTES) -> str:
    """Return the file's text with '\\n' line endings, or raise ReportReadError naming the file.
    A .pdf or .docx gives a ParsedFile (its reports already parsed)."""
    suffix = path.suffix.lower()
    paged = suffix in PAGED
    if paged:
        max_bytes = max_paged_bytes
    try:
        st = os.stat(path)
        kind = not_regular(st.st_mode)
        if kind is not None:        # reading a FIFO would block forever, a device never ends
            raise ReportReadError(path, f"not a report file: {kind}")
        if st.st_size > max_bytes:
            raise ReportReadError(path, f"file is {st.st_size / _MB:.1f} MB, over the {max_bytes / _MB:.0f} MB limit "
                                        "for one report file")
        with open(path, "rb") as f:
            # a file that grew since stat is still bounded; a PDF or Word file is checked by its head
            data = f.read(1024 if paged else max_bytes + 1)
        if len(data) > max_bytes:
            raise ReportReadError(path, f"file is over the {max_bytes / _MB:.0f} MB limit for one report file")
    except PermissionError:
        raise ReportReadError(path, "permission denied") from None
    except FileNotFoundError:
        raise ReportReadError(path, "no such file") from None
    except IsADirectoryError:
        raise ReportReadError(path, "is a directory") from None
    except OSError as e:
        raise ReportReadError(path, e.strerror or str(e)) from None
    if paged:
        return _read_paged(path, data, suffix)
    text = decode(data, path)
    if not text.strip():
        raise ReportReadError(path, "no text (empty or whitespace only)" if data else "empty file")
    if suffix in (".html", ".htm"):
        return _read_html(path, text)
    return text


def _read_html(path: Path, text: str) -> ParsedFile:
    from ingest.build import reports_from_document
    from ingest.html import read_html

    doc = read_html(text, str(path.resolve()))
    if not any(b.text.strip() for b in doc.blocks):
        raise ReportReadError(path, "no text (the HTML page has no body text)")
    return ParsedFile.of(*reports_from_document(doc))


def _read_paged(path: Path, data: bytes, suffix: str) -> ParsedFile:
    """`data` is the file's first KB: enough to tell a PDF, a ZIP or an OLE container."""
    if not data:
        raise ReportReadError(path, "empty file")
    if suffix == ".pdf":
        if b"%PDF" not in data[:1024]:
            raise ReportReadError(path, "not a PDF (no %PDF header): damaged or misnamed")
        from ingest.pdf.reader import read_pdf
        reports, skipped = read_pdf(path, str(path.resolve()))
    else:
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReportReadError(path, "Word file is encrypted or an old .doc renamed (not a ZIP container)")
        if not data.startswith(b"PK\x03\x04"):
            raise ReportReadError(path, "not a Word document (not a ZIP container): damaged or misnamed")
        from ingest.build import reports_from_document
        from ingest.docx import read_docx
        reports, skipped = reports_from_document(read_docx(path, str(path.resolve())))
    return ParsedFile.of(reports, skipped)


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    if not data:
        raise ReportReadError(path, "empty file")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ReportReadError(path, f"binary file ({what}), not a text report")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ReportReadError(path, "binary file (contains NUL bytes), not a text report")
        text = utf16
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_broken_utf8(data)
            if text is None:
                text = _decode_legacy(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    if controls > 0.05 * len(sample):
        raise ReportReadError(path, "binary file (control characters), not a text report")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: every other byte of ASCII text is NUL."""
    head = data[:8192]
    even, odd = head[0::2], head[1::2]
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if len(zeros) >= 8 and zeros.count(0) > 0.9 * len(zeros):
            return data.decode(codec, errors="replace")
    return None


def _decode_broken_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a scrape that pasted one Latin-1 character) stays UTF-8.
    Legacy 8-bit text almost never forms a valid multi-byte sequence (`é` is one byte followed
    by ASCII), so as many valid sequences as broken bytes means UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good >= bad else None


_WORD = re.compile(rb"[A-Za-z\xc0-\xff\xa8\xb8]+")
# control characters other than tab, newline, vertical tab and form feed; U+FFFD (undecodable)
_CONTROL = re.compile("[\x00-\x08\r\x0e-\x1f\ufffd]")


def _decode_legacy(data: bytes) -> str:
    """Windows-1251 (Cyrillic) or Latin-1/Windows-1252.

    Both put letters at 0xC0-0xFF, so the characters alone cannot tell them apart; the
    words can. Russian words are made only of high bytes (`Кремль`); Western European words
    mix high bytes into ASCII letters (`arrivées`, `über`)."""
    cyrillic = latin = 0
    for m in _WORD.finditer(data):
        word = m.group(0)
        high = sum(1 for b in word if b >= 0x80)
        if not high:
            continue
        if high == len(word):
            cyrillic += len(word) >= 2
        else:
            latin += 1
    if cyrillic > latin:
        return data.decode("cp1251", errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
