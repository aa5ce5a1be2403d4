"""One `chroma run` server, many corpora: two homes on one server never see each other.

Home A holds the samples, home B one extra report; they are ingested and edited in turn on
the same server. Each sees only its own reports in `reports`, `search` and `ask`; a
`--rebuild` of B leaves A untouched; a home opened with another corpus name, a corpus that
belongs to another home, and a namespace the server lost are each one StoreMismatch line.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.chroma_server import chroma_server, home_ids, server_databases
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

EXTRA = ("Convoy near Grodno\n\nThe extra report describes a convoy of trucks near Grodno on Tuesday. Officials in "
         "Minsk did not comment on the convoy. Residents filmed the trucks on the highway. Analysts expect more "
         "movements.\n")
TOWNS = ("Grodno", "Brest", "Vitebsk", "Mogilev", "Gomel", "Pinsk")
QUESTION = "Which Russian unit has trained with Belarusian forces since September 17?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def _meta(settings):
    from index.store.store import Snapshot

    snap = Snapshot.open(settings)
    try:
        return dict(snap.meta)
    finally:
        snap.close()


def _open(settings):
    from index.engine import Dossier

    return Dossier.open(settings)


def test_two_homes_on_one_server(tmp_path, server, st_model):
    from index.config import Settings, default_corpus
    from index.errors import StoreMismatch
    from ingest.pipeline import ingest

    folder_a, folder_b = tmp_path / "a-reports", tmp_path / "b-reports"
    shutil.copytree(SAMPLES, folder_a)
    folder_b.mkdir()
    (folder_b / "convoy.txt").write_text(EXTRA)
    a = Settings(home=tmp_path / "home-a", chroma_url=server)
    b = Settings(home=tmp_path / "home-b", chroma_url=server, corpus="desk-b")

    assert ingest([folder_a], a, embedder=st_model).reports == 7
    assert ingest([folder_b], b, embedder=st_model).reports == 1
    meta_a, meta_b = _meta(a), _meta(b)
    assert meta_a["corpus"] == default_corpus(a.home) != meta_b["corpus"] == "desk-b"   # recorded in the home
    ids_a, ids_b = home_ids(server, a.home), home_ids(server, b.home)
    assert ids_a and ids_b and not ids_a & ids_b

    def check(settings, own_reports):
        d = _open(settings)
        try:
            reports = {r["id"] for r in d.reports()}
            assert reports == own_reports
            for mode in ("dense", "hybrid"):
                res = d.search("Almaz-Antey air defense deal", k=5, mode=mode)["results"]
                assert res and all(r["report"]["id"] in own_reports and r["text"] for r in res), mode
            answer = d.ask(QUESTION)
            assert {c["report"]["id"] for c in answer["citations"]} <= own_reports
            return answer
        finally:
            d.close()

    reports_a = {r["id"] for r in json.loads(_cli(a, "reports", "--json"))}
    reports_b = {r["id"] for r in json.loads(_cli(b, "reports", "--json"))}
    assert len(reports_a) == 7 and len(reports_b) == 1 and not reports_a & reports_b
    assert "234th" in check(a, reports_a)["answer"][0]["text"]
    assert check(b, reports_b)["abstained"]                       # B knows nothing of A's units

    # edited in turn: an edit in A, then a new report in B; each keeps only its own. A bot's
    # long-lived Dossier on A, opened before, follows A to its new generation's database.
    serving_a = _open(a)
    f = next(folder_a.glob("002_*.txt"))
    f.write_text(f.read_text().replace("Lukashenko stated Russia is prepared to intervene in Belarus",
                                       "Lukashenko said that Russia stands ready to intervene in Belarus"))
    assert ingest([folder_a], a, embedder=st_model).updated == 1
    (folder_b / "second.txt").write_text(EXTRA.replace("Grodno", "Brest").replace("trucks", "tanks"))
    assert ingest([folder_b], b, embedder=st_model).added == 1
    reports_b = {r["id"] for r in _open_reports(b)}
    assert len(reports_b) == 2
    try:
        assert "stands ready" in " ".join(r["text"] for r in serving_a.search(
            "Russia stands ready to intervene in Belarus", k=3, mode="dense")["results"])
    finally:
        serving_a.close()
    check(a, reports_a)
    check(b, reports_b)

    # the replaced generations' databases are dropped; each corpus holds only what its home names
    kept_a = {_meta_of(g).get("chroma_database") for g in (a.home / "generations").iterdir()}
    assert server_databases(server, meta_a["corpus"]) <= kept_a

    # --rebuild of B leaves A untouched
    before_a = home_ids(server, a.home)
    assert ingest([folder_b], b, embedder=st_model, rebuild=True).reports == 2
    assert home_ids(server, a.home) == before_a
    check(a, reports_a)
    check(b, reports_b)

    # one-line mismatches: another corpus name for a home, a corpus another home owns, a lost namespace
    with pytest.raises(StoreMismatch, match="is corpus 'desk-b'.*not 'other'"):
        _open(b.with_(corpus="other"))
    taken = Settings(home=tmp_path / "home-c", chroma_url=server, corpus="desk-b")
    with pytest.raises(StoreMismatch, match="belongs to another Dossier home"):
        ingest([folder_b], taken, embedder=st_model)
    assert not list((taken.home / "generations").glob("*")) and check(b, reports_b)
    _drop(server, "desk-b", _meta(b)["chroma_database"])
    with pytest.raises(StoreMismatch) as lost:
        _open(b)
    assert "has no database" in str(lost.value) and "\n" not in str(lost.value)

    # a home moved to another folder keeps its corpus and its databases
    moved_a = a.with_(home=tmp_path / "moved-a")
    a.home.rename(moved_a.home)
    (folder_a / "extra.txt").write_text(EXTRA.replace("Grodno", "Vitebsk"))
    assert ingest([folder_a], moved_a, embedder=st_model).added == 1
    assert _meta(moved_a)["corpus"] == meta_a["corpus"]
    reports_a = {r["id"] for r in _open_reports(moved_a)}
    assert len(reports_a) == 8
    check(moved_a, reports_a)
    before_a = home_ids(server, moved_a.home)
    a = moved_a

    # the fix it names: a rebuild (here also moving B to another corpus); A still untouched
    moved = b.with_(corpus="desk-b2")
    assert ingest([folder_b], moved, embedder=st_model, rebuild=True).reports == 2
    assert _meta(moved)["corpus"] == "desk-b2"
    check(moved, reports_b)
    with pytest.raises(StoreMismatch, match="is corpus 'desk-b2'"):
        _open(b)
    assert home_ids(server, a.home) == before_a
    check(a, reports_a)


def test_an_embedded_home_moves_onto_a_server(tmp_path, server, st_model):
    """Named with a server, an embedded home's next ingest uploads its vectors even when no
    file changed (it used to say "unchanged" and upload nothing; with dead vectors in its
    layers it failed on a collection the server never had); a reader is told how to move it, and
    that reader's failed open lets its generation go (it used to keep its lease: the embedded
    layers, which the server ingests remove once unread, stayed forever)."""
    from index.config import Settings
    from index.errors import StoreMismatch
    from index.store import layers
    from index.store.generations import current_generation
    from ingest.pipeline import ingest

    folder = tmp_path / "reports"
    folder.mkdir()
    for town in TOWNS:
        (folder / f"{town}.txt").write_text(EXTRA.replace("Grodno", town))
    embedded = Settings(home=tmp_path / "home")
    assert ingest([folder], embedded, embedder=st_model).added == len(TOWNS)
    report = folder / "Grodno.txt"
    report.write_text(report.read_text().replace("convoy of trucks", "column of tanks"))
    assert ingest([folder], embedded, embedder=st_model).passages_embedded   # its old passages: dead in their layer
    assert any(layer.dead for layer in layers.read(current_generation(embedded.home)))
    on_server = embedded.with_(chroma_url=server)
    with pytest.raises(StoreMismatch) as e:
        _open(on_server)
    assert str(e.value).startswith(f"the index at {embedded.home} was built without a Chroma server")
    assert f"dossier ingest --home {embedded.home} --chroma-url {server} PATH" in str(e.value)

    said: list[str] = []
    moved = ingest([folder], on_server, embedder=st_model, notice=said.append)
    assert (moved.unchanged, moved.passages_embedded) == (len(TOWNS), 0)       # nothing encoded again
    assert len(said) == 1 and said[0].startswith("this index was built without a Chroma server: moving it onto")
    assert home_ids(server, embedded.home)
    d = _open(on_server)
    try:
        hits = d.search("a column of tanks near Grodno", k=3, mode="dense")["results"]
        assert hits and "column of tanks" in hits[0]["text"]
    finally:
        d.close()
    said.clear()
    assert ingest([folder], on_server, embedder=st_model, notice=said.append).unchanged == len(TOWNS) and not said
    report.write_text(report.read_text().replace("column of tanks", "line of tanks"))
    assert ingest([folder], on_server, embedder=st_model).passages_embedded
    assert not any((embedded.home / layers.DIR).iterdir())      # the embedded layers went once nothing read them

def _open_reports(settings):
    d = _open(settings)
    try:
        return d.reports()
    finally:
        d.close()


def _meta_of(gen):
    from index.store.store import _gen_meta

    return _gen_meta(gen)


def _drop(url, corpus, database):
    from index.config import Settings
    from index.store.store import admin_client

    admin_client(Settings(chroma_url=url)).delete_database(database, tenant=corpus)


def _cli(settings, *args) -> str:
    import os

    env = dict(os.environ, DOSSIER_HOME=str(settings.home), DOSSIER_CHROMA_URL=settings.chroma_url)
    if settings.corpus:
        env["DOSSIER_CORPUS"] = settings.corpus
    r = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout
