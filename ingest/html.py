"""An HTML file to a Document (ingest/document.py): headings, paragraphs, and each footnote
marker linked to its note by the page's own links. docs/formats.md lists the producers' markup.

Markers and notes, by linkage (every producer we know writes one):
- a marker is a link `href="#id"` (or the page's own address and `#id`, as some tools save a
  page) whose text is a marker (`1`, `[1]`, `1156`, `*`, `†`, `a`, `n 3`) to an element of the
  same page, found by `id` or by `name` (the `<a name>` anchors Word and LibreOffice write). Of
  two links that point at each other, the marker is the one outside a notes container (an
  element whose class, id or role says footnotes, endnotes, references, notes,
  `mso-element:footnote`, or an `<aside>`), else the earlier one; outside a notes container it
  also needs a link back from its note or a footnote look (in a <sup>, named
  fnref/noteref/cite_ref...), so "see Figure <a href=#fig1>1</a>" is none. A link to a heading
  is a cross-reference. A footnote-looking link whose target the page lacks is a marker whose
  note is missing. An element (`<a>`, `<sup>`, `<span>`) with marker text that names a tooltip
  or note as its description (`aria-describedby`, `aria-details`: Brookings' `<a
  aria-describedby="citation-tooltip-1"><sup>1</sup></a>` and `<div id="citation-tooltip-1"
  role="tooltip">`) is a marker linked to it as by `href="#id"`, wherever the note stands.
- its note is the target's block: the target itself when it is a block (`<li id="fn1">` of
  pandoc, `<li id="cite_note-…">` of MediaWiki, `<aside>`, `<div id="ftn1">`), else its
  nearest block, widened to the enclosing element that holds this note only (Word: `<a
  name="_ftn1">` in a `<p class=MsoFootnoteText>` in `<div id=ftn1>`; tex4ht: `<a
  id="fn1x0">` in a `<p>` of `<div class="footnotes">`), continued over the following elements
  up to the next note when the notes stand in a notes container (tex4ht's quotation in a
  note), or, when one block holds several notes (endnotes split by `<br>`), the run from its
  target to the next.
- a note's text is what the page shows of it: without the links back to the marker (tex4ht's
  and Word's numbered back-links, pandoc's ↩, MediaWiki's ^ a b), its printed number at its
  start, a heading over the first endnote, what the page hides; `[redacted]` for an element of
  class `redacted` (a note with nothing else is redacted). The targets of its links whose
  label does not print them are kept beside the text (DocNote.links): sources all the same.
  Markers inside a note (to other notes) are its DocNote.marks.
- without any such link (a page written by hand, a scrape): `<sup>N</sup>`, `[N]` and ¹²
  markers matched by number to the numbered list or `[N]` lines after the last marker, as the
  text parser does (a paragraph opening with `[N]` is a note line, not marked text: ISW's older
  site; a paragraph's line breaks end note lines: ISW's WordPress site prints every note in one
  paragraph, "[1] …<br>[2] …"). The numbered list or lines then leave the body.

Structure: `<h1>`-`<h6>` are headings (a level each); a table of contents (`class="toc"`,
`tableofcontents`, `role="doc-toc"`, Word's `MsoToc`, a line that only links into the page) is
contents; a table row of short cells is one line, its cells joined with their labels
(ingest/tables.py); `<nav>`, forms, scripts, styles, the page's banner and footer, a word processor's
page footer and what the page hides (`hidden`, `display:none`, classes its styles hide) are
left out, and so are tooltips (`role="tooltip"`, a class `tooltip__bubble`, `…tooltip-content`:
text a script shows on hover, or injects, Heritage's "undefined"), but those a marker names are
its notes. When the page has one `<main>` or one `<article>`, only that is read (plus the notes
it links to); several `<article>`s are several reports, unless one holds 60 % or more of their
text, or the text around them does (CRFB's teasers inside its paper's `<article>`): that is the
page's story, the others teasers of other stories, left out; an `<article>` classed as a
comment or reply is a reader's, left out. Metadata: the title from
`citation_title`, `og:title` (unless it is the site's name), `dc.title`, JSON-LD `headline`,
the only `<h1>` the `<title>` begins with, or `<title>` (without the site's stated name; a file
name is none; the first printed line when it begins the same way); the date from `citation_publication_date`,
`article:published_time`, `dc.date`, JSON-LD `datePublished`, "last edited on …"; authors from
`citation_author`, JSON-LD `author`, `author`/`dc.creator` when the page prints them, an
element of class author/byline; the publisher from `og:site_name`, `citation_publisher`,
`dc.publisher`, JSON-LD `publisher`. Labelled fields, bylines and title pages in the body are
read by the builder (ingest/build.py). Nothing is fetched.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from index.text.quotations import introduces_quotation
from ingest.document import (CONTENTS, HEADING, LINK_CLOSE, LINK_OPEN, PARAGRAPH, REDACTED_TEXT, TITLE, Block, DocNote,
                             Document, Mark, in_quotation_marks, only_redacted)
from ingest.footnotes import is_note_line, marker_label, parse_note_block, take_markers
from ingest.html_tree import RAW, Node, parse_html
from ingest.tables import Cell, row_joins
from ingest.metadata import parse_date_text, parse_name_line, split_names

HEADINGS = {f"h{i}": i for i in range(1, 7)}
# elements that start and end a block of text
BLOCKS = {"p", "div", "li", "blockquote", "pre", "section", "article", "header", "footer", "aside", "table",
          "tr", "td", "th", "ul", "ol", "dl", "figure", "figcaption", "main", "address", "hr", "caption", "body",
          "details", "summary", "center", "dt", "dd", *HEADINGS}
_NOTE_BLOCKS = {"li", "p", "div", "aside", "section", "dd", "td", "footer", "blockquote", "dt", "article"}
SKIP = {"nav", "form", "button", "head", "title", "img", "picture", "video", "audio", "map", "input", "label", *RAW}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
# What a wiki page marks as not its article (MediaWiki's skin and templates): left out of the
# printed page (`noprint`), a template's "v t e" links (`navbar`), the tagline and redirect line, jump
# links, section edit links, disambiguation hatnotes, category links (hidden ones too), the
# "Retrieved from" footer. And what a Drupal site prints beside an article's body: its attached files
# ("Download the PDF", "File Attachments: map.png") and its taxonomy tags (ISW's older site).
_FURNITURE_CLASSES = {"noprint", "mw-jump-link", "mw-editsection", "navbar", "hatnote", "catlinks", "printfooter",
                      "mw-indicators", "mw-hidden-catlinks",
                      "field-type-file", "field-type-taxonomy-term-reference"}
_POST_NAVIGATION = {"prev", "next"}
_FURNITURE_IDS = {"siteSub", "contentSub", "jump-to-nav", "catlinks", "mw-navigation", "mw-head", "mw-panel"}
_MARKER_TEXT = re.compile(r"^[\[(]?\s*(\d{1,5}|[*†‡§¶]{1,3}|[A-Za-z]|[ivxlc]{2,6}|(?:note|n\.?)\s*\d{1,5})\s*[\])]?$",
                          re.I)
_NOTES_NAME = re.compile(r"foot|endnote|\bnotes?\b|reflist|references|\bftn|\bedn|cite_note|fn-?list", re.I)
_NOTES_ROLE = {"doc-endnotes", "doc-footnote", "doc-endnote", "doc-footnotes"}
_BACKLINK = re.compile(r"backlink|footnote-back|footnote-return|fn-?back|reversefootnote", re.I)
_CONTENTS_NAME = re.compile(r"\btoc\b|tableofcontents|table-of-contents|^contents$|msotoc", re.I)
_FALLBACK_SUP = re.compile(r"\[?\s*(?:\d{1,5}|[*†‡]{1,3})\s*\]?(?:\s*[,;–-]\s*\[?\s*(?:\d{1,5}|[*†‡]{1,3})\s*\]?)*")
# A paragraph set wholly in bold, short and without a sentence's end ("Overview", "Key
# findings", "Why do maintainers quit?") is a heading typed as bold text: never quoted as an answer. Bold is <b>, <strong>,
# an inline font-weight, a class the page's styles make bold, or a tex4ht font class of a bold
# TeX font (tex4ht names its spans after the font: `cmbx-12`, `ptmb8t-`, in a separate .css).
# One set wholly in italic is a heading under those (a Google Docs export types its subheadings
# so: "Within a company", "Stack Overflow as a standardized place to get help with code"):
# <i>, <em>, an inline font-style or a class the page's styles make italic.
STYLED_HEADING_WORDS = 12
BOLD_LEVEL = 7                                           # under every <h1>-<h6>
ITALIC_LEVEL = 8                                         # under a bold line: the innermost heading
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)\b", re.I)
_TEX_BOLD_FONT = re.compile(r"^(?:(?:cm|lm|ec|tc)bx\w*|[pu]\w{2}b[78][tcr]\w*)(?:-[\w-]+)?$", re.I)
_INDENT_STYLE = re.compile(r"margin-left\s*:\s*(?:[1-9]\d*(?:\.\d+)?|0?\.\d*[1-9])\s*(?:pt|px|em|rem|in|cm|mm)\b", re.I)
_QUOTE_CLASSES = {"quote", "quotation", "templatequote", "pullquote"}   # tex4ht's quote environment, MediaWiki's template
_NOT_HEADING_IN = {"td", "th", "li", "caption", "figcaption", "dt", "dd", "pre", "table"}


def read_html(html: str, source: str) -> Document:
    """The Document of one HTML page (see the module docstring)."""
    root, scripts, styles = parse_html(html)
    _drop_hidden(root, styles)
    _drop_popups(root)
    _own_links(root)
    index = _Index(root)
    meta = _metadata(root, scripts, source)
    body = _content_root(root)
    walker = _Walker(index, body, _styled_classes(styles, _BOLD_STYLE), _styled_classes(styles, _INDENT_STYLE),
                     _styled_classes(styles, _ITALIC_STYLE))
    walker.walk(body)
    blocks, notes = _contents_under_heading(walker.blocks), dict(index.notes)
    if not index.markers:
        blocks, notes = _fallback(blocks)
    doc = Document(source=source, title=meta["title"], date=meta["date"], authors=meta["authors"],
                   publisher=meta["publisher"], parts=walker.parts,
                   blocks=[Block(b.kind, b.text, level=b.level, marks=b.marks) for b in blocks], notes=notes)
    _title_block(doc, printed_first=meta["title_from"] == "tag")
    return doc


def _own_links(root: Node) -> None:
    """Links to this page written with its full address ("https://en.wikipedia.org/wiki/Mozilla#cite_note-3", as
    some tools save a page) made "#cite_note-3", so that markers find their notes. The page's address is one
    under which three links or more, nearly all, name elements of this page (a page's one link to its comments,
    "…/story-1284029577#replies", stays as written: its count is no marker)."""
    ids = {n.get("id") or n.get("name") for n in root.iter() if n.get("id") or n.get("name")}
    links = [n for n in root.iter() if n.tag == "a" and re.match(r"https?://[^#]+#.", n.get("href"))]
    named: dict[str, list[bool]] = {}
    for a in links:
        base, frag = a.get("href").split("#", 1)
        named.setdefault(base, []).append(frag in ids)
    own = {base for base, found in named.items() if sum(found) >= 3 and sum(found) >= 0.9 * len(found)}
    for a in links:
        base, frag = a.get("href").split("#", 1)
        if base in own and frag in ids:
            a.attrs["href"] = f"#{frag}"


def _drop_hidden(root: Node, styles: list[str]) -> None:
    """Take out what a browser does not show: `hidden`, `style="display:none"`, and elements of a
    class the page's own styles hide, under the ancestors the rule names
    (`.mw-parser-output .cs1-hidden-error{display:none}`: citation error messages MediaWiki
    leaves in notes). Only rules made of classes are read."""
    rules: dict[str, list[list[str]]] = {}               # hidden class -> the ancestor classes each rule needs
    for css in styles:
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            if re.search(r"display\s*:\s*none", body):
                for sel in selectors.split(","):
                    parts = sel.split()
                    if parts and all(re.fullmatch(r"\.[\w-]+", p) for p in parts):
                        rules.setdefault(parts[-1][1:].lower(), []).append([p[1:].lower() for p in parts[:-1]])
    for node in list(root.iter()):
        classes = set(node.classes.split())
        hide = "hidden" in node.attrs or bool(re.search(r"display\s*:\s*none", node.get("style")))
        if not hide and classes & rules.keys():
            above = {c for a in node.ancestors() for c in a.classes.split()}
            hide = any(all(c in above for c in need) for cls in classes & rules.keys() for need in rules[cls])
        if hide:
            node.children = []


# a popup a script shows on hover: ARIA's tooltip role, or a class naming a tooltip's box
# ("tooltip__bubble", "c-tooltip__content", "q-tooltip-inner"; not "tooltip" alone: often the hovered word)
_POPUP_CLASS = re.compile(r"(?:^|[_-])tooltip(?:__|[_-])?(?:bubble|content|inner|text|body|popup|box)$", re.I)


def _is_popup(node: Node) -> bool:
    return node.get("role") == "tooltip" or any(_POPUP_CLASS.search(c) for c in node.classes.split())


def _described_by(node: Node) -> list[str]:
    """The ids of the elements that describe it (`aria-describedby`, `aria-details`: a tooltip, a note)."""
    return node.get("aria-describedby").split() + node.get("aria-details").split()


def _drop_popups(root: Node) -> None:
    """Take out the tooltips no element names (by `aria-describedby`, `aria-details` or a link): what a
    script draws on hover, not what the page prints; a copy of a note (Heritage's markers, "undefined"
    where the script found none), a button's hint. A tooltip an element names stays, as it may be a
    marker's note (Brookings' citations); the body leaves out every tooltip (_Walker._skipped)."""
    named = {i for n in root.iter() for i in _described_by(n)}
    named |= {n.get("href")[1:] for n in root.iter() if n.tag == "a" and n.get("href").startswith("#")}
    for node in root.iter():
        if _is_popup(node) and not any(n.get("id") in named for n in (node, *node.ancestors())
                                       if n.get("id") and _is_popup(n)):    # nor the tooltip it is part of
            node.children = []


_CONTENTS_HEADING = re.compile(r"^(?:table of )?contents$", re.I)


def _contents_under_heading(blocks: list[_Block]) -> list[_Block]:
    """The lines under a "Contents" / "Table of Contents" heading that are not sentences (a
    table of contents typed as a list and bold lines, without links into the page) are
    contents, up to the first sentence or <h1>-<h6> heading; the bold line right before that
    sentence heads it (the first section), as it did."""
    region: list[_Block] = []

    def close() -> None:
        if region and region[-1].kind == HEADING:
            region.pop()                                 # the first section's own heading
        for b in region:
            b.kind, b.level = CONTENTS, 0
        region.clear()

    inside = False
    for b in blocks:
        if b.kind == HEADING and _CONTENTS_HEADING.match(b.text.strip()):
            close()
            inside = True
        elif not inside:
            continue
        elif (b.kind == HEADING and b.level < BOLD_LEVEL) or b.marks or re.search(r"[.!]$", b.text) \
                or len(b.text.split()) > STYLED_HEADING_WORDS * 2:
            close()
            inside = False
        else:
            region.append(b)
    close()
    return blocks


def _styled_classes(styles: list[str], style: re.Pattern) -> set[str]:
    """Classes the page's own styles give `style` (rules made of one class): set in bold (`.c3{font-weight:700}`), or
    indented from the left (`.c3{margin-left:36pt}`: a Google Docs export sets its block quotations so, and also its
    glossary and contents)."""
    out: set[str] = set()
    for css in styles:
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            if style.search(body):
                out |= {sel.strip()[1:].lower() for sel in selectors.split(",") if re.fullmatch(r"\s*\.[\w-]+\s*", sel)}
    return out


# ------------------------------------------------------------------------------ linkage
class _Index:
    """Ids and names to elements; which links are markers; each marker's note block and note."""

    def __init__(self, root: Node) -> None:
        self.by_id: dict[str, Node] = {}
        links: list[tuple[Node, Node]] = []
        for node in root.iter():
            for key in ("id", "name") if node.tag == "a" else ("id",):
                value = node.get(key)
                if value and value not in self.by_id:
                    self.by_id[value] = node
        dangling: list[Node] = []                    # a footnote reference whose note the page lacks
        self.described: set[int] = set()            # markers linked by the note that describes them
        for node in root.iter():
            note = self._describing_note(node)
            if note is not None:
                if _MARKER_TEXT.match(_squash(node.text())):
                    links.append((node, note))
                    self.described.add(node.order)
            elif node.tag == "a" and node.get("href").startswith("#") and _MARKER_TEXT.match(_squash(node.text())):
                target = self.by_id.get(node.get("href")[1:])
                if target is not None and target is not node:
                    links.append((node, target))
                elif target is None and _looks_like_noteref(node):
                    dangling.append(node)
        self.markers: dict[int, str] = {}            # marker link's order -> note key ("?#…": the page has none)
        self.labels: dict[int, str] = {}             # marker link's order -> its label as printed
        self.note_nodes: dict[int, list[Node]] = {}  # note block's order -> the block and its continuation
        self.skip: set[int] = set()                  # the orders of every note's elements
        self.notes: dict[str, DocNote] = {}
        chosen = [(a, t) for a, t in links if self._is_marker(a, t)]
        counts = _subtree_counts(root, {a.order for a, _ in chosen}, {t.order for _, t in chosen})
        block_key: dict[int, str] = {}
        for a, t in chosen:
            label = _squash(a.text())
            self.labels[a.order] = label
            block = _note_block(t, counts)
            if block is None:                        # a link to something that is not one note: no note
                self.markers[a.order] = "?" + (f"#{t.get('id')}" if a.order in self.described else a.get("href"))
                continue
            key = block_key.get(block.order)
            if key is None:
                key = block.get("id") or t.get("id") or t.get("name")
                key = key if key and key not in self.notes else f"n{block.order}"
                block_key[block.order] = key
                if block.tag == "#slice":            # notes one after another in one block
                    self.note_nodes[block.order] = [block]
                    self.skip.update(n.order for n in block.children if isinstance(n, Node))
                    if counts[block.parent.order][0] == 0:
                        self.skip.add(block.parent.order)    # the block holds notes only
                else:
                    self.note_nodes[block.order] = [block, *_continuation(block, counts)]
                    self.skip.update(n.order for n in self.note_nodes[block.order])
                self.notes[key] = DocNote(key=key, label=marker_label(label))
            self.markers[a.order] = key
        for a in dangling:
            self.markers[a.order], self.labels[a.order] = "?" + a.get("href"), _squash(a.text())
        for order, key in block_key.items():
            note = self.notes[key]
            text, links, marks = _note_text(self.note_nodes[order], self, note.label)
            if only_redacted(text):
                note.redacted = True
            else:
                note.text, note.links, note.marks = text, links, marks

    def _describing_note(self, node: Node) -> Node | None:
        """The note or tooltip an element that links nowhere else names as its description (`aria-describedby`,
        `aria-details`): a marker's note when a script shows it on hover (Brookings': `<a aria-describedby=
        "citation-tooltip-1"><sup>1</sup></a>` and `<div id="citation-tooltip-1" role="tooltip">`)."""
        if node.tag not in ("a", "sup", "span") or node.get("href") not in ("", "#"):
            return None
        for ref in _described_by(node):
            target = self.by_id.get(ref)
            if target is not None and (_is_popup(target) or target.get("role") in _NOTES_ROLE or _in_notes(target)):
                return target
        return None

    def _is_marker(self, a: Node, target: Node) -> bool:
        if target in a.ancestors() or a in target.ancestors() or _in_heading(target):
            return False
        if a.order in self.described:
            return True                                  # the page says the note describes it, wherever it stands
        ta, tt = _in_notes(a), _in_notes(target)
        if not ((tt and not ta) or (tt == ta and target.order > a.order)):
            return False
        # outside a notes container, "see Figure <a href=#fig1>1</a>" is no marker: a note
        # links back to its marker, or the marker says it is one (in a <sup>, named so)
        return tt or _looks_like_noteref(a) or self._links_back(target, a)

    def _links_back(self, target: Node, a: Node) -> bool:
        names = {v for n in (a, *[x for x in a.ancestors() if x.tag in ("sup", "span")]) for v in (n.get("id"), n.get("name")) if v}
        block = target if target.tag in _NOTE_BLOCKS else next((n for n in target.ancestors() if n.tag in _NOTE_BLOCKS),
                                                             target)
        return any(n.tag == "a" and n.get("href")[1:] in names for n in block.iter() if n.get("href").startswith("#"))

    def is_backlink(self, a: Node) -> bool:
        """A link inside a note back to its marker (or to the element around the marker)."""
        if _BACKLINK.search(a.classes) or a.get("role") == "doc-backlink":
            return True
        href = a.get("href")
        if not href.startswith("#"):
            return False
        target = self.by_id.get(href[1:])
        if target is None:
            return False
        if target.order in self.markers:
            return True
        return target.tag in ("sup", "span", "a") and any(n.order in self.markers for n in target.iter())


def _looks_like_noteref(a: Node) -> bool:
    """A link that says it is a footnote reference: in or around a <sup>, or named so."""
    named = re.compile(r"foot|noteref|fnref|ftnref|ednref|cite_ref|reference", re.I)
    return (a.parent is not None and a.parent.tag == "sup") or any(n.tag == "sup" for n in a.iter()) \
        or bool(named.search(a.classes) or named.search(a.get("id")) or named.search(a.get("name"))) \
        or a.get("role") == "doc-noteref"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _in_heading(node: Node) -> bool:
    return node.tag in HEADINGS or any(n.tag in HEADINGS for n in node.ancestors())


def _is_notes_container(node: Node) -> bool:
    if node.tag == "aside":
        return True
    if node.tag not in BLOCKS:
        return False
    return bool(_NOTES_NAME.search(node.get("class")) or _NOTES_NAME.search(node.get("id"))
                or node.get("role") in _NOTES_ROLE or re.search(r"mso-element:\s*(?:foot|end)note", node.get("style")))


def _in_notes(node: Node) -> bool:
    return _is_notes_container(node) or any(_is_notes_container(n) for n in node.ancestors())


def _subtree_counts(root: Node, markers: set[int], targets: set[int]) -> dict[int, tuple[int, int]]:
    """Element order -> (markers, note targets) in its subtree, in one pass."""
    counts: dict[int, tuple[int, int]] = {}
    order: list[Node] = list(root.iter())
    for node in reversed(order):
        m = int(node.order in markers)
        t = int(node.order in targets)
        for c in node.children:
            if isinstance(c, Node):
                cm, ct = counts[c.order]
                m, t = m + cm, t + ct
        counts[node.order] = (m, t)
    return counts


def _note_block(target: Node, counts: dict[int, tuple[int, int]]) -> Node | None:
    """The element holding one note: the target if it is a block, else its nearest block,
    widened while the enclosing element holds no other note or marker. When that block holds
    several notes (endnotes one after another in a paragraph, split by <br>), the note is the
    run of its children from the target to the next note's (a synthetic "#slice" element)."""
    block = target if target.tag in _NOTE_BLOCKS else next(
        (n for n in target.ancestors() if n.tag in _NOTE_BLOCKS), target)
    if counts[block.order][1] > 1:
        if target is block:
            return None                          # a link to the whole list of notes: no one note
        child = target
        while child.parent is not block:
            child = child.parent
        kids = block.children
        items: list = [child]
        for x in kids[kids.index(child) + 1:]:
            if isinstance(x, Node) and counts[x.order][1] > 0:
                break
            items.append(x)
        piece = Node("#slice", {}, block, child.order)
        piece.children = items
        return piece
    while block.parent is not None and block.parent.tag not in ("body", "html", "#document", "main", "article") \
            and counts[block.parent.order] == counts[block.order]:
        block = block.parent
    return block


def _continuation(block: Node, counts: dict[int, tuple[int, int]]) -> list[Node]:
    """A note of several paragraphs among the notes (tex4ht writes a note's quotation or second
    paragraph as the elements after its first): the following elements up to the next note,
    when the notes stand in a notes container."""
    parent = block.parent
    if parent is None or not _in_notes(parent):
        return []
    siblings = [c for c in parent.children if isinstance(c, Node)]
    out = []
    for sib in siblings[siblings.index(block) + 1:]:
        if counts[sib.order] != (0, 0) or sib.tag in HEADINGS:
            break
        out.append(sib)
    return out


_MARK_OPEN, _MARK_SEP, _MARK_CLOSE = "\ue002", "\ue003", "\ue004"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")     # LibreOffice leaves field codes in text


def _note_raw(block: Node, index: _Index, label: str, out: list[str], headings: bool = False) -> None:
    """A note block's text into `out`, links' targets and markers to other notes as sentinels;
    headings in it only with `headings` (a "References" heading over the first endnote is none
    of its text; a note that is only a heading is)."""
    stack: list = [block]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):                      # the end of a link: its target if not shown
            out.append(node[0])
            continue
        if isinstance(node, str):
            out.append(node)
            continue
        if node.tag in SKIP or node.tag in RAW or node.get("aria-hidden") == "true" or (
                node.tag in HEADINGS and not headings):
            continue
        if node.tag == "a" and index.is_backlink(node) or _BACKLINK.search(node.classes):
            continue
        if node.order in index.markers:                  # a marker inside the note, to another note
            out.append(f"{_MARK_OPEN}{index.markers[node.order]}{_MARK_SEP}{index.labels[node.order]}{_MARK_CLOSE}")
            continue
        if "redacted" in node.classes:
            out.append(f" {REDACTED_TEXT} ")
            continue
        if node is not block and node.tag in ("sup", "span", "b", "strong", "a") and label \
                and not _squash(re.sub(r"[\ue000-\ue004][^\ue000-\ue004]*", "", "".join(out))) \
                and marker_label(_squash(node.text())) == label:
            continue                                     # the note's number printed at its start
        if node.tag in BLOCKS or node.tag == "br":
            out.append(" ")
        href = node.get("href") if node.tag == "a" else ""
        if href and _shortened(node.text(), href):
            out.append(href)
            continue
        if _source_link(node.text(), href):
            stack.append((f"{LINK_OPEN}{href}{LINK_CLOSE}",))
        stack.extend(reversed(node.children))


def _note_text(nodes: list[Node], index: _Index, label: str) -> tuple[str, list[tuple[int, str]], list[Mark]]:
    """(visible text, [(offset, link target)], markers to other notes) of a note's elements."""
    out: list[str] = []
    for n in nodes:
        _note_raw(n, index, label, out)
        out.append(" ")
    if not re.sub(r"[\ue000-\ue004][^\ue000-\ue004]*|\s", "", "".join(out)):
        out = []
        for n in nodes:
            _note_raw(n, index, label, out, headings=True)
            out.append(" ")
    raw = _CONTROL.sub("", "".join(out))
    chars: list[str] = []
    links: list[tuple[int, str]] = []
    marks: list[Mark] = []
    i = 0
    while i < len(raw):                                  # sentinels out, white space folded
        c = raw[i]
        if c in (LINK_OPEN, _MARK_OPEN):
            j = raw.find(LINK_CLOSE if c == LINK_OPEN else _MARK_CLOSE, i)
            j = len(raw) if j < 0 else j
            if c == LINK_OPEN:
                links.append((len(chars), raw[i + 1:j]))
            else:
                key, _, lab = raw[i + 1:j].partition(_MARK_SEP)
                marks.append(Mark(pos=len(chars), label=lab, note=key))
            i = j + 1
            continue
        if c.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
        else:
            chars.append(c)
        i += 1
    text = "".join(chars)
    lead = re.match(r"^(?:[\s\^↑⤴]\s*)*(?:[.:)\]]\s+)?", text).end()     # "[1]. Pope, R.": the label's dot
    tail = re.search(r"(?:\s*[↩⤴↑]\ufe0e?\ufe0f?)*\s*$", text).start()
    text = text[lead:tail]
    fix = lambda pos: max(0, min(pos - lead, len(text)))  # noqa: E731
    return text, [(fix(p), u) for p, u in links], [Mark(fix(m.pos), m.label, m.note) for m in marks]


def _shortened(label: str, url: str) -> bool:
    """Whether a link's label prints its web address cut short ("https://twitter.com/x/status/16?s=20&t=ugp...",
    also an address holding several, "https://t.me/a/6067; https://www.facebook.com/GeneralStaff.u..."): then
    the address itself is the text, not the stump, which is no address."""
    label = _squash(label)
    stem = re.sub(r"(?:\.{3}|…)$", "", label)
    return (stem != label and url.startswith(("http://", "https://")) and len(stem) >= 12
            and _squash(url).startswith(stem))


# a link back to a note's marker in another document: a page pasted from Word that kept the draft's
# address ("https://…sharepoint.com/…/Assessments.docx#_ednref3" on a note's "[3]"), no source
_BACK_REFERENCE = re.compile(r"#(?:_?(?:edn|ftn)ref|fnref|cite_ref)", re.I)


def _source_link(label: str, url: str) -> bool:
    """A web link whose address the label does not print, so the address is kept beside the text as
    a source; not one back to a marker."""
    return url.startswith(("http://", "https://")) and not _shows(label, url) and not _BACK_REFERENCE.search(url)


def _shows(label: str, url: str) -> bool:
    """Whether a link's label prints its target (then the target is not added after it)."""
    bare = lambda s: re.sub(r"^(?:https?://)?(?:www\.)?", "", _squash(s).lower()).rstrip("/.")  # noqa: E731
    return bool(bare(label)) and (bare(label) == bare(url) or url.lower() in _squash(label).lower())


# ------------------------------------------------------------------------------ body
@dataclass
class _Block:
    kind: str
    level: int = 0
    text: str = ""
    marks: list[Mark] = field(default_factory=list)
    number: int | None = None                            # an item of a numbered list: its number
    in_cell: bool = False                                # in a table cell, list item, caption...: never a heading
    quoted: bool = False                                 # in a block quotation: someone else's words
    indented: bool = False                               # in an element the page's styles indent (maybe a quotation)
    links: list[tuple[int, str]] = field(default_factory=list)   # (offset, URL) after a link not showing it
    breaks: list[int] = field(default_factory=list)      # offsets of its line breaks (`<br>`)


_ROW_BREAKERS = {"table", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"}


def _lines(cell: Node, shown) -> int:
    """Its innermost blocks with text (a cell of bare text is one line)."""
    inner = [d for d in cell.iter() if d is not cell and d.tag in BLOCKS
             and not any(e is not d and e.tag in BLOCKS for e in d.iter())]
    return max(1, sum(1 for d in inner if shown(d)))


def _span(value: str) -> int:
    return int(value) if value.strip().isdecimal() and 0 < int(value) < 1000 else 1


_BULLET_WORDS = 8                 # an entry longer than this is a sentence: its list stays item by item


def _bullets(cell: Node) -> list[Node]:
    """The items of a cell that holds one bulleted list of short entries and nothing else of
    its own (an infobox's "Official languages": English, Māori, NZ Sign Language); [] otherwise."""
    blocks = [d for d in cell.iter() if d is not cell and d.tag in _ROW_BREAKERS]   # document order
    if not blocks or blocks[0].tag != "ul":
        return []
    items = [c for c in blocks[0].children if isinstance(c, Node) and c.tag == "li"]
    if len(blocks) != len(items) + 1 or any(a is not b for a, b in zip(blocks[1:], items)) \
            or any(len(li.text().split()) > _BULLET_WORDS for li in items):
        return []                                        # another block, a nested list, or a sentence
    return items


def _table_rows(root: Node, markers: dict[int, str]) -> tuple[set[int], dict[int, str]]:
    """The rows read as one line (ingest/tables.py) and the text before each of their cells,
    by element order. A row whose cells hold a table, a heading or a list of more than short
    entries stays cell by cell; a cell holding one bulleted list of short entries reads as them
    joined ("Official languages: English; Māori; NZ Sign Language"), so no entry loses its label."""
    def shown(cell: Node) -> str:                        # its text without its footnote markers
        return _squash(_CONTROL.sub("", cell.text(lambda n: n.tag in SKIP or n.order in markers)))

    rows_out: set[int] = set()
    joins_out: dict[int, str] = {}
    for table in (n for n in root.iter() if n.tag == "table"):
        rows = [n for n in table.iter() if n.tag == "tr"
                and next((a for a in n.ancestors() if a.tag == "table"), None) is table]
        cells = [[c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")] for r in rows]
        bullets = [[_bullets(c) for c in row] for row in cells]
        read = [[Cell("; ".join(shown(i) for i in items) if items else shown(c), c.tag == "th",
                      _span(c.get("colspan")), _span(c.get("rowspan")), 1 if items else _lines(c, shown))
                 for c, items in zip(row, row_items)]
                for row, row_items in zip(cells, bullets)]
        for row, nodes, items, joins in zip(rows, cells, bullets, row_joins(read)):
            if joins is None or any(d.tag in _ROW_BREAKERS for c, its in zip(nodes, items) if not its
                                    for d in c.iter() if d is not c):
                continue
            rows_out.add(row.order)
            joins_out.update((c.order, j) for c, j in zip(nodes, joins) if j)
            joins_out.update((li.order, "; ") for its in items for li in its[1:])
    return rows_out, joins_out


# an <article> that is a reader's comment or reply under the page's article, not the page's own words
_COMMENT = re.compile(r"(?:^|[\s_-])(?:comments?|replies|reply)(?:$|[\s_-])", re.I)


def _post_navigation(node: Node) -> bool:
    """A link to the post before or after this one (`rel="prev"`, `rel="next"`), or an element holding
    such links and a short label at most ("Previous Post:", "上一篇：")."""
    def navigates(n: Node) -> bool:
        return n.tag == "a" and bool(_POST_NAVIGATION.intersection(n.get("rel").lower().split()))

    if navigates(node):
        return True
    links = [c for c in node.children if not isinstance(c, str) and navigates(c)]
    if not links:
        return False
    rest = node.text()
    for a in links:
        rest = rest.replace(a.text(), " ", 1)
    return len(rest.split()) <= 3


def _articles(root: Node) -> list[Node]:
    """The top-level <article>s under root, readers' comments left out."""
    return [n for n in root.iter() if n.tag == "article" and n is not root
            and not any(a.tag == "article" for a in n.ancestors() if a is not root)
            and not _COMMENT.search(f"{n.get('class')} {n.get('id')}")]


STORY_SHARE = 0.6       # of a page's text, what the story holds beside teasers of other stories


def _lead_article(articles: list[Node]) -> Node | None:
    """Of several <article>s, the page's own when it holds most of their text (60 % or more): the others are
    teasers of other stories ("related", "more in Africa"), not reports of this page."""
    sizes = [len(_squash(a.text())) for a in articles]
    if len(articles) > 1 and sum(sizes) and max(sizes) >= STORY_SHARE * sum(sizes):
        return articles[sizes.index(max(sizes))]
    return None


def _holds_story(root: Node, articles: list[Node]) -> bool:
    """Whether the text of root outside its <article>s is 60 % or more of its text: root is the story, the
    <article>s in it are teasers of other stories (CRFB's "What's Next" under its paper, inside its <article>)."""
    if len(articles) < 2:
        return False                                     # one inside the story is part of it, as before
    marked = {a.order for a in articles}
    whole = len(_squash(root.text()))
    own = len(_squash(root.text(lambda n: n.order in marked)))
    return whole > 0 and own >= STORY_SHARE * whole


def _reports_and_teasers(root: Node) -> tuple[set[int], set[int]]:
    """The orders of root's <article>s that are reports of their own, and of those that are teasers of other
    stories, left out. Several are several reports, unless one is the page's story or the story is root's own
    text around them: then the others (all) are teasers."""
    articles = _articles(root)
    if _holds_story(root, articles):
        return set(), {a.order for a in articles}
    lead = _lead_article(articles)
    if lead is not None:
        return set(), {a.order for a in articles if a is not lead}
    return {a.order for a in articles} if len(articles) > 1 else set(), set()


def _content_root(root: Node) -> Node:
    """The page's one <main>, else its one top-level <article> (or the one holding most of their text),
    else its <body>."""
    mains = [n for n in root.iter() if n.tag == "main" or n.get("role") == "main"]
    if len(mains) == 1:
        return mains[0]
    articles = _articles(root)
    if len(articles) == 1:
        return articles[0]
    return _lead_article(articles) or next((n for n in root.iter() if n.tag == "body"), root)


class _Walker:
    """The body's elements in order to blocks of text with their markers."""

    def __init__(self, index: _Index, root: Node, bold_classes: set[str] | None = None,
                 indent_classes: set[str] | None = None, italic_classes: set[str] | None = None) -> None:
        self.index, self.root = index, root
        self.bold_classes = bold_classes or set()
        self.italic_classes = italic_classes or set()
        self.indent_classes = indent_classes or set()
        self.quote = 0                                   # open block quotations
        self.indent = 0                                  # open indented paragraphs
        self.indented: set[int] = set()                  # their nodes
        self.bold = 0                                    # open bold elements
        self.bolded = 0                                  # characters of the block set in bold
        self.italic = 0                                  # open italic elements
        self.italicized = 0                              # characters of the block set in italic
        self.open_blocks: list[str] = []                 # the block elements being read
        self.blocks: list[_Block] = []
        self.parts: list[int] = []
        self.cur: _Block | None = None
        self.buf: list[str] = []
        self.length = 0
        self.contents = 0
        self.heading = 0                                 # the level of the heading being read, 0 outside one
        self.number: int | None = None                   # the number of the list item being read
        self.articles, self.teasers = _reports_and_teasers(root)
        self.lists: list[list[int]] = []                 # open <ol>/<ul>: [next number], [] for a <ul>
        self.internal = 0                                # inside a link to this page (not a marker)
        self.linked = 0                                  # characters of the block inside such links
        self.rows, self.joins = _table_rows(root, index.markers)   # rows read as one line; their cells' joins
        self.in_row = 0                                  # inside such a row: its cells' blocks are one block

    # text accumulation
    def _start(self) -> None:
        kind, level = (HEADING, self.heading) if self.heading else (PARAGRAPH, 0)
        self.cur = _Block(CONTENTS if self.contents else kind, level, number=self.number,
                          in_cell=bool(_NOT_HEADING_IN.intersection(self.open_blocks)),
                          quoted=self.quote > 0, indented=self.indent > 0)
        self.number = None                               # a list item's number goes to its first block

    def _add(self, data: str) -> None:
        data = re.sub(r"\s+", " ", _CONTROL.sub("", data))
        if not data or (self.cur is None and not data.strip()):
            return
        if self.cur is None:
            self._start()
        if data.startswith(" ") and (not self.buf or self.buf[-1].endswith(" ")):
            data = data[1:]
        if data:
            self.buf.append(data)
            self.length += len(data)
            if self.internal:
                self.linked += len(data.strip())
            if self.bold:
                self.bolded += len(re.sub(r"\s", "", data))
            if self.italic:
                self.italicized += len(re.sub(r"\s", "", data))

    def _join(self, text: str) -> None:
        """The text between two cells of a row read as one line, without the space before it."""
        if self.buf and not text.startswith(" "):
            last = self.buf[-1].rstrip()
            self.length -= len(self.buf[-1]) - len(last)
            self.buf[-1] = last
            for m in self.cur.marks if self.cur is not None else []:
                m.pos = min(m.pos, self.length)
        self._add(text)

    def _mark(self, label: str, key: str) -> None:
        """A linked marker; a key the Document's notes lack makes it `missing`, never matched by label."""
        if self.cur is None:
            self._start()
        self.cur.marks.append(Mark(pos=self.length, label=label, note=key))

    def flush(self) -> None:
        b = self.cur
        if b is not None:
            raw = "".join(self.buf)
            lead = len(raw) - len(raw.lstrip())
            b.text = raw.strip()
            for m in b.marks:
                m.pos = max(0, min(m.pos - lead, len(b.text)))
            b.links = [(max(0, min(p - lead, len(b.text))), u) for p, u in b.links]
            b.breaks = [p - lead for p in b.breaks if 0 < p - lead < len(b.text)]
            if b.kind == PARAGRAPH and b.text and not b.marks and self.linked >= 0.9 * len(b.text.replace(" ", "")):
                b.kind = CONTENTS                        # a line that is only a link into the page: contents
            elif (b.kind == PARAGRAPH and b.text and not b.in_cell and b.number is None and not (b.quoted or b.indented)
                  and len(b.text.split()) <= STYLED_HEADING_WORDS and not re.search(r"[.!,;]$", b.text)
                  and max(self.bolded, self.italicized) >= len(re.sub(r"\s", "", b.text))):
                # a heading typed as a bold (or an italic) line
                b.kind, b.level = HEADING, BOLD_LEVEL if self.bolded >= self.italicized else ITALIC_LEVEL
            if b.text or b.marks:
                if b.kind == PARAGRAPH and b.text and (b.quoted or b.indented and self._introduced()):
                    b.quoted = True
                    _in_marks(b)
                self.blocks.append(b)
        self.cur, self.buf, self.length, self.linked, self.bolded, self.italicized = None, [], 0, 0, 0, 0

    def _introduced(self) -> bool:
        """An indented paragraph is a block quotation when the paragraph before it introduces one (ends with a
        colon, "Jeff Atwood … described his decision …, in 2013:", or a comma, "Of the experience, Andrey wrote,"),
        or is a quotation so introduced (its next paragraph); an indented paragraph after anything else is the
        page's own (a glossary, a list)."""
        prev = self.blocks[-1] if self.blocks else None
        return prev is not None and prev.kind == PARAGRAPH and (introduces_quotation(prev.text) and not prev.indented
                                                                 or prev.quoted and prev.indented)

    def walk(self, top: Node) -> None:
        stack: list = [top]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self._add(item)
                continue
            if isinstance(item, tuple):
                self._leave(*item)
                continue
            node = item
            if not self._enter(node):
                continue
            stack.append((node.tag, node))
            stack.extend(reversed(node.children))
        self.flush()

    def _skipped(self, node: Node) -> bool:
        if node.tag in SKIP or node.get("role") in _SKIP_ROLES or node.get("aria-hidden") == "true":
            return True
        if node.order in self.index.skip or _is_popup(node):
            return True                                   # a note (read as one), a tooltip shown on hover
        if node.tag in ("header", "footer") and node.parent is not None and node.parent.tag == "body":
            return True                                   # the site's banner and footer
        if node.tag == "div" and node.get("title") in ("header", "footer"):
            return True                                   # a word processor's page header and footer
        if node.get("id") in _FURNITURE_IDS or _FURNITURE_CLASSES.intersection(node.classes.split()):
            return True                                   # a wiki's page furniture
        if _post_navigation(node):
            return True                                   # a blog's "Previous" and "Next" (links to the posts beside it)
        if node.order in self.teasers or node.tag == "article" and _COMMENT.search(f"{node.get('class')} {node.get('id')}"):
            return True                                   # another story's teaser, a reader's comment
        return node.tag == "aside" and node is not self.root

    def _enter(self, node: Node) -> bool:
        tag = node.tag
        if self._skipped(node):
            return False
        if node.order in self.index.markers:
            self._mark(self.index.labels[node.order], self.index.markers[node.order])
            return False
        if "redacted" in node.classes:
            self._add(f" {REDACTED_TEXT} ")
            return False
        if tag == "a" and _shortened(node.text(), node.get("href")):
            self._add(node.get("href"))                   # the address the label cut short
            return False
        if tag == "br":
            if self.cur is not None:
                self.cur.breaks.append(self.length)
            self._add(" ")
            return False
        if tag == "sup" and not self.index.markers:      # no linked markers: numbers in <sup> are
            inner = _squash(node.text())                 # markers, written as the text parser reads them
            if inner and _FALLBACK_SUP.fullmatch(inner):
                self._add("".join(f"[{n}]" for n in re.findall(r"\d{1,5}|[*†‡]{1,3}", inner)))
                return False
        if tag == "sup" and self.index.markers and self._separators_only(node):
            for child in node.iter():
                if child.order in self.index.markers:
                    self._mark(self.index.labels[child.order], self.index.markers[child.order])
            return False
        if node.order in self.articles:
            self.flush()
            self.parts.append(len(self.blocks))
        if self._is_bold(node):
            self.bold += 1
        if self._is_italic(node):
            self.italic += 1
        if tag in BLOCKS:
            self.open_blocks.append(tag)
        if self._is_quote(node):
            self.quote += 1
        if self._is_indented(node):
            self.indent += 1
            self.indented.add(node.order)
        if self.in_row:
            if node.order in self.joins:
                self._join(self.joins[node.order])
        elif tag in HEADINGS:
            self.flush()
            self.heading = HEADINGS[tag]
        elif tag in BLOCKS and tag != "dd":
            self.flush()
        if node.order in self.rows:
            self.in_row += 1
        if _CONTENTS_NAME.search(node.get("class")) or _CONTENTS_NAME.search(node.get("id")) \
                or node.get("role") == "doc-toc":
            self.contents += 1
        if tag == "a" and node.get("href").startswith("#") and len(node.get("href")) > 1:
            self.internal += 1
        if tag in ("ol", "ul"):
            start = node.get("start")
            self.lists.append([int(start) if start.isdecimal() else 1] if tag == "ol" else [])
        if tag == "li" and self.lists and self.lists[-1]:
            self.number = self.lists[-1][0]
            self.lists[-1][0] += 1
        return True

    def _is_quote(self, node: Node) -> bool:
        return node.tag == "blockquote" or bool(_QUOTE_CLASSES.intersection(node.classes.split()))

    def _is_indented(self, node: Node) -> bool:
        return node.tag in ("p", "div") and not {"li", "ul", "ol", "td", "th"}.intersection(self.open_blocks[:-1]) and (
            bool(self.indent_classes.intersection(node.classes.split())) or bool(_INDENT_STYLE.search(node.get("style"))))

    def _is_bold(self, node: Node) -> bool:
        if node.tag in ("b", "strong") or _BOLD_STYLE.search(node.get("style")):
            return True
        classes = node.classes.lower().split()
        return any(c in self.bold_classes or _TEX_BOLD_FONT.match(c) for c in classes)

    def _is_italic(self, node: Node) -> bool:
        return node.tag in ("i", "em") or bool(_ITALIC_STYLE.search(node.get("style"))) or bool(
            self.italic_classes.intersection(node.classes.lower().split()))

    def _leave(self, tag: str, node: Node) -> None:
        if self._is_bold(node) and self.bold:
            self.bold -= 1
        if self._is_italic(node) and self.italic:
            self.italic -= 1
        if tag in BLOCKS and self.open_blocks:
            self.open_blocks.pop()
        if self._is_quote(node) and self.quote:
            self.quote -= 1
        if node.order in self.indented:
            self.indent -= 1
        href = node.get("href") if tag == "a" else ""
        if self.cur is not None and _source_link(node.text(), href):
            self.cur.links.append((self.length, href))
        if node.order in self.rows:
            self.in_row -= 1
        if self.in_row:
            pass                                         # a cell of a row read as one line
        elif tag in HEADINGS:
            self.flush()
            self.heading = 0
        elif tag in BLOCKS and tag != "dt":
            self.flush()
        if _CONTENTS_NAME.search(node.get("class")) or _CONTENTS_NAME.search(node.get("id")) \
                or node.get("role") == "doc-toc":
            self.contents -= 1
        if tag == "a" and node.get("href").startswith("#") and len(node.get("href")) > 1 and self.internal:
            self.internal -= 1
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag == "li":
            self.number = None

    def _separators_only(self, sup: Node) -> bool:
        """`<sup><a href="#fn1">1</a>,<a href="#fn2">2</a></sup>`: the comma is no text."""
        text = sup.text(lambda n: n.order in self.index.markers)
        return any(n.order in self.index.markers for n in sup.iter()) and not re.sub(r"[\s,;–-]", "", text)


def _in_marks(b: _Block) -> None:
    """A block quotation's paragraph in quotation marks (ingest/document.py), its markers and links kept in place."""
    quoted = in_quotation_marks(b.text)
    if quoted is None:
        return                                           # its own marks printed: left as printed
    b.text, moved = quoted
    for m in b.marks:
        m.pos = moved(m.pos)
    b.links = [(moved(p), u) for p, u in b.links]


def _fallback(blocks: list[_Block]) -> tuple[list[_Block], dict[str, DocNote]]:
    """A page without linked markers: markers in the text (`[N]`, ¹, `<sup>N</sup>` written as
    `[N]`), notes from the numbered list or `[N]` lines after the last marker."""
    for b in blocks:
        if b.kind in (PARAGRAPH, HEADING) and not is_note_line(b.text):   # "[1] https://…" is a note, not marked text
            marked = take_markers(b.text)
            if marked.markers:
                b.text = marked.text
                b.marks = [Mark(pos=p, label=n) for p, n in marked.markers]
    last = max((i for i, b in enumerate(blocks) if b.marks), default=None)
    if last is None:
        return blocks, {}
    lines, owners = [], []
    for i in range(last + 1, len(blocks)):
        b = blocks[i]
        text = b.text
        # each link's address after its label; a line break ends a line (notes one per line in a
        # paragraph, "[1] https://…<br>[2] https://…": ISW's WordPress site)
        inserts = [(pos, 0, f" <{url}>") for pos, url in b.links] + [(pos, 1, "\n") for pos in b.breaks]
        for pos, _, ins in sorted(inserts, reverse=True):
            text = text[:pos] + ins + text[pos:]
        if b.number is not None:
            text = f"[{b.number}] {text}"
        for line in text.split("\n"):
            lines.append(line.strip())
            owners.append(i)
    first = next((k for k, line in enumerate(lines) if parse_note_block([line])[0]), None)
    if first is None:
        return blocks, {}
    parsed, rest = parse_note_block(lines[first:])
    used = owners[first:len(lines) - len(rest)]
    notes = {f"n{k}": DocNote(key=f"n{k}", label=n.marker, text=n.text) for k, n in enumerate(parsed)}
    return [b for i, b in enumerate(blocks) if i not in set(used)], notes


# ------------------------------------------------------------------------------ metadata
_TEASER_CLASS = re.compile(r"\b(?:[\w-]*(?:insert|related|teaser|promo|recommend)[\w-]*|card|cards)\b")
_AUTHOR_CLASS = re.compile(r"\b(?:author|authors|byline|contributor)\b", re.I)
_LAST_EDITED = re.compile(r"\blast (?:edited|modified|updated)(?: on)?:?\s+((?:\w+,?\s+){1,3}\d{4})", re.I)
_FILE_NAME = re.compile(r"^[\w.-]+\.(?:docx?|pdf|html?|odt|rtf|txt)$|^[\w-]*_[\w-]*$", re.I)


def _metadata(root: Node, scripts: list[str], source: str) -> dict:
    """Title, date, authors, publisher, and where the title came from ("meta", "h1", "tag")."""
    metas: dict[str, list[str]] = {}
    title_tag = ""
    for node in root.iter():
        if node.tag == "meta":
            name = (node.get("name") or node.get("property") or node.get("itemprop")).strip().lower()
            content = _squash(node.get("content"))
            if name and content:
                metas.setdefault(name, []).append(content)
        elif node.tag == "title" and not title_tag:
            title_tag = _squash(node.text())
    if title_tag and (_FILE_NAME.match(title_tag) or title_tag.lower() == re.sub(r"\.\w+$", "", source.rsplit("/", 1)[-1]).lower()):
        title_tag = ""                                   # a file's name is not its title
    ld = _json_ld(scripts)
    first = lambda *names: next((metas[n][0] for n in names if metas.get(n)), "")  # noqa: E731
    site = first("og:site_name", "citation_publisher", "dc.publisher", "dcterms.publisher") or ld.get("publisher", "")
    headline = ld.get("headline", "")
    if ld.get("name") and title_tag and headline.lower() not in title_tag.lower() and ld["name"].lower() in title_tag.lower():
        headline = ld["name"]                            # MediaWiki's: "headline" is the short description ("Wikimedia
                                                         # list article"), "name" the title the page's <title> gives
    title, source_of_title = first("citation_title", "og:title", "dc.title", "dcterms.title") or headline, "meta"
    if title and site and title.strip().lower() == site.strip().lower():
        title = ""                                       # a site that gives every page its own name as og:title
    title = _without_site(title, site)                   # or adds it to every og:title ("… | Committee for a …")
    if not title and title_tag:
        h1 = [_squash(n.text()) for n in root.iter() if n.tag == "h1"]
        if len(h1) == 1 and h1[0] and title_tag.startswith(h1[0]):
            title, source_of_title = h1[0], "h1"           # "Red fox - Wikipedia" and <h1>Red fox</h1>
        else:
            title, source_of_title = _without_site(title_tag, site), "tag"
    date = ""
    for value in (first("citation_publication_date", "citation_date", "article:published_time", "dc.date",
                        "dcterms.date", "dc.date.issued", "dcterms.issued", "date", "pubdate"),
                  ld.get("datePublished", "")):
        date = parse_date_text(re.sub(r"^(\d{4})/(\d{1,2})/(\d{1,2})", lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-"
                                      f"{int(m.group(3)):02d}", value)) if value else ""
        if date:
            break
    page_text = None
    if not date:                                         # a wiki's "last edited on 26 September 2019"
        page_text = _squash(root.text())
        m = _LAST_EDITED.search(page_text)
        date = parse_date_text(m.group(1)) if m else ""
    authors: list[str] = []
    for name in ("citation_author", "dc.creator", "dcterms.creator", "author", "article:author"):
        for value in metas.get(name, []):
            if "://" not in value:
                authors += [a for a in split_names(value) if a not in authors]
        if authors:
            if name in ("dc.creator", "dcterms.creator", "author"):
                # often whoever saved the file (a word processor's export): kept when the page prints it
                page_text = page_text if page_text is not None else _squash(root.text())
                authors = [a for a in authors if a in page_text]
            break
    if not authors:                                      # the site's own name as author: its template's default
        authors = [a for a in ld.get("authors", []) if a.lower() != site.strip().lower()]   # for every page, no byline
    if not authors:
        authors = _author_elements(root)
    return {"title": title, "title_from": source_of_title, "date": date, "authors": authors, "publisher": site}


def _author_elements(root: Node) -> list[str]:
    """Names in the elements a page marks as its author or byline (class "author", "byline",
    itemprop or rel "author"): "Karl Fogel", "By Jane Doe and John Roe". Below the page's first paragraph
    of text, not one in a teaser of another piece, which names that piece's author (Brookings' "article-insert"
    inside its articles, a "related" card)."""
    out: list[str] = []
    first = next((n.order for n in root.iter() if n.tag == "p" and len(_squash(n.text())) >= 200), None)
    for node in root.iter():
        if node.tag in ("meta", "link") or not (_AUTHOR_CLASS.search(node.classes) or node.get("itemprop") == "author"
                                                or node.get("rel") == "author"):
            continue
        if first is not None and node.order > first and any(_TEASER_CLASS.search(a.classes) for a in node.ancestors()):
            continue
        text = _squash(node.text())
        names = parse_name_line(text if text.lower().startswith("by ") else "By " + text)
        out += [n for n in names if n not in out]
        if out:
            break
    return out


def _without_site(title: str, site: str) -> str:
    """"Russia Update | ISW" -> "Russia Update" when the part after the bar is the site's stated
    name. Without a stated name nothing is cut: "Policy | Introduction" may name the page."""
    m = re.match(r"^(.*\S)\s+[|–—-]\s+(.+)$", title)
    if m and site and m.group(2).strip().lower() == site.strip().lower():
        return m.group(1)
    return title


_ARTICLE_TYPES = {"article", "newsarticle", "report", "blogposting", "scholarlyarticle", "webpage", "creativework",
                  "analysisnewsarticle", "reportagenewsarticle"}


def _json_ld(scripts: list[str]) -> dict:
    """headline, datePublished, authors and publisher of the first article-like JSON-LD object."""
    for raw in scripts:
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items = [x for it in items if isinstance(it, dict) for x in ([it] + list(it.get("@graph", [])))]
        for item in items:
            if not isinstance(item, dict):
                continue
            kind = item.get("@type")
            kinds = {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}
            if not kinds & _ARTICLE_TYPES:
                continue
            out: dict = {}
            if isinstance(item.get("headline") or item.get("name"), str):
                out["headline"] = _squash(item.get("headline") or item.get("name"))
            if isinstance(item.get("name"), str):
                out["name"] = _squash(item["name"])
            if isinstance(item.get("datePublished"), str):
                out["datePublished"] = item["datePublished"]
            people = item.get("author")
            people = people if isinstance(people, list) else [people] if people else []
            out["authors"] = [_squash(p["name"] if isinstance(p, dict) else p) for p in people
                              if isinstance(p, (dict, str)) and isinstance(p["name"] if isinstance(p, dict) else p, str)]
            pub = item.get("publisher")
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                out["publisher"] = pub["name"]
            return out
    return {}


def _title_block(doc: Document, printed_first: bool = False) -> None:
    """The heading that prints the report's title is its TITLE, not a section; a page without
    a stated title takes its only <h1>. A title known only from <title> ("Roads and Bridges -
    Final Draft") gives way to the line the page prints first when that line begins the same
    way ("Roads and Bridges: The Unseen Labor …")."""
    h1 = [b for b in doc.blocks if b.kind == HEADING and b.level == 1]
    if not doc.title and len(h1) == 1 and not doc.parts:
        doc.title = h1[0].text
    if printed_first and doc.title and not doc.parts:
        lead = re.split(r"\s+[-|–—:]\s+|:\s+", doc.title)[0].strip().lower()
        for b in doc.blocks[:3]:
            text = " ".join(b.text.split())
            if b.kind in (PARAGRAPH, HEADING) and len(lead) >= 5 and text.lower().startswith(lead) \
                    and len(text) < 200 and not text.endswith("."):
                doc.title = text
                break
    want = re.sub(r"\W+", " ", doc.title).strip().lower()
    for i, b in enumerate(doc.blocks):                   # a heading, or one of the first lines, that prints it
        if b.kind in (HEADING, PARAGRAPH) and (b.kind == HEADING or i < 3) and want \
                and re.sub(r"\W+", " ", b.text).strip().lower() == want:
            b.kind = TITLE
            break
    if doc.parts:                                        # each article's first heading is its title
        for start in [0, *doc.parts]:
            for b in doc.blocks[start:]:
                if b.kind in (HEADING, TITLE):
                    b.kind = TITLE
                    break
                if b.kind == PARAGRAPH and len(b.text) > 200:
                    break
