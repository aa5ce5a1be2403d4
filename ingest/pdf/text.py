"""Lines to text: one line's characters as text, and lines joined into paragraphs.

A line ends its paragraph when the first word of the next line would have fitted after it
(the line did not wrap), when the gap below it is wider than the document's usual line gap,
when the type size changes, or when the next line is indented. A paragraph continues across
a column or page break when its last line wrapped. A word hyphenated at a line end is joined
(the hyphen kept when the document writes the word with a hyphen elsewhere, or when the
next part starts with a capital, or when the document does not hyphenate words at all: see
`vocabulary`); a URL cut at the right edge is joined without a space.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.document import LINK_CLOSE, LINK_OPEN, REDACTED_TEXT
from ingest.footnotes import is_note_line
from ingest.lexicon import english_words
from ingest.pdf.layout import Line

# an address at the end of a line: with its scheme, "www.", or a host name and a path ("st.cs.uni-sb.de/edu/")
_URL_TAIL = re.compile(r"(?:https?://|www\.|(?<![\w@])[a-z0-9][\w-]*(?:\.[\w-]+)+/)\S*$")
_LETTERS = r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]+"
_WORD = re.compile(rf"{_LETTERS}(?:-{_LETTERS})*")
# what opens a list item: a bullet, or a number or letter ("1.", "(a)", "IV.", "§ 3")
BULLET = re.compile(r"^[•▪◦‣∙❖➢✓■□●○]\s+")
ENUMERATOR = re.compile(r"^\s*(?:(?:[IVXLC]+|[A-Z]|\d{1,3}|[a-z]{1,2})[.)]|\(\w{1,3}\)|§\s*\d+)\s+")
_INLINE_ITEM = re.compile(r"\((?:\d{1,2}|[a-z]{1,3})\)\s+[a-z]")
DASH = re.compile(r"^[–—-]\s+")      # a slide's second-level item: "– Vote of no-confidence"


def opens_item(line: Line, dash: bool = False) -> bool:
    """The line opens an item of a list: a bullet or a number ("•", "3.", "(b)", "§ 4") before its
    text; with `dash`, a dash too (whose item only its hung wrapped lines tell from a sentence's)."""
    return bool(BULLET.match(line.plain) or ENUMERATOR.match(line.plain) or (dash and DASH.match(line.plain)))


def last_uri(line: Line | None) -> str | None:
    """The link target under the line's last visible piece (a link that may go on on the next line)."""
    if line is None:
        return None
    for p in reversed(line.pieces):
        if p.text.strip():
            return p.uri
    return None


def first_uri(line: Line) -> str | None:
    """The link target under the line's first visible piece."""
    for p in line.pieces:
        if p.text.strip():
            return p.uri
    return None


def link_tail(line: Line) -> tuple[str, str] | None:
    """(target, label) of the link annotation under the end of the line, or None."""
    label: list[str] = []
    uri = None
    for p in reversed(line.pieces):
        if not p.text.strip() and uri is None:
            continue
        if p.marker or not p.uri or (uri is not None and p.uri != uri):
            break
        uri = p.uri
        label.append(p.text)
    return (uri, "".join(reversed(label))) if uri else None


def line_text(line: Line, *, links: bool | str = False, carried: tuple[str, str] | None = None,
              continues: bool = False) -> str:
    """The line's text, superscript numbers as `[N]` markers; with `links`, a link annotation
    whose visible text is not its target adds the target after it (`label <url>`, the text
    parser's shape; with links="marked", between LINK_OPEN and LINK_CLOSE for take_links, so the
    target is a source of the note and not its text). A link can
    run over lines: `carried` is the (target, label) the previous line ended in, `continues`
    says the link at this line's end goes on, so it is judged on the next line, whole."""
    out: list[str] = []
    i = 0
    pieces = line.pieces
    visible = [k for k, p in enumerate(pieces) if p.text.strip()]
    first, last = (visible[0], visible[-1]) if visible else (None, None)
    while i < len(pieces):
        p = pieces[i]
        if p.marker:
            out.append(f"[{int(p.text)}]" if p.text.isdecimal() else p.text)
            i += 1
            continue
        if links and p.uri:
            j = i
            label = []
            while j < len(pieces) and pieces[j].uri == p.uri and not pieces[j].marker:
                label.append(pieces[j].text)
                j += 1
            text = "".join(label)
            whole = text
            if i == first and carried is not None and carried[0] == p.uri:
                whole = carried[1] + text
            same = _same_link(whole, p.uri)
            squeezed = _undefang(re.sub(r"\s+", "", whole))
            if same and (re.search(r"://|www\.|\w/\w", whole) or _undefang(p.uri).startswith(squeezed)):
                # the address as printed: a justified line's stretch inside it is no space (a link box
                # drawn over the full stop and space before it keeps them: "p. 8. http://…")
                at = re.search(r"https?://|www\.", text)
                at = at.start() if at else 0
                text = text[:at] + re.sub(r"(?<=\S)\s+(?=\S)", "", text[at:])
            out.append(text)
            if not same and not (continues and last is not None and j > last):
                out.append(f"{LINK_OPEN}{p.uri}{LINK_CLOSE}" if links == "marked" else f" <{p.uri}>")
            i = j
            continue
        out.append(p.text)
        i += 1
    s = "".join(out)
    s = re.sub("\u00ad(?!\\s*$)", "", s)                 # a soft hyphen shows only at a line end
    s = re.sub(r"(\[\d+\])(?=\()", r"\1 ", s)      # `[3](` would read as a Markdown link
    return re.sub(r"[ \t\u00a0]+", " ", s).strip()


def _undefang(s: str) -> str:
    return re.sub(r"[\[(]\.[\])]", ".", s.replace("\\", "")).lower().rstrip("/;,.")


def _same_link(label: str, uri: str) -> bool:
    """The label already shows the target (possibly defanged, or cut off by the line end:
    "https:" at the end of a line is the start of its address)."""
    lab = _undefang(re.sub(r"\s+", "", label)).lstrip(":;,([{<\"'“‘")
    target = _undefang(uri)
    if "-" in lab and lab not in target and lab.replace("-", "") in target.replace("-", ""):
        return True                               # "daringfire-" + "ball.net", hyphenated at a line end
    return bool(lab) and (lab in target or target in lab) and (
        "/" in lab or "." in lab or target.startswith(lab) or len(lab) >= 12)


@dataclass
class Edges:
    """Left and right edges of the text per column kind, and the usual gap between lines."""

    left: dict[int, float]
    right: dict[int, float]
    gap: float
    indent: float = 0.0         # the usual first-line indent of a paragraph (0 when none)
    frames: dict[tuple[int, int, float], tuple[float, float, int]] = field(default_factory=dict)  # per page, column, size

    def frame(self, ln: Line, least: float = 0.6) -> tuple[float, float]:
        """The left and right edges of the measure `ln` is set in: its column's, or the narrower ones
        its page keeps in that type (a briefing slide's bullets, set within the report's margins), when
        three lines or more set them (not a heading's own) and they span `least` of the column at
        least (three fifths: not a page of short lines)."""
        left, right = self.left.get(ln.col, ln.x0), self.right.get(ln.col, ln.x1)
        lo, hi, n = self.frames.get((ln.page, ln.col, round(ln.size, 1)), (left, right, 0))
        lo, hi = max(left, lo), min(right, hi)
        return (lo, hi) if n >= 3 and hi - lo >= least * (right - left) else (left, right)

    @classmethod
    def of(cls, lines: list[Line], body_size: float) -> "Edges":
        body = [ln for ln in lines if abs(ln.size - body_size) <= 0.1 * body_size]
        left: dict[int, float] = {}
        right: dict[int, float] = {}
        for col in sorted({ln.col for ln in body}):
            xs = [ln for ln in body if ln.col == col]
            if xs:
                # the margins most lines keep: a table row or a line run off the page is no margin
                x0s, x1s = sorted(ln.x0 for ln in xs), sorted(ln.x1 for ln in xs)
                cut = len(xs) // 20
                left[col], right[col] = x0s[cut], x1s[len(xs) - 1 - cut]
        gaps: Counter[float] = Counter()
        for a, b in zip(body, body[1:]):
            if a.page == b.page and a.col == b.col and b.top > a.top:
                g = b.top - a.bottom
                if -body_size < g < 2 * body_size:
                    gaps[round(g * 2) / 2] += 1
        gap = gaps.most_common(1)[0][0] if gaps else 0.2 * body_size
        # the first-line indent: an indented line between a short line and a line set further
        # left (a hanging indent, Word's numbered paragraphs, is no paragraph start)
        indents: Counter[float] = Counter()
        for p, a, b in zip(body, body[1:], body[2:]):
            d = a.x0 - left.get(a.col, a.x0)
            if (0.8 * body_size < d < 6 * body_size and p.page == a.page == b.page and p.col == a.col == b.col
                    and b.x0 < a.x0 - 0.8 * body_size and p.x0 < a.x0 - 0.8 * body_size
                    and p.x1 < right.get(p.col, p.x1) - 2 * body_size):
                indents[round(d)] += 1
        top = indents.most_common(1)[0] if indents else (0, 0)
        indent = float(top[0]) if top[1] >= max(2, 0.02 * len(body)) else 0.0   # not a few ragged lines
        frames: dict[tuple[int, int, float], tuple[float, float, int]] = {}
        for ln in lines:
            if "\t" in ln.plain:
                continue                # a row run across a gutter (its parts a tab apart) is no line of a measure
            key = (ln.page, ln.col, round(ln.size, 1))
            lo, hi, n = frames.get(key, (ln.x0, ln.x1, 0))
            frames[key] = (min(lo, ln.x0), max(hi, ln.x1), n + 1)
        return cls(left, right, gap, indent, frames)


def in_block(a: Line, b: Line, edges: Edges) -> bool:
    """Both lines indented alike by other than the paragraph indent: a block quotation (or a
    list item's wrapped lines), whose right edge is the margin less the same indent."""
    a_in = a.x0 - edges.left.get(a.col, a.x0)
    b_in = b.x0 - edges.left.get(b.col, b.x0)
    return b_in > 0.8 * b.size and abs(a_in - b_in) < 0.5 and abs(round(b_in) - edges.indent) > 1


def ended_short(a: Line, b: Line, edges: Edges) -> bool:
    """Line `a` stopped before the margin although `b`'s first word would have fitted. In a block
    (`in_block`) the margin is the column's less the block's indent, or the page's own measure less
    it where that is narrower (a slide's paragraph, set short of the report's margin)."""
    right = edges.right.get(a.col, a.x1)
    if in_block(a, b, edges):
        left, measure = edges.frame(a)
        right = min(right - (a.x0 - edges.left.get(a.col, a.x0)), measure - (a.x0 - left))
    return a.x1 + 0.3 * a.size + b.first_word < right - 0.5


def goes_on(a: Line, b: Line, edges: Edges) -> bool:
    """Line `b` goes on with `a`'s sentence although `a` stopped short of the margin: a line
    without a sentence's end, the next in lower case at the same left edge and the usual line
    gap, on the same page and column. A table cell's text wraps at the cell's edge, not the
    page's ("…the following" / "criteria: more than 250" / "employees. …")."""
    return (b.plain[:1].islower() and not re.search(r"[.!?:;][\"'”’)\]]*$", a.plain)
            and a.page == b.page and a.col == b.col and abs(a.x0 - b.x0) < 0.5 * a.size
            and not spaced(a, b, edges) and not is_note_line(b.plain))


def hangs_on(a: Line, b: Line, edges: Edges) -> bool:
    """Line `b` is the wrapped line of the list item `a` opens: `a` starts with a bullet, a
    number or a dash, `b` (none of its own) starts further right, where the item's text hangs, at the
    usual line gap, and `a` wrapped in a measure indented as far as `b` on both sides (a list
    may stop short of the page's right margin: "• Matchmaking. USFCS aims to help companies
    connect with potential foreign" / "buyers and partners. …"); a short numbered heading
    before an indented paragraph did not wrap."""
    left, right = edges.frame(a, least=0.0)     # however narrow: a slide's bullets beside its table
    hang = b.x0 - left
    return (a.page == b.page and a.col == b.col and opens_item(a, dash=True) and not opens_item(b, dash=True)
            and 0.5 * a.size < b.x0 - a.x0 < 4 * a.size and not spaced(a, b, edges)
            and a.x1 + 0.3 * a.size + b.first_word >= right - hang - 0.5)


def breaks_paragraph(a: Line, b: Line, edges: Edges) -> bool:
    # a line set larger or smaller ends the paragraph; over a page or column turn, where no mixed line
    # excuses it, a smaller change does too (a briefing slide's 14.9 pt title under the last slide's 13.5 pt)
    across = a.page != b.page or a.col != b.col
    if abs(a.size - b.size) > (0.05 if across else 0.1) * max(a.size, b.size):
        return True
    if _header_end(a.plain, b.plain) or (_header_line(b.plain) and not b.plain[:1].islower()):
        return True                              # a time line or a byline stands alone
    if is_note_line(b.plain):
        return True                              # a `[N] …` or `¹ …` note line (a marker never starts a line)
    if a.plain.endswith("\u00ad") or (a.hyphen_end and b.plain[:1].islower()):
        return False                             # a soft hyphen is drawn only inside a broken word
    if goes_on(a, b, edges):
        return False                             # a sentence going on in a narrow measure (a table cell)
    if hangs_on(a, b, edges):
        return False                             # a list item's wrapped line, hung under its text
    if (_INLINE_ITEM.match(b.plain) and re.search(r"[^\W\d_],?$", a.plain) and not re.search(r"[;,]\s+(?:and|or)$", a.plain)
            and not spaced(a, b, edges)):
        return False                             # a sentence's own enumeration: "These options include" / "(1) relying on"
    if ended_short(a, b, edges):
        return True
    b_in = b.x0 - edges.left.get(b.col, b.x0)
    a_in = a.x0 - edges.left.get(a.col, a.x0)
    if (b_in > 0.8 * b.size and abs(round(b_in) - edges.indent) <= 1
            and (a_in < 0.4 * a.size or abs(a_in - b_in) < 0.5)):
        return True                              # a first-line indent (after a line that was none, or one)
    return spaced(a, b, edges)


def spaced(a: Line, b: Line, edges: Edges) -> bool:
    """More white space between the two lines than between the lines of a paragraph (the
    layout's blank line). Unknown across a column or page break: False."""
    if a.page == b.page and a.col == b.col and b.top > a.top:
        return b.top - a.bottom > edges.gap + 0.4 * min(a.size, b.size)
    return False


def _byline(text: str) -> bool:
    """'By' followed by names (capitalised words), not a sentence that starts with "By the"."""
    from ingest.metadata import BARE_BYLINE, BYLINE

    m = BYLINE.match(text)
    if not m:
        return False
    names = re.sub(r"\s*\([^)]*\)", "", m.group(1))
    names = re.sub(r"(?:,|\band|\bwith|&)\s*$", "", names).strip()
    return bool(BARE_BYLINE.match(names) or re.fullmatch(r"[A-Z][\w'’.-]+", names))


def _header_line(text: str) -> bool:
    from ingest.metadata import DATE_LINE, TIME_LINE

    return len(text) < 100 and bool(TIME_LINE.match(text) or DATE_LINE.match(text)
                                    or (_byline(text) and not text.rstrip().endswith((".", ","))))


def _header_end(a: str, b: str) -> bool:
    """`a` is a whole time line, date line or byline: `b` does not continue it."""
    from ingest.metadata import DATE_LINE, TIME_LINE

    if TIME_LINE.match(a) or DATE_LINE.match(a):
        joined = f"{a} {b}"
        return not (TIME_LINE.match(joined) or DATE_LINE.match(joined))
    return _byline(a) and len(a) < 100 and not re.search(r"(?:,|\band|\bwith|&)\s*$", a)


# Word processors that hyphenate only when told to (Word, Writer and Google Docs ship with automatic
# hyphenation off): a line-end hyphen in the PDFs they write was typed, unless the document shows otherwise.
_WORD_PROCESSOR = re.compile(r"Microsoft.{0,3} Word|LibreOffice|OpenOffice|Google Docs", re.IGNORECASE)
_LINE_END_PART = re.compile(rf"({_LETTERS})-$")        # "Re-" at a line's end ...
_LINE_START_PART = re.compile(_LETTERS)                 # ... and "routing" opening the next


@dataclass
class Vocabulary:
    """Words (lower case) written whole and words written with a hyphen in the document, and whether its
    line-end hyphens are typed ones: the document hyphenates no word (no line-end hyphen whose joined word it
    writes whole elsewhere), and it keeps a line-end hyphen that it writes elsewhere ("zero-" + "tolerance"
    with "zero-tolerance" on another line) or a word processor that does not hyphenate wrote it. A
    typesetter's hyphenation ("investi-" + "gation", "investigation" elsewhere) shows in any long document."""
    whole: set[str]
    hyphened: set[str]
    typed_hyphens: bool = False
    titled: set[str] = field(default_factory=set)    # words as an address's slug writes them: see `vocabulary`


def vocabulary(lines: list[Line], producer: str = "") -> Vocabulary:
    """The document's Vocabulary; `producer`: the PDF's Creator and Producer information."""
    whole: set[str] = set()
    hyphened: set[str] = set()
    for ln in lines:
        for w in _WORD.findall(ln.plain):
            (hyphened if "-" in w else whole).add(w.lower())
    broken = kept = 0
    for a, b in zip(lines, lines[1:]):
        m, n = _LINE_END_PART.search(a.plain), _LINE_START_PART.match(b.plain)
        if m and n:
            left, right = m.group(1).lower(), n.group(0).lower()
            if f"{left}-{right}" in hyphened:
                kept += 1
            elif left + right in whole:
                broken += 1
    # a slug drops a title's apostrophes and splits its compounds ("Mexico's Role" -> "mexicos-role",
    # "on-the-Horizon" -> "on-the-horizon"): the words a slug of the document's own titles can hold
    titled = {w.lower() for h in hyphened for w in h.split("-")} | {
        re.sub(r"['’]", "", w).lower() for ln in lines for w in _ELIDED.findall(ln.plain)}
    return Vocabulary(whole, hyphened, not broken and bool(kept or _WORD_PROCESSOR.search(producer)), titled)


_ELIDED = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})+")        # "Mexico's", "don't"


def join(prev: str, nxt: str, a: Line, b: Line, edges: Edges, vocab: Vocabulary) -> str:
    """`prev` and `nxt` (the texts of lines a and b) as one paragraph's text."""
    if not prev:
        return nxt
    if not nxt:
        return prev
    if prev.endswith("\u00ad"):
        return prev[:-1] + nxt                    # a word the writer hyphenated softly
    if prev.endswith(REDACTED_TEXT) and nxt.startswith(REDACTED_TEXT):
        return prev + nxt[len(REDACTED_TEXT):]    # one redaction run over the line's end: one `[redacted]`
    tail = _URL_TAIL.search(prev)
    if (tail or re.search(r"(?:https?:/{0,2}|\S/)$", prev)) and last_uri(a) is not None:
        if last_uri(a) == first_uri(b):
            return prev + nxt                     # one link annotation over both parts: one address
        if tail:
            return prev + " " + nxt               # the link (the address) ended with the line
    closed = tail and prev.endswith((")", "]")) and tail.group(0).count("(") + tail.group(0).count("[") < (
        tail.group(0).count(")") + tail.group(0).count("]"))           # "(www.gov.uk)": the bracket ends it
    if tail and not prev.endswith((";", ",")) and not closed:
        if prev.endswith("-") and _hyphenated_in_address(prev, nxt, vocab):
            return prev[:-1] + nxt                # a typesetter's hyphen inside an address
        if prev.endswith("-") or re.match(r"[/?#&=%_~]", nxt) or re.fullmatch(r"(?:https?://)(?:www\.?)?", tail.group(0)):
            return prev + nxt                     # the address goes on
        if _OPEN_HOST.search(prev) and _TOP_DOMAIN.match(nxt):
            return prev + nxt                     # the host name goes on ("https://www.cnn." + "com/2024/…")
        if re.search(r"%[0-9A-Fa-f]{2}$", prev) and re.match(r"\S", nxt):
            return prev + nxt                     # an escaped character ends the line ("…ATLANTA%2C%20" + "GA%20…")
        if prev.endswith("/") and re.match(r"[\w%~.-]*[/?#&=_.-]\S*(?:\s|$)", nxt) and not re.match(r"(?:https?://|www\.)", nxt):
            return prev + nxt                     # after a "/" the next line's first word is a path: the address goes on
        if not ended_short_text(a, edges) and not re.match(r"(?:https?://|www\.|DNGTS|<)", nxt) and not (
                prev.endswith(".") and re.match(r"[A-Z][a-z]*\s", nxt)):
            return prev + nxt                     # a URL cut at the margin
    if re.search(r"\S[\u2013\u2014]$", prev):
        return prev + nxt                         # a break after a dash that touches its word ("8:14–8:24")
    m, n = _LINE_END_PART.search(prev), _LINE_START_PART.match(nxt)
    if m and n and _SUSPENDED.match(nxt) and (m.group(1) + n.group(0)).lower() not in vocab.whole:
        return prev + " " + nxt                   # a suspended hyphen: "domestic-" + "or foreign-policy"
    if m and n:
        left, right = m.group(1), n.group(0)
        whole, hyphened = vocab.whole, vocab.hyphened
        if f"{left}-{right}".lower() in hyphened or (
                (left + right).lower() not in whole and _hyphened_stem(f"{left}-{right}".lower(), hyphened)):
            return prev + nxt                     # a compound the document writes with its hyphen
        if vocab.typed_hyphens and (left + right).lower() not in whole:
            return prev + nxt                     # a document that hyphenates no word: a typed hyphen
        if (left + right).lower() in whole or not right[0].isupper():
            return prev[:-1] + nxt                # a word hyphenated at the line end
        return prev + nxt
    if re.search(r"[\w)]-$", prev) and re.match(r"\w", nxt):
        return prev + nxt                         # "1:17-cr-" + "201": a hyphen inside a token
    return prev + " " + nxt


# the line after a suspended hyphen: a conjunction, then a compound of the same kind ("pre- and post-war",
# "short- to medium-term")
_SUSPENDED = re.compile(r"(?:or|and|nor|to)\s+[^\W\d_]+-[^\W\d_]")


def _hyphenated_in_address(prev: str, nxt: str, vocab: Vocabulary) -> bool:
    """A line-end hyphen inside a web address that the typesetter added (InDesign hyphenates addresses:
    ".../health/fentan-" + "yl-xylazine", a hash's "…2976fe-" + "b5ac6b41e528e"): the document hyphenates
    words, never writes this one with its hyphen, and writes the joined word (whole, or as a slug holds it:
    "mexicos" for "Mexico's"), or the joined word is English and its parts not two words
    (`_english_fragments`: "docu-" + "ments"); or both parts mix letters and figures (a hash's) and are no
    UUID's groups ("f47ac10b-" + "58cc-…"). A word processor's document, or a word the document also writes
    with the hyphen ("co-operation"), keeps it: the address's own hyphen at the line end. So do two parts of
    letters that no list settles: a slug's words in another language ("postavkakh-" + "vooruzheniya") are no
    typesetter's fragments ("mexi-" + "cos") that a text can tell."""
    if vocab.typed_hyphens:
        return False
    m, n = _LINE_END_PART.search(prev), _LINE_START_PART.match(nxt)
    if m and n:
        left, right = m.group(1).lower(), n.group(0).lower()
        if f"{left}-{right}" not in vocab.hyphened and (left + right in vocab.whole or left + right in vocab.titled
                                                       or _english_fragments(left, right)):
            return True
    m, n = _PIECE_END.search(prev), _PIECE.match(nxt)
    return bool(m and n) and all(_HASHLIKE.fullmatch(p) for p in (m.group(1), n.group(0))) and not (
        _UUID_HEAD.search(prev) and _UUID_TAIL.match(nxt))


def _english_fragments(left: str, right: str) -> bool:
    """The joined word is an English word and its parts are not both words ("docu-" + "ments", "sus-" +
    "pected", "offenc-" + "es"): a typesetter's break of a word the document never writes elsewhere. Two
    words ("news-" + "room", "e-" + "mail") may be the address's own compound; a transliterated slug's
    words ("postavkakh-" + "vooruzheniya") are no English word joined."""
    words = english_words()
    return left + right in words and not (left in words and right in words)


# the run of letters and figures before a line-end hyphen, and the one opening the next line
_PIECE_END = re.compile(r"([^\W_]+)-$")
_PIECE = re.compile(r"[^\W_]+")
_HASHLIKE = re.compile(r"(?=.*\d)(?=.*[^\W\d_])[^\W_]+")          # letters and figures mixed: "2976fe"
# a UUID broken at one of its own hyphens ("f47ac10b-" + "58cc-4372-a567-0e02b2c3d479")
_UUID_HEAD = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){0,3}-$")
_UUID_TAIL = re.compile(r"[0-9A-Fa-f]{4}-|[0-9A-Fa-f]{12}(?![0-9A-Za-z])")
# an address whose host name has no top-level domain yet ("https://www.cnn.") and a line that goes on with it
_OPEN_HOST = re.compile(r"(?:https?://|(?<!\S)www\.)[\w-]+(?:\.[\w-]+)*\.$")
_TOP_DOMAIN = re.compile(r"[a-z]{2,}(?:[/:?#]|[.,;)]?(?:\s|$))")


def _hyphened_stem(word: str, hyphened: set[str]) -> bool:
    """The document writes this compound with its hyphen in another form ("co-conspirator"
    for "co-conspirators"): a hyphened word that shares all but the word's last 3 letters."""
    stem = word[:max(word.index("-") + 3, len(word) - 3)]
    return any(h.startswith(stem) for h in hyphened)


def ended_short_text(a: Line, edges: Edges) -> bool:
    """The line stops well before the margin (more than three characters short)."""
    return a.x1 < edges.right.get(a.col, a.x1) - 3 * 0.5 * a.size


def body_size(lines: list[Line]) -> float:
    """The body text's type size: the size most characters are set in; but when that size carries
    hardly any of the note markers set inside lines (under a tenth of five or more), the size that
    carries half of them or more and a third as many characters (the body is where notes are cited: a
    short paper can hold more characters of notes than of text; a few raised specks of a scan are no
    markers)."""
    sizes: Counter[float] = Counter()
    cited: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.plain)
        if ln.leading_marker is None and any(p.marker for p in ln.pieces):
            cited[ln.size] += 1
    total = sum(cited.values())
    top, most = sizes.most_common(1)[0] if sizes else (10.0, 0)
    if total >= 5 and 10 * cited[top] < total:
        body = Counter({sz: n for sz, n in sizes.items() if 2 * cited[sz] >= total and 3 * n >= most})
        if body:
            return body.most_common(1)[0][0]
    return top
