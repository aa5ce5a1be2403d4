"""Exact dense search over a float32 matrix of every passage vector.

Why it exists: `import chromadb` takes 1.1-2.4 s on these machines, more than half the 3 s
budget of a cold `dossier ask`. Ingest writes the same vectors it gives Chroma to
`vectors.npy` (memory-mapped on load); a brute-force dot product over 25,000 x 384 floats
takes a few milliseconds and is exact, so it ranks as Chroma's HNSW does at this scale
(tests/index/test_vectors.py checks the top 10 agree). The command line uses it; the
long-running bot and the server mode (`--chroma-url`) query Chroma.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import numpy as np


def save_mirror(gen: Path, ids: list[str], matrix: np.ndarray) -> None:
    # always a new file renamed into place, never a write into the old one: a new generation
    # starts with a hard link to the previous one's vectors.npy (index/generations.py)
    tmp = gen / "vectors.tmp.npy"
    np.save(tmp, matrix.astype(np.float32, copy=False))
    os.replace(tmp, gen / "vectors.npy")
    (gen / "vector_ids.json").write_text(json.dumps(ids))


def update_mirror(gen: Path, live: set[str], new_ids: list[str], new_blocks: list[np.ndarray]) -> None:
    """Rewrite the generation's mirror: the old rows of passages still `live` and not
    re-embedded, then the new ones (`new_blocks` stacked are `new_ids`' vectors)."""
    fresh = set(new_ids)
    ids: list[str] = []
    blocks: list[np.ndarray] = []
    old = load_mirror(gen)
    if old is not None:
        old_ids, old_vecs = old
        keep = [i for i, pid in enumerate(old_ids) if pid in live and pid not in fresh]
        ids += [old_ids[i] for i in keep]
        blocks.append(np.asarray(old_vecs[keep], dtype=np.float32))
        del old_vecs
    ids += new_ids
    blocks += new_blocks
    dim = next((b.shape[1] for b in blocks if b.ndim == 2 and b.shape[0]), 0)
    matrix = np.concatenate([b for b in blocks if b.ndim == 2 and b.shape[0]]) if dim else np.zeros((0, 0), np.float32)
    save_mirror(gen, ids, matrix)


def load_mirror(gen: Path) -> tuple[list[str], np.ndarray] | None:
    try:
        ids = json.loads((gen / "vector_ids.json").read_text())
        matrix = np.load(gen / "vectors.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    if matrix.ndim != 2 or len(ids) != matrix.shape[0]:
        return None
    return ids, matrix


class ExactIndex:
    """What the Retriever needs of a Chroma collection: count() and query(), with Chroma's
    `where` filter on report ids ({"report_id": id} or {"report_id": {"$in": [...]}}).
    `reports_of()` gives each passage id's report id; read once, on the first filtered query."""

    def __init__(self, ids: list[str], matrix: np.ndarray, reports_of: Callable[[], dict[str, str]] | None = None):
        self.ids = ids
        self.matrix = matrix
        self._reports_of = reports_of
        self._report_ids: np.ndarray | None = None

    def count(self) -> int:
        return len(self.ids)

    def _rows_where(self, where: dict) -> np.ndarray:
        cond = where.get("report_id") if set(where) == {"report_id"} else None
        wanted = {cond} if isinstance(cond, str) else set(cond.get("$in", ())) if isinstance(cond, dict) else None
        if wanted is None or self._reports_of is None:
            raise ValueError(f"ExactIndex filters on report_id only, not {where!r}")
        if self._report_ids is None:
            of = self._reports_of()
            self._report_ids = np.array([of.get(pid, "") for pid in self.ids], dtype=object)
        return np.flatnonzero(np.isin(self._report_ids, list(wanted)))

    def query(self, query_embeddings: list[list[float]], n_results: int, include: list[str] | None = None,
              where: dict | None = None) -> dict:
        q = np.asarray(query_embeddings[0], dtype=np.float32)
        if where:
            rows = self._rows_where(where)
            scores = self.matrix[rows] @ q if len(rows) else np.zeros(0, np.float32)
            n = min(n_results, len(rows))
            top = np.argsort(-scores)[:n]
            return {"ids": [[self.ids[rows[i]] for i in top]], "distances": [[float(1.0 - scores[i]) for i in top]]}
        scores = self.matrix @ q
        n = min(n_results, len(self.ids))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(self.ids) else np.arange(len(self.ids))
        top = top[np.argsort(-scores[top])]
        return {"ids": [[self.ids[i] for i in top]], "distances": [[float(1.0 - scores[i]) for i in top]]}
