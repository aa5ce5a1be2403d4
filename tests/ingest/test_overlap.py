"""Encoding overlapped with writing builds exactly the index the one-after-the-other path
builds: the same passages, reports, vectors (within float tolerance), lexical index and
Chroma contents; an encoder that fails mid-way leaves the current generation as it was."""
from __future__ import annotations

import json
import sqlite3
import threading

import numpy as np
import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


def _rows(gen, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _chroma(settings, gen) -> dict[str, list]:
    from index.store.store import chroma_client, close_client, collection_name

    client = chroma_client(settings, gen)
    try:
        got = client.get_collection(collection_name(settings)).get(include=["embeddings", "metadatas"])
        order = np.argsort(got["ids"])
        return {"ids": [got["ids"][i] for i in order], "metadatas": [got["metadatas"][i] for i in order],
                "embeddings": np.asarray(got["embeddings"])[order]}
    finally:
        close_client(client)


def _ingest(tmp_path, name, st_model, monkeypatch, *, overlap: bool):
    import ingest.pipeline as P
    from index.config import Settings
    from index.store.store import current_generation

    monkeypatch.setattr(P, "BATCH_REPORTS", 2)          # 4 batches of the 7 sample reports
    monkeypatch.setattr(P, "OVERLAP", overlap)
    settings = Settings(home=tmp_path / name)
    summary = P.ingest([SAMPLES], settings, embedder=st_model)
    assert summary.reports == 7 and not summary.failed
    return settings, current_generation(settings.home), summary


def test_overlap_builds_the_same_index_as_sequential(tmp_path, st_model, monkeypatch):
    from index.store.vectors import load_mirror

    s_seq, g_seq, sum_seq = _ingest(tmp_path, "sequential", st_model, monkeypatch, overlap=False)
    s_ovl, g_ovl, sum_ovl = _ingest(tmp_path, "overlap", st_model, monkeypatch, overlap=True)
    assert sum_ovl.passages_embedded == sum_seq.passages_embedded > 100

    for sql in ("SELECT * FROM passages ORDER BY id", "SELECT * FROM reports ORDER BY id",
                "SELECT * FROM notes ORDER BY report_id, marker", "SELECT * FROM files ORDER BY path"):
        assert _rows(g_ovl, sql) == _rows(g_seq, sql), sql

    ids_seq, m_seq = load_mirror(g_seq)
    ids_ovl, m_ovl = load_mirror(g_ovl)
    assert ids_ovl == ids_seq                             # same rows, same order
    assert np.allclose(m_ovl, m_seq, atol=1e-5)

    for f in sorted(p.name for p in (g_seq / "bm25").iterdir()):
        assert (g_ovl / "bm25" / f).read_bytes() == (g_seq / "bm25" / f).read_bytes(), f

    c_seq, c_ovl = _chroma(s_seq, g_seq), _chroma(s_ovl, g_ovl)
    assert c_ovl["ids"] == c_seq["ids"] and c_ovl["metadatas"] == c_seq["metadatas"]
    assert np.allclose(c_ovl["embeddings"], c_seq["embeddings"], atol=1e-5)

    d_seq = json.loads((g_seq / "docstore.json").read_text())
    d_ovl = json.loads((g_ovl / "docstore.json").read_text())
    assert d_ovl["docstore/metadata"] == d_seq["docstore/metadata"]          # report id -> content hash


class FailingModel:
    """A stand-in for the model that fails on its second batch."""

    def __init__(self):
        self.calls = 0

    def get_sentence_embedding_dimension(self):
        return 384

    get_embedding_dimension = get_sentence_embedding_dimension

    def encode(self, texts, **kw):
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("the encoder failed")
        return np.tile(np.eye(1, 384, dtype=np.float32), (len(texts), 1))


def test_an_encoder_failure_mid_way_changes_nothing(tmp_path, monkeypatch):
    import ingest.encode_ahead as A
    import ingest.pipeline as P
    from index.config import Settings
    from index.store.store import current_generation

    monkeypatch.setattr(P, "BATCH_REPORTS", 2)
    monkeypatch.setattr(A, "CHUNK", 50)                 # several encode() calls: the second fails
    settings = Settings(home=tmp_path / "home")
    threads = set(threading.enumerate())
    with pytest.raises(RuntimeError, match="the encoder failed"):
        P.ingest([SAMPLES], settings, embedder=FailingModel())
    assert current_generation(settings.home) is None
    assert not list((settings.home / "generations").glob("*.partial"))
    assert set(threading.enumerate()) <= threads                         # the encoding thread ended
