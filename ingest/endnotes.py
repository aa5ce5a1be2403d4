"""Unnumbered endnotes (a bibliography list after the body) aligned to numbered markers.

How: the notes are in marker order, every note belongs to some marker, and some markers
have no note. Each (marker, note) pair gets a content score: the IDF-weighted words they
share, where a marker's words are those of its sentence up to the marker. The alignment
is the order-keeping assignment of every note to a distinct marker with the highest total
score (dynamic programming). Confidence comes from the alternatives: a pair is `resolved`
only if every alignment without it scores at least MARGIN lower; a skipped marker is
`missing` only if every alignment that gives it a note scores MARGIN lower. Everything
else is `unplaced` (marker and note), never guessed.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from index.text.words import STOPWORDS
from ingest.model import MISSING, RESOLVED, UNPLACED, Note

MARGIN = 3.0       # score units: one word shared by at most ~3 of the report's ~60 texts


def tokens(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower())
    out = set()
    for w in words:
        w = w.strip("'’-").replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 4 and not w.isdigit() or w in STOPWORDS:
            continue
        if w.endswith("ian"):            # Russian/Russia, Belarusian/Belarus, Ukrainian/Ukraine
            w = w[:-3]
        elif w.endswith("ia"):
            w = w[:-2]
        elif w.endswith("ine"):
            w = w[:-1]
        if w.endswith("s") and len(w) > 4 and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def score_matrix(contexts: list[str], notes: list[str], background: list[str] = ()) -> list[list[float]]:
    """Shared-word scores; document frequencies count the notes and every sentence of the
    report (`background`), so a word the whole report uses ("exercise") weighs little."""
    toks_m = [tokens(c) for c in contexts]
    toks_n = [tokens(n) for n in notes]
    toks_b = [tokens(b) for b in background] or toks_m
    df = Counter(t for ts in toks_b + toks_n for t in ts)
    total = len(toks_b) + len(toks_n)
    idf = {t: max(0.0, math.log(total / c))
           for t, c in df.items()}
    return [[sum(idf[t] for t in tm & tn) for tn in toks_n] for tm in toks_m]


def _table(S: list[list[float]], forbid: tuple[int, int] | None = None,
           force: int | None = None) -> list[list[float]]:
    """f[i][j]: best score placing the first j notes on distinct markers among the first i.

    forbid=(i, j): marker i may not take note j. force=i: marker i must take some note."""
    nm, nn = len(S), len(S[0]) if S else 0
    NEG = float("-inf")
    f = [[NEG] * (nn + 1) for _ in range(nm + 1)]
    f[0][0] = 0.0
    for i in range(1, nm + 1):
        for j in range(0, nn + 1):
            skip = f[i - 1][j] if force != i - 1 else NEG
            take = NEG
            if j and forbid != (i - 1, j - 1) and f[i - 1][j - 1] > NEG:
                take = f[i - 1][j - 1] + S[i - 1][j - 1]
            f[i][j] = max(skip, take)
    return f


def _best(S: list[list[float]], forbid: tuple[int, int] | None = None, force: int | None = None) -> float:
    """Best total score of an order-keeping assignment of every note to a distinct marker."""
    return _table(S, forbid, force)[-1][-1]


def _path(S: list[list[float]]) -> dict[int, int]:
    """The best assignment itself: {marker index: note index}."""
    f = _table(S)
    pairs: dict[int, int] = {}
    i, j = len(S), len(S[0]) if S else 0
    while i and j:
        if f[i - 1][j - 1] > float("-inf") and f[i][j] == f[i - 1][j - 1] + S[i - 1][j - 1]:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        else:
            i -= 1
    return pairs


def align(markers: list[str], contexts: list[str], note_texts: list[str],
          background: list[str] = ()) -> tuple[dict[str, Note], list[Note]]:
    """Return ({marker: Note with status}, notes that could not be placed)."""
    from ingest.footnotes import make_note

    result: dict[str, Note] = {}
    if len(note_texts) > len(markers) or not markers:
        # more notes than markers: nothing can be placed by order
        return ({m: Note(marker=m, status=UNPLACED) for m in markers},
                [_unplaced(make_note("", t)) for t in note_texts])
    S = score_matrix(contexts, note_texts, background) if note_texts else [[] for _ in markers]
    if not note_texts:
        return {m: Note(marker=m, status=MISSING) for m in markers}, []
    opt = _best(S)
    pairs = _path(S)
    placed: set[int] = set()
    for i, marker in enumerate(markers):
        if i in pairs:
            j = pairs[i]
            if opt - _best(S, forbid=(i, j)) >= MARGIN:
                result[marker] = make_note(marker, note_texts[j])
                placed.add(j)
            else:
                result[marker] = Note(marker=marker, status=UNPLACED)
        else:
            alt = _best(S, force=i)
            result[marker] = Note(marker=marker, status=MISSING if opt - alt >= MARGIN else UNPLACED)
    leftovers = [_unplaced(make_note("", t)) for j, t in enumerate(note_texts) if j not in placed]
    for n in result.values():
        if n.status == RESOLVED and not n.text:
            n.status = MISSING
    return result, leftovers


def _unplaced(note: Note) -> Note:
    note.status = UNPLACED
    return note
