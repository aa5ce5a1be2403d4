"""Bytes on disk to text: encodings, BOM, line endings, and the files that are not text."""
from __future__ import annotations

from pathlib import Path

from index.errors import ReportReadError

EXTENSIONS = (".txt", ".md", ".html", ".htm")
MAX_BYTES = 20 * 1024 * 1024      # one report file; a larger one is refused, not read

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (docx/xlsx?)",
    b"\x7fELF": "an executable",
}


def read_report_file(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Return the file's text with '\\n' line endings, or raise ReportReadError naming the file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportReadError(path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one report file")
        data = path.read_bytes()
    except PermissionError:
        raise ReportReadError(path, "permission denied") from None
    except FileNotFoundError:
        raise ReportReadError(path, "no such file") from None
    except IsADirectoryError:
        raise ReportReadError(path, "is a directory") from None
    except OSError as e:
        raise ReportReadError(path, e.strerror or str(e)) from None
    text = decode(data, path)
    if path.suffix.lower() in (".html", ".htm"):
        from ingest.html import html_to_text
        text = html_to_text(text)
    if not text.strip():
        raise ReportReadError(path, "no text (empty or whitespace only)" if data else "empty file")
    return text


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    if not data:
        raise ReportReadError(path, "empty file")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ReportReadError(path, f"binary file ({what}), not a text report")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:8192]:
            raise ReportReadError(path, "binary file (contains NUL bytes), not a text report")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > 0.05 * min(len(text), 8192):
        raise ReportReadError(path, "binary file (control characters), not a text report")
    return text


def _decode_legacy(data: bytes) -> str:
    """Windows-1251 (Cyrillic) or Latin-1/Windows-1252: pick the one that reads as letters."""
    cyr = data.decode("cp1251", errors="replace")
    high = [ch for ch in cyr if ord(ch) > 127]
    if high and sum("\u0400" <= ch <= "\u04ff" for ch in high) / len(high) > 0.6:
        return cyr
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
