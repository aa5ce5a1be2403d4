"""Words as BM25 sees them: the same tokenizer and stemmer the llama-index BM25Retriever used
at ingest (bm25s, English stopwords, Snowball stemmer), and document frequencies from its
persisted index, so the query path can score words without importing llama-index."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKEN_PATTERN = r"(?u)\b\w\w+\b"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    return list(_terms(text))


@lru_cache(maxsize=16384)
def _terms(text: str) -> tuple[str, ...]:
    # the same passages' sentences are tokenised for most questions, and bm25s builds a
    # progress bar even when hidden: cached, a warm ask spends ~8 ms less here (of ~68)
    import bm25s

    toks = bm25s.tokenize(text, lower=True, token_pattern=TOKEN_PATTERN, stopwords="en", stemmer=_stemmer(),
                          return_ids=False, show_progress=False)
    return tuple(toks[0]) if toks else ()


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
