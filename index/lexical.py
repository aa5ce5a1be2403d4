"""The lexical (BM25) index of a generation, written and read here and nowhere else.

Written at ingest by llama-index's BM25Retriever (its tokeniser and bm25s arrays), persisted
under `<generation>/bm25/` with the passage ids in index order. Read with bm25s directly so
the query path needs no llama-index import: search, and document frequencies for the answer
path. Query terms are index.text.words.terms, the tokenisation the index was built with.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np

DIRNAME = "bm25"
TOP_K = 50                # the retriever's persisted similarity_top_k (the reader passes its own k)


def build(gen: Path, passages: list[tuple[str, str]]) -> None:
    """(Re)write the generation's lexical index over (passage id, text), in the given order
    (the writer passes them sorted by id). No passages: no index (readers then get None)."""
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    target = gen / DIRNAME
    shutil.rmtree(target, ignore_errors=True)
    if not passages:
        return
    nodes = [TextNode(id_=pid, text=text) for pid, text in passages]
    retriever = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(TOP_K, len(nodes)))
    target.mkdir()
    retriever.bm25.save(str(target), corpus=None, show_progress=False)   # = retriever.persist, minus the
    (target / "retriever.json").write_text(json.dumps(retriever.get_persist_args()))  # corpus copy and its progress bar
    (target / "ids.json").write_text(json.dumps([pid for pid, _ in passages]))


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

    def search(self, query_terms: list[str], k: int) -> list[tuple[str, float]]:
        known = [t for t in query_terms if t in self.vocab]
        if not known or not self.n:
            return []
        k = min(k, self.n)
        idx, scores = self.model.retrieve([known], k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(i)], float(s)) for i, s in zip(idx[0], scores[0]) if s > 0]
