"""A Word file (.docx) to a Document (ingest/document.py), with its footnotes and endnotes
exactly as Word stores them.

python-docx reads paragraphs but not footnotes, so the package's XML parts are read with the
standard library (zipfile + xml.etree): `word/document.xml` for the body (a
`w:footnoteReference w:id` is a marker linked to its note by that id), `word/footnotes.xml` and
`word/endnotes.xml` for the notes, `word/styles.xml` for what each paragraph style is (Title,
heading 1-9, toc 1-9, Subtitle; a paragraph's own outline level counts as a heading level),
`word/_rels/document.xml.rels` (and the notes' own rels) for hyperlink targets,
`docProps/core.xml` for a stated title and author. No new dependency.

Markers are numbered as Word displays them: in order of reference, from the section's or the
settings' `numStart` (1 by default). Endnotes in a file that also has footnotes continue the
footnotes' numbering (markers are numbers here; Word would show i, ii, ...). Hyperlinks show
their text in the body; in a note, a link whose text is not its target adds `<target>`. Word
files have no fixed pages: passages from them have no page numbers. The stated author
(core.xml) is used only when the document's first lines print it: it is often whoever saved
the file.
"""
from __future__ import annotations

import re
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

from index.errors import ReportReadError
from ingest.document import (CONTENTS, FRONT, HEADING, LINK_CLOSE, LINK_OPEN, PARAGRAPH, TITLE, Block, DocNote,
                             Document, Mark, take_links)
from ingest.metadata import split_names
from ingest.tables import Cell, row_joins

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DC = "{http://purl.org/dc/elements/1.1/}"
MAX_XML = 200 * 1024 * 1024       # all parts read, uncompressed: a ZIP bomb is refused, not inflated
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {W + "delText", W + "footnoteRef", W + "endnoteRef", W + "separator", W + "continuationSeparator",
         W + "pPr", W + "rPr", W + "del", W + "moveFrom", MC + "Fallback"}   # Fallback repeats Choice
_FIELD_LINK = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"', re.I)


class _Doc:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            names = set(self.zip.namelist())
        except (zipfile.BadZipFile, EOFError, ValueError, OSError):
            raise ReportReadError(path, "damaged Word file (not a readable ZIP container)") from None
        if "word/document.xml" not in names:
            raise ReportReadError(path, "not a Word document (no word/document.xml inside)")
        if sum(i.file_size for i in self.zip.infolist() if i.filename.endswith((".xml", ".rels"))) > MAX_XML:
            raise ReportReadError(path, f"Word file's XML is over {MAX_XML // (1024 * 1024)} MB uncompressed")
        self.names = names

    def xml(self, name: str) -> ET.Element | None:
        if name not in self.names:
            return None
        try:
            raw = self.zip.read(name)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):   # CRC error, encrypted entry
            raise ReportReadError(self.path, f"damaged Word file ({name} cannot be read)") from None
        if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw[:4096]:
            raise ReportReadError(self.path, f"Word file's {name} declares entities: refused")
        try:
            return ET.fromstring(raw)
        except ET.ParseError as e:
            raise ReportReadError(self.path, f"damaged Word file ({name}: {e})") from None

    def links(self, part: str) -> dict[str, str]:
        """Relationship id -> external target, for one part (e.g. word/document.xml)."""
        folder, name = part.rsplit("/", 1)
        root = self.xml(f"{folder}/_rels/{name}.rels")
        if root is None:
            return {}
        return {r.get("Id", ""): r.get("Target", "") for r in root.iter(PKG_REL + "Relationship")
                if r.get("Type", "").endswith("/hyperlink")}


class _Text:
    """One paragraph's text: runs, tabs and breaks, markers as `[N]`, links."""

    def __init__(self, links: dict[str, str], number, in_note: bool) -> None:
        self.links, self.number, self.in_note = links, number, in_note
        self.out: list[str] = []
        self.fields: list[dict] = []        # open complex fields: {"instr": str, "start": int | None}

    def walk(self, el: ET.Element) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP or tag == W + "p":          # a nested paragraph (text box) is its own
                continue
            if tag == W + "t":
                self.out.append(child.text or "")
            elif tag == W + "instrText":
                if self.fields:
                    self.fields[-1]["instr"] += child.text or ""
            elif tag == W + "fldChar":
                self._field(child.get(W + "fldCharType", ""))
            elif tag == W + "fldSimple":
                start = len(self.out)
                self.walk(child)
                self._link_after(start, _field_target(child.get(W + "instr", "")))
            elif tag in (W + "tab", W + "br", W + "cr"):
                self.out.append(" ")
            elif tag == W + "noBreakHyphen":
                self.out.append("-")
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "foot" if tag == W + "footnoteReference" else "end"
                n = self.number(kind, child.get(W + "id", ""))
                if n:
                    self.out.append(n)          # a placeholder, numbered once the body is read
            elif tag == W + "hyperlink":
                start = len(self.out)
                self.walk(child)
                self._link_after(start, self.links.get(child.get(R + "id", ""), ""))
            else:
                self.walk(child)

    def _field(self, kind: str) -> None:
        """Word's complex fields: begin, instruction text, separate, shown text, end. A
        HYPERLINK field is a link whose shown text is its label."""
        if kind == "begin":
            self.fields.append({"instr": "", "start": None})
        elif kind == "separate" and self.fields:
            self.fields[-1]["start"] = len(self.out)
        elif kind == "end" and self.fields:
            f = self.fields.pop()
            if f["start"] is not None:
                self._link_after(f["start"], _field_target(f["instr"]))

    def _link_after(self, start: int, target: str) -> None:
        """In a note, a link whose label does not show its target keeps the target (a source),
        out of the visible text (ingest.document.take_links)."""
        label = "".join(self.out[start:]).strip()
        if self.in_note and target.startswith(("http://", "https://", "www.")) and not _shows(label, target):
            self.out.append(f"{LINK_OPEN}{target}{LINK_CLOSE}")

    @property
    def text(self) -> str:
        return re.sub(r"[ \t\u00a0]+", " ", "".join(self.out)).strip()


def _field_target(instr: str) -> str:
    m = _FIELD_LINK.match(instr)
    return m.group(1) if m else ""


def _shows(label: str, target: str) -> bool:
    undefang = lambda s: re.sub(r"[\[(]\.[\])]", ".", s).lower().rstrip("/;,.")  # noqa: E731
    lab = undefang(label)
    return bool(lab) and (lab in undefang(target) or undefang(target) in lab)


def _paragraphs(root: ET.Element):
    """Top-level paragraphs in order (table cells' too), with their style id."""
    for p in root.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        yield p, (style.get(W + "val", "") if style is not None else "")


def _table_rows(body: ET.Element, links: dict[str, str]) -> dict[int, tuple[int, str | None]]:
    """The paragraphs of table rows read as one line (ingest/tables.py): id(w:p) -> (the row's
    id, the cell's join for a cell's first paragraph, None for the next). A row whose cells hold
    a table stays cell by cell."""
    out: dict[int, tuple[int, str | None]] = {}
    for tbl in body.iter(W + "tbl"):
        rows = tbl.findall(W + "tr")
        read, paras = [], []
        header = True                                    # Word repeats header rows: the table's first rows
        for tr in rows:
            header = header and tr.find(f"{W}trPr/{W}tblHeader") is not None
            cells, ps = [], []
            for tc in tr.findall(W + "tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                texts = []
                for p in tc.iter(W + "p"):
                    t = _Text(links, lambda *_: "", in_note=False)
                    t.walk(p)
                    texts.append(t.text)
                merged = tc.find(f"{W}tcPr/{W}vMerge")
                continued = merged is not None and merged.get(W + "val", "continue") == "continue"
                width = int(span.get(W + "val")) if span is not None and (span.get(W + "val") or "").isdecimal() else 1
                cells.append(Cell("" if continued else " ".join(t for t in texts if t), header, max(1, width),
                                  lines=sum(1 for t in texts if t)))
                ps.append([] if tc.find(f".//{W}tbl") is not None else list(tc.iter(W + "p")))
            read.append(cells)
            paras.append(ps)
        for tr, cells, ps, joins in zip(rows, read, paras, row_joins(read)):
            if joins is None or any(not p for p, c in zip(ps, cells) if c.text):
                continue
            for cell_ps, join in zip(ps, joins):
                for i, p in enumerate(cell_ps):
                    out[id(p)] = (id(tr), join if i == 0 else None)
    return out


def _note_props(pr: ET.Element | None, default: tuple[int | None, str]) -> tuple[int | None, str]:
    """(numStart, numRestart) of a w:footnotePr / w:endnotePr, each falling back to `default`."""
    if pr is None:
        return default
    ns, nr = pr.find(W + "numStart"), pr.find(W + "numRestart")
    start = int(ns.get(W + "val")) if ns is not None and (ns.get(W + "val") or "").isdecimal() else default[0]
    return start, (nr.get(W + "val", "") if nr is not None else default[1])


def _sections(doc: _Doc, body: ET.Element, kind: str) -> list[tuple[int, str]]:
    """(numStart, numRestart) of each section of the body, in order: a section's properties are
    the w:sectPr that ends it (in its last paragraph, the body's own for the last one), the
    settings' w:footnotePr the default. numRestart "eachSect" restarts the numbers with each
    section (books and reports numbered per chapter)."""
    settings = doc.xml("word/settings.xml")
    default = _note_props(settings.find(f"{W}{kind}notePr") if settings is not None else None, (1, "continuous"))
    props = [p.find(f"{W}pPr/{W}sectPr") for p in body.iter(W + "p")]
    ends = [sp for sp in props if sp is not None] + [body.find(W + "sectPr")]
    out = []
    for sp in ends:
        start, restart = _note_props(sp.find(f"{W}{kind}notePr") if sp is not None else None, default)
        out.append((start if start is not None else 1, restart))
    return out


def _display_numbers(refs: list[tuple[tuple[str, str], int]], sections: list[tuple[int, str]],
                     first: int | None = None) -> dict[tuple[str, str], str]:
    """Word's numbers for notes in reference order [(key, section)]: from the section's
    numStart, restarting at a new section whose numRestart is eachSect (eachPage restarts
    cannot be known without laying out pages: numbers then run on)."""
    out: dict[tuple[str, str], str] = {}
    counter, last = None, None
    for key, sec in refs:
        start, restart = sections[min(sec, len(sections) - 1)]
        if counter is None:
            counter = first if first is not None else start
        elif sec != last and restart == "eachSect":
            counter = start
        out[key] = str(counter)
        counter += 1
        last = sec
    return out


def _notes(doc: _Doc, kind: str) -> dict[str, tuple[str, list[tuple[int, str]]]]:
    """Note id -> (its text as written, its links' targets), from footnotes.xml or endnotes.xml."""
    part = f"word/{kind}notes.xml"
    root = doc.xml(part)
    if root is None:
        return {}
    links = doc.links(part)
    out: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for note in root.iter(W + f"{kind}note"):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        texts = []
        for p, _ in _paragraphs(note):
            t = _Text(links, lambda *_: "", in_note=True)
            t.walk(p)
            if t.text:
                texts.append(t.text)
        out[note.get(W + "id", "")] = take_links(" ".join(texts))
    return out


def read_docx(path: Path, source: str) -> Document:
    """The Document of one .docx, or ReportReadError naming it."""
    doc = _Doc(path)
    try:
        return _read(doc, path, source)
    finally:
        doc.zip.close()


_HEADING_NAME = re.compile(r"^heading\s*(\d)$")
_TOC_NAME = re.compile(r"^toc\s*(?:\d|heading)?$")


def _style_kinds(doc: "_Doc") -> dict[str, tuple[str, int]]:
    """Paragraph style id -> (block kind, heading level), from styles.xml's style names (ids
    are localised: a German heading is "berschrift1", named "heading 1")."""
    out: dict[str, tuple[str, int]] = {}
    root = doc.xml("word/styles.xml")
    names = {}
    if root is not None:
        for st in root.iter(W + "style"):
            name = st.find(W + "name")
            names[st.get(W + "styleId", "")] = (name.get(W + "val", "") if name is not None else "")
    for sid, name in names.items():
        out[sid] = _kind_of(name) or _kind_of(sid) or (PARAGRAPH, 0)
    return out


def _kind_of(name: str) -> tuple[str, int] | None:
    n = name.strip().lower()
    if m := _HEADING_NAME.match(n):
        return HEADING, int(m.group(1))
    if n == "title":
        return TITLE, 0
    if n == "subtitle":
        return FRONT, 0
    if _TOC_NAME.match(n):
        return CONTENTS, 0
    return None


def _read(doc: "_Doc", path: Path, source: str) -> Document:
    root = doc.xml("word/document.xml")
    body = root.find(W + "body") if root is not None else None
    if body is None:
        raise ReportReadError(path, "damaged Word file (document.xml has no body)")
    order: list[tuple[str, str]] = []
    section_of: dict[tuple[str, str], int] = {}
    section = 0

    def number(kind: str, nid: str) -> str:
        if (kind, nid) not in section_of:
            order.append((kind, nid))
            section_of[(kind, nid)] = section
        return f"\x00{kind}:{nid}\x00"                  # numbered after the whole body is read

    kinds = _style_kinds(doc)
    links = doc.links("word/document.xml")
    paragraphs: list[tuple[str, int, str]] = []          # (kind, level, text with placeholders)
    rows = _table_rows(body, links)
    row: tuple[int, list[str]] | None = None             # the row being read as one line: (its id, texts)
    join: str | None = None                              # the text before the cell being read
    for p, style in _paragraphs(body):
        t = _Text(links, number, in_note=False)
        t.walk(p)
        if p.find(f"{W}pPr/{W}sectPr") is not None:
            section += 1                                 # this paragraph ends a section
        in_row = rows.get(id(p))
        if row is not None and (in_row is None or in_row[0] != row[0]):
            paragraphs.append((PARAGRAPH, 0, "".join(row[1]).strip()))
            row = None
        if in_row is not None:
            row = row or (in_row[0], [])
            if in_row[1] is not None:
                join = in_row[1]                         # a cell's first paragraph: the cell's join
            if t.text:
                row[1].append((join if join is not None else " ") + t.text)
                join = None
            continue
        if not t.text:
            continue
        kind, level = kinds.get(style) or _kind_of(style) or (PARAGRAPH, 0)
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        if kind == PARAGRAPH and outline is not None and (outline.get(W + "val") or "").isdigit() \
                and int(outline.get(W + "val")) < 9:
            kind, level = HEADING, int(outline.get(W + "val")) + 1
        paragraphs.append((kind, level, t.text))
    if row is not None:
        paragraphs.append((PARAGRAPH, 0, "".join(row[1]).strip()))
    if not paragraphs:
        raise ReportReadError(path, "no text (the Word document is empty)")
    # Word's display numbers: footnotes in reference order from numStart; endnotes likewise,
    # after the footnotes when the file has both
    foot = [k for k in order if k[0] == "foot"]
    end = [k for k in order if k[0] == "end"]
    numbers = _display_numbers([(k, section_of[k]) for k in foot], _sections(doc, body, "foot"))
    after = int(numbers[foot[-1]]) + 1 if foot and numbers[foot[-1]].isdecimal() else None
    numbers.update(_display_numbers([(k, section_of[k]) for k in end], _sections(doc, body, "end"), after))
    written = {"foot": _notes(doc, "foot"), "end": _notes(doc, "end")}
    out = Document(source=source)
    for kind, nid in foot + end:
        key = f"{kind}:{nid}"
        text, note_links = written[kind].get(nid, ("", []))
        out.notes[key] = DocNote(key=key, label=numbers[(kind, nid)], text=text, links=note_links)
    for kind, level, text in paragraphs:
        out.blocks.append(_block(kind, level, text, numbers))
    core = doc.xml("docProps/core.xml")
    stated = (core.findtext(DC + "title") or "").strip() if core is not None else ""
    titles = [b for b in out.blocks if b.kind == TITLE]
    if titles:
        out.title = " ".join(titles[0].text.split())
    elif stated and out.blocks and _norm(stated) == _norm(out.blocks[0].text):
        out.blocks[0].kind = TITLE                       # the first line prints the stated title
        out.title = " ".join(out.blocks[0].text.split())
    author = (core.findtext(DC + "creator") or "").strip() if core is not None else ""
    head = _norm(" ".join(b.text for b in out.blocks[:6]))
    if author and _norm(author) and f" {_norm(author)} " in f" {head} ":
        out.authors = split_names(author)
    return out


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def _block(kind: str, level: int, text: str, numbers: dict[tuple[str, str], str]) -> Block:
    """A paragraph's text with its note placeholders taken out as marks."""
    out, marks, last = [], [], 0
    length = 0
    for m in re.finditer(r"\x00(foot|end):([^\x00]*)\x00", text):
        chunk = text[last:m.start()]
        out.append(chunk)
        length += len(chunk)
        marks.append(Mark(pos=length, label=numbers[(m.group(1), m.group(2))], note=f"{m.group(1)}:{m.group(2)}"))
        last = m.end()
    out.append(text[last:])
    return Block(kind, "".join(out), level=level, marks=marks)
