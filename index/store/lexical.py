"""The lexical (BM25) index of a generation, written and read here and nowhere else.

Written at ingest with bm25s (the tokeniser, English stopwords and Snowball stemmer that
llama-index's BM25Retriever uses, and bm25s's own scoring), persisted under
`<generation>/bm25/` in bm25s's format with the passage ids in index order. Beside it, each
passage's terms (`tokens.npy`, `offsets.npy`: term ids of `vocab.index.json`, passage by
passage): the next ingest tokenises only the passages it re-embedded and reuses the rest, so
a 1 % edit of 10,000 reports re-tokenises 1 % of the texts (tokenising them all, through
llama-index's nodes, took 11 s of that edit's 54 s). Read with bm25s directly so the query
path needs no llama-index import: search, and document frequencies for the answer path.
Query terms are index.text.words.terms, the tokenisation the index was built with.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Callable

import numpy as np

from index.text.words import TOKEN_PATTERN, stemmer

DIRNAME = "bm25"
TOP_K = 50                # the retriever's persisted similarity_top_k (the reader passes its own k)
TEXTS_AT_ONCE = 5000      # passage texts read and tokenised at a time: memory stays bounded


def build(gen: Path, ids: list[str], texts_of: Callable[[list[str]], list[str]], fresh: set[str] = frozenset()) -> None:
    """(Re)write the generation's lexical index over the passages `ids` (sorted). Terms come
    from the index the generation was copied with, for every passage it holds and `fresh`
    (passages written anew) does not; the others' texts are read with `texts_of(ids)`
    (same order) and tokenised. No passages: no index (readers then get None)."""
    import bm25s

    target = gen / DIRNAME
    old = _read_terms(target)
    shutil.rmtree(target, ignore_errors=True)
    if not ids:
        return
    vocab: list[str] = list(old[1]) if old else []       # term id -> term; the old ids stay valid
    term_id = {t: i for i, t in enumerate(vocab)}
    row = _old_rows(ids, old[0] if old else [], fresh)   # each passage's row in the old index, -1: tokenise
    need_at = np.flatnonzero(row < 0)
    tokenised: list[np.ndarray] = []                     # the passages of need_at, in order
    for a in range(0, len(need_at), TEXTS_AT_ONCE):
        chunk = [ids[i] for i in need_at[a:a + TEXTS_AT_ONCE]]
        tok = bm25s.tokenize(texts_of(chunk), stopwords="en", stemmer=stemmer(), token_pattern=TOKEN_PATTERN,
                             show_progress=False)
        to_global = np.array([term_id.setdefault(t, len(term_id)) for t in _by_id(tok.vocab)], dtype=np.int64)
        tokenised += [to_global[np.asarray(doc, dtype=np.int64)] if doc else np.zeros(0, np.int64) for doc in tok.ids]
    vocab = _by_id(term_id)
    flat, offsets = _assemble(row, need_at, tokenised, old[2] if old else None, old[3] if old else None)
    del tokenised, row
    # only the terms some passage still has, numbered afresh (a clean build's vocabulary)
    used = np.flatnonzero(np.bincount(flat, minlength=len(vocab)))     # sorted, as np.unique gives, without a sort
    remap = np.full(len(vocab), -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    flat = remap[flat]
    vocab_dict = {vocab[int(i)]: n for n, i in enumerate(used)}
    model = bm25s.BM25()
    model.scores = _scores(flat, offsets, len(vocab_dict), k1=model.k1, b=model.b)
    if "" not in vocab_dict:                  # what bm25s.BM25.index adds (create_empty_token)
        vocab_dict[""] = len(vocab_dict)
    model.vocab_dict = vocab_dict
    model.nonoccurrence_array = None          # only BM25L and BM25+ have one
    target.mkdir()
    model.save(str(target), corpus=None, show_progress=False)
    (target / "retriever.json").write_text(json.dumps({"similarity_top_k": min(TOP_K, len(ids)), "verbose": False,
                                                       "corpus_weight_mask": None}))   # llama-index's persist args
    (target / "ids.json").write_text(json.dumps(ids))
    np.save(target / "tokens.npy", flat)
    np.save(target / "offsets.npy", offsets)


ROWS_AT_ONCE = 65536     # kept passages whose terms are copied at a time (_assemble)


def _old_rows(ids: list[str], old_ids: list[str], fresh: set[str]) -> np.ndarray:
    """The row in the old index of each of `ids` not in `fresh`, -1 for the others and the
    new ones. Both lists are sorted (written so): one walk through them, no dictionary of
    every passage (1.7 million at 100,000 reports)."""
    row = np.full(len(ids), -1, dtype=np.int64)
    if not old_ids:
        return row
    if old_ids != sorted(old_ids) or ids != sorted(ids):      # not written by build(): look them up
        at = {pid: i for i, pid in enumerate(old_ids)}
        for i, pid in enumerate(ids):
            if pid not in fresh and pid in at:
                row[i] = at[pid]
        return row
    j, n = 0, len(old_ids)
    for i, pid in enumerate(ids):
        while j < n and old_ids[j] < pid:
            j += 1
        if j == n:
            break
        if old_ids[j] == pid and pid not in fresh:
            row[i] = j
    return row


def _assemble(row: np.ndarray, need_at: np.ndarray, tokenised: list[np.ndarray], old_flat: np.ndarray | None,
              old_offsets: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Every passage's term ids end to end, and the offsets: a kept passage's terms copied from
    the old index (ROWS_AT_ONCE passages at a time, by array indexing), a tokenised one's from
    `tokenised` (same order as `need_at`)."""
    lengths = np.zeros(len(row), dtype=np.int64)
    kept = row >= 0
    if kept.any():
        lengths[kept] = old_offsets[row[kept] + 1] - old_offsets[row[kept]]
    lengths[need_at] = [len(t) for t in tokenised]
    offsets = np.zeros(len(row) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=np.int32)     # term ids, as written
    for a in range(0, len(row), ROWS_AT_ONCE):
        r = row[a:a + ROWS_AT_ONCE]
        k = np.flatnonzero(r >= 0)
        if not len(k):
            continue
        lens = lengths[a + k]
        rel = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
        flat[np.repeat(offsets[a + k], lens) + rel] = old_flat[np.repeat(old_offsets[r[k]], lens) + rel]
    for i, t in zip(need_at, tokenised):
        flat[offsets[i]:offsets[i + 1]] = t
    return flat, offsets


def _scores(flat: np.ndarray, offsets: np.ndarray, n_vocab: int, *, k1: float, b: float) -> dict:
    """bm25s's "lucene" score matrix (BM25.build_index_from_ids, method and idf "lucene"), the
    same numbers computed for every (passage, term) at once instead of passage by passage in
    Python (4.8 s of 170,000 passages): the same float64 operations in the same order, cast
    to float32, in the same CSC layout (tests/index/store/test_lexical.py compares them bit for bit)."""
    import scipy.sparse as sparse

    n_docs = len(offsets) - 1
    lengths = np.diff(offsets)
    l_avg = lengths.mean()
    # 32-bit ids and counts (the values are those of 64-bit ones): at 1.7 million passages each
    # array of one entry per term is 0.2 GB, not 0.4
    doc = np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
    # the term counts of every (passage, term), term by term, passages in order (CSC order): scipy
    # sums the duplicates by counting sort (0.15 s for 5 million terms, np.unique's sort 1.5 s)
    counts = sparse.csc_matrix((np.ones(len(flat), dtype=np.int32), (doc, np.asarray(flat, dtype=np.int32))),
                               shape=(n_docs, n_vocab))
    del doc
    counts.sum_duplicates()
    counts.sort_indices()
    rows, tf = counts.indices, counts.data
    df = np.diff(counts.indptr)
    cols = np.repeat(np.arange(n_vocab, dtype=np.int32), df)
    idf = np.zeros(n_vocab, dtype=np.float32)
    for t in np.flatnonzero(df):
        n = int(df[t])
        idf[t] = math.log(1 + (n_docs - n + 0.5) / (n + 0.5))
    tf = tf.astype(np.float32)
    tfc = tf / (k1 * ((1 - b) + b * lengths[rows] / l_avg) + tf)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": (idf[cols] * tfc).astype(np.float32), "indices": rows.astype(np.int32), "indptr": indptr,
            "num_docs": n_docs}


def _by_id(term_ids: dict[str, int]) -> list[str]:
    """A vocabulary (term -> id) as the list of its terms by id; ids out of range are ignored."""
    vocab = [""] * len(term_ids)
    for t, i in term_ids.items():
        if 0 <= i < len(vocab):
            vocab[i] = t
    return vocab


def _read_terms(bm25_dir: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray] | None:
    """(passage ids, vocabulary by term id, every passage's term ids end to end, offsets) of a
    persisted index; None when it has no terms beside it (none yet, or written before them)."""
    try:
        ids = json.loads((bm25_dir / "ids.json").read_text())
        vocab_dict = json.loads((bm25_dir / "vocab.index.json").read_text())
        flat = np.load(bm25_dir / "tokens.npy", mmap_mode="r")
        offsets = np.load(bm25_dir / "offsets.npy")
    except (OSError, ValueError):
        return None
    vocab = _by_id(vocab_dict)
    if len(offsets) != len(ids) + 1 or (len(flat) and int(flat.max()) >= len(vocab)):
        return None
    return ids, vocab, flat, offsets


def open_lexical(gen: Path) -> "Lexical | None":
    """The generation's lexical index, or None when it has none (no passages)."""
    d = gen / DIRNAME
    return Lexical(d) if (d / "ids.json").exists() else None


class Lexical:
    """The persisted BM25 index of one generation."""

    def __init__(self, bm25_dir: Path):
        import bm25s

        self.model = bm25s.BM25.load(str(bm25_dir), load_corpus=False, mmap=True, show_progress=False)
        self.ids: list[str] = json.loads((bm25_dir / "ids.json").read_text())
        self.vocab: dict[str, int] = self.model.vocab_dict
        indptr = np.asarray(self.model.scores["indptr"])
        self.df = np.diff(indptr)
        self.n = len(self.ids)
        self._sorted: list[str] | None = None

    def knows(self, term: str) -> bool:
        """The term, or a word sharing its first five letters, occurs in some passage."""
        if term in self.vocab:
            return True
        if len(term) < 5:
            return False
        if self._sorted is None:
            self._sorted = sorted(self.vocab)
        import bisect

        i = bisect.bisect_left(self._sorted, term[:5])
        return i < len(self._sorted) and self._sorted[i].startswith(term[:5])

    def idf(self, term: str) -> float:
        i = self.vocab.get(term)
        df = int(self.df[i]) if i is not None and i < len(self.df) else 0
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def search(self, query_terms: list[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """The k best passages by BM25 (only those in `allowed`, when given, however low they
        rank overall), best first; equal scores in index order. Scores are bm25s's own; the top
        k is taken among the passages holding a term of the question, not by bm25s.retrieve,
        whose argpartition over every passage's score took 330 ms a question at 1.7 million
        passages (docs/scale.md, "Growth")."""
        known = [t for t in query_terms if t in self.vocab]
        if not known or not self.n or k <= 0 or allowed is not None and not allowed:
            return []
        scores = self.model.get_scores(known)
        hits = np.flatnonzero(scores > 0)
        if allowed is not None:
            hits = np.fromiter((i for i in hits.tolist() if self.ids[i] in allowed), dtype=np.int64)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        best = hits[np.lexsort((hits, -scores[hits]))]
        return [(self.ids[i], float(scores[i])) for i in best.tolist()]
