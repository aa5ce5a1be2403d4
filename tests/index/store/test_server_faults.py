"""Server mode is as crash-safe as embedded: `kill -9` during an ingest against a `chroma run`
server leaves the last complete state answering, and the next ingest converges.

The scenario is tests/index/store/test_faults.py's (state S0, then the folder put back to the
samples: one report updated, one added, one removed), on a server. The home's vectors live in
layers (index/store/layers.py): each ingest uploads what it embedded into a new collection; a
child runs the real CLI with a hook that SIGKILLs itself:
  put     - right after the first batch of new vectors went into the new layer
  upload  - while the base's vectors are merged into the new layer (after its first block;
            the driver makes every layer merge, as a run of edits eventually does)
  switch  - after the generation was renamed into place, before CURRENT switches
  delete  - after CURRENT switched, in the middle of deleting the vectors it replaced (the
            driver keeps the layers from merging, so that some are left to delete)
  drop    - after CURRENT switched, before anything is deleted or dropped
After each kill, CURRENT's layers hold exactly its generation's passages and questions are
answered from them. Then a real `dossier ingest` gives what a clean ingest of the samples
gives, and the server holds no collection that the current generation does not read.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.chroma_server import chroma_server, home_ids, server_collections, server_databases
from tests.conftest import ROOT
from tests.index.store.test_faults import (QUESTION, all_passage_ids, current_name, state, write_s0, write_target)

pytestmark = pytest.mark.slow

DRIVER = r'''
import os, signal, sys
point = sys.argv[1]
argv = sys.argv[2:]

def die():
    sys.stdout.flush(); sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)

import hashlib
import numpy as np
import index.encode.embed as E
import index.store.generations as G
import index.store.store as S

class Fake:                     # hashed unit vectors: what is on disk at the kill is the same
    def get_sentence_embedding_dimension(self):
        return 384
    get_embedding_dimension = get_sentence_embedding_dimension

    def encode(self, texts, **kw):
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(384).astype("float32")
            rows.append(v / np.linalg.norm(v))
        return np.array(rows)

E.load_sentence_transformer = lambda settings: Fake()
E.ingest_encoder = lambda settings, counts: Fake()

import index.store.layers as L

if point == "put":
    put = S.Writer.put_passages
    def put_then_die(self, *a, **k):
        put(self, *a, **k)
        die()
    S.Writer.put_passages = put_then_die
elif point == "upload":
    L.TIER = 10.0 ** 9                  # every layer merges into the new one: the base is uploaded again
    add, finish = S._add, S._ServerLayers.finish
    def finish_then_die(self, *a, **k):
        def add_then_die(*b, **kb):
            add(*b, **kb)
            die()
        S._add = add_then_die
        return finish(self, *a, **k)
    S._ServerLayers.finish = finish_then_die
elif point == "switch":
    G.switch_current = lambda *a, **k: die()
elif point == "delete":
    L.TIER, L.DEAD_MAX = 0.0, 2.0     # no merge: the replaced vectors stay in their layer until deleted
    clean = S._ServerLayers._clean
    def clean_then_die(self, *a, **k):
        if k.get("current") is None:
            return clean(self, *a, **k)
        get = self.client.get_collection
        def get_and_die_after_delete(name):
            c = get(name)
            class Dying:
                def delete(self, ids):
                    c.delete(ids=ids[:1])     # one vector deleted, then the kill
                    die()
            return Dying()
        self.client.get_collection = get_and_die_after_delete
        return clean(self, *a, **k)
    S._ServerLayers._clean = clean_then_die
elif point == "drop":
    S._ServerLayers.after_switch = lambda self, final: die()
else:
    raise SystemExit("unknown kill point " + point)

from bot.cli import main
sys.exit(main(argv))
'''


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def _env(home, url):
    return dict(os.environ, DOSSIER_HOME=str(home), DOSSIER_CHROMA_URL=url)


def _meta(home):
    from index.store.store import _gen_meta

    return _gen_meta(home / "generations" / current_name(home))


def _answers_from(home, url, encoder, passages):
    from index.config import Settings
    from index.engine import Dossier

    assert home_ids(url, home) == passages                    # no passage without its vector
    d = Dossier.open(Settings(home=home, chroma_url=url), encoder=encoder)
    try:
        result = d.ask(QUESTION)
        dense = d.search("Almaz-Antey air defense deal", k=10, mode="dense")["results"]
    finally:
        d.close()
    assert not result["abstained"] and result["answer"]
    assert {c["passage_id"] for c in result["citations"]} <= passages
    assert dense and all(r["text"] and r["passage_id"] in passages for r in dense)


def test_kill_9_against_the_server_then_converge(tmp_path, server, st_model, sample_settings):
    from index.config import Settings
    from index.encode.embed import QueryEncoder
    from ingest.pipeline import ingest

    folder, home = tmp_path / "reports", tmp_path / "home"
    write_s0(folder)
    assert ingest([folder], Settings(home=home, chroma_url=server), embedder=st_model).reports == 7
    write_target(folder)
    s0_name = current_name(home)
    s0 = state(home / "generations" / s0_name)
    encoder = QueryEncoder(Settings())

    for point in ("put", "upload", "switch"):
        r = subprocess.run([sys.executable, "-c", DRIVER, point, "ingest", "--json", str(folder)], cwd=ROOT,
                           env=_env(home, server), capture_output=True, text=True, timeout=300)
        assert r.returncode == -signal.SIGKILL, (point, r.returncode, r.stderr[-2000:])
        assert current_name(home) == s0_name, point
        assert state(home / "generations" / s0_name) == s0
        _answers_from(home, server, encoder, all_passage_ids(s0))

    # the real ingest converges to a clean ingest of the samples
    r = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json", str(folder)], cwd=ROOT,
                       env=_env(home, server), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["updated"], summary["added"], summary["removed"], summary["failed"]) == (1, 1, 1, [])
    reference = state(sample_settings.home / "generations" / current_name(sample_settings.home))
    now = state(home / "generations" / current_name(home))
    assert (now["reports"], now["passages"], now["files"]) == \
        (reference["reports"], reference["passages"], reference["files"])
    _answers_from(home, server, encoder, all_passage_ids(reference))
    _only_current_layers(server, home)                            # crash leftovers dropped

    # killed after the switch, before the old database is dropped: the new state serves, and
    # the next ingest that writes drops the leftover
    (folder / "late.txt").write_text("Late report\n\nA late report on a convoy near Brest on Friday. Officials "
                                     "said nothing about the convoy. Analysts expect more movements soon.\n")
    r = subprocess.run([sys.executable, "-c", DRIVER, "drop", "ingest", "--json", str(folder)], cwd=ROOT,
                       env=_env(home, server), capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr[-2000:]
    after = state(home / "generations" / current_name(home))
    assert len(after["reports"]) == len(reference["reports"]) + 1
    _answers_from(home, server, encoder, all_passage_ids(after))
    (folder / "late.txt").unlink()
    assert ingest([folder], Settings(home=home, chroma_url=server), embedder=st_model).removed == 1
    _only_current_layers(server, home)
    _answers_from(home, server, encoder, all_passage_ids(reference))

    # killed in the middle of deleting the vectors the new generation replaced: it serves
    # (skipping them, deleted or not), and the next ingest finishes the deletion
    f = next(folder.glob("002_*.txt"))
    f.write_text(f.read_text().replace("Lukashenko stated", "Lukashenko said"))
    r = subprocess.run([sys.executable, "-c", DRIVER, "delete", "ingest", "--json", str(folder)], cwd=ROOT,
                       env=_env(home, server), capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr[-2000:]
    edited = state(home / "generations" / current_name(home))
    assert edited["passages"] != reference["passages"]
    _answers_from(home, server, encoder, all_passage_ids(edited))
    (folder / "late.txt").write_text("Late report\n\nA convoy crossed near Brest on Sunday. Nobody commented.\n")
    assert ingest([folder], Settings(home=home, chroma_url=server), embedder=st_model).added == 1
    _only_current_layers(server, home)
    assert not any(layer.dead for layer in _layers(home))


def _layers(home):
    from index.store import layers

    return layers.read(home / "generations" / current_name(home))


def _only_current_layers(server, home):
    """The server holds this home's current generation's layers and nothing else of it."""
    meta = _meta(home)
    assert server_databases(server, meta["corpus"]) == {meta["chroma_database"]}
    assert server_collections(server, meta["corpus"], meta["chroma_database"]) == {x.name for x in _layers(home)}
