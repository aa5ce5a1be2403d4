"""The persisted BM25 index of a generation: search, and document frequencies for the answer
path, read with bm25s directly so the query path needs no llama-index import. Terms are
index.text.words.terms, the tokenisation the index was built with."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np



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

    def search(self, query_terms: list[str], k: int) -> list[tuple[str, float]]:
        known = [t for t in query_terms if t in self.vocab]
        if not known or not self.n:
            return []
        k = min(k, self.n)
        idx, scores = self.model.retrieve([known], k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(i)], float(s)) for i, s in zip(idx[0], scores[0]) if s > 0]
