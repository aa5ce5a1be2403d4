"""Embedded mode's vector layers (index/store/store.py's _EmbeddedLayers): an edit writes a
new layer and never touches the ones it keeps, a reader of the previous generation keeps its
view, a failed edit leaves no layer behind, a generation from before layers is still read and
the next ingest moves it into layers, and dead vectors are skipped however many they are."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import fake_vector, parsed_samples


@pytest.fixture(scope="module")
def reports():
    return parsed_samples()


def _write(settings, base, reports, which, salt=""):
    from index.store.store import Writer
    from ingest.chunk import chunk_report

    with Writer(settings, base) as w:
        for i in which:
            ps = chunk_report(reports[i])
            w.put_passages([reports[i].id], ps, [fake_vector(salt + p.text) for p in ps])
        w.put_reports(reports, {}, dim=384, touched=(set(), {reports[i].id for i in which}) if base else None)
        return w.commit()


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _view(settings, gen, question: str, k: int = 5, where=None) -> tuple[list[str], list[float]]:
    from index.store.store import chroma_client, close_client, collection_name

    client = chroma_client(settings, gen)
    try:
        res = client.get_collection(collection_name(settings)).query(
            query_embeddings=[fake_vector(question)], n_results=k, include=["distances"],
            **({"where": where} if where else {}))
        return res["ids"][0], res["distances"][0]
    finally:
        close_client(client)


def _live(settings, gen) -> set[str]:
    from index.store.store import chroma_client, close_client, collection_name

    client = chroma_client(settings, gen)
    try:
        ids = client.get_collection(collection_name(settings)).get(include=[])["ids"]
    finally:
        close_client(client)
    assert len(ids) == len(set(ids))
    return set(ids)


def _passage_ids(gen, report_id: str | None = None) -> set[str]:
    con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)
    try:
        return {pid for (pid, rid) in con.execute("SELECT id, report_id FROM passages")
                if report_id is None or rid == report_id}
    finally:
        con.close()


def test_an_edit_writes_a_new_layer_and_never_the_kept_one(tmp_path, reports):
    from index.config import Settings
    from index.store import layers
    from index.store.generations import hold

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    (base,) = layers.read(g1)
    base_dir = settings.home / layers.DIR / base.name
    lease = hold(g1)                                         # a reader of g1 through the edit
    old_view = _view(settings, g1, "convoy near Grodno")
    # (Chroma itself writes its sqlite file, and the HNSW files when vectors wait outside
    # the index, whenever a client opens the store; Dossier never writes a listed layer)
    before = _files(base_dir)
    g2 = _write(settings, g1, reports, [0], salt="new ")
    assert _files(base_dir) == before                        # the edit wrote only its own layer
    kept, new = layers.read(g2)
    assert kept.name == base.name and new.vectors == len(_passage_ids(g2)) - (base.vectors - len(kept.dead))
    assert sorted(kept.dead) == sorted(_passage_ids(g1, reports[0].id))    # the edited report's old vectors
    assert _live(settings, g2) == _passage_ids(g2) and _live(settings, g1) == _passage_ids(g1)
    assert _view(settings, g1, "convoy near Grodno") == old_view      # the old view, unchanged
    assert not (g2 / "chroma").exists()                      # no copy of the store in a generation
    lease.release()
    g3 = _write(settings, g2, reports, [1], salt="newer ")   # g1 gone: its only-own layers go too
    listed = {x.name for x in layers.read(g3)}
    assert {p.name for p in (settings.home / layers.DIR).iterdir()} == listed
    assert len(listed) <= 2 and new.name not in listed        # layers merged (layers.merge_from) are gone
    assert _live(settings, g3) == _passage_ids(g3)


def test_the_top_hits_of_a_layered_view_are_a_single_stores(tmp_path, reports):
    """Ranking over layers with dead vectors skipped is the ranking of one store holding
    exactly the live vectors (scoped by report too)."""
    from index.config import Settings

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    g2 = _write(settings, g1, reports, [0, 2], salt="new ")
    clean = Settings(home=tmp_path / "clean")
    c1 = _write(clean, None, reports, range(len(reports)))
    c2 = _write(clean, c1, reports, [0, 2], salt="new ")
    assert _passage_ids(g2) == _passage_ids(c2)
    for q in ("convoy near Grodno", "protests in Minsk", "Russian unit trained"):
        for where in (None, {"report_id": reports[0].id}):
            ids, dist = _view(settings, g2, q, k=8, where=where)
            want, want_d = _brute(settings, g2, q, 8, reports[0].id if where else None)
            assert ids == want and np.allclose(dist, want_d, atol=1e-5)


def _brute(settings, gen, q, k, report_id):
    from index.store.vectors import ExactIndex, load_mirror
    from index.store.store import Snapshot

    ids, matrix = load_mirror(gen)
    snap = Snapshot.at(settings, gen)
    try:
        index = ExactIndex(ids, matrix, reports_of=snap.passage_reports)
        res = index.query([fake_vector(q)], k, where={"report_id": report_id} if report_id else None)
    finally:
        snap.close()
    return res["ids"][0], res["distances"][0]


def test_dead_vectors_crowding_the_top_are_skipped(tmp_path):
    """A layer whose dead vectors are the best matches still yields its best k live ones,
    asking Chroma for more only as far as needed."""
    from index.store import layers
    from index.store.store import _persistent, close_client

    rng = np.random.default_rng(3)
    q = rng.standard_normal(16).astype(np.float32)
    q /= np.linalg.norm(q)
    vecs = rng.standard_normal((400, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    order = np.argsort(-(vecs @ q))
    ids = [f"p{i}" for i in range(400)]
    dead = [ids[i] for i in order[:60]]                      # the 60 best are dead
    client = _persistent(tmp_path / "layer")
    try:
        col = client.create_collection("ccc", embedding_function=None, metadata={"hnsw:space": "cosine"})
        col.add(ids=ids, embeddings=vecs, metadatas=[{"report_id": "r"}] * 400)
        asked = []
        real = col.query

        def counting(**kw):
            asked.append(kw["n_results"])
            return real(**kw)

        class Spy:                    # Chroma's own collection, its query calls counted
            query = staticmethod(counting)

        view = layers.LayeredCollection([(Spy(), layers.Layer("layer", 400, dead))])
        got = view.query([q.tolist()], n_results=5, include=["distances"])["ids"][0]
        assert got == [ids[i] for i in order[60:65]]
        assert asked[0] < 65 and asked[-1] <= 400 and len(asked) > 1      # not all 60 dead at once
        assert view.count() == 340
    finally:
        close_client(client)


def test_a_failed_edit_leaves_no_layer_and_the_current_generation(tmp_path, reports):
    from index.config import Settings
    from index.store import layers
    from index.store.store import Writer, current_generation
    from ingest.chunk import chunk_report

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    listed = sorted(p.name for p in (settings.home / layers.DIR).iterdir())
    ps = chunk_report(reports[0])
    with pytest.raises(RuntimeError, match="boom"):
        with Writer(settings, g1) as w:
            w.put_passages([reports[0].id], ps, [fake_vector("x" + p.text) for p in ps])
            w._flush_chroma()                               # its vectors are in its new layer
            assert len(list((settings.home / layers.DIR).iterdir())) == len(listed) + 1
            raise RuntimeError("boom")
    assert current_generation(settings.home) == g1
    assert sorted(p.name for p in (settings.home / layers.DIR).iterdir()) == listed
    assert _live(settings, g1) == _passage_ids(g1)


def test_a_generation_from_before_layers_is_read_then_moved_into_layers(tmp_path, reports):
    """Its own chroma/ store, no layers.json: read as before; the next edit writes every
    vector into one layer from the vector copy and leaves the old store behind."""
    import shutil

    from index.config import Settings
    from index.store import layers
    from index.store.store import COLLECTION, _persistent, close_client
    from index.store.vectors import load_mirror

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    ids, matrix = load_mirror(g1)                            # made old: its vectors in gen/chroma
    con = sqlite3.connect(g1 / "dossier.db")
    rows = dict(con.execute("SELECT id, report_id FROM passages"))
    con.execute("DELETE FROM meta WHERE key = 'chroma_layout'")
    con.commit()
    con.close()
    client = _persistent(g1 / "chroma")
    try:
        col = client.create_collection(COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"})
        col.add(ids=ids, embeddings=np.asarray(matrix), metadatas=[{"report_id": rows[p]} for p in ids])
    finally:
        close_client(client)
    for name in (layers.FILE, layers.REPORTS_FILE):
        (g1 / name).unlink()
    shutil.rmtree(settings.home / layers.DIR)
    assert _live(settings, g1) == _passage_ids(g1)           # read as before
    old_view = _view(settings, g1, "convoy near Grodno")
    g2 = _write(settings, g1, reports, [0], salt="new ")
    (only,) = layers.read(g2)
    assert only.vectors == len(_passage_ids(g2)) and not only.dead
    assert _live(settings, g2) == _passage_ids(g2)
    assert not (g2 / "chroma").exists()
    g3 = _write(settings, g2, reports, [1], salt="newer ")   # then in proportion
    assert [x.name for x in layers.read(g3)][0] == only.name
    assert old_view[0]
