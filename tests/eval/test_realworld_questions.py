"""The real-world gold questions (eval/gold/realworld/<report>.questions.jsonl) checked against the
report files themselves, independently of Dossier: the report's text comes from its HTML read with
the standard library's html.parser (not Dossier's readers: tex4ht's HTML for the Mueller report, a
Google Docs export and a saved Wikipedia page for tune reports) or, for a report kept only as a PDF
(the CRS report), from its PDF read with pdfminer.six by character size (Dossier's PDF reader is
built on pypdfium2), the footnotes from the report's own gold.json (built from the LaTeX sources;
for the others, from the file's own notes). Every evidence fragment must occur in one sentence of the
report (or in the note it names), on the PDF page its `page` names when the report is read from a PDF,
its markers must be the footnote numbers that close that sentence in the file and agree with
gold.json, and the set must be well formed: unique ids, valid categories, unanswerable questions
without evidence, at least a third of them unanswerable, the split given to the whole publisher."""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eval.dataset import (ANSWERABLE_CATEGORIES, NEAR_MISS_CATEGORIES, UNANSWERABLE_CATEGORIES, json_lines,
                          load_questions)
from eval.formats import marker_keys

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS_DIR = ROOT / "eval" / "gold" / "realworld"
DATA_DIR = ROOT / "data" / "realworld"
# The split of each real-world report, given to the whole publisher: rules are chosen on other
# publishers ("tune"), this one is held out.
SPLIT_OF = {"mueller-vol-2": "test", "crs-pdf-strait-of-hormuz": "test", "crs-pdf-foreign-commercial-service": "test",
            "federal-register-pdf-737-max": "test", "gao-pdf-infant-formula": "test"}
MIN_QUESTIONS = {"mueller-vol-2": 70}

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u201c": '"', "\u201d": '"',
                         "\u201e": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " "})
_MARK = re.compile(r"\u27e6((?:n )?\d+(?:#\d+)?)\u27e7")   # a footnote marker in the extracted text ("n 8": a page's
#                                                         own footnote; "1#2": the second note printed "1")
_HEAD = re.compile(r"\u27e6H (.*?)\u27e7")         # a heading in the extracted text
_GLUED_MARK = re.compile(r" *\u27e6((?:n )?\d+(?:#\d+)?)\u27e7")
# words that end with a full stop inside a sentence (legal citations, titles, dates)
_ABBREVIATIONS = {"u.s", "mr", "mrs", "ms", "jr", "dr", "st", "v", "no", "inc", "gen", "sen", "rep", "e.g", "i.e",
                  "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s.c", "c.f.r", "op",
                  "o.l.c", "id", "cf", "cl", "art", "corp", "co", "ltd", "j", "jj", "ed", "supp", "cir", "cong",
                  "rec", "stat", "pub", "l", "tit", "dep't", "k.t", "d.c", "s", "ct", "f", "n"}


def normalise(text: str) -> str:
    """Curly quotes and non-breaking spaces made plain, white space collapsed (eval/gold/README.md)."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def squash(text: str) -> str:
    """Letters and digits only, folded: compares the HTML's text with gold.json's LaTeX-derived text."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())


class _ReportHTML(HTMLParser):
    """Body text with markers as ⟦N⟧ and headings as ⟦H …⟧ (table of contents and notes left out),
    and {number: note text} from tex4ht's <div class="footnotes">."""

    _VOID = {"br", "img", "meta", "link", "hr", "input"}
    _BLOCK = {"p", "div", "li", "tr", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.out: list[str] = []
        self.notes: dict[str, str] = {}
        self.note: str | None = None
        self.skip = 0
        self.notes_at = self.toc_at = self.mark_at = self.head_at = None
        self.mark = ""

    def handle_starttag(self, tag, attrs):
        if tag in self._VOID:
            if tag == "br":
                self._emit(" ")
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append(tag)
        depth = len(self.stack)
        if tag in ("head", "title", "style", "script"):
            self.skip += 1
        if "footnotes" in classes:
            self.notes_at = depth
        if "tableofcontents" in classes:
            self.toc_at = depth
        if "footnote-mark" in classes:
            self.mark_at, self.mark = depth, ""
        if re.fullmatch(r"h[1-6]", tag):
            self.head_at = depth
            self._emit("\n\u27e6H ")
        if tag in self._BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag):
        if tag in self._VOID:
            return
        while self.stack:
            depth = len(self.stack)
            opened = self.stack.pop()
            if opened in ("head", "title", "style", "script"):
                self.skip -= 1
            if depth == self.mark_at:
                self.mark_at = None
                if self.notes_at:
                    self.note = self.mark.strip()
                    self.notes[self.note] = ""
                else:
                    self._emit(f"\u27e6{self.mark.strip()}\u27e7")
            if depth == self.head_at:
                self.head_at = None
                self._emit("\u27e7\n")
            if depth == self.toc_at:
                self.toc_at = None
            if depth == self.notes_at:
                self.notes_at = None
            if opened == tag:
                break

    def handle_data(self, data):
        if self.skip:
            return
        if self.mark_at is not None:
            self.mark += data
        elif self.notes_at is not None:
            if self.note is not None:
                self.notes[self.note] += data
        else:
            self._emit(data.replace("\n", " "))

    def _emit(self, text: str) -> None:
        if self.notes_at is None and self.toc_at is None:
            self.out.append(text)


class _GoogleDocsHTML(HTMLParser):
    """The same text for a Google Docs HTML export (eval/gold/README.md, the tune reports): a
    marker is <a id="ftnt_refN">[N]</a>, note N is the paragraph of <a id="ftntN"> after the
    closing <hr>, and a heading is a short paragraph whose every span has a class that the
    export's style sheet makes 13 pt, bold or italic (the export has no <h1>-<h6>). The export is
    pretty-printed: white space between tags that holds a line break is layout, not text."""

    def __init__(self, css: str) -> None:
        super().__init__(convert_charrefs=True)
        self.heading_classes = {c for c, rule in re.findall(r"(?<![\w-])\.(c\d+)\{([^}]*)\}", css)
                                if "font-size:13pt" in rule or "font-style:italic" in rule or "font-weight:700" in rule}
        self.out: list[str] = []
        self.notes: dict[str, str] = {}
        self.note: str | None = None
        self.skip = 0
        self.after_hr = False
        self.anchor: str | None = None
        self.para: list[str] | None = None      # the spans of the paragraph being read
        self.span_classes: list[set[str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("head", "title", "style", "script"):
            self.skip += 1
        elif tag == "hr":
            self.after_hr = True
        elif tag == "p" and not self.after_hr:
            self.para, self.span_classes = [], []
        elif tag == "span" and self.para is not None:
            self.span_classes.append(set((a.get("class") or "").split()))
        elif tag == "a":
            ident = a.get("id") or ""
            if m := re.fullmatch(r"ftnt_ref(\d+)", ident):
                self.anchor = m.group(1)
            elif (m := re.fullmatch(r"ftnt(\d+)", ident)) and self.after_hr:
                self.anchor, self.note = "", m.group(1)
                self.notes[self.note] = ""

    def handle_endtag(self, tag):
        if tag in ("head", "title", "style", "script"):
            self.skip -= 1
        elif tag == "a" and self.anchor is not None:
            if self.anchor:
                self._emit(f"\u27e6{self.anchor}\u27e7")
            self.anchor = None
        elif tag == "p" and self.para is not None:
            text = "".join(self.para)
            heading = (self.span_classes and all(c & self.heading_classes for c in self.span_classes)
                       and "\u27e6" not in text and 0 < len(text.strip()) < 100)
            self.out.append(f"\n\u27e6H {text.strip()}\u27e7\n" if heading else f"\n{text}\n")
            self.para = None

    def handle_data(self, data):
        if self.skip or self.anchor is not None or (not data.strip() and "\n" in data):
            return
        if self.after_hr:
            if self.note is not None:
                self.notes[self.note] += data
        else:
            self._emit(data)

    def _emit(self, text: str) -> None:
        (self.para if self.para is not None else self.out).append(text)



class _MediaWikiHTML(HTMLParser):
    """A saved Wikipedia page (MediaWiki HTML): only <div id="mw-content-text"> is read; a marker is a
    <sup class="reference"> (its printed [N], or [n N] for the page's own footnotes), its note the <li>
    of an <ol class="references"> its link names (#cite_note-…; its <span class="reference-text">; a
    note no marker in the text links to is "#<its place among the notes>"); a heading is an <h2>-<h4> ("[edit]" left out); the contents
    box, navboxes, what the page hides or does not print (display:none, noprint), scripts and styles
    are left out."""

    _VOID = {"br", "img", "meta", "link", "hr", "input", "wbr"}
    _BLOCK = {"p", "div", "li", "tr", "dd", "dt", "blockquote", "caption", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []     # (tag, roles it opened)
        self.out: list[str] = []
        self.notes: dict[str, str] = {}
        self.note: str | None = None
        self.targets: dict[str, str] = {}                 # a note's element id -> the marker that links to it
        self.target = ""

    def _in(self, role: str) -> bool:
        return any(role in roles for _, roles in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in self._VOID:
            if tag == "br":
                self._emit(" ")
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        roles = set()
        if tag == "a" and self._in("mark") and (a.get("href") or "").startswith("#"):
            self.target = a["href"][1:]
        if a.get("id") == "mw-content-text":
            roles.add("content")
        if (tag in ("script", "style") or a.get("id") == "toc" or classes & {"navbox", "mw-editsection", "noprint"}
                or "navbox" in " ".join(classes) or re.search(r"display:\s*none", a.get("style") or "")):
            roles.add("skip")
        if tag == "sup" and "reference" in classes:
            roles.add("mark")
            self.mark, self.target = "", ""
        if tag == "ol" and "references" in classes:
            roles.add("notes")
        if tag == "li" and self._in("notes") and not self._in("skip"):
            self.note = self.targets.get(a.get("id") or "") or f"#{len(self.notes) + 1}"
            self.notes[self.note] = ""
        if tag == "span" and "mw-cite-backlink" in classes:
            roles.add("skip")
        if re.fullmatch(r"h[2-4]", tag):
            roles.add("head")
            self._emit("\n\u27e6H ")
        if tag in self._BLOCK or tag in ("td", "th"):
            self._emit("\n" if tag in self._BLOCK else " ")
        self.stack.append((tag, roles))

    def handle_endtag(self, tag):
        if tag in self._VOID or tag not in (t for t, _ in self.stack):
            return
        while self.stack:
            opened, roles = self.stack.pop()
            if "mark" in roles:
                n = self.mark.strip().strip("[]")
                if self.target:
                    self.targets.setdefault(self.target, n)
                self._emit(f"\u27e6{n}\u27e7")
            if "head" in roles:
                self._emit("\u27e7\n")
            if "notes" in roles:
                self.note = None
            if opened in self._BLOCK:
                self._emit("\n")
            if opened == tag:
                break

    def handle_data(self, data):
        if not self._in("content") or self._in("skip"):
            return
        if self._in("mark"):
            self.mark += data
        elif self._in("notes"):
            if self.note is not None:
                self.notes[self.note] += data
        else:
            self._emit(data.replace("\n", " "))

    def _emit(self, text: str) -> None:
        if self._in("content") and not self._in("notes") and not self._in("skip"):
            self.out.append(text)

class _WordPDF:
    """The same text for a PDF typeset by Microsoft Word (the CRS report, the Commission's
    Communication), read with pdfminer.six by character size, not with Dossier's reader (built on
    pypdfium2). Pieces of one printed line (a justified line can come in several) are one line. The
    commonest size is the body, the next commonest below it the notes; raised digits smaller than the
    body inside a body line are markers (a lowered one is a subscript: CO2); digits smaller than the
    notes at the start of a note line begin note N, and a note line without them goes on with the
    note before, across pages. A heading is a line set larger than the body, or a numbered line
    ("2.1.1. …") set in bold or italic, with an indented styled line after it; after the cover page.
    Other sizes (running header, page numbers, captions, cover) and contents lines (dot leaders) are
    left out. Word writes the space at the end of a line, so lines are joined as they are (a URL or a
    compound broken after its hyphen goes on without a space). A paragraph ends at a gap wider than the
    line pitch. `pages` holds each page's body and note text, markers left out, for checking an
    evidence's page."""

    _NUMBERED = re.compile(r"\d+(\.\d+)*\.\s")

    def __init__(self, path: Path) -> None:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

        pages, sizes = [], Counter()
        for page in extract_pages(str(path)):
            rows: dict[int, list] = {}
            for box in page:
                for line in (box if isinstance(box, LTTextContainer) else []):
                    chars = [(c.get_text(), round(c.size * 2) / 2, c.fontname, c.x0, c.y0)
                             for c in line if isinstance(c, LTChar)] if isinstance(line, LTTextLine) else []
                    if chars:
                        y = round(line.y0)
                        rows.setdefault(next((k for k in rows if abs(k - y) <= 2), y), []).extend(chars)
                        sizes.update(c[1] for c in chars if c[0].strip())
            pages.append([(y, sorted(rows[y], key=lambda c: c[3])) for y in sorted(rows, reverse=True)])
        body = sizes.most_common(1)[0][0]
        note_size = max((size for size in sizes if size < body), key=lambda size: sizes[size])
        self.out: list[str] = []
        self.notes: dict[str, str] = {}
        self.pages: list[str] = []
        note = None
        for number, lines in enumerate(pages, 1):
            last_y, seen, heading = None, [], False
            for y, chars in lines:
                main = Counter(c[1] for c in chars if c[0].strip()).most_common(1)[0][0]
                text = "".join(c[0] for c in chars).strip()
                styled = all("Bold" in c[2] or "Italic" in c[2] for c in chars if c[0].isalpha())
                if "....." in text:
                    continue
                if number > 1 and (main > body or (styled and self._NUMBERED.match(text) and len(text) < 160)):
                    self.out.append(f"\n\u27e6H {text}\u27e7\n")
                    last_y, heading = None, True
                    continue
                if heading and styled and main == body and chars[0][3] > 90 and not self._NUMBERED.match(text):
                    self.out[-1] = self.out[-1][:-2] + f" {text}\u27e7\n"      # a heading's second line
                    continue
                heading = False
                if main == body:
                    if last_y is not None and last_y - y > 1.35 * body:
                        self.out.append("\n")
                    line = self._body_line(chars, body)
                    self.out.append(line)
                    seen.append(_MARK.sub("", line))
                    last_y = y
                elif note_size - 0.5 <= main <= note_size:
                    label = ""
                    while len(label) < len(chars) and chars[len(label)][1] < note_size \
                            and chars[len(label)][0].isdigit():
                        label += chars[len(label)][0]
                    rest = "".join(c[0] for c in chars[len(label):])
                    if label:
                        note = label
                        self.notes[note] = ""
                    if note is not None:
                        self.notes[note] += rest
                    seen.append(rest)
            self.pages.append(normalise("".join(seen)))

    @staticmethod
    def _body_line(chars: list[tuple], body: float) -> str:
        base = Counter(round(c[4]) for c in chars if c[1] == body).most_common(1)[0][0]
        out, mark = [], ""
        for t, size, _, _, y in chars + [("", body, "", 0, base)]:
            if size < body and y > base + 1 and (t.isdigit() or (t == "," and mark)):
                mark += t
                continue
            if mark:
                out += [f"\u27e6{m}\u27e7" for m in mark.split(",") if m]
                mark = ""
            out.append(t)
        return "".join(out)


def _gold_builder(folder: Path):
    """The module of a report's own gold builder (`build_gold.py` beside its file)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{folder.name}_build_gold", folder / "build_gold.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder


class _FederalRegisterPDF:
    """The same text for the Federal Register's three-column PDF, read by its gold's own builder
    (data/realworld/federal-register-pdf-737-max/build_gold.py: pdfminer.six, the page cut into its three
    columns at fixed x, body text by its type size, the rule text's 8 pt included here), not by Dossier's
    reader. One line of text (a sentence runs on across columns and pages); no headings."""

    def __init__(self, folder: Path, pdf: Path) -> None:
        _, notes, text = _gold_builder(folder).read(str(pdf), body_sizes=("body", "rule"))
        joined = lambda t: re.sub(r"\s+", " ", re.sub(r"-\s*\n\s*(?=[a-z])", "", t))  # noqa: E731
        self.out = [joined("".join(text[p] for p in sorted(text)))]
        self.pages = [_MARK.sub("", joined(text.get(p, "") + " " + " ".join(v["text"] for v in notes.values()
                                                                    if v["page"] == p)))
                      for p in range(1, max(text) + 1)]                 # with the notes begun on the page
        self.notes = {n: joined(v["text"]).strip() for n, v in notes.items()}


class _GAOPDF:
    """The same text for a GAO report of 2006 (GAO-06-282), read by its gold's own builder
    (data/realworld/gao-pdf-infant-formula/build_gold.py: pdfminer.six by type size and position, in pdfminer's
    layout order), not by Dossier's reader. Two typesettings in one file (the 11 pt Century letter and
    appendixes, the Helvetica briefing slides of appendix I, each with its own marker and note sizes) and three
    note numberings, so a note printed "1" a second time is "1#2" (as eval.formats.marker_keys keys it); headings
    are the slide titles and the appendix titles and side heads, the letter under "Letter". `_WordPDF` takes
    one body size and one note size for the whole file and keys notes by their printed number."""

    def __init__(self, folder: Path, pdf: Path) -> None:
        got = _gold_builder(folder).read(str(pdf))
        self.out = [got["stream"]]
        self.pages = got["pages"]
        self.notes = {key: n["text"] for key, n in got["notes"].items()}


READERS = {"federal-register-pdf-737-max": _FederalRegisterPDF,   # reports no reader above reads right
           "gao-pdf-infant-formula": _GAOPDF}


def gold_keys(notes: list[dict]) -> list[str]:
    """The marker each gold entry is known by: eval.formats.marker_keys, its printed label kept as printed
    ("n 8" stays "n 8", as the HTML readers print it), "label#k" for the k-th different note printed with
    the same label (numbering that restarts)."""
    return marker_keys(notes, label=str)


class Report:
    """One real-world report: its text and notes (from its HTML, else its PDF), and its gold.json."""

    def __init__(self, folder: Path) -> None:
        htmls, pdfs = sorted(folder.glob("*.html")), sorted(folder.glob("*.pdf"))
        self.pdf = bool(pdfs)
        self.pages: list[str] | None = None          # each PDF page's text, when read from the PDF
        assert len(htmls) == 1 or (not htmls and len(pdfs) == 1), \
            f"{folder}: expected one HTML file (or one PDF), found {len(htmls)} HTML and {len(pdfs)} PDF"
        self.kind = "HTML" if htmls else "PDF"      # what the text was read from, for messages
        if htmls:
            raw = htmls[0].read_text(encoding="utf-8")
            parser = (_GoogleDocsHTML(raw) if 'id="ftnt_ref' in raw else
                      _MediaWikiHTML() if 'id="mw-content-text"' in raw else _ReportHTML())
            parser.feed(raw)
            parser.close()
        else:
            parser = READERS[folder.name](folder, pdfs[0]) if folder.name in READERS else _WordPDF(pdfs[0])
            self.pages = parser.pages
        text = re.sub(r"(\u27e6H [^\u27e7]*?)\s+(?=\u27e7)", r"\1", "".join(parser.out))   # "⟦H History ⟧"
        lines = (normalise(line) for line in text.split("\n"))
        self.body = "\n".join(line for line in lines if line)
        self.notes = {n: normalise(t) for n, t in parser.notes.items()}
        self.gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        keys = gold_keys(self.gold["notes"])
        self.gold_notes = {k: n for k, n in zip(keys, self.gold["notes"])}
        self.gold_contexts: dict[str, list[str]] = {}     # a note cited twice has an entry per citation
        for k, n in zip(keys, self.gold["notes"]):
            self.gold_contexts.setdefault(k, []).append(squash(n["context_before"]))
        # the body without its markers, and for each of its characters the index in the body
        plain, index, at = [], [], 0
        for m in _MARK.finditer(self.body):
            plain.extend(self.body[at:m.start()])
            index.extend(range(at, m.start()))
            at = m.end()
        plain.extend(self.body[at:])
        index.extend(range(at, len(self.body)))
        self.plain, self.index = "".join(plain), index

    def occurrences(self, fragment: str) -> list[tuple[list[str], str | None]]:
        """(markers, heading) of each place the fragment occurs in the body. The markers are the
        ones from the fragment's start to the end of its sentence: a marker closes the text since
        the previous sentence end (eval/gold/README.md)."""
        text = normalise(fragment)
        found = []
        for m in re.finditer(re.escape(text), self.plain):
            start = self.index[m.start()]
            last = max(i for i in range(m.start(), m.end()) if self.plain[i].isalnum())
            end = self._sentence_end(self.index[last])
            found.append((_MARK.findall(self.body[start:end]), self._heading_before(start)))
        return found

    def texts_before_marker(self, marker: str) -> list[str]:
        """The text before each place the marker is printed (a note cited twice is printed twice)."""
        return [_MARK.sub("", _HEAD.sub(" ", self.body[max(0, m.start() - 200):m.start()]))
                for m in re.finditer(re.escape(f"\u27e6{marker}\u27e7"), self.body)]

    def _heading_before(self, pos: int) -> str | None:
        heads = _HEAD.findall(self.body, 0, pos)
        return heads[-1] if heads else None

    def _sentence_end(self, pos: int) -> int:
        """Index just past the sentence holding `pos`, with the markers glued after its full stop."""
        raw, n, i = self.body, len(self.body), pos
        while i < n:
            c = raw[i]
            if c == "\n":
                return i
            if c not in ".?!":
                i += 1
                continue
            j = i + 1
            while j < n and raw[j] in "\"')]":
                j += 1
            k = j
            while m := _GLUED_MARK.match(raw, k):  # "maintenance. [1]": the marker still closes it
                k = m.end()
            if k >= n or raw[k] == "\n":
                return k
            if raw[k] == " ":
                word = re.search(r"([A-Za-z.']+)$", raw[max(0, i - 12):i])
                w = word.group(1).lower() if word else ""
                abbreviation = c == "." and (w in _ABBREVIATIONS or len(w) == 1 or w.endswith("."))
                nxt = raw[k:k + 3].lstrip()[:1]
                if not abbreviation and nxt and (nxt.isupper() or nxt.isdigit() or nxt in "\"(\u27e6[_\u25a0"):
                    return k
            i = j
        return n


def problems(name: str, questions: list[dict], report: Report) -> list[str]:
    """Every way the questions of one real-world report break the rules, one line each."""
    out = []
    ids = [q.get("id") for q in questions]
    out += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    answerable = {q["id"] for q in questions if q.get("answerable") is True}
    pages = report.gold.get("pdf_pages") if report.pdf else None
    for q in questions:
        qid = q.get("id")
        if not re.fullmatch(r"[a-z0-9]+-q\d{3}", str(qid)):
            out.append(f"{qid}: id must look like <prefix>-q001")
        if q.get("split") != SPLIT_OF.get(name, "tune"):
            out.append(f"{qid}: split {q.get('split')!r}, the whole of {name} is {SPLIT_OF.get(name, 'tune')!r}")
        allowed = ANSWERABLE_CATEGORIES if q.get("answerable") else UNANSWERABLE_CATEGORIES
        if q.get("category") not in allowed or q.get("category") == "original":
            out.append(f"{qid}: category {q.get('category')!r} is not valid here")
        if not q.get("answerable"):
            if q.get("evidence") or q.get("key_facts"):
                out.append(f"{qid}: an unanswerable question has evidence or key facts")
            if "twin" in q and q["twin"] not in answerable:
                out.append(f"{qid}: twin {q['twin']!r} is not an answerable question of this file")
            continue
        if not q.get("evidence") or not q.get("key_facts"):
            out.append(f"{qid}: an answerable question needs evidence and key facts")
        if (q.get("category") == "partial") != bool(q.get("unanswered_part")):
            out.append(f"{qid}: 'unanswered_part' goes with category 'partial' and only there")
        said = " ".join(normalise(e.get("text", "")).casefold() for e in q.get("evidence", []))
        for facts in q.get("key_facts", []):
            if not any(normalise(a).casefold() in said for a in facts):
                out.append(f"{qid}: key fact {facts[0]!r} is in none of its evidence")
        for e in q.get("evidence", []):
            out += [f"{qid}: {p}" for p in _evidence_problems(name, e, report, pages)]
    unanswerable = sum(1 for q in questions if not q.get("answerable"))
    if 3 * unanswerable < len(questions):
        out.append(f"only {unanswerable} of {len(questions)} questions are unanswerable (at least a third)")
    return out


def _evidence_problems(name: str, e: dict, report: Report, pages: int) -> list[str]:
    out = []
    text, markers = e.get("text", ""), e.get("markers")
    if e.get("report") != name:
        out.append(f"evidence report {e.get('report')!r} is not {name!r}")
    if pages is None:                     # a report kept only in HTML: no page to name
        if e.get("page") is not None:
            out.append(f"page {e.get('page')!r}: the report has no PDF, page must be null")
    elif not isinstance(e.get("page"), int) or not 1 <= e["page"] <= pages:
        out.append(f"page {e.get('page')!r} is not a page of the PDF (1-{pages})")
    elif report.pages is not None and squash(text)[:40] not in squash(report.pages[e["page"] - 1]):
        out.append(f"{text[:50]!r} is not on PDF page {e['page']}")
    if not isinstance(markers, list) or not all(isinstance(m, str) for m in markers):
        return out + ["markers must be a list of strings"]
    if e.get("in_note"):
        if len(markers) != 1:
            return out + [f"a note's evidence names its one note, not {markers}"]
        note = markers[0]
        if normalise(text) not in report.notes.get(note, ""):
            out.append(f"{text[:50]!r} is not in note {note} of the {report.kind}")
        if squash(text) not in squash(report.gold_notes.get(note, {}).get("note_visible", "")):
            out.append(f"{text[:50]!r} is not in note {note} of gold.json")
        return out
    places = report.occurrences(text)
    if not places:
        return out + [f"{text[:50]!r} does not occur in the report's text"]
    if not any(found == markers and e.get("section", heading) == heading for found, heading in places):
        out.append(f"{text[:50]!r}: markers {markers} / section {e.get('section')!r}, the report has "
                   + "; ".join(f"{found} under {heading!r}" for found, heading in places))
    for m in markers:
        gold = report.gold_notes.get(m)
        if gold is None:
            out.append(f"marker {m} is not a note of gold.json")
            continue
        befores = [squash(t)[-40:] for t in report.texts_before_marker(m)]
        if not any(b and ctx.endswith(b) for b in befores for ctx in report.gold_contexts[m]):
            out.append(f"marker {m}: the {report.kind}'s text before it does not end gold.json's context_before")
    return out


def _files() -> list[Path]:
    return sorted(QUESTIONS_DIR.glob("*.questions.jsonl"))


def _name(path: Path) -> str:
    return path.name[: -len(".questions.jsonl")]


def _rows(path: Path) -> list[dict]:
    return [row for _, row in json_lines(path, "questions")]


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {_name(p): Report(DATA_DIR / _name(p)) for p in _files()}


def test_there_are_realworld_questions_and_their_reports():
    assert _files(), f"no *.questions.jsonl in {QUESTIONS_DIR}"
    for path in _files():
        assert (DATA_DIR / _name(path) / "README.md").is_file(), f"{_name(path)}: the report's README (attribution)"


@pytest.mark.parametrize("path", _files(), ids=_name)
def test_every_question_holds_against_the_report(path, reports):
    found = problems(_name(path), _rows(path), reports[_name(path)])
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", _files(), ids=_name)
def test_the_eval_loads_them_and_they_cover_what_the_issue_asks(path):
    questions = load_questions(path)
    assert len(questions) >= MIN_QUESTIONS.get(_name(path), 15)
    cats = {q["category"] for q in questions}
    assert set(NEAR_MISS_CATEGORIES) <= cats and {"reworded", "partial", "not_in_reports"} <= cats
    evidence = [e for q in questions for e in q["evidence"]]
    assert any(e["in_note"] for e in evidence), "a question answered by a note's text"
    if _name(path) == "mueller-vol-2":
        assert sum(1 for e in evidence if any(int(m) >= 1000 for m in e["markers"])) >= 5, "4-digit markers"
        assert len({e["section"] for e in evidence}) >= 30, "spread over the report's sections"


def test_the_html_reader_finds_every_note_and_marker(reports):
    report = reports["mueller-vol-2"]
    numbers = {str(n) for n in range(1, report.gold["footnotes_total"] + 1)}
    assert set(report.notes) == numbers
    assert set(_MARK.findall(report.body)) == numbers
    # a marker glued to a full stop belongs to the sentence before it
    assert report.occurrences("Cohen was sentenced to three years of imprisonment") == [
        (["1062"], "5. The President's Conduct After Cohen Began Cooperating with the Government")]
    # a marker inside a sentence is listed for a fragment before it, not for one after it
    assert report.occurrences("speaking of closer ties with Russia")[0][0] == ["10", "11", "12", "13"]
    assert report.occurrences("and praising Putin as a")[0][0] == ["13"]


def _broken_rows(name: str, question_id: str, change) -> list[dict]:
    """A copy of a report's questions with one line broken by `change`."""
    rows = copy.deepcopy(_rows(QUESTIONS_DIR / f"{name}.questions.jsonl"))
    change(next(q for q in rows if q["id"] == question_id), rows)
    return rows


def _broken(question_id: str, change) -> list[dict]:
    return _broken_rows("mueller-vol-2", question_id, change)


def _set_text(q, rows): q["evidence"][0]["text"] = q["evidence"][0]["text"].replace("five", "six")
def _add_marker(q, rows): q["evidence"][0]["markers"] = q["evidence"][0]["markers"] + ["39"]
def _drop_marker(q, rows): q["evidence"][0]["markers"] = []
def _other_section(q, rows): q["evidence"][0]["section"] = "Introduction to Volume II"
def _note_text(q, rows): q["evidence"][0]["text"] = "Within six hours of Trump's remark"
def _evidence_on_unanswerable(q, rows): q.update(evidence=[{"report": "mueller-vol-2", "text": "x"}])
def _duplicate_id(q, rows): q["id"] = "mv2-q001"
def _bad_category(q, rows): q["category"] = "original"
def _tune_split(q, rows): q["split"] = "tune"
def _key_fact_elsewhere(q, rows): q["key_facts"] = [["seven times"]]
def _too_few_unanswerable(q, rows): rows[:] = [r for r in rows if r["answerable"] or r["id"] == q["id"]]


@pytest.mark.parametrize("question_id,change,expected", [
    ("mv2-q007", _set_text, "does not occur"),
    ("mv2-q007", _add_marker, "markers ['38', '39']"),
    ("mv2-q007", _drop_marker, "markers []"),
    ("mv2-q007", _other_section, "section 'Introduction to Volume II'"),
    ("mv2-q011", _note_text, "is not in note 36"),
    ("mv2-q070", _evidence_on_unanswerable, "unanswerable question has evidence"),
    ("mv2-q007", _duplicate_id, "duplicate id 'mv2-q001'"),
    ("mv2-q007", _bad_category, "category 'original'"),
    ("mv2-q007", _tune_split, "split 'tune'"),
    ("mv2-q007", _key_fact_elsewhere, "key fact 'seven times'"),
    ("mv2-q070", _too_few_unanswerable, "at least a third"),
])
def test_the_checker_catches_a_broken_line(question_id, change, expected, reports):
    found = problems("mueller-vol-2", _broken(question_id, change), reports["mueller-vol-2"])
    assert any(expected in p for p in found), found


def test_the_google_docs_reader_finds_every_endnote_and_marker(reports):
    report = reports["google-docs-roads-and-bridges"]
    numbers = {str(n) for n in range(1, len(report.gold["notes"]) + 1)}
    assert len(numbers) == 206 and set(report.notes) == numbers
    assert sorted(_MARK.findall(report.body), key=int) == sorted(numbers, key=int)      # each printed once
    assert report.notes["172"] == "Gittip is now called Gratipay. The product has been modified somewhat since " \
                                  "the original publication of Andrey's post."
    # a heading the export sets as a bold, 13 pt or italic paragraph, even split over two spans
    assert report.occurrences("gathered nearly $4 million in pledges") == [(["177"], "Dedicated foundation support")]
    # a marker inside a sentence is listed for a fragment before it, not for one after it
    assert report.occurrences("Distribute it on Gittip")[0][0] == ["172"]
    assert report.occurrences("if you wish, or do what Stripe did")[0][0] == []


def _gd_broken(question_id: str, change) -> list[dict]:
    return _broken_rows("google-docs-roads-and-bridges", question_id, change)


def _gd_page(q, rows): q["evidence"][0]["page"] = 3
def _gd_marker(q, rows): q["evidence"][0]["markers"] = ["78"]
def _gd_note(q, rows): q["evidence"][0]["markers"] = ["171"]
def _gd_section(q, rows): q["evidence"][0]["section"] = "Introduction"


@pytest.mark.parametrize("question_id,change,expected", [
    ("grb-q009", _gd_page, "page must be null"),
    ("grb-q009", _gd_marker, "markers ['78']"),
    ("grb-q020", _gd_note, "is not in note 171 of the HTML"),
    ("grb-q017", _gd_section, "section 'Introduction'"),
])
def test_the_checker_catches_a_broken_google_docs_line(question_id, change, expected, reports):
    found = problems("google-docs-roads-and-bridges", _gd_broken(question_id, change),
                     reports["google-docs-roads-and-bridges"])
    assert any(expected in p for p in found), found


def test_the_mediawiki_reader_finds_every_reference_and_marker(reports):
    report = reports["mediawiki-wikipedia-mozilla"]
    assert set(report.notes) == {str(n) for n in range(1, 73)}
    # 76 markers as printed: four notes are cited twice, and the gold has an entry per citation
    assert len(_MARK.findall(report.body)) == len(report.gold["notes"]) == 76
    assert sorted(m for m in set(_MARK.findall(report.body)) if _MARK.findall(report.body).count(m) > 1) == \
        ["36", "40", "60", "70"]
    # the note's text without its back-link ("^ a b") and without the hidden COinS span
    assert report.notes["60"] == 'Eich, Brendan (21 June 2011). "New JavaScript Engine Module Owner". BrendanEich.com.'
    # headings without their "[edit]" link; the contents box is not text
    assert report.occurrences("Firefox Mobile (codenamed Fennec)") == [([], "Firefox Mobile")]
    assert "Contents" not in report.body.split("\n")[:20]
    # the lead, before any heading, has no section
    assert report.occurrences("promoting exclusively free software and open standards") == [(["1"], None)]


def test_the_word_pdf_reader_finds_every_footnote_and_marker(reports):
    report = reports["crs-pdf-strait-of-hormuz"]
    numbers = {str(n) for n in range(1, 41)}
    assert set(report.notes) == numbers and sorted(_MARK.findall(report.body), key=int) == sorted(numbers, key=int)
    # a note's URL broken after a hyphen at a line end goes on without a space, across lines
    assert report.notes["3"] == 'United Kingdom Maritime Trade Operations (UKMTO) Centre, "Recent Incidents," ' \
                                'https://www.ukmto.org/recent-incidents.'
    # a marker inside a sentence (7 pt digits in an 11 pt line) closes the text before it
    assert report.occurrences("under an unsubstantiated premise that harbor mines")[0][0] == ["10", "11"]
    assert report.occurrences("have been placed in the normal designated shipping lanes")[0][0] == ["11"]
    # headings from their size; the running header, the page foot and the contents page are not text
    assert report.occurrences("Qatar accounts for about 30% of the world's helium") == \
        [(["28"], "Oil and Gas Byproducts")]
    assert "Congressional Research Service" not in report.body and "....." not in report.body
    # each page's text, for the evidence's page
    assert "Jebel Ali" in report.pages[3] and "Jebel Ali" not in report.pages[2]


def test_the_word_pdf_reader_reads_a_justified_commission_pdf(reports):
    report = reports["ec-pdf-european-green-deal"]
    numbers = [str(n) for n in range(1, 31)]
    assert sorted(report.notes, key=int) == numbers and _MARK.findall(report.body) == numbers
    # a subscript (CO2, lowered) is not a marker; a raised digit is
    assert report.occurrences("can increase absorption of CO2 while improving the resilience of forests") == \
        [([], "2.1.7. Preserving and restoring ecosystems and biodiversity")]
    # the pieces a justified line comes in are one line
    assert report.occurrences("the Commission will refocus the European Semester process")
    # a numbered heading set in italic over two lines is one heading
    assert report.occurrences("European food is famous for being safe")[0][1] == \
        "2.1.6. From 'Farm to Fork': designing a fair, healthy and environmentally-friendly food system"
    # a note whose URL is set smaller than the notes is still that note; page numbers are not note text
    assert report.notes["14"].startswith("https://ec.europa.eu/eurostat/") and report.notes["4"].endswith("Europe':")



def test_the_gao_pdf_reader_finds_every_footnote_and_marker(reports):
    report = reports["gao-pdf-infant-formula"]
    # three numberings: the letter's 1, the briefing slides' 1-18, appendix III's 1-2; a restarted label is "1#k"
    keys = ["1", "1#2"] + [str(n) for n in range(2, 19)] + ["1#3", "2#2"]
    assert list(report.notes) == keys and _MARK.findall(report.body) == keys
    assert gold_keys(report.gold["notes"]) == keys and report.gold["footnotes_total"] == 21
    # every gold note as the reader reads it (two typesettings: 9 pt under 5.5 pt numbers, 7.5 pt under 5.2 pt)
    assert all(squash(report.notes[k]) == squash(g["note_visible"]) for k, g in report.gold_notes.items())
    assert report.notes["1"].endswith("(Senate Report 108-340) that we conduct this study.")
    assert report.notes["1#3"].startswith("The studies used different measures of breastfeeding")
    # two notes set close under one another in one text box are two notes
    assert report.notes["7"].endswith("not significantly different from those of non-Hispanics.")
    assert report.notes["8"].startswith("For non-WIC infants, the rates of African Americans")
    # a slide's marker (6.8 pt digits in 13.5 pt text) closes its sentence; the slide's title is its heading
    assert report.occurrences("according to a 1997 national USDA study") == [
        (["12"], "Formula Marketing: Extent of Marketing Difficult to Quantify; Data Show Mass Media Advertising "
                 "Has Increased")]
    # the letter (no heading of its own) is under "Letter"; a sentence goes on over a page turn
    assert report.occurrences("WIC is administered by the USDA's Food and Nutrition Service (FNS)") == [([], "Letter")]
    assert report.occurrences("especially for infants in the WIC program") == [(["1"], "Letter")]
    # running heads and page feet are not text; a bullet begins its own line
    assert "GAO-06-282 Breastfeeding" not in report.body and "Page 10" not in report.body
    assert "\nMassachusetts and New York have regulations" in report.body
    # each page's text (body and notes), for the evidence's page
    assert "Jon Weimer" in report.pages[11] and "Jon Weimer" not in report.pages[10]
    # the Word-PDF reader takes one body and one note size for the whole file: it misses the slides' markers
    # and keys the restarted notes over the first ones, hence _GAOPDF
    word = _WordPDF(DATA_DIR / "gao-pdf-infant-formula" / "gao-06-282.pdf")
    assert len(_MARK.findall("".join(word.out))) < 21 and len(word.notes) < 21


def _pdf_page(q, rows): q["evidence"][0]["page"] = 3
def _no_page(q, rows): q["evidence"][0]["page"] = None
def _crs_marker(q, rows): q["evidence"][0]["markers"] = ["13"]
def _crs_note(q, rows): q["evidence"][0]["markers"] = ["11"]
def _moz_marker(q, rows): q["evidence"][0]["markers"] = ["16", "17"]
def _moz_section(q, rows): q["evidence"][0]["section"] = "Firefox"
def _moz_note(q, rows): q["evidence"][0]["markers"] = ["20"]
def _moz_split(q, rows): q["split"] = "test"
def _gao_marker(q, rows): q["evidence"][0]["markers"] = ["11"]
def _gao_restarted(q, rows): q["evidence"][0]["markers"] = ["2#2"]
def _gao_note(q, rows): q["evidence"][0]["markers"] = ["1"]


@pytest.mark.parametrize("name,question_id,change,expected", [
    ("crs-pdf-strait-of-hormuz", "crs-q006", _pdf_page, "is not on PDF page 3"),
    ("crs-pdf-strait-of-hormuz", "crs-q006", _no_page, "is not a page of the PDF (1-8)"),
    ("crs-pdf-strait-of-hormuz", "crs-q006", _crs_marker, "markers ['13'] / section"),
    ("crs-pdf-strait-of-hormuz", "crs-q005", _crs_note, "is not in note 11 of the PDF"),
    ("crs-pdf-strait-of-hormuz", "crs-q006", _tune_split, "split 'tune'"),
    ("mediawiki-wikipedia-mozilla", "moz-q005", _moz_marker, "markers ['16', '17']"),
    ("mediawiki-wikipedia-mozilla", "moz-q005", _moz_section, "section 'Firefox'"),
    ("mediawiki-wikipedia-mozilla", "moz-q006", _moz_note, "is not in note 20 of the HTML"),
    ("mediawiki-wikipedia-mozilla", "moz-q005", _gd_page, "page must be null"),
    ("mediawiki-wikipedia-mozilla", "moz-q005", _moz_split, "split 'test'"),
    ("ec-pdf-european-green-deal", "egd-q001", _pdf_page, "is not on PDF page 3"),
    ("ec-pdf-european-green-deal", "egd-q001", _moz_section, "section 'Firefox'"),
    ("ec-pdf-european-green-deal", "egd-q005", _crs_note, "is not in note 11 of the PDF"),
    ("ec-pdf-european-green-deal", "egd-q016", _drop_marker, "markers []"),
    ("gao-pdf-infant-formula", "gao-q016", _gao_marker, "markers ['11'] / section"),
    ("gao-pdf-infant-formula", "gao-q016", _pdf_page, "is not on PDF page 3"),
    ("gao-pdf-infant-formula", "gao-q008", _gao_restarted, "markers ['2#2'] / section"),
    ("gao-pdf-infant-formula", "gao-q007", _gao_note, "is not in note 1 of the PDF"),
    ("gao-pdf-infant-formula", "gao-q016", _tune_split, "split 'tune'"),
])
def test_the_checker_catches_a_broken_line_of_the_new_publishers(name, question_id, change, expected, reports):
    found = problems(name, _broken_rows(name, question_id, change), reports[name])
    assert any(expected in p for p in found), found


@pytest.mark.parametrize("path", sorted((ROOT / "eval" / "gold" / "extra").glob("*.questions.jsonl")), ids=_name)
def test_the_extra_tune_questions_are_well_formed(path):
    """eval/gold/extra/: reports kept outside the repository (their licences), so only what the lines
    themselves must hold: loaded by the eval, tune only, unique ids, a third unanswerable and without
    evidence, every answerable one with evidence from its report and key facts."""
    questions = load_questions(path)
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids)) and all(q["split"] == "tune" for q in questions)
    unanswerable = [q for q in questions if not q["answerable"]]
    assert 3 * len(unanswerable) >= len(questions)
    assert all(not q["evidence"] and not q["key_facts"] for q in unanswerable)
    for q in questions:
        if q["answerable"]:
            assert q["evidence"] and q["key_facts"], q["id"]
            assert all(e["report"] == _name(path) and e["text"].strip() for e in q["evidence"]), q["id"]
    assert set(NEAR_MISS_CATEGORIES) <= {q["category"] for q in questions}
