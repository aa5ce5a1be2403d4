"""What a reader of a structured format makes of one file before it becomes reports.

HTML, Word and PDF carry their own structure: headings, paragraphs, and footnote markers
linked to their notes (an HTML `href="#fn12"` to the element with `id="fn12"`, a Word
`w:footnoteReference w:id`, a PDF link annotation or a page-bottom note). A reader of such a
format builds a Document that keeps those links instead of flattening the file into text and
guessing them back with regular expressions. Plain-text files (.txt, .md) keep the text parser
(ingest/split.py, ingest/report.py), which the sample files' gold maps pin down.

A Document is the reader's output only: it is turned into reports by one builder, the same
for every format. Offsets are into `Block.text`; a marker's own characters are not part of
the text (a "12" printed as a superscript is a Mark, not text).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Block kinds: what a block is in the report, which decides whether it can be quoted.
TITLE = "title"          # the report's title (also in Document.title)
HEADING = "heading"      # a section heading: kept on the passages under it, never quoted as an answer
PARAGRAPH = "paragraph"  # body text: the sentences that are quoted
CONTENTS = "contents"    # a table-of-contents or list-of-figures line: never indexed as body text
FRONT = "front"          # title-page and other front/back matter that is not body text (bylines, imprint)
KINDS = (TITLE, HEADING, PARAGRAPH, CONTENTS, FRONT)


@dataclass
class Mark:
    """A footnote marker where it stands in a block's text."""

    pos: int                    # offset in Block.text of the end of the text the marker follows
    label: str                  # the marker as printed: "7", "1156", "*", "†"
    note: str | None = None     # key of its note in Document.notes when the format links the two
                                # (an HTML id, a Word footnote id, a PDF link or page-bottom note);
                                # None when the format gives no link: matched to a note by label


@dataclass
class Block:
    """A heading, a paragraph, a contents line: text in reading order, one line, no markers in it."""

    kind: str
    text: str
    level: int = 0              # a heading's depth, 1 for the top level; 0 for other blocks (a heading
                                # without text ends the sections at its level: a PDF table's caption)
    marks: list[Mark] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    # (offset in text, 1-based page index) where each page's part of the block begins, in order;
    # [] for formats without fixed pages


@dataclass
class DocNote:
    """One footnote or endnote as the file prints it."""

    key: str                    # unique within the document (Mark.note refers to it)
    label: str                  # the number or symbol printed with the note; "" when none
    text: str = ""              # its visible text as one line, without the label; "" when empty
    redacted: bool = False      # printed with nothing but its label, e.g. redacted to a black bar
    pages: list[int] = field(default_factory=list)   # 1-based page indexes it was printed on
    links: list[tuple[int, str]] = field(default_factory=list)
    # (offset in text, target) of each link whose label does not print its target ("Kremlin
    # readout" linking to kremlin.ru/...): a source all the same, kept out of the visible text
    marks: list[Mark] = field(default_factory=list)
    # markers printed inside the note, pointing to other notes (offsets in text): the note's own
    # sources; the builder keeps them as notes of the report backing this note, not its sentence


# What a reader prints where the file hides text: an HTML element of class `redacted`, a PDF's
# redaction bar among a line's words. A note with nothing else is a redacted note.
REDACTED_TEXT = "[redacted]"
_BARS = re.compile(r"\[redacted\]|[_█▇■\s.,;:]+")


def only_redacted(text: str) -> bool:
    """The text holds redactions and nothing else: `[redacted]`, bars or underscores, punctuation."""
    return not _BARS.sub("", text) and (REDACTED_TEXT in text or bool(re.search(r"[_█▇■]", text)))


# Readers that build a note's text in pieces mark a link's target in it with these, and take
# them out with take_links once the text is final (white space folded).
LINK_OPEN, LINK_CLOSE = "\ue000", "\ue001"


def take_links(raw: str) -> tuple[str, list[tuple[int, str]]]:
    """Text with LINK_OPEN target LINK_CLOSE spans -> (text without them, [(offset, target)])."""
    out: list[str] = []
    links: list[tuple[int, str]] = []
    length = pos = 0
    while True:
        a = raw.find(LINK_OPEN, pos)
        if a < 0:
            out.append(raw[pos:])
            break
        b = raw.find(LINK_CLOSE, a)
        if b < 0:
            out.append(raw[pos:a])
            break
        out.append(raw[pos:a])
        length += a - pos
        links.append((length, raw[a + 1:b]))
        pos = b + 1
    return "".join(out), links


def in_quotation_marks(text: str) -> tuple[str, Callable[[int], int]] | None:
    """A block quotation's paragraph in quotation marks, as the report sets it apart, so that a
    sentence of it reads as someone's words and not the report's own claim wherever it is shown
    or checked (index/answer/verify.py treats words inside a quotation whose speaker comes before
    it as that speaker's), and where an offset of the old text falls in the new one (a marker at
    the very end goes after the closing mark). None when the text prints its own marks."""
    if not text or text[0] in "\"\u201c\u2018":
        return None
    end = len(text)
    quoted = f"\u201c{text}\u201d"
    return quoted, lambda pos: len(quoted) if pos >= end else pos + 1


@dataclass
class Document:
    """One file as its reader found it. `parts` marks where a file that really holds several
    reports starts each one (block indexes); a single report has parts == []. `issue_date`: a
    date every part shares where the parts print none of their own (a gazette's issue)."""

    source: str
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, DocNote] = field(default_factory=dict)
    title: str = ""
    date: str = ""              # ISO date, or ""
    time: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    page_labels: dict[int, str] = field(default_factory=dict)   # 1-based page index -> printed label ("157", "iv")
    parts: list[int] = field(default_factory=list)
    issue_date: str = ""
