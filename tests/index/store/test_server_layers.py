"""Server mode's layers (index/store/layers.py): an edit uploads only what it embedded, a reader
of the previous generation keeps exactly its view until it switches, and the vectors the
edit replaced are deleted once nobody reads that generation."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from index.store.layers import DEAD_MAX, MAX_LAYERS, TIER, Layer, merge_from
from tests.chroma_server import chroma_server, generation_ids, home_ids, server_collections
from tests.conftest import SAMPLES


def test_merge_policy():
    base = Layer("base", 100_000)
    assert merge_from([base], 1_000) == 1                         # a 1 % edit keeps the base
    assert merge_from([base, Layer("a", 1_000)], 1_000) == 1      # like-sized small layers merge
    assert merge_from([base, Layer("a", 3_000)], 1_000) == 2      # a bigger one stays
    assert merge_from([base, Layer("a", 3_000)], 1_500) == 1      # ... until it is not TIER times bigger
    assert merge_from([], 10) == 0
    many = [base] + [Layer(f"l{i}", 10 ** (6 - i)) for i in range(1, MAX_LAYERS + 2)]
    assert merge_from(many, 1) + 1 <= MAX_LAYERS                 # never more than MAX_LAYERS read
    dead = Layer("base", 100_000, [f"p{i}" for i in range(int(DEAD_MAX * 100_000) + 1)])
    assert merge_from([dead, Layer("a", 3_000)], 1_000) == 0     # too many dead: the base is rewritten
    assert TIER >= 1


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def _passage_ids(gen):
    from index.store.store import _gen_meta  # noqa: F401 - same module the helpers read
    import sqlite3

    con = sqlite3.connect(gen / "dossier.db")
    try:
        return {pid for (pid,) in con.execute("SELECT id FROM passages")}
    finally:
        con.close()


def test_edit_in_proportion_and_readers_keep_their_view(tmp_path, server, st_model):
    from index.config import Settings
    from index.engine import Dossier
    from index.store import layers
    from index.store.generations import current_generation
    from index.store.store import chroma_client, collection_name
    from index.store.vectors import load_mirror
    from ingest.pipeline import ingest

    folder = tmp_path / "reports"
    shutil.copytree(SAMPLES, folder)
    settings = Settings(home=tmp_path / "home", chroma_url=server)
    ingest([folder], settings, embedder=st_model)
    g1 = current_generation(settings.home)
    (base,) = layers.read(g1)
    assert base.vectors == len(_passage_ids(g1)) and not base.dead

    reader = Dossier.open(settings)                 # a bot on g1: it holds g1 until its next question
    old_view = chroma_client(settings, g1).get_collection(collection_name(settings))
    f = next(folder.glob("002_*.txt"))
    f.write_text(f.read_text().replace("Lukashenko stated", "Lukashenko said"))
    summary = ingest([folder], settings, embedder=st_model)
    assert summary.updated == 1
    g2 = current_generation(settings.home)
    kept, new = layers.read(g2)
    assert kept.name == base.name and new.vectors == summary.passages_embedded < base.vectors / 4
    assert len(kept.dead) == new.vectors             # the edited report's old passages, skipped by g2

    # the old view answers as g1 did: its vectors, the edited report's old ones included
    ids1, m1 = load_mirror(g1)
    edited = [i for i, pid in enumerate(ids1) if pid in set(kept.dead)]
    probe = m1[edited[0]].tolist()
    top = old_view.query(query_embeddings=[probe], n_results=5, include=["distances"])
    assert top["ids"][0][0] == ids1[edited[0]] and top["distances"][0][0] < 1e-4
    assert set(top["ids"][0]) <= _passage_ids(g1) and old_view.count() == len(_passage_ids(g1))
    # the new view never returns an old vector: the same id, if any, comes from the new layer
    new_view = chroma_client(settings, g2).get_collection(collection_name(settings))
    res = new_view.query(query_embeddings=[probe], n_results=5, include=["distances"])
    got = dict(zip(res["ids"][0], res["distances"][0]))
    assert set(got) <= _passage_ids(g2) and got.get(ids1[edited[0]], 1.0) > 1e-4
    assert generation_ids(server, g2) == _passage_ids(g2) and new_view.count() == len(_passage_ids(g2))
    ids2, m2 = load_mirror(g2)
    for i in range(0, len(ids2), 7):                # g2's passages are found by their own vectors (or a twin's)
        r = new_view.query(query_embeddings=[m2[i].tolist()], n_results=1, include=["distances"])
        assert r["distances"][0][0] < 1e-4 and r["ids"][0][0] in _passage_ids(g2)

    # the reader moves on; the next ingest deletes what g2 skipped, then nothing is skipped
    assert reader.search("Lukashenko said Russia is prepared", k=3)["results"]
    reader.close()
    (folder / "late.txt").write_text("Late report\n\nA convoy crossed near Brest on Sunday. Nobody commented.\n")
    assert ingest([folder], settings, embedder=st_model).added == 1
    g3 = current_generation(settings.home)
    listed = layers.read(g3)
    assert not any(x.dead for x in listed) and listed[0].name == base.name
    assert home_ids(server, settings.home) == _passage_ids(g3)
    meta = reader.snapshot.meta
    assert server_collections(server, meta["corpus"], meta["chroma_database"]) == {x.name for x in listed}
    assert np.isfinite(m2).all()
