"""A Document (ingest/document.py) to reports: the one builder every structured reader uses.

What a reader found is kept, not guessed again from text:
- sentences come from PARAGRAPH blocks only; a heading, a contents line, the title or the
  front matter never becomes a quotable sentence (headings stay in the report's text, as lines
  of their own, and on every sentence under them as its section path, "II. ... > A. ...");
- each marker is attached to the sentence it ends, by its offset; a marker in a heading goes to
  the first sentence under that heading (the note backs the section), one in the title or the
  front matter stays a note of the report without a sentence;
- each marker's note is the one the format links it to (Mark.note); without a link, the first
  note with its label not yet taken (numbering that restarts per chapter takes the next "1").
  A linked note that is redacted is `redacted`, an empty or absent one `missing`: a marker
  never takes another note's text. A note no marker refers to is `unplaced`, kept and shown;
- a marker printed inside a note (DocNote.marks: a MediaWiki note citing a reference) backs
  that note, not the sentence citing it: its note is a note of the report with no sentence,
  and its sources (URLs) are also the citing note's sources;
- one report per Document unless `parts` says where each of several starts. Title, date, time,
  authors and publisher come from labelled fields at the head of the report ("Title: …",
  "Date: …", "Subject: …", "Author: …", as forms and memos print them), else from the
  Document, else from its TITLE block and the lines at the head of the report: a title page
  (short lines before the first heading, one of them a date or a name after "By" or a role),
  a date line (also with a short label beside it: a web page's "Dec 13, 2022 - Press ISW"), a
  time line (or the time on that date: "December 13, 6:30pm ET"), a byline (or a bare list of
  three names or more), in a paragraph or a heading, with a short line between them (a link's
  label). What is not printed is left empty, never invented.

Two notes printed with the same label in one report (numbering restarted) are told apart as
"1", then "1#2": the second note numbered 1.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from index.text.sentences import split_sentences
from ingest.document import CONTENTS, FRONT, HEADING, PARAGRAPH, TITLE, Block, DocNote, Document
from ingest.footnotes import make_note, marker_label
from ingest.metadata import (parse_date_line, parse_date_text, parse_day_time, parse_labelled_date, parse_name_line,
                             parse_name_list, parse_short_byline, parse_time_line)
from ingest.metadata import publisher as stated_publisher
from ingest.model import MISSING, REDACTED, UNPLACED, Note, Report, Sentence
from ingest.report import compose_text, report_id

SECTION_SEP = " > "
TITLE_PAGE_LINES = 15           # at most this many short lines before the first heading make a title page
TITLE_PAGE_CHARS = 200          # a title-page line is shorter than this
HEADER_LINES = 4                # date, time and byline lines looked for among the first paragraphs


def reports_from_document(doc: Document) -> tuple[list[Report], list[str]]:
    """The reports of one Document, and the titles of parts skipped for having no body text."""
    ranges = _part_ranges(doc)
    resolved = _resolve_marks(doc)
    owner = _unreferenced_owner(doc, resolved, ranges)
    reports: list[Report] = []
    skipped: list[str] = []
    for k, (a, b) in enumerate(ranges):
        unreferenced = [key for key, part in owner.items() if part == k]
        r = _Builder(doc, a, b, resolved, single=len(ranges) == 1).build(unreferenced)
        if r.sentences:
            reports.append(r)
        else:
            skipped.append(r.title or "(untitled part)")
    return reports, skipped


def _part_ranges(doc: Document) -> list[tuple[int, int]]:
    starts = sorted({p for p in doc.parts if 0 < p < len(doc.blocks)})
    bounds = [0, *starts, len(doc.blocks)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _resolve_marks(doc: Document) -> dict[tuple[int, int], str | None]:
    """(block index, mark index) -> the key of its note, or None when it has none."""
    by_label: dict[str, list[str]] = {}
    for key, n in doc.notes.items():
        by_label.setdefault(marker_label(n.label), []).append(key)
    linked = {m.note for b in doc.blocks for m in b.marks if m.note is not None}
    taken: set[str] = set()
    last: dict[str, str] = {}           # label -> the note a label-matched marker took last
    out: dict[tuple[int, int], str | None] = {}
    for bi, block in enumerate(doc.blocks):
        for mi, m in enumerate(block.marks):
            if m.note is not None:
                out[(bi, mi)] = m.note if m.note in doc.notes else None
                continue
            label = marker_label(m.label)
            free = [k for k in by_label.get(label, []) if k not in taken and k not in linked]
            key = free[0] if free else last.get(label)     # the same note cited again
            if key is not None:
                taken.add(key)
                last[label] = key
            out[(bi, mi)] = key
    return out


def _unreferenced_owner(doc: Document, resolved: dict[tuple[int, int], str | None],
                        ranges: list[tuple[int, int]]) -> dict[str, int]:
    """Notes no marker refers to -> the part they belong with: the part of the nearest note
    before them (in the file's order of notes) that a marker does refer to."""
    part_of: dict[str, int] = {}
    for (bi, _), key in resolved.items():
        if key is not None and key not in part_of:
            part_of[key] = next(k for k, (a, b) in enumerate(ranges) if a <= bi < b)
    todo = list(part_of)
    while todo:                                          # notes cited only from inside other notes
        key = todo.pop()
        for m in doc.notes[key].marks:
            if m.note in doc.notes and m.note not in part_of:
                part_of[m.note] = part_of[key]
                todo.append(m.note)
    out: dict[str, int] = {}
    current = 0
    for key in doc.notes:
        if key in part_of:
            current = part_of[key]
        else:
            out[key] = current
    return out


@dataclass
class _Head:
    """What the head of a report says about it: title, date, time, authors; the blocks that
    are front matter (not body text)."""

    title: str = ""
    date: str = ""
    time: str = ""
    authors: list[str] = field(default_factory=list)
    front: set[int] = field(default_factory=set)        # indexes into the part's blocks


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _is_sentence(text: str) -> bool:
    return len(text.split()) >= 8 and bool(re.search(r"[.!?][\"'”’)]*$", text.strip()))


# A form's labelled fields at the head of a report ("Title: …", "Date: 22/10/2024", "SUBJECT: …"):
# the file saying in so many words what its title, date and authors are.
_FIELD = re.compile(r"^(title|subject|date|dated|date of issue|authors?|by|written by|from)\s*:\s*(\S.{0,300})$", re.I)
# A memorandum's "FROM:" field prints each sender's name, then their office ("Tony Scott United
# States Chief Information Officer Anne E. Rung United States Chief Acquisition Officer" once
# its line breaks are read as spaces): the names are the runs of name-shaped words outside an
# office's words.
_OFFICE_WORDS = frozenset("""united states chief officer information acquisition technology financial operating
executive director deputy assistant associate principal acting secretary under undersecretary administrator
commissioner general counsel office department agency bureau federal national government management budget
president vice council security advisor adviser head heads staff of the and for to on in at""".split())
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z'’-]+|[A-Z]\.)$")
FIELD_BLOCKS = 30               # looked for among this many blocks at the head of a report


def read_fields(blocks: list[Block]) -> tuple[dict[str, object], set[int]]:
    """{"title", "date", "authors"} a report's head states as labelled fields, and those blocks."""
    found: dict[str, object] = {}
    where: set[int] = set()
    for i, b in enumerate(blocks[:FIELD_BLOCKS]):
        if b.kind == PARAGRAPH and len(b.text) >= TITLE_PAGE_CHARS * 2:
            break                                        # the body has begun
        m = _FIELD.match(_one_line(b.text))
        if not m or b.kind == CONTENTS:
            continue
        name, value = m.group(1).lower(), m.group(2).strip()
        if name in ("title", "subject") and "title" not in found:
            found["title"] = value
        elif name.startswith("date") and "date" not in found and parse_date_text(value):
            found["date"] = parse_date_text(value)
        elif name in ("author", "authors", "by", "written by") and "authors" not in found:
            names = parse_name_line("By " + value)
            if names:
                found["authors"] = names
        elif name == "from" and "authors" not in found and memo_senders(value):
            found["authors"] = memo_senders(value)
        else:
            continue
        where.add(i)
    return found, where


def memo_senders(value: str) -> list[str]:
    """The names a memo's FROM field prints (see _OFFICE_WORDS); [] when none is name-shaped."""
    names: list[str] = []
    run: list[str] = []
    for word in [*value.replace(",", " , ").split(), ","]:
        if _NAME_WORD.match(word) and word.lower().rstrip(".") not in _OFFICE_WORDS:
            run.append(word)
            continue
        if 2 <= len(run) <= 4 and not run[-1].endswith("."):
            names.append(" ".join(run))
        run = []
    return names


def read_head(blocks: list[Block]) -> _Head:
    """Title page and header lines at the head of a report (see the module docstring)."""
    head = _Head()
    title_blocks = [b for b in blocks if b.kind == TITLE]
    if title_blocks:
        head.title = _one_line(title_blocks[0].text)
    first_heading = next((i for i, b in enumerate(blocks) if b.kind in (HEADING, CONTENTS)), None)
    lead = [i for i in range(first_heading if first_heading is not None else 0) if blocks[i].kind == PARAGRAPH]
    if lead and len(lead) <= TITLE_PAGE_LINES and all(len(blocks[i].text) < TITLE_PAGE_CHARS and not blocks[i].marks
                                                      for i in lead):
        dates = [_line_date(blocks[i].text) for i in lead]
        names = [parse_name_line(blocks[i].text) for i in lead]
        sentences = sum(_is_sentence(blocks[i].text) for i in lead)
        if (any(d for d, _ in dates) or any(names)) and 2 * sentences <= len(lead):
            head.front.update(lead)                          # a title page
            if not head.title:
                head.title = _one_line(blocks[lead[0]].text)
            head.date, head.time = next((d for d in dates if d[0]), ("", ""))
            # or a web page's posting date over its byline ("Aug 7, 2022 - Press ISW", "By …")
            head.date = head.date or next(filter(None, (parse_labelled_date(_one_line(blocks[i].text)) for i in lead)), "")
            head.authors = next((n for n in names if n), [])
            return head
    seen = 0
    between: list[int] = []                                  # short lines the header lines stand around
    for i, b in enumerate(blocks):                           # header lines: date, time, byline
        if b.kind not in (PARAGRAPH, HEADING):
            continue
        if seen >= HEADER_LINES or b.marks or len(b.text) >= TITLE_PAGE_CHARS:
            break
        line = _one_line(b.text)
        date, t = _line_date(line)
        date = date or parse_labelled_date(line)              # a web page's "Dec 13, 2022 - Press ISW"
        # a web page's "December 13, 6:30pm ET" under its "Dec 13, 2022 - Press ISW": the report's own day
        day, day_time = parse_day_time(line, head.date) if head.date and not date else ("", "")
        t = t or day_time
        # strict: "By 2020, Russia had ..." is body text; a bare list is three names or more, one or two
        # names a byline only over the report's time of day or reading time ("Mason Clark" over "March 27,
        # 4:30 pm ET", "Chris McKenna" over "4 min read"; a blog's name stands over its date)
        authors = parse_name_line(line) or parse_name_list(line) or (
            parse_short_byline(line) if _timed(blocks, i + 1, head.date) else [])
        if b.kind == HEADING and not (date or t or authors):
            continue                                          # a heading, unless it is a web page's byline or time
        seen += 1
        if date and not head.date:
            head.date, head.time = date, t
        elif t and not head.time:
            head.date, head.time = day or head.date, t
        elif authors and not head.authors:
            head.authors = authors
        elif _READING_TIME.match(line):
            pass                                              # "16 min read": the page's furniture
        elif len(line.split()) <= 4 and not re.search(r"[.!?:]$", line):
            between.append(i)                                 # a link's label between them ("Download the PDF")
            continue
        else:
            break
        head.front.update([*between, i])
        between = []
    return head


_READING_TIME = re.compile(r"^\d{1,3}\s*-?\s*min(?:ute)?s?\.?\s+read$", re.I)


def _timed(blocks: list[Block], i: int, iso: str) -> bool:
    """The next line of text from blocks[i] on is a date and time, a day and time on the day `iso` names, or a
    reading time ("16 min read", under a web page's byline), maybe after a date line ("January 25, 2013")."""
    for b in [b for b in blocks[i:] if b.kind in (PARAGRAPH, HEADING)][:2]:
        line = _one_line(b.text)
        if _line_date(line)[1] or parse_day_time(line, iso)[1] or _READING_TIME.match(line):
            return True
        if not (_line_date(line)[0] or parse_labelled_date(line)):
            return False
    return False


def _line_date(line: str) -> tuple[str, str]:
    """(ISO date, time) of a line that is only a date ("Saturday, September 19, 2020", "March
    2019") or a date and time ("September 19, 2020, 7:00 pm EDT"); ("", "") otherwise."""
    line = _one_line(line)
    d, t = parse_time_line(line)
    return (d, t) if d else (parse_date_line(line) or parse_date_text(line), "")


class _Builder:
    """One report from the blocks [a, b) of a Document."""

    def __init__(self, doc: Document, a: int, b: int, resolved: dict[tuple[int, int], str | None], single: bool):
        self.doc, self.a, self.b, self.resolved, self.single = doc, a, b, resolved, single
        self.body: list[str] = []
        self.length = 0
        self.sentences: list[Sentence] = []
        self.notes: dict[str, Note] = {}
        self.named: dict[tuple[str, str | None], str] = {}   # (label, note key) -> its marker
        self.pending: list[tuple[str, str | None]] = []  # a heading's markers, for the next sentence
        self.front_marks: list[tuple[str, str | None]] = []

    def build(self, unreferenced: list[str]) -> Report:
        doc = self.doc
        blocks = doc.blocks[self.a:self.b]
        head = read_head(blocks)
        fields, field_blocks = read_fields(blocks)
        head.front |= field_blocks
        stack: list[tuple[int, str]] = []
        paragraph = -1
        for i, block in enumerate(blocks):
            marks = [(m, self.resolved.get((self.a + i, mi))) for mi, m in enumerate(block.marks)]
            kind = FRONT if i in head.front else block.kind
            if kind == HEADING:
                text = _one_line(block.text)
                level = block.level or 1
                while stack and stack[-1][0] >= level:
                    stack.pop()
                if text:
                    stack.append((level, text))
                    self._line(text)
                self.pending += [(m.label, key) for m, key in marks]
            elif kind == PARAGRAPH:
                paragraph += 1
                self._paragraph(block, marks, paragraph, SECTION_SEP.join(t for _, t in stack))
            else:                                          # title, contents, front matter: not body text
                self.front_marks += [(m.label, key) for m, key in marks]
        self.front_marks += self.pending
        for label, key in self.front_marks:
            self._marker(label, key)
        body = "".join(self.body)
        unplaced = [self._unplaced(key) for key in unreferenced]
        text, body_end = compose_text(body, self.notes, unplaced)
        # a labelled field says it outright: it wins over what the file's metadata says
        title = fields.get("title") or (doc.title if self.single else "") or head.title
        date = fields.get("date") or (doc.date if self.single else "") or head.date or doc.issue_date
        authors = fields.get("authors") or (list(doc.authors) if self.single else []) or head.authors
        pages = {p for s in self.sentences for p in s.pages} | {p for n in self.notes.values() for p in n.pages}
        return Report(
            id=report_id(title, date, body), title=title, date=date,
            time=(doc.time if self.single else "") or head.time, authors=authors,
            publisher=(doc.publisher if self.single else "") or stated_publisher(body), sources=[doc.source],
            text=text, body_end=body_end, sentences=self.sentences, notes=self.notes, unplaced_notes=unplaced,
            page_labels={p: doc.page_labels[p] for p in sorted(pages) if p in doc.page_labels}, structured=True)

    # ------------------------------------------------------------------ body
    def _line(self, text: str) -> int:
        """Append a line of body text; returns its offset."""
        if self.body:
            self.body.append("\n\n")
            self.length += 2
        start = self.length
        self.body.append(text)
        self.length += len(text)
        return start

    def _paragraph(self, block: Block, marks: list, paragraph: int, section: str) -> None:
        text, shift = _spaced(block.text.replace("\n", " ").replace("\r", " ").replace("\t", " "),
                              [m.pos for m, _ in marks])
        first = len(self.sentences)
        start = self._line(text) if text.strip() else 0
        if text.strip():
            page_starts = [(shift(off, True), page) for off, page in block.pages]
            for sa, sb in split_sentences(text):
                sa = _past_bullet(text, sa, sb)
                self.sentences.append(Sentence(start + sa, start + sb, [], paragraph,
                                               _pages(page_starts, sa, sb), section))
        spans = self.sentences[first:]
        starts = [s.start - start for s in spans]
        if spans:                                            # a heading's markers: its first sentence
            for label, key in self.pending:
                self._marker(label, key, spans[0])
            self.pending = []
        for m, key in marks:
            if not spans:
                target = self.sentences[-1] if self.sentences else None
            else:
                q = shift(max(0, min(m.pos, len(block.text))), False)
                while q > 0 and text[q - 1].isspace():
                    q -= 1
                target = spans[max(0, bisect.bisect_left(starts, q) - 1)]
            if target is None:
                self.pending.append((m.label, key))
            else:
                self._marker(m.label, key, target)

    # ------------------------------------------------------------------ notes
    def _marker(self, label: str, key: str | None, sentence: Sentence | None = None) -> str:
        marker = self._name(label, key)
        if sentence is not None and marker not in sentence.markers:
            sentence.markers.append(marker)
        if marker not in self.notes:
            self.notes[marker] = self._note(marker, key)
        return marker

    def _name(self, label: str, key: str | None) -> str:
        """The marker a note is known by in this report: its label, "1#2" for a second note 1."""
        base = marker_label(label) or (marker_label(self.doc.notes[key].label) if key in self.doc.notes else "") or "?"
        if (base, key) in self.named:
            return self.named[(base, key)]
        marker, n = base, 1
        while marker in self.notes:
            n += 1
            marker = f"{base}#{n}"
        self.named[(base, key)] = marker
        return marker

    def _note(self, marker: str, key: str | None) -> Note:
        dn = self.doc.notes.get(key) if key is not None else None
        if dn is None:
            return Note(marker=marker, status=MISSING)
        if dn.redacted:
            return Note(marker=marker, status=REDACTED, pages=list(dn.pages))
        note = note_of(marker, dn)
        self.notes[marker] = note                        # before its own markers: a note citing itself stops here
        for m in dn.marks:                               # markers printed inside the note (MediaWiki's notes
            inner = self.notes.get(self._marker(m.label, m.note if m.note in self.doc.notes else None))
            if inner is not None and inner is not note:  # citing notes): notes of the report, backing this
                note.urls += [u for u in inner.urls if u not in note.urls]      # note, not the sentence; their
                note.dngts_urls += [u for u in inner.dngts_urls if u not in note.dngts_urls]   # sources are its own
        return note

    def _unplaced(self, key: str) -> Note:
        note = note_of(marker_label(self.doc.notes[key].label), self.doc.notes[key])
        note.status = UNPLACED
        return note


def note_of(marker: str, dn: DocNote) -> Note:
    """A note's sources (URLs, DNGTS) from its text and its links' targets, in the order they
    stand; its text as printed."""
    text = dn.text
    for pos, url in sorted(dn.links, reverse=True):
        text = text[:pos] + f" <{url}> " + text[pos:]
    note = make_note(marker, _one_line(text))
    if note.text:
        note.text = _one_line(dn.text) or note.text        # a note that is only a link shows its target
    note.pages = list(dn.pages)
    return note


_BULLET = re.compile(r"[\u2022\u25e6\u25aa\u25ab\u2023\u2043\u25cf\u25cb\u25a0\u25a1\u00b7]\s+")


def _past_bullet(text: str, a: int, b: int) -> int:
    """Where a sentence starts once a bullet typed before it ("• Heat networks …", as Word and
    web pages type list items by hand) is left out: the bullet stays in the text, not in a quote."""
    m = _BULLET.match(text, a, b)
    return m.end() if m and m.end() < b else a


def _spaced(text: str, positions: list[int]):
    """`claim.[1]The next` reads `claim.The next` once the marker is out: a space goes where a
    marker stood between two words, so sentences stay apart. Returns the text and a function
    mapping an offset of the block's text to the new text (`char`: the offset of a character,
    else of a marker, which stays before the space)."""
    inserts = sorted({p for p in positions if 0 < p < len(text) and not text[p - 1].isspace()
                      and (text[p].isalnum() or text[p] in "“\"‘(")})
    if not inserts:
        return text, lambda off, char: off
    out, last = [], 0
    for p in inserts:
        out += [text[last:p], " "]
        last = p
    out.append(text[last:])

    def shift(off: int, char: bool) -> int:
        return off + (bisect.bisect_right(inserts, off) if char else bisect.bisect_left(inserts, off))
    return "".join(out), shift


def _pages(page_starts: list[tuple[int, int]], a: int, b: int) -> list[int]:
    """The pages a span [a, b) of a block's text lies on, from where each page's part begins."""
    out = []
    for i, (off, page) in enumerate(page_starts):
        end = page_starts[i + 1][0] if i + 1 < len(page_starts) else float("inf")
        if off < b and end > a and page not in out:
            out.append(page)
    return out
