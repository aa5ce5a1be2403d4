"""Footnotes: the markers in a report's body and the numbered note blocks after it.

Markers, four styles: `text.[1]`, `text.¹²`, `text.<sup>1</sup>`, and bracketed numbers
that start anywhere (`[35]`), of any length (`[1156]`), and the symbols a report may use
instead (`[*]`, `<sup>†</sup>`, or a bare `†`/`‡` right after a word). A `[N]` inside a URL
or a Markdown link label is not a marker. (A bare `*` is Markdown's emphasis, not a marker.)

Note lines, numbered shapes: `[N] text`, `¹ <url>; <url>` (continuing on following
lines that start with a link), `- <sup>N</sup> <url>`, and `† text` for a symbol. Each note keeps its full text, its
URLs exactly as written (defanging kept) and the URLs that follow a `DNGTS:` label.
A note with no content (only `;`, spaces or a bare `DNGTS:`) is `missing`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import MISSING, RESOLVED, Note

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = {ch: str(i) for i, ch in enumerate(SUPERSCRIPTS)}

NUMBER = r"\d{1,5}"                   # a footnote number: 1 to 5 digits ("1156")
SYMBOL = r"[*†‡]{1,3}"                # the symbols used instead of numbers: *, †, ‡, **, ††

INLINE_MARKER = re.compile(
    rf"<sup>\s*(?P<html>{NUMBER}|{SYMBOL})\s*</sup>"
    rf"|\[(?P<br>{NUMBER}|{SYMBOL})\](?!\()"
    rf"|(?P<sup>[{SUPERSCRIPTS}]+)"
    r"|(?<=[\w.,;:!?\"”’)])(?P<sym>[†‡]{1,3})"
)

NOTE_LINE = re.compile(
    r"^\s*(?:"
    rf"\[(?P<br>{NUMBER}|{SYMBOL})\]"
    rf"|(?P<sup>[{SUPERSCRIPTS}]+)(?=\s|$)"
    r"|(?P<sym>[†‡]{1,3})(?=\s.*?[^\W_])"      # a word after it: "† ¶" is a legend's key, not a note
    rf"|[-*•]\s*<sup>\s*(?P<html>{NUMBER}|{SYMBOL})\s*</sup>"
    rf"|[-*•]\s*\[(?P<lbr>{NUMBER}|{SYMBOL})\]"
    r")\s*(?P<rest>.*)$"
)

_CONTINUATION = re.compile(r"^\s*(?:<?https?://|\[https?://|www\.|DNGTS)", re.I)

_MD_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_ANGLE = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
# a host defanged with spaced words ("https://www.president dot gov.ua/news/…", ISW's WordPress
# site) is one address, not "https://www.president"
_BARE = re.compile(r"(?:https?://|www\.)[^\s<>\"/]+(?: dot [^\s<>\"/]+)*[^\s<>\"]*")


def marker_number(match: re.Match) -> str:
    if match.group("sup"):
        return str(int("".join(_SUP_TO_DIGIT[c] for c in match.group("sup"))))
    for name in ("html", "br", "lbr", "sym"):
        if name in match.groupdict() and match.group(name):
            return marker_label(match.group(name))
    raise ValueError("not a marker")


def marker_label(label: str) -> str:
    """A marker as the report's notes are keyed: digits without leading zeros ("07" -> "7",
    "¹²" -> "12"), a symbol as printed ("†"), brackets and white space dropped."""
    s = "".join(label.split()).strip("[]()")
    if s and all(c in SUPERSCRIPTS for c in s):
        s = "".join(_SUP_TO_DIGIT[c] for c in s)
    return str(int(s)) if s.isdecimal() else s


@dataclass
class Marked:
    """Text with its markers taken out: `markers` holds (offset in text, number)."""

    text: str
    markers: list[tuple[int, str]]


def _inside_url(text: str, pos: int) -> bool:
    start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    token = text[start:pos]
    return "://" in token or token.startswith("www.") or token.startswith("(http")


def take_markers(text: str) -> Marked:
    """Remove footnote markers from body text, remembering where each stood."""
    out: list[str] = []
    markers: list[tuple[int, str]] = []
    last = 0
    length = 0
    for m in INLINE_MARKER.finditer(text):
        if m.group("br") and _inside_url(text, m.start()):
            continue
        if m.group("sup") and m.start() > 0 and text[m.start() - 1] in " \n\t":
            # a lone superscript after a space is a unit (m², x³) or noise, not a footnote
            if not (m.end() < len(text) and text[m.end()] in " \n"):
                continue
        chunk = text[last:m.start()]
        out.append(chunk)
        length += len(chunk)
        markers.append((length, marker_number(m)))
        nxt = text[m.end():m.end() + 1]
        if nxt and (nxt.isalnum() or nxt in "“\"‘("):
            out.append(" ")          # `17.[8]The exercises`: keep the sentences apart
            length += 1
        last = m.end()
    out.append(text[last:])
    return Marked("".join(out), markers)


def is_note_line(line: str) -> bool:
    return bool(NOTE_LINE.match(line))


def parse_note_block(lines: list[str]) -> tuple[list[Note], list[str]]:
    """Numbered note lines to notes. Returns (notes in order, leftover lines after the block).

    The block ends at the first line that is neither a note, a continuation starting with a
    link, a bare list bullet, nor blank, unless the next note line goes on with the next number:
    then it is the current note's own ("Geolocated to 44.64, 34.38" under note 46, before [47]).
    """
    notes: list[Note] = []
    current: list[str] | None = None
    number = ""
    i = 0
    for i, line in enumerate(lines):
        m = NOTE_LINE.match(line)
        if m:
            if current is not None:
                notes.append(make_note(number, " ".join(current)))
            number = marker_number(m)
            current = [m.group("rest")]
            continue
        stripped = line.strip()
        if not stripped or stripped in ("-", "*", "•"):
            continue
        if current is not None and (_CONTINUATION.match(line) or _next_note_follows(lines, i, number)):
            current.append(stripped)
            continue
        if current is not None:
            notes.append(make_note(number, " ".join(current)))
        return notes, lines[i:]
    if current is not None:
        notes.append(make_note(number, " ".join(current)))
    return notes, []


def _next_note_follows(lines: list[str], i: int, number: str) -> bool:
    """The first note line after lines[i] comes within two lines and is numbered `number` + 1."""
    if not number.isdecimal():
        return False
    for line in lines[i + 1:i + 3]:
        m = NOTE_LINE.match(line)
        if m:
            return marker_number(m) == str(int(number) + 1)
    return False


def make_note(number: str, body: str) -> Note:
    text, urls, dngts = note_sources(body)
    status = RESOLVED if has_content(body, urls) else MISSING
    return Note(marker=number, text=text if status == RESOLVED else "", urls=urls,
                dngts_urls=dngts, status=status)


def has_content(body: str, urls: list[str]) -> bool:
    if urls:
        return True
    rest = re.sub(r"DNGTS\s*:?", " ", body)
    return bool(re.search(r"[A-Za-z0-9\u0400-\u04ff]", rest))


def _strip_url(url: str) -> str:
    while url:
        if url[-1] in ";,.:'\"”’":
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def note_sources(body: str) -> tuple[str, list[str], list[str]]:
    """(display text, URLs in order, URLs marked DNGTS) of one note's body."""
    found: list[tuple[int, int, str]] = []      # (start, end, url)
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _MD_LINK.finditer(body):
        target = m.group(2)
        if "://" in target or target.startswith("www."):
            found.append((m.start(), m.end(), _strip_url(target)))
            taken.append((m.start(), m.end()))
    for m in _ANGLE.finditer(body):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), _strip_url(m.group(1))))
            taken.append((m.start(), m.end()))
    for m in _BARE.finditer(body):
        if free(m.start(), m.end()):
            url = _strip_url(m.group(0))
            found.append((m.start(), m.start() + len(url), url))
            taken.append((m.start(), m.end()))
    found.sort()
    urls: list[str] = []
    dngts: list[str] = []
    prev_end = 0
    for start, end, url in found:
        between = body[prev_end:start]
        # the label belongs to the link right after it, within the same `;`-separated entry
        if "DNGTS" in between.split(";")[-1].split(",")[-1] or (
                "DNGTS" in between and ";" not in between and "," not in between):
            dngts.append(url)
        urls.append(url)
        prev_end = end
    # display text: links as their targets, angle brackets dropped, white space folded
    display = _MD_LINK.sub(lambda m: m.group(2) if "://" in m.group(2) else m.group(1), body)
    display = _ANGLE.sub(lambda m: m.group(1), display)
    display = re.sub(r"\s+", " ", display).strip()
    display = re.sub(r"^[;,\s]+|[;,\s]+$", "", display)
    return display, urls, dngts
