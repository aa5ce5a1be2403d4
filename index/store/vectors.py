"""Exact dense search over a float32 matrix of every passage vector.

Why it exists: `import chromadb` takes 1.1-2.4 s on these machines, more than half the 3 s
budget of a cold `dossier ask`. Ingest writes the same vectors it gives Chroma to
`vectors.npy` (memory-mapped on load); a brute-force dot product over 25,000 x 384 floats
takes a few milliseconds and is exact. Chroma's HNSW search is approximate; its collections
search widely enough to rank as this does (index/store/store.py COLLECTION_METADATA), and this
breaks ties as the layered collections do, by id (layers.LayeredCollection;
tests/index/store/test_nearest.py). The command line uses it; the long-running bot and the
server mode (`--chroma-url`) query Chroma.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import numpy as np


def save_mirror(gen: Path, ids: list[str], matrix: np.ndarray) -> None:
    # always a new file renamed into place, never a write into the old one: a new generation
    # starts with a hard link to the previous one's vectors.npy (index/store/generations.py)
    tmp = gen / "vectors.tmp.npy"
    np.save(tmp, matrix.astype(np.float32, copy=False))
    os.replace(tmp, gen / "vectors.npy")
    (gen / "vector_ids.json").write_text(json.dumps(ids))


STEP = 8192               # rows copied at a time: the rewrite holds a few MB, not the matrix


class NewVectors:
    """The vectors an ingest embedded, appended to a file in the new generation as they come
    (10,000 reports are 170,000 x 384 floats: 261 MB not held in memory until the commit)."""

    FILENAME = "vectors.new.f32"

    def __init__(self, gen: Path):
        self.path = gen / self.FILENAME
        self.ids: list[str] = []
        self.dim = 0
        self._file = None

    def add(self, ids: list[str], matrix: np.ndarray) -> None:
        if not ids:
            return
        m = np.ascontiguousarray(matrix, dtype=np.float32)
        if m.ndim != 2 or m.shape[0] != len(ids) or (self.dim and m.shape[1] != self.dim):
            raise ValueError(f"{len(ids)} ids but vectors of shape {m.shape}")
        if self._file is None:
            self._file = open(self.path, "ab", buffering=0)      # each block goes straight to the file
            self.dim = m.shape[1]
        self._file.write(m.tobytes())
        self.ids.extend(ids)

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Vectors start..stop-1, read from the file (not mapped: mapped pages would count
        toward the ingest's resident memory until the file is closed)."""
        if self._file is None or start >= stop:
            return np.zeros((0, self.dim), np.float32)
        return _read_rows(self.path, 0, self.dim, start, stop)

    def close(self) -> None:
        """Closes and removes the file (the mirror holds the vectors by now)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)


def update_mirror(gen: Path, gone: set[str], new: NewVectors) -> None:
    """Rewrite the generation's mirror: the old rows of passages not `gone` (removed or
    replaced since the base) and not re-embedded, then the new ones, STEP rows at a time through plain reads and writes (at
    10,000 reports, mapping the two files put 0.5 GB of their pages in the ingest's RSS)."""
    fresh = set(new.ids)
    old = load_mirror(gen)
    keep: list[int] = []
    ids: list[str] = []
    dim = new.dim
    if old is not None:
        old_ids, old_vecs = old
        keep = [i for i, pid in enumerate(old_ids) if pid not in gone and pid not in fresh]
        ids = [old_ids[i] for i in keep]
        if keep:
            dim = old_vecs.shape[1]
            old_path, old_offset = gen / "vectors.npy", old_vecs.offset
        del old_vecs, old
    ids += new.ids
    if not ids or not dim:
        save_mirror(gen, [], np.zeros((0, 0), np.float32))
        return
    tmp = gen / "vectors.tmp.npy"       # renamed into place: the old name may be a hard link
    with open(tmp, "wb") as out:
        np.lib.format.write_array_header_1_0(out, {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)),
                                                   "fortran_order": False, "shape": (len(ids), dim)})
        if keep:
            mask = np.zeros(len(old_ids), dtype=bool)
            mask[keep] = True
            for a in range(0, len(old_ids), STEP):            # the old file, a window at a time
                b = min(a + STEP, len(old_ids))
                if mask[a:b].any():
                    out.write(np.ascontiguousarray(_read_rows(old_path, old_offset, dim, a, b)[mask[a:b]]).tobytes())
        for a in range(0, len(new.ids), STEP):
            out.write(new.rows(a, min(a + STEP, len(new.ids))).tobytes())
    os.replace(tmp, gen / "vectors.npy")
    (gen / "vector_ids.json").write_text(json.dumps(ids))


def _read_rows(path: Path, offset: int, dim: int, start: int, stop: int) -> np.ndarray:
    with open(path, "rb") as f:
        f.seek(offset + start * dim * 4)
        return np.fromfile(f, dtype=np.float32, count=(stop - start) * dim).reshape(-1, dim)


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
            top = sorted(np.argsort(-scores)[:n], key=lambda i: (-scores[i], self.ids[rows[i]]))
            return {"ids": [[self.ids[rows[i]] for i in top]], "distances": [[float(1.0 - scores[i]) for i in top]]}
        scores = self.matrix @ q
        n = min(n_results, len(self.ids))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(self.ids) else np.arange(len(self.ids))
        top = sorted(top, key=lambda i: (-scores[i], self.ids[i]))
        return {"ids": [[self.ids[i] for i in top]], "distances": [[float(1.0 - scores[i]) for i in top]]}
