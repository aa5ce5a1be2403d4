"""A store written by another model, another dimension, another schema, or damaged: every
command that opens it says so in one line with the command to rebuild, never a crash deep
in Chroma, numpy or SQLite.

Each case copies the session's sample home and edits the current generation (its meta
table, its vectors, its database file). The commands run side by side: each is a cold CLI.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

QUESTION = "Which Russian unit trained with Belarusian forces in September 2020?"

REWRITE_768 = r'''
import json, sys
import numpy as np
import chromadb
from chromadb.config import Settings
for store in sys.argv[1:]:            # each vector layer's Chroma store
    client = chromadb.PersistentClient(path=store, settings=Settings(anonymized_telemetry=False))
    old = client.get_collection("dossier_passages")
    got = old.get(include=["metadatas"])
    client.delete_collection("dossier_passages")
    new = client.create_collection("dossier_passages", embedding_function=None, metadata={"hnsw:space": "cosine"})
    rng = np.random.default_rng(7)
    vecs = rng.standard_normal((len(got["ids"]), 768)).astype("float32")
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    if len(got["ids"]):
        new.add(ids=got["ids"], embeddings=vecs.tolist(), metadatas=got["metadatas"])
'''


def _gen(home: Path) -> Path:
    return home / "generations" / (home / "CURRENT").read_text().strip()


def _meta(home: Path, sql: str, *args) -> None:
    con = sqlite3.connect(_gen(home) / "dossier.db")
    con.execute(sql, args)
    con.commit()
    con.close()


def _another_model(home: Path) -> None:
    _meta(home, "UPDATE meta SET value = ? WHERE key = 'model'", "sentence-transformers/all-mpnet-base-v2")
    _meta(home, "INSERT OR REPLACE INTO meta VALUES ('dim', '768')")


def _another_dimension(home: Path) -> None:
    """Same model name, but 768-dim vectors: a model path whose weights were swapped."""
    gen = _gen(home)
    _meta(home, "INSERT OR REPLACE INTO meta VALUES ('dim', '768')")
    from index.store import layers

    stores = [str(home / layers.DIR / layer.name) for layer in layers.read(gen)]
    r = subprocess.run([sys.executable, "-c", REWRITE_768, *stores], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    mirror = gen / "vectors.npy"
    if mirror.exists():
        n = np.load(mirror, mmap_mode="r").shape[0]
        vecs = np.random.default_rng(7).standard_normal((n, 768)).astype(np.float32)
        np.save(mirror, vecs / np.linalg.norm(vecs, axis=1, keepdims=True))


def _newer_schema(home: Path) -> None:
    _meta(home, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")


def _older_schema(home: Path) -> None:
    _meta(home, "UPDATE meta SET value = '0' WHERE key = 'schema_version'")


def _no_meta_table(home: Path) -> None:
    _meta(home, "DROP TABLE meta")


def _not_a_database(home: Path) -> None:
    (_gen(home) / "dossier.db").write_bytes(os.urandom(64 * 1024))


CASES = {
    "model": (_another_model, ["built with model", "all-mpnet-base-v2"]),
    "dimension": (_another_dimension, ["768"]),
    "newer": (_newer_schema, ["newer schema"]),
    "older": (_older_schema, ["older schema"]),
    "no-meta": (_no_meta_table, []),
    "not-a-db": (_not_a_database, []),
}
@pytest.fixture(scope="module")
def runs(tmp_path_factory, sample_settings):
    """For every case: `dossier ask`, `dossier reports` and `dossier search`, run side by side."""
    tmp = tmp_path_factory.mktemp("mismatch")
    homes = {}
    for name, (damage, _) in CASES.items():
        home = tmp / name
        shutil.copytree(sample_settings.home, home, ignore=shutil.ignore_patterns("ingest.lock"))
        damage(home)
        homes[name] = home
    commands = {"ask": ["ask", QUESTION], "reports": ["reports", "--json"], "search": ["search", "--mode", "dense", QUESTION]}
    procs = {}
    for name, home in homes.items():
        for cmd, args in commands.items():
            env = dict(os.environ, DOSSIER_HOME=str(home))
            procs[(name, cmd)] = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env,
                                                  text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = {}
    for key, p in procs.items():
        stdout, stderr = p.communicate(timeout=300)
        out[key] = (p.returncode, stdout, stderr)
    return {"homes": homes, "out": out}


def _clear(code: int, stderr: str, home: Path, words: list[str]) -> None:
    assert "Traceback" not in stderr, stderr[-1500:]
    assert code == 2, stderr
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("dossier: error:"), stderr
    assert "dossier ingest --rebuild" in lines[0] and str(home) in lines[0], lines[0]
    for w in words:
        assert w in lines[0], lines[0]


def _params(commands):
    return [pytest.param(name, cmd, id=f"{name}-{cmd}") for name in CASES for cmd in commands]


@pytest.mark.parametrize("name,cmd", _params(["ask", "reports", "search"]))
def test_every_command_says_rebuild(runs, name, cmd):
    code, stdout, stderr = runs["out"][(name, cmd)]
    if (name, cmd) == ("dimension", "reports") and code == 0:
        # listing reports needs no vector: it may work; it must not crash
        assert "Traceback" not in stderr and json.loads(stdout)
        return
    _clear(code, stderr, runs["homes"][name], CASES[name][1])


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CASES])
def test_the_bot_path_raises_store_mismatch(runs, name):
    """The long-running bot opens the store with Chroma (not the CLI's vector mirror)."""
    from index.config import Settings
    from index.engine import Dossier
    from index.errors import StoreMismatch

    with pytest.raises(StoreMismatch, match="dossier ingest --rebuild"):
        d = Dossier.open(Settings(home=runs["homes"][name]))
        try:
            d.ask(QUESTION)
        finally:
            d.close()


def test_ingest_into_another_models_store_refuses_before_any_work(runs, tmp_path):
    """The model check comes first: no model load, no new generation."""
    home = runs["homes"]["model"]
    before = sorted(p.name for p in (home / "generations").iterdir())
    new = tmp_path / "new.txt"
    new.write_text("The army moved north on Monday. Officials denied it. Analysts expect more drills. "
                   "Residents saw the columns.\n")
    r = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json", str(new)], cwd=ROOT,
                       env=dict(os.environ, DOSSIER_HOME=str(home)), capture_output=True, text=True, timeout=300)
    _clear(r.returncode, r.stderr, home, ["built with model"])
    assert sorted(p.name for p in (home / "generations").iterdir()) == before


def test_rebuild_recovers_a_mismatched_store(runs, st_model):
    """The command the message gives works: --rebuild starts over with the current model."""
    from index.config import Settings
    from index.engine import Dossier
    from ingest.pipeline import ingest

    from tests.conftest import SAMPLES

    home = runs["homes"]["newer"]
    summary = ingest([SAMPLES], Settings(home=home), embedder=st_model, rebuild=True)
    assert summary.reports == 7 and not summary.failed
    d = Dossier.open(Settings(home=home))
    try:
        assert not d.ask(QUESTION)["abstained"]
    finally:
        d.close()
    con = sqlite3.connect(_gen(home) / "dossier.db")
    assert dict(con.execute("SELECT key, value FROM meta"))["schema_version"] != "99"
    con.close()
    assert json.loads(json.dumps(summary.to_dict()))["failed"] == []


def test_ingest_into_a_store_of_another_dimension_refuses(runs, tmp_path, st_model):
    """Once the model is loaded its dimension is compared: StoreMismatch, nothing written."""
    from index.config import Settings
    from index.errors import StoreMismatch
    from ingest.pipeline import ingest

    home = runs["homes"]["dimension"]
    before = sorted(p.name for p in (home / "generations").iterdir())
    new = tmp_path / "new.txt"
    new.write_text("The army moved north on Monday. Officials denied it. Analysts expect more drills. "
                   "Residents saw the columns.\n")
    with pytest.raises(StoreMismatch, match=r"768.*dossier ingest --rebuild"):
        ingest([new], Settings(home=home), embedder=st_model)
    assert sorted(p.name for p in (home / "generations").iterdir()) == before
