"""A PDF page's characters to lines in reading order.

Lines: characters grouped by baseline; a smaller character raised above a line's baseline is a
superscript of that line (a footnote marker when it is digits, a lower-case roman numeral or
* † ‡, also set off past the line's end), a lowered one a subscript (text). A gap wider than twice the type size is a cell
boundary (a tab in the line's text). Columns: a vertical gutter in the middle of the page that
few line fragments cross, with lines (not table cells) on both sides, makes a two-column page;
narrow bands that no character crosses in almost any row, cutting the text into three (or two)
columns of about equal width filled with lines, make a page of three (or two) columns whose
gutters are narrower than the gap that joins a line's runs, so line fragments cannot show them
(the Federal Register's and LaTeX's twocolumn, about 9-10 points). Columns are read one after
the other between full-width lines. Running headers and footers: lines in the top or bottom band
whose text (digits ignored) repeats on other pages, lines in the place and type of those (a
chapter's own head), and bare page numbers that run with the page index (not a note's number
alone at the foot).
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.document import REDACTED_TEXT

SUP_RATIO = 0.85        # a superscript is at most this size relative to its line
SUP_RISE = 0.25         # ... and its box bottom at least this many line-sizes above the line's
SMALL_SUP_RISE = 0.15   # ... or this many, for digits at most SMALL_SUP of its size (a 6 pt marker in a 9 pt sidebar)
SMALL_SUP = 0.7
HANG = 3.0              # a note's number hung this many line-sizes before its line's text at most
BAND = 0.12             # top and bottom share of the page where running headers/footers live

# the note numbers in lower-case roman, in order: i to xxxix ("c", "l" are a table's note letters as often)
ROMANS = tuple(t + o for t in ("", "x", "xx", "xxx")
               for o in ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"))[1:]
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$")


@dataclass
class Piece:
    """A run of a line's text: plain text, or a superscript number (a marker)."""

    text: str
    marker: bool = False
    uri: str | None = None          # the target of a link annotation over this run
    target: tuple[int, float | None] | None = None   # (page, y) of an internal link over this run


@dataclass
class Line:
    page: int                       # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    size: float                     # the line's main font size
    bold: bool
    pieces: list[Piece] = field(default_factory=list)
    col: int = 0                    # 0 single/full width, else the column from the left (1, 2, 3)
    first_word: float = 0.0         # width of the first word (would it have fit on the line above?)
    hyphen_end: bool = False        # ends in a hyphen PDFium judged to break a word (or a soft hyphen)
    hung: bool = False              # opens with a marker hung before its text (Word's endnotes), not touching it

    @property
    def plain(self) -> str:
        return "".join(p.text for p in self.pieces if not p.marker).strip()

    @property
    def leading_marker(self) -> str | None:
        """The number of a superscript that opens the line (a note's number), or None."""
        for p in self.pieces:
            if p.marker:
                return p.text
            if p.text.strip():
                return None
        return None


def _baseline_clusters(chars: list[dict]) -> list[list[dict]]:
    chars = sorted(chars, key=lambda c: (c["bottom"], c["x0"]))
    clusters: list[list[dict]] = []
    for c in chars:
        if clusters and abs(clusters[-1][0]["bottom"] - c["bottom"]) <= 0.15 * max(c["size"], 1):
            clusters[-1].append(c)
        else:
            clusters.append([c])
    return clusters


def _main_size(cluster: list[dict]) -> float:
    sizes = Counter(c["sz1"] for c in cluster if not c.get("ink") and c["text"] != " ")
    return sizes.most_common(1)[0][0] if sizes else cluster[0]["sz1"]


def _runs(chars: list[dict]) -> list[list[dict]]:
    """A baseline cluster cut into runs of touching characters."""
    runs: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if runs and c["x0"] - runs[-1][-1]["x1"] <= 0.3 * c["size"]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _attach_superscripts(clusters: list[list[dict]]) -> list[tuple[list[dict], set[int]]]:
    """Move raised runs of smaller characters into the line they touch: a superscript run is
    digits (a marker: `12`, `1,2`) or at most four characters (`th`, `*`), and it touches a
    character of the line on its left or right, or it is digits past the line's end (a marker
    set off at the margin) or hung before the line's start (a note's number, Word's endnotes: "¹",
    a tab, the note). Returns (chars, ids of superscripts) per line."""
    info = [(_main_size(cl), statistics.median(c["bottom"] for c in cl)) for cl in clusters]
    sup: list[set[int]] = [set() for _ in clusters]
    for i, cl in enumerate(clusters):
        size_i = info[i][0]
        keep: list[dict] = []
        for run in _runs(cl):
            text = "".join(c["text"] for c in run).strip()
            if not text or not (re.fullmatch(r"\d+(?:\s*[,;]?\s*\d+)*", text) or len(text) <= 4):
                keep += run
                continue
            # a note number: digits, or a lower-case roman numeral (Word numbers endnotes, or footnotes
            # when a document has both, "i", "ii", "iii")
            tokens = [t for t in re.split(r"[\s,;]+", text) if t]
            roman = any(not t.isdecimal() for t in tokens) and all(t.isdecimal() or t in ROMANS for t in tokens)
            numeral = text[:1].isdigit() or roman
            home = None
            for j, other in enumerate(clusters):
                if j == i or not other:
                    continue
                size_j, bottom_j = info[j]
                rise = bottom_j - info[i][1]
                lowered = -0.5 * size_j <= rise <= -0.1 * size_j       # a subscript: "CO₂" is text
                least = SMALL_SUP_RISE if size_i <= SMALL_SUP * size_j and numeral else SUP_RISE
                if size_i >= SUP_RATIO * size_j or not (least * size_j <= rise <= 0.9 * size_j or lowered):
                    continue
                x0, x1 = run[0]["x0"], run[-1]["x1"]
                visible = [d for d in other if d["text"].strip()]
                if lowered:
                    if any(abs(d["x1"] - x0) <= 0.5 * size_j for d in visible):
                        home = j
                        break
                    continue
                hung = visible and numeral and 0.5 * size_j < min(d["x0"] for d in visible) - x1 <= HANG * size_j
                if any(abs(d["x1"] - x0) <= 0.5 * size_j or abs(d["x0"] - x1) <= 0.5 * size_j for d in visible) or (
                        visible and numeral and x0 >= max(d["x1"] for d in visible)) or hung:
                    home = j
                    if roman:
                        for c in run:
                            c["roman"] = c["text"].isalpha()     # a roman note number: a marker
                    if hung:
                        for c in run:
                            c["hung"] = True    # a note's number hung before its text (Line.hung)
                    break
            if home is None:
                keep += run
            else:
                clusters[home] = clusters[home] + run
                if not lowered:
                    sup[home].update(id(c) for c in run)
        clusters[i] = keep if len(keep) != len(cl) else cl
    return [(sorted(cl, key=lambda c: c["x0"]), sup[k]) for k, cl in enumerate(clusters) if cl]


def _fragments(chars: list[dict], gap: float) -> list[tuple[float, float]]:
    """x extents of the runs of a line separated by more than `gap` points."""
    out: list[list[float]] = []
    for c in chars:
        if not c["text"].strip():
            continue
        if out and c["x0"] - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], c["x1"])
        else:
            out.append([c["x0"], c["x1"]])
    return [(a, b) for a, b in out]


def find_gutter(lines_chars: list[list[dict]], width: float) -> float | None:
    """The x of a two-column page's gutter (the middle of the widest clear band), or None for
    a single column. The last page of a two-column text may have a short right column."""
    frags: list[tuple[float, float]] = []
    for chars in lines_chars:
        size = _main_size(chars)
        frags += _fragments(chars, max(1.5 * size, 8.0))
    if len(frags) < 5:
        return None
    scores: list[tuple[int, float]] = []
    for k in range(35, 66):
        x = width * k / 100
        crossing = sum(1 for a, b in frags if a < x < b)
        left = sum(1 for a, b in frags if b <= x)
        right = sum(1 for a, b in frags if a >= x)
        if min(left, right) < 1 or max(left, right) < 4 or left + right < 6 or crossing > 0.2 * (left + right):
            continue
        scores.append((crossing, x))
    if not scores:
        return None
    least = min(c for c, _ in scores)
    # the middle of the widest stretch of x crossing least (not of the first and last such x: the notes'
    # numbers hung in the right column's margin cut the clear band in two, and the middle of both sides fell
    # on the numbers)
    runs: list[list[float]] = []
    for k, (c, x) in enumerate(scores):
        if c == least:
            if runs and k > 0 and scores[k - 1][0] == least and abs(x - scores[k - 1][1] - width / 100) < 1e-6:
                runs[-1].append(x)
            else:
                runs.append([x])
    xs = max(runs, key=len)
    gutter = (xs[0] + xs[-1]) / 2
    # columns of text, not a table: most fragments on each side are lines, not cells
    for side in ([b - a for a, b in frags if b <= gutter], [b - a for a, b in frags if a >= gutter]):
        if sum(1 for w in side if w >= 0.25 * width) < 0.5 * len(side):
            return None
    return gutter


CLEAR = 0.08            # a gutter: no character in more than this share of a page's rows


@dataclass
class Coverage:
    """A page's rows of text (three characters or more) and, for each half point across their extent,
    how many of them have a character there; `bands`: the stretches at least 1.5 points wide that no
    character covers in more than CLEAR of the rows, as (x from, x to); `lefts`: where each row starts."""

    rows: list[list[dict]]
    x0: float
    x1: float
    bands: list[tuple[float, float]]
    lefts: list[float]

    @classmethod
    def of(cls, lines_chars: list[list[dict]]) -> "Coverage":
        rows = [[c for c in r if c["text"].strip() and not c.get("ink")] for r in lines_chars]
        rows = [r for r in rows if len(r) >= 3]
        if not rows:
            return cls(rows, 0.0, 0.0, [], [])
        lefts = [min(c["x0"] for c in r) for r in rows]
        x0, x1 = min(lefts), max(c["x1"] for r in rows for c in r)
        bins = int((x1 - x0) * 2) + 1
        counts = [0] * bins
        for r in rows:
            seen: set[int] = set()
            for c in r:
                seen.update(range(max(0, int((c["x0"] - x0) * 2)), min(bins, int((c["x1"] - x0) * 2) + 1)))
            for b in seen:
                counts[b] += 1
        bands: list[tuple[float, float]] = []
        b = 0
        while b < bins:
            e = b
            while e < bins and counts[e] <= CLEAR * len(rows):
                e += 1
            if e - b >= 3:
                bands.append((x0 + b / 2, x0 + e / 2))
            b = max(e, b + 1)
        return cls(rows, x0, x1, bands, lefts)

    def gutter_width(self, x: float) -> float:
        """The width of the clear band around x (0 when x is in none)."""
        return next((b - a for a, b in self.bands if a <= x <= b), 0.0)


def find_narrow_gutters(cover: Coverage) -> list[float] | None:
    """The x of the gutters of a page of three or two columns that no line fragment shows (the
    gutter narrower than the gap that joins a line's runs), or None: clear bands (`Coverage`)
    cutting the rows' extent into three columns each 25-42 % of it or two each 40-60 %, most of
    whose rows are lines filling their column (not a table's cells)."""
    rows, x0, x1, bands = cover.rows, cover.x0, cover.x1, cover.bands
    span = x1 - x0
    if len(rows) < 12 or span <= 0:
        return None
    for i, (a1, b1) in enumerate(bands):
        for a2, b2 in bands[i + 1:]:
            widths = (a1 - x0, a2 - b1, x1 - b2)
            if all(0.25 * span <= w <= 0.42 * span for w in widths):
                gutters = [(a1 + b1) / 2, (a2 + b2) / 2]
                if _columns_of_lines(rows, [x0, *gutters, x1]):
                    return gutters
    for a1, b1 in bands:
        if 0.40 * span <= a1 - x0 <= 0.60 * span and 0.40 * span <= x1 - b1 <= 0.60 * span:
            if _columns_of_lines(rows, [x0, (a1 + b1) / 2, x1]):
                return [(a1 + b1) / 2]
    return None


def _columns_of_lines(rows: list[list[dict]], edges: list[float], words_per_row: float = 4.0) -> bool:
    """Each column holds running text, not a table's cells: most of its rows fill half its width or
    more, hold four words or more on average (`words_per_row`), and are mostly letters (a table of
    figures, a listing of names and dates in three bands is no three-column page)."""
    for lo, hi in zip(edges, edges[1:]):
        fills, words, letters, visible = 0, 0, 0, 0
        n = 0
        for r in rows:
            inside = sorted((c for c in r if lo <= (c["x0"] + c["x1"]) / 2 < hi), key=lambda c: c["x0"])
            if not inside:
                continue
            n += 1
            fills += inside[-1]["x1"] - inside[0]["x0"] >= 0.5 * (hi - lo)
            words += 1 + sum(1 for a, b in zip(inside, inside[1:]) if b["x0"] - a["x1"] > 0.15 * a["size"])
            letters += sum(1 for c in inside if c["text"].isalpha())
            visible += len(inside)
        if n < 4 or fills < 0.6 * n or words < words_per_row * n or letters < 0.7 * visible:
            return False
    return True


def _gap_at(row: list[dict], x: float, size: float) -> float | None:
    """The gap between the row's text on either side of x (superscripts left out: a marker set off
    into a gutter does not join two columns); 0 when a character covers x, None when the row has
    text on one side only."""
    vis = [c for c in row if c["text"].strip() and c["size"] > SUP_RATIO * size]
    if any(c["x0"] < x < c["x1"] for c in vis):
        return 0.0
    left = [c["x1"] for c in vis if c["x1"] <= x]
    right = [c["x0"] for c in vis if c["x0"] >= x]
    return min(right) - max(left) if left and right else None


def _joining(size: float, apart: float) -> float:
    """The widest gap at a gutter that still joins a row's text across it: a line fragment's gap
    (1.5 type sizes, at least 8 points) where the columns stand well apart; a quarter of the
    gutter's clear band where the gutter is narrower than that (LaTeX's twocolumn, the Federal
    Register, where a line ending in "FAA-" stands a few points from the next column's)."""
    usual = max(1.5 * size, 8.0)
    return usual if apart > 1.2 * usual else 0.25 * apart


def _across(row: list[dict], x: float, least: float, size: float) -> bool:
    """The row's text goes on across x: a character covers it, or the gap there is at most `least`
    (a word space, not the columns' gutter)."""
    gap = _gap_at(row, x, size)
    return gap is not None and gap <= least


MARK_SYMBOLS = "*†‡§¶"   # printed as note labels where a report numbers none


def _small_caps_size(main: list[dict], size: float) -> float:
    """The size of a line's lowercase text where the rest is small capitals: capitals set smaller, in words
    of two letters or more ("FOR FURTHER INFORMATION CONTACT: Ian" is 9-point text whose label, in
    7.4-point capitals, has the most characters). Else `size`. Single capitals ("J F M A", a table's months)
    and words with figures (a formula's "xn+1") are no small capitals."""
    lower = Counter(c["sz1"] for c in main if c["text"].islower())
    if not lower or lower.most_common(1)[0][0] <= size + 0.05:
        return size
    big = lower.most_common(1)[0][0]
    words: list[list[dict]] = []
    for c in main:
        if words and c["x0"] - words[-1][-1]["x1"] <= 0.15 * c["sz1"]:
            words[-1].append(c)
        else:
            words.append([c])
    small = [w for w in words if any(c["sz1"] < big - 0.05 for c in w)]
    if all(sum(c["text"].isalpha() for c in w) >= 2 and not any(c["text"].isdigit() or c["text"].islower()
                                                                  for c in w) for w in small):
        return big
    return size


def _word_gap(chars: list[dict], size: float) -> tuple[float, float]:
    """The least gap between two glyphs of a line that parts two words when no space glyph is
    there: in a justified line that squeezes its word spaces below a fifth of the type ("The
    Economist argues that", each gap a move of 0.09-0.18 em), a gap wider than 0.05 em, than
    0.06 em past the line's usual gap between letters (a letter-spaced line's are wide), than
    0.04 em past its widest but one in ten (an OCR layer's letters stand apart unevenly), and than
    0.45 of its word spaces (the gap between the glyphs either side of a space glyph; two at least).
    Else a fifth of the type, up to 12 points, as for any line. Returned with the least gap before
    "%" (the same but for the word spaces: the EU's style sets a narrow space there, "17 %", in lines
    it does not squeeze)."""
    usual = 0.2 * min(size, 12)
    across: list[float] = []
    within: list[float] = []
    for a, b, c in zip(chars, chars[1:], chars[2:] + [None]):
        if a["text"].isspace():
            continue
        if b["text"].isspace():
            if c is not None and not c["text"].isspace() and b["text"] == " ":
                across.append(c["x0"] - a["x1"])
        else:
            within.append(b["x0"] - a["x1"])
    if len(across) < 2 or not within:
        return usual, usual
    within.sort()
    wide = within[int(0.9 * (len(within) - 1))]        # an OCR layer's or a tracked line's letters stand apart unevenly
    least = max(0.05 * size, statistics.median(within) + 0.06 * size, wide + 0.04 * size)
    return min(usual, least), min(usual, max(least, 0.45 * statistics.median(across)))


def _parts_words(left: str, right: str) -> bool:
    """Whether a narrow gap between these two glyphs can be a word space: a word (or a comma, a
    closing bracket or quotation mark) before a letter or figure or an opening quotation mark or
    bracket ("in the Red Sea 'in solidarity with"), or a figure before "%" (the EU's style sets
    "17 %"). Not after a full stop ("U.|S."), not before other punctuation or a dash,
    not between two capitals or two figures, not beside a ligature, not between Chinese, Japanese
    or Korean characters, which take no spaces; the caller also wants both of one size (an initial
    set larger, "A|CKNOWLEDGMENTS", is no word)."""
    if len(left) != 1 or len(right) != 1:
        return False                    # a ligature's box ("fi|rst", "infl|ection") ends short of its advance
    a, b = left, right
    opening = b in "‘“'\"([" and (a.isalnum() or a in ",;:!?")
    if not (b.isalnum() and (a.isalnum() or a in ",;:!?)]’”'\"") or opening or b == "%" and a.isdigit()):
        return False
    if a.isupper() and b.isupper() or a.isdigit() and b.isdigit():
        return False                    # capitals kerned or tracked ("SA|RAH", "(I|CE)"); a number's figures
    return not any(unicodedata.east_asian_width(ch) in "WF" for ch in (a, b))


def _make_line(page: int, chars: list[dict], sup_ids: set[int], col: int, links: list) -> Line:
    main = [c for c in chars if id(c) not in sup_ids and c["text"].strip() and not c.get("ink")]
    wordless = not main                     # nothing printed but markers, maybe: a line redacted whole
    bar = next((c for c in chars if c.get("ink")), None) if wordless else None
    main = main or chars
    size = _small_caps_size(main, _main_size(main))
    bars = _redaction_runs(chars, bar["sz1"] if bar is not None else size, wordless)
    if bars and chars[0] is bar:
        size = bar["sz1"]                   # a line redacted whole is set in its bars' size; a note's number
                                            # opening one keeps its own (notes are told by their smaller type)
    bold = sum(1 for c in main if c.get("bold")) > len(main) / 2
    pieces: list[Piece] = []
    prev: dict | None = None
    last_visible: dict | None = None
    first_word_end: float | None = None
    between = False                         # a separator between two superscript markers was just skipped
    if links:
        lo, hi = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
        links = [a for a in links if a.top - 0.5 <= hi and a.bottom + 0.5 >= lo]
    before_percent, word_gap = _word_gap([c for c in chars if id(c) not in sup_ids and not c.get("ink")], size)
    for c in chars:
        if id(c) in bars:                   # a redaction among the line's words reads as the HTML edition prints it
            last = bars[id(c)]
            if last is not None:
                pieces.append(Piece(f" {REDACTED_TEXT} "))
                prev = last_visible = last
            continue
        is_sup = id(c) in sup_ids
        ch = " " if c.get("ink") else c["text"]     # a redaction bar: blank, but it fills its place
        link = _link_at(c, links) if links else None
        uri = link.uri if link is not None else None
        target = (link.page, link.y) if link is not None and link.page else None
        if prev is not None and not ch.isspace() and not prev["text"].isspace() and not prev.get("ink"):
            gap = c["x0"] - prev["x1"]
            if gap > 0.2 * min(size, 12) or (gap > (before_percent if ch == "%" else word_gap)
                                             and not is_sup and id(prev) not in sup_ids
                                             and abs(prev["size"] - c["size"]) <= 0.05 * size
                                             and _parts_words(prev["text"], c["text"])):
                # a word gap drawn as a move, not a space glyph
                pieces.append(Piece(" ", uri=None))
                if first_word_end is None:
                    first_word_end = prev["x1"]
        if (not ch.isspace() and last_visible is not None and not is_sup
                and c["x0"] - last_visible["x1"] > 2 * size and pieces and not pieces[-1].marker):
            # a gap wider than any word space: the next cell of a table row, a form's next field
            if pieces[-1].text.endswith(" "):
                pieces[-1].text = pieces[-1].text[:-1] + "\t"
            else:
                pieces.append(Piece("\t"))
        if not ch.isspace() and not is_sup:
            last_visible = c
        if ch.isspace() and ch not in "\u00a0\u202f\u2007" and first_word_end is None and prev is not None:
            first_word_end = prev["x1"]
        marker = is_sup and (ch.isdecimal() or ch in MARK_SYMBOLS or bool(c.get("roman")))
        if is_sup and ch in ",;" and pieces and pieces[-1].marker:
            prev = c                        # `¹,²`: the comma between two markers is not text,
            between = True                  # and the next digit opens the second marker, not "12"
            continue
        if (pieces and pieces[-1].marker == marker and pieces[-1].uri == uri and pieces[-1].target == target
                and not (marker and (between or not (ch.isdecimal() and pieces[-1].text.isdecimal()
                                                     or c.get("roman") and pieces[-1].text in ROMANS)))):
            pieces[-1].text += " " if ch.isspace() else ch
        else:
            pieces.append(Piece(" " if ch.isspace() else ch, marker=marker, uri=uri, target=target))
        between = False
        prev = c
    x0 = min(c["x0"] for c in chars)
    x1 = max(c["x1"] for c in chars if c["text"].strip()) if main else max(c["x1"] for c in chars)
    first_word = (first_word_end if first_word_end is not None else x1) - x0
    last = next((c for c in reversed(chars) if c["text"].strip()), None)
    return Line(page=page, x0=x0, x1=x1, top=min(c["top"] for c in main), bottom=max(c["bottom"] for c in main),
                size=size, bold=bold, pieces=pieces, col=col, first_word=first_word,
                hyphen_end=bool(last is not None and last.get("hyphen")), hung=any(c.get("hung") for c in chars))


def _redaction_runs(chars: list[dict], size: float, wordless: bool = False) -> dict[int, dict | None]:
    """Redaction bars that stand for words of the line (ingest/pdf/chars.py draws each bar as a blank
    character): a run of rectangles an em apart at most (the Mueller PDF's bars cover glyphs, not the
    spaces between words: 0.6-0.8 em apart), each the height of the line's type, a word wide or more,
    touching the line's words or a marker (within 0.6 em on one side) and under none of them. Maps the
    id of each bar of a run to the run's last bar for its first, None for the others. A chart's bar, a
    band behind a heading, a bullet square or a logo's letters drawn as outlines fails one of these and
    stays a blank, as every dark box did before.

    `wordless`: nothing is printed on the line but footnote markers, if any (a sentence or a paragraph
    redacted whole; the line's size is its bars'). Its bars are rectangles of one height with no
    character printed on them (ingest/pdf/chars.py `covered`: a table's dark header cells), a run of them
    may part its words by up to 1.5 em (a justified line's spaces), and one touching no marker spans
    two words (`_redacted_words`): a lone box, or a page border's two sides, is none."""
    if not any(c.get("ink") for c in chars):
        return {}                           # most lines: nothing to look at
    visible = [c for c in chars if not c.get("ink") and c["text"].strip()]     # a marker after a redaction touches it too
    if not visible and not wordless:
        return {}
    runs: list[list[dict]] = []
    for c in chars:
        if c.get("ink"):
            if runs and runs[-1] and c["x0"] - runs[-1][-1]["x1"] <= (1.5 if wordless else 1.0) * size:
                runs[-1].append(c)
            else:
                runs.append([c])
        elif c["text"].strip() and runs and runs[-1]:
            runs.append([])                 # a word between two bars parts them
    runs = [run for run in runs if run]
    if wordless and not all(c.get("rect") and not c.get("covered") and abs(c["size"] - size) <= 0.1 * size
                            for run in runs for c in run):
        return {}
    out: dict[int, dict | None] = {}
    for run in runs:
        x0, x1 = run[0]["x0"], run[-1]["x1"]
        if x1 - x0 < 0.8 * size or not all(c.get("rect") and 0.7 * size <= c["size"] <= 1.4 * size for c in run):
            continue
        if any(c["x0"] < x1 - 0.5 and c["x1"] > x0 + 0.5 for c in visible):
            continue                        # words printed over it: a band behind them, not a redaction
        left = min((x0 - c["x1"] for c in visible if c["x1"] <= x0 + 0.5), default=None)
        right = min((c["x0"] - x1 for c in visible if c["x0"] >= x1 - 0.5), default=None)
        touches = any(g is not None and g <= 0.6 * size for g in (left, right))
        if not (touches or wordless and _redacted_words(run, size)):
            continue
        out[id(run[0])] = run[-1]
        out.update((id(c), None) for c in run[1:])
    return out


def _redacted_words(bars: list[dict], size: float) -> bool:
    """Bars that span two words at least: two ems wide in all, with a word space (0.15 em or more)
    between two of them."""
    return (bars[-1]["x1"] - bars[0]["x0"] >= 2 * size
            and any(b["x0"] - a["x1"] >= 0.15 * size for a, b in zip(bars, bars[1:])))


def _link_at(c: dict, links: list):
    """The link annotation (ingest/pdf/chars.py Link) over the middle of a character, or None."""
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    for a in links:
        if a.x0 - 0.5 <= cx <= a.x1 + 0.5 and a.top - 0.5 <= cy <= a.bottom + 0.5:
            return a
    return None


def _dedupe(chars: list[dict]) -> list[dict]:
    """Without characters drawn twice at the same place (fake bold, shadows)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in chars:
        key = (c["text"], int(c["x0"] + 0.5), int(c["top"] + 0.5))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


FEW_ROWS = 12           # fewer rows of text than this show no narrow gutters of their own


@dataclass
class PageLayout:
    """A page's lines in reading order, the x of the gutters between its columns, and whether it holds
    too few rows of text to show narrow gutters itself (a page of figures with a few rows of columns)."""

    lines: list[Line]
    gutters: list[float]
    few_rows: bool


def page_lines(page_number: int, chars: list[dict], width: float, links: list,
               gutters: list[float] | None = None) -> PageLayout:
    """A page's lines in reading order (columns read one after the other); `gutters`: the document's
    (`document_gutters`), for a page of few rows that they divide (`divides`), instead of its own."""
    chars = _dedupe([c for c in chars if c.get("upright", True) and c["text"] and c["size"] > 0])
    if not chars:
        return PageLayout([], [], False)
    rough = _baseline_clusters(chars)
    cover = Coverage.of(rough)
    few = len(cover.rows) < FEW_ROWS
    if gutters is None:
        gutter = find_gutter(rough, width)
        gutters = [gutter] if gutter is not None else (find_narrow_gutters(cover) or [])
    elif not divides(rough, gutters):
        gutters = []
    side = find_side_margin(cover, width) if not gutters else None
    if side is not None:
        gutters = [side]                    # the side headings' column 1; the body's is the page's column 0
    part = find_part_gutter(cover, width) if not gutters else None
    if part is not None:
        gutters = [part[0]]
    groups: list[tuple[int, list[dict]]] = [(0, chars)]
    if gutters:
        # a row whose text goes on across a gutter is full width; every other row splits by column
        apart = {g: cover.gutter_width(g) for g in gutters}
        cols: list[list[dict]] = [[] for _ in range(len(gutters) + 2)]
        for row in rough:
            size = _main_size(row)
            if part is not None and not part[1] <= min(c["top"] for c in row) <= part[2]:
                cols[0] += row              # a row over or under the rows the gutter parts
            elif (any(_across(row, g, _joining(size, apart[g]), size) for g in gutters)
                  and not (side is not None and _beside_side_head(row, side))):
                cols[0] += row
            else:
                for c in row:
                    mid = (c["x0"] + c["x1"]) / 2
                    cols[1 + sum(1 for g in gutters if mid >= g)].append(c)
        groups = list(enumerate(cols))
    lines: list[Line] = []
    for col, group in groups:
        if not group:
            continue
        for cl, sup in _attach_superscripts(_baseline_clusters(group)):
            if any(c["text"].strip() for c in cl):
                lines.append(_make_line(page_number, cl, sup, 0 if side is not None and col == 2 else col, links))
    if side is not None:
        return PageLayout(_side_heads_first(lines), [], few)
    return PageLayout(reading_order(lines), gutters if part is None else [], few)


SIDE_HEAD_SIZE = 1.08   # a side heading's type over the body's: GAO's lowest ones are 12-point italics beside 11


def find_side_margin(cover: Coverage, width: float) -> float | None:
    """The x between a wide left margin of side headings and the body column beside it (GAO's reports:
    "The Level of / Documentation in / …" in 14-point type left of 11-point text that starts at a fifth to
    two fifths of the page), or None. Five or more lines of 20 characters or more, and two fifths of
    them, start at one x; every row with text left of it ends an em short of it (a row running into it,
    a figure's title, is full width) and sets that text larger than the body, in words (eight letters at
    least), and larger than any text level with it: headings, not page numbers, bullets, a column of text,
    a table's bold first column or a contents page's "Appendix I" beside its entry."""
    rows = cover.rows                       # each row's printed characters, rows of three or more
    long = [r for r in rows if len(r) >= 20]
    if len(long) < 5:
        return None
    edges = Counter(round(left) for r, left in zip(rows, cover.lefts) if len(r) >= 20)
    edge = edges.most_common(1)[0][0]
    starting = sum(v for e, v in edges.items() if abs(e - edge) <= 1)
    if not 0.2 * width <= edge <= 0.45 * width or starting < max(5, 0.4 * len(long)):
        return None                         # most pages: their lines start at the margin
    body = Counter(c["sz1"] for r in long for c in r if c["x0"] >= edge - 1).most_common(1)[0][0]
    letters = 0
    for r in rows:
        left = [c for c in r if c["x1"] <= edge - body]
        if not left or any(c["x1"] > edge - body and c["x0"] < edge - 1 for c in r):
            continue                        # no side text, or a full-width row
        alpha = sum(1 for c in left if c["text"].isalpha())
        if alpha < 0.6 * len(left) or not all(c["sz1"] >= SIDE_HEAD_SIZE * body for c in left):
            return None                     # a page number, a bullet, a table's labels, a figure's
        beside = [c["sz1"] for c in r if c["x0"] >= edge - 1]
        if beside and statistics.median(beside) >= 0.95 * min(c["sz1"] for c in left):
            return None                     # a row of a table or of contents ("Appendix I  Briefing Slides  6")
        letters += alpha
    return edge - body / 2 if letters >= 8 else None


def find_part_gutter(cover: Coverage, width: float) -> tuple[float, float, float] | None:
    """A gutter that parts some of a page's rows only: a pull quote or a box set beside the body over part
    of the page, under or over text set across it (a think tank's "About 20-30 per cent of / total CO2
    emissions" beside its paragraph; a GAO slide's table beside its bullets). Returns (x, top, bottom):
    the middle of the clear band and the rows it parts, or None. Those rows follow one another with none
    running across x between them, three or more hold text on each side, level with each other (three rows
    of words or more start at one x right of a fifth of the page, and three left of it: the quote's own
    lines beside the body's), and each side is running text (`_columns_of_lines`, three words a row: a
    pull quote's large type), not a figure's labels or a table's cells."""
    rows = cover.rows
    firsts = [round(left) for r, left in zip(rows, cover.lefts) if sum(1 for c in r if c["text"].isalpha()) >= 3]
    starts = Counter(firsts)
    edges = [x - 1.5 for x in sorted(starts)
             if 0.2 * width <= x <= 0.8 * width and starts[x - 1] + starts[x] + starts[x + 1] >= 3
             and sum(1 for f in firsts if f < x - 8) >= 3]
    if len(rows) < 8 or not edges:
        return None                         # most pages: no three rows of words start at one x right of others
    rows = sorted(rows, key=lambda r: min(c["top"] for c in r))
    frags = [_fragments(sorted(r, key=lambda c: c["x0"]), max(1.5 * _main_size(r), 8.0)) for r in rows]
    best: tuple[int, float, int, int] | None = None
    for x in edges + [width * k / 100 for k in range(20, 81, 2)]:   # where those rows start, or anywhere between
        start = 0
        for i in range(len(rows) + 1):
            if i < len(rows) and not any(a < x < b for a, b in frags[i]):
                continue
            run = range(start, i)
            start = i + 1
            left = [j for j in run if any(b <= x for _, b in frags[j])]
            right = [j for j in run if any(a >= x for a, _ in frags[j])]
            if len(left) < 3 or len(right) < 3 or max(left[0], right[0]) > min(left[-1], right[-1]):
                continue                    # one side's rows all above the other's: nothing interleaves
            if best is None or len(left) + len(right) > best[0]:
                best = (len(left) + len(right), x, run[0], run[-1])
    if best is None:
        return None
    _, x, first, last = best
    part = rows[first:last + 1]
    lo = max(b for j in range(first, last + 1) for _, b in frags[j] if b <= x)
    hi = min(a for j in range(first, last + 1) for a, _ in frags[j] if a >= x)
    x0, x1 = min(c["x0"] for r in part for c in r), max(c["x1"] for r in part for c in r)
    if hi - lo < 8.0 or not _columns_of_lines(part, [x0, (lo + hi) / 2, x1], 3.0):
        return None
    return (lo + hi) / 2, min(c["top"] for c in part[0]), max(c["bottom"] for c in part[-1])


def _beside_side_head(row: list[dict], x: float) -> bool:
    """A row of a side-headings page whose text left of `x` is set larger than the text right of it: a
    side heading's line level with the body's, however close to the body it ends (GAO's "Demonstrating
    Management" ends a word space short of "The commitment of …"), not one line across the page."""
    left = [c["sz1"] for c in row if (c["x0"] + c["x1"]) / 2 < x and c["text"].strip()]
    right = [c["sz1"] for c in row if (c["x0"] + c["x1"]) / 2 >= x and c["text"].strip()]
    return bool(left and right) and min(left) >= SIDE_HEAD_SIZE * statistics.median(right)


HEADING_LEADING = 0.8   # a heading's own lines stand closer than this many of its sizes under each other


def _side_heads_first(lines: list[Line]) -> list[Line]:
    """A page with side headings (`find_side_margin`; column 1 the headings', 0 the body's and rows
    across both, as on the document's other pages) read top to bottom, each heading's lines together,
    before the body line beside its first line (not interleaved with the body's lines, which cut its
    paragraphs)."""
    lead: dict[int, float] = {}
    first = prev = None
    for ln in sorted((ln for ln in lines if ln.col == 1), key=lambda ln: ln.top):
        if not ln.plain.strip():
            prev = None                     # a rule drawn over a heading: the last one ended
            continue
        if prev is None or ln.top - prev.bottom > HEADING_LEADING * prev.size:
            # a new heading (more space under the last than its lines have), read before the body line
            # level with its first line: its larger type may top out lower than that line (GAO's 17-point
            # heads set 1.6 points under the 11-point line beside them)
            first = ln.top - ln.size / 2
        lead[id(ln)] = first
        prev = ln
    return sorted(lines, key=lambda ln: (lead.get(id(ln), ln.top), 0 if id(ln) in lead else 1, ln.top, ln.x0))


def document_gutters(found: list[list[float]]) -> list[float] | None:
    """The narrow gutters most of a document's pages share (three pages or more, each gutter within 4
    points), or None: what a page of figures with a few rows of columns is set in."""
    sets = [g for g in found if len(g) > 1]
    if len(sets) < 3:
        return None
    n = Counter(len(g) for g in sets).most_common(1)[0][0]
    middle = [statistics.median(g[k] for g in sets if len(g) == n) for k in range(n)]
    share = sum(1 for g in sets if len(g) == n and all(abs(a - b) <= 4 for a, b in zip(g, middle)))
    return middle if share >= 3 and 2 * share >= len(found) else None


def divides(rough: list[list[dict]], gutters: list[float]) -> bool:
    """The first gutter parts two rows of text or more, and no gutter has more rows running across it
    than it parts (but the page's first and last, a running head and foot): a page of a few rows of
    columns beside figures, not a figure's rows of labels."""
    rows = sorted(rough, key=lambda r: min(c["top"] for c in r))[1:-1]
    for k, g in enumerate(gutters):
        parted = across = 0
        for row in rows:
            gap = _gap_at(row, g, _main_size(row))
            if gap == 0.0:
                across += 1
            elif gap is not None:
                parted += 1
        if (k == 0 and parted < 2) or across > parted:
            return False
    return True


def reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; between full-width lines, each column from the left, top to bottom; a stretch
    no column has text in (a figure set across the columns) ends the columns above it."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    out: list[Line] = []
    band: list[Line] = []
    for ln in lines:
        if ln.col == 0:
            out += _columns(band)
            band = []
            out.append(ln)
        else:
            band.append(ln)
    return out + _columns(band)


FIGURE_GAP = 4.0        # a stretch clear across every column this many line heights tall parts the columns


def _columns(band: list[Line]) -> list[Line]:
    """Lines set in columns (sorted top to bottom), each column read in turn, in parts split where no
    column has text for FIGURE_GAP line heights."""
    if not band:
        return []
    height = statistics.median(ln.bottom - ln.top for ln in band) or 1.0
    parts: list[list[Line]] = [[]]
    bottom = band[0].bottom
    for ln in band:
        if parts[-1] and ln.top - bottom > FIGURE_GAP * height:
            parts.append([])
        parts[-1].append(ln)
        bottom = max(bottom, ln.bottom)
    return [ln for part in parts for ln in sorted(part, key=lambda x: (x.col, x.top))]


def _key(line: Line) -> str:
    """A line's text with its numbers as "#", without numbers at either end: a book prints the page
    number on the outer side, before its running head on a left page and after it on a right one
    ("2 Trade and Climate Change – Information brief no 4", "… Information brief no 4 1")."""
    key = re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.plain.lower())).strip()
    return re.sub(r"^(?:#\s+)+|(?:\s+#)+$", "", key)


_END_NUMBER = re.compile(r"^(\d{1,4})\s+[^\W\d_]|[^\W\d_][\W]*\s+(\d{1,4})$")


def _end_number(plain: str) -> int | None:
    """The number a line of words opens or ends with ("14 Good and Strong", "Introduction 3")."""
    m = _END_NUMBER.search(plain.strip())
    return int(m.group(1) or m.group(2)) if m else None


def _wrapped_head(ln: Line, groups: list[list[Line]], h: float, from_top: bool) -> bool:
    """The rest of a running head that wrapped: in the band, set like the running line next to
    it and close under (over) it."""
    if not groups or not (ln.top < BAND * h or ln.bottom > (1 - BAND) * h):
        return False
    edge = groups[-1][0]
    gap = ln.top - edge.bottom if from_top else edge.top - ln.bottom
    return abs(edge.size - ln.size) <= 0.1 and gap < 0.6 * ln.size and bool(re.search(r"[^\W\d_]", ln.plain))


def drop_running_lines(pages: list[list[Line]], heights: list[float],
                       printed: dict[int, str] | None = None) -> list[list[Line]]:
    """Without running headers, footers and page numbers: lines at the top or bottom edge of
    the page (nothing but other such lines between them and the edge) whose text, digits
    aside, recurs at the same height (within 3 points, or 0.6 of its size: GAO sets one foot
    4.4 points higher) on at least half the pages (two at least) or of the left or right
    pages (three at least: a book's running heads alternate), or that are a bare page
    number, or whose number at either end runs with the pages as it does on a quarter of them (a
    book's running heads, each chapter's words its own: "14 Good and Strong"). A note that cites
    the same sources as another is not a footer: text sits between it and the edge. Then, once
    those are known, a line in the place and type size where a quarter of the pages have one (a
    chapter's own running head, printed on its few pages) is running too. `printed` receives each
    page's printed number where a bare one was found ({1-based page: "12"})."""
    where: dict[str, list[tuple[int, float]]] = {}
    # a bare number is a page number when it runs with the pages (its offset from the page
    # index is the one most bare numbers share), not a note number alone at a page's foot
    offsets: Counter[int] = Counter()
    # a book's running heads carry the page number at their outer end ("14 Good and Strong",
    # "Introduction 3"), each chapter its own words: the number runs with the pages on a quarter of them,
    # at the place where the others stand (not a line opening "17 percent" on page 17)
    heads: dict[int, dict[int, float]] = {}
    for k, (lines, h) in enumerate(zip(pages, heights)):
        for ln in lines:
            if ln.top < BAND * h or ln.bottom > (1 - BAND) * h:
                where.setdefault(_key(ln), []).append((k, ln.top))
                if ln.plain.isdigit():
                    offsets[int(ln.plain) - k] += 1
                elif (n := _end_number(ln.plain)) is not None:
                    heads.setdefault(n - k, {})[k] = ln.top
    page_offset = offsets.most_common(1)[0][0] if offsets and offsets.most_common(1)[0][1] >= 2 else None
    head_offset, head_tops = max(heads.items(), key=lambda kv: len(kv[1]), default=(None, {}))
    need = max(3, len(pages) / 4)
    repeat = max(2, (len(pages) + 1) // 2) if len(pages) > 1 else 10**9
    slots: list[tuple[float, float]] = []

    def running(ln: Line, h: float) -> bool:
        if not (ln.top < BAND * h or ln.bottom > (1 - BAND) * h):
            return False
        if _PAGE_NUMBER.match(ln.plain):
            return page_number(ln)
        if not re.search(r"[^\W\d_]", ln.plain):
            return False
        if head_offset is not None and _end_number(ln.plain) == current[0] + head_offset and sum(
                1 for top in head_tops.values() if abs(top - ln.top) <= max(3.0, 0.6 * ln.size)) >= need:
            return True
        same_place = {k for k, top in where.get(_key(ln), []) if abs(top - ln.top) <= max(3.0, 0.6 * ln.size)}
        if len(same_place) >= repeat:
            return True
        sides = {k % 2 for k in same_place}
        if len(sides) == 1 and len(same_place) >= max(3, (len(pages) - sides.pop()) // 4 + 1):
            return True                     # a book's left or right pages' own running line
        return any(abs(top - ln.top) <= 3 and abs(size - ln.size) <= 0.1 for top, size in slots)

    def dropped(lines: list[Line], h: float) -> set[int]:
        drop: set[int] = set()
        for from_top in (True, False):
            order = sorted(lines, key=lambda ln: ln.top if from_top else -ln.top)
            groups: list[list[Line]] = []
            i = 0
            while i < len(order):
                group = [x for x in order[i:] if abs(x.top - order[i].top) <= 1]
                if not all(running(x, h) or _wrapped_head(x, groups, h, from_top) for x in group):
                    break
                groups.append(group)
                i += len(group)
            # the running block stands apart: white space between it and the text inside (a
            # page number that runs with the pages needs none: Word sets it close to the notes)
            while groups and i < len(order):
                edge, inner = groups[-1][0], order[i]
                gap = inner.top - edge.bottom if from_top else edge.top - inner.bottom
                if gap >= 0.8 * min(edge.size, inner.size) or (
                        page_offset is not None and all(x.plain.isdigit() and page_number(x) for x in groups[-1])):
                    break
                i -= len(groups.pop())
            for group in groups:
                drop.update(id(x) for x in group)
        return drop

    current = [0]               # the page being looked at

    def page_number(ln: Line) -> bool:
        digits = re.search(r"\d+", ln.plain)
        return page_offset is None or not digits or int(digits.group(0)) - current[0] == page_offset

    first = []
    for k, (lines, h) in enumerate(zip(pages, heights)):
        current[0] = k
        first.append(dropped(lines, h))
    if len(pages) >= 4:
        places: Counter[tuple[float, float]] = Counter()
        for lines, drop in zip(pages, first):
            for ln in lines:
                if id(ln) in drop and not _PAGE_NUMBER.match(ln.plain):
                    places[(round(ln.top), ln.size)] += 1
        slots = [(float(top), size) for (top, size), n in places.items() if n >= max(3, len(pages) / 4)]
    drops = first
    if slots:
        drops = []
        for k, (lines, h) in enumerate(zip(pages, heights)):
            current[0] = k
            drops.append(dropped(lines, h))
    out: list[list[Line]] = []
    for k, (lines, drop) in enumerate(zip(pages, drops)):
        if printed is not None:
            for ln in lines:
                m = re.fullmatch(r"(?:page\s*)?[-–—]?\s*(\d{1,4}|[ivxlc]{1,7})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?",
                                 ln.plain, re.I)
                if id(ln) in drop and m:
                    printed[k + 1] = m.group(1)
        out.append([ln for ln in lines if id(ln) not in drop])
    return out
