"""Old generations go as soon as nobody reads them: a reader's lease keeps the generation it
reads whole through any number of ingests; released, the next ingest removes it. The
generation just replaced keeps only its catalogue (dossier.db) until the next ingest."""
from __future__ import annotations

import subprocess
import sys
import sqlite3

import pytest

from tests.conftest import ROOT, fake_vector, parsed_samples


@pytest.fixture(scope="module")
def reports():
    return parsed_samples()


def _write(settings, base, reports, which):
    """A generation from `base` where the reports at positions `which` are (re)written."""
    from index.store.store import Writer
    from ingest.chunk import chunk_report

    with Writer(settings, base) as w:
        for i in which:
            ps = chunk_report(reports[i])
            w.put_passages([reports[i].id], ps, [fake_vector(p.text + str(base)) for p in ps])
        w.put_reports(reports, {}, dim=384)
        return w.commit()


def _names(home) -> list[str]:
    return sorted(p.name for p in (home / "generations").iterdir())


def _passages(gen) -> int:
    con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    finally:
        con.close()


def _texts(gen) -> int:
    """Passages whose text the generation's dossier.db still holds."""
    try:
        con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM passages WHERE text != ''").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:                    # replaced by its rewrite meanwhile
        return -1


def test_an_unread_generation_goes_when_replaced(tmp_path, reports):
    from index.config import Settings

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    g2 = _write(settings, g1, reports, [0])
    assert _names(settings.home) == [g1.name, g2.name]
    assert sorted(p.name for p in g1.iterdir()) == ["dossier.db"]          # only its catalogue:
    assert _passages(g1) == _passages(g2)                                   # every id; the ingest does
    assert _texts(g1) > 0                                                   # not rewrite it (round 5)
    g3 = _write(settings, g2, reports, [1])
    assert _names(settings.home) == [g2.name, g3.name]
    assert sorted(p.name for p in g2.iterdir()) == ["dossier.db"]
    assert {"layers.json", "bm25", "vectors.npy", "dossier.db", "lease"} <= {p.name for p in g3.iterdir()}


def test_a_held_generation_survives_until_released(tmp_path, reports):
    from index.config import Settings
    from index.store.generations import hold
    from index.store.store import chroma_client, close_client, collection_name
    from index.store.vectors import load_mirror

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    files = sorted(str(p.relative_to(g1)) for p in g1.rglob("*"))
    mirror = (g1 / "vectors.npy").read_bytes()          # the next generation starts with a hard link to it
    lease = hold(g1)
    assert lease is not None
    g2 = _write(settings, g1, reports, [0])
    g3 = _write(settings, g2, reports, [1])
    assert _names(settings.home) == [g1.name, g2.name, g3.name]           # g2: its catalogue
    assert sorted(str(p.relative_to(g1)) for p in g1.rglob("*")) == files   # g1: whole, and readable
    assert (g1 / "vectors.npy").read_bytes() == mirror != (g3 / "vectors.npy").read_bytes()
    client = chroma_client(settings, g1)
    try:
        assert client.get_collection(collection_name(settings)).count() == _passages(g1) == len(load_mirror(g1)[0])
    finally:
        close_client(client)
    lease.release()
    assert _names(settings.home) == [g1.name, g2.name, g3.name]           # nothing removes it but an ingest
    g4 = _write(settings, g3, reports, [2])
    assert _names(settings.home) == [g3.name, g4.name]


def test_a_lease_in_another_process_holds(tmp_path, reports):
    """flock leases hold across processes: a reader process keeps its generation whole."""
    from index.config import Settings

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    code = ("import sys, time; from pathlib import Path; from index.store.generations import hold; "
            "lease = hold(Path(sys.argv[1])); print('held' if lease else 'none', flush=True); sys.stdin.read()")
    reader = subprocess.Popen([sys.executable, "-c", code, str(g1)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "held"
        g2 = _write(settings, g1, reports, [0])
        assert (g1 / "layers.json").exists() and (g1 / "vectors.npy").exists()
    finally:
        reader.communicate("", timeout=60)
    g3 = _write(settings, g2, reports, [1])
    assert _names(settings.home) == [g2.name, g3.name]


def test_a_generation_gone_or_thinned_cannot_be_held(tmp_path, reports):
    """A reader that read CURRENT just before the switch gets None and reads CURRENT again."""
    from index.config import Settings
    from index.store.generations import current_generation, hold

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    g2 = _write(settings, g1, reports, [0])
    assert hold(g1) is None                                                 # thinned
    g3 = _write(settings, g2, reports, [1])
    assert not g1.exists() and hold(g1) is None                             # removed
    lease = hold(current_generation(settings.home))
    assert lease is not None and lease.gen == g3
    lease.release()


def test_a_crash_mid_removal_is_cleaned_up(tmp_path, reports):
    from index.config import Settings

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    doomed = g1.with_name("g000000.removing")
    (doomed / "chroma").mkdir(parents=True)
    g2 = _write(settings, g1, reports, [0])
    assert not doomed.exists() and _names(settings.home) == [g1.name, g2.name]


def test_a_reader_moving_on_thins_the_generation_it_released(tmp_path, reports):
    """The bot's case: it holds g1 through an ingest, then moves to g2 and releases g1,
    which it thins to the catalogue itself (no ingest needed); a second reader still on g1
    keeps it whole until it releases too."""
    import time

    from index.config import Settings
    from index.store.generations import hold

    settings = Settings(home=tmp_path / "home")
    g1 = _write(settings, None, reports, range(len(reports)))
    first, second = hold(g1), hold(g1)
    g2 = _write(settings, g1, reports, [0])
    assert (g1 / "layers.json").exists()
    first.release()
    time.sleep(1.0)
    assert (g1 / "layers.json").exists()                                     # the second reader holds it
    second.release()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (sorted(p.name for p in g1.iterdir()) != ["dossier.db"] or _texts(g1)):
        time.sleep(0.1)
    assert sorted(p.name for p in g1.iterdir()) == ["dossier.db"] and _passages(g1) == _passages(g2)
    assert _texts(g1) == 0                                   # the reader's thread rewrote it without texts
    # smaller than a whole record; it keeps the notes and summaries of the reports its ingest
    # added or updated (here: all of them), for the digest
    assert (g1 / "dossier.db").stat().st_size < (g2 / "dossier.db").stat().st_size
    current = hold(g2)
    current.release()                                                     # the current one stays whole
    time.sleep(0.5)
    assert (g2 / "layers.json").exists() and (g2 / "lease").exists()
