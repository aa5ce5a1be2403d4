"""Encoding ahead: reports handed over in order with their own rows, the ones not asked for
dropped, any other encoded on demand; errors reach the reader and the thread always ends.
Through ingest: an edit encodes exactly the edited report's passages, a move encodes nothing."""
from __future__ import annotations

import threading
import zlib

import numpy as np
import pytest

import ingest.encode_ahead as A
from ingest.encode_ahead import EncodeAhead


class Encoder:
    """A stand-in for the model: a fixed unit row per text; counts what it encoded."""

    def __init__(self, fail_on_call: int | None = None):
        self.texts: list[str] = []
        self.calls = 0
        self.fail_on_call = fail_on_call

    def encode(self, texts, **_):
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("the encoder failed")
        self.texts += texts
        rows = np.stack([np.random.default_rng(zlib.crc32(t.encode())).standard_normal(8) for t in texts])
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _reports(n: int, per: int = 3) -> list[tuple[str, list[str]]]:
    return [(f"r{i}", [f"report {i} passage {j}" for j in range(per)]) for i in range(n)]


def test_reports_come_in_order_skipped_ones_dropped_others_encoded_now(monkeypatch):
    monkeypatch.setattr(A, "CHUNK", 4)                       # two reports per encode() call
    enc = Encoder()
    reports = _reports(6)
    ahead = EncodeAhead(lambda: enc, reports)
    try:
        for rid, texts in (reports[0], reports[2], reports[5]):
            assert np.array_equal(ahead.vectors(rid, texts), Encoder().encode(texts))
        ahead.vectors("r5", reports[5][1])                    # asked again: passed, so encoded now
        assert np.array_equal(ahead.vectors("new", ["not ahead"]), Encoder().encode(["not ahead"]))
    finally:
        ahead.close()
    ahead_texts = [t for _, ts in reports for t in ts]
    assert enc.texts == ahead_texts + reports[5][1] + ["not ahead"]   # each report encoded ahead once


def test_not_threaded_encodes_each_report_when_asked():
    enc = Encoder()
    reports = _reports(3)
    ahead = EncodeAhead(lambda: enc, reports, threaded=False)
    assert threading.active_count() and not any(t.name == "dossier-encode" for t in threading.enumerate())
    rows = ahead.vectors("r1", reports[1][1])
    ahead.close()
    assert enc.texts == reports[1][1] and rows.shape == (3, 8)


def test_an_error_in_the_thread_reaches_the_reader_and_the_thread_ends(monkeypatch):
    monkeypatch.setattr(A, "CHUNK", 3)
    before = set(threading.enumerate())
    reports = _reports(4)
    ahead = EncodeAhead(lambda: Encoder(fail_on_call=2), reports)
    assert ahead.vectors("r0", reports[0][1]).shape == (3, 8)
    with pytest.raises(RuntimeError, match="the encoder failed"):
        ahead.vectors("r1", reports[1][1])
    ahead.close()
    assert set(threading.enumerate()) <= before


def test_a_reader_that_stops_early_stops_the_thread(monkeypatch):
    monkeypatch.setattr(A, "CHUNK", 1)                       # 200 chunks, AHEAD of them fit in the queue
    before = set(threading.enumerate())
    enc = Encoder()
    reports = _reports(200, per=1)
    ahead = EncodeAhead(lambda: enc, reports)
    ahead.vectors("r0", reports[0][1])
    ahead.close()
    assert set(threading.enumerate()) <= before
    assert len(enc.texts) < 20                               # it did not run on to the end


class Recording:
    """The session's model, recording every text an ingest encodes."""

    def __init__(self, model):
        self.model, self.texts = model, []

    def get_sentence_embedding_dimension(self):
        from index.encode.embed import model_dimension

        return model_dimension(self.model)

    def encode(self, texts, **kw):
        self.texts += list(texts)
        return self.model.encode(texts, **kw)


@pytest.mark.slow
def test_an_edit_encodes_the_edited_report_only_and_a_move_nothing(tmp_path, samples_copy, st_model):
    from index.config import Settings
    from index.store.store import Snapshot
    from ingest.pipeline import ingest

    settings = Settings(home=tmp_path / "home")
    first = Recording(st_model)
    ingest([samples_copy], settings, embedder=first)
    snap = Snapshot.open(settings)
    try:
        assert sorted(first.texts) == sorted(t for (t,) in snap.con.execute("SELECT text FROM passages"))
    finally:
        snap.close()

    f = samples_copy / "003_dcd5aac377835ac8.txt"            # one of its reports is edited
    f.write_text(f.read_text().replace("There were no significant protests in Belarus on September 4.",
                                       "There were large protests in Belarus on September 4."))
    edit = Recording(st_model)
    summary = ingest([samples_copy], settings, embedder=edit)
    assert (summary.updated, summary.unchanged) == (1, 6)
    snap = Snapshot.open(settings)
    try:
        (rid,) = {r for (r,) in snap.con.execute("SELECT report_id FROM passages WHERE text LIKE ?",
                                                 ("%large protests in Belarus on September 4%",))}
        edited = [t for (t,) in snap.con.execute("SELECT text FROM passages WHERE report_id = ? ORDER BY ordinal",
                                                 (rid,))]
    finally:
        snap.close()
    assert edit.texts == edited and summary.passages_embedded == len(edited)

    f.rename(samples_copy / "moved.txt")
    move = Recording(st_model)
    summary = ingest([samples_copy], settings, embedder=move)
    assert summary.passages_embedded == 0 and move.texts == []


@pytest.mark.slow
def test_ctrl_c_mid_ingest_stops_soon_and_leaves_no_generation(tmp_path):
    """SIGINT while the new generation is being written (the encoder working ahead): the
    command says "interrupted", exits 130 without waiting for the rest, and writes nothing."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from eval.bench.synth import generate
    from tests.conftest import ROOT

    corpus = generate(80, tmp_path / "reports", seed=3)
    home = tmp_path / "home"
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", "--home", str(home), str(corpus.root)],
                            cwd=ROOT, env={**os.environ, "DOSSIER_HOME": str(home)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not list((home / "generations").glob("*.partial")) and proc.poll() is None:
            assert time.monotonic() < deadline, "the ingest never started writing"
            time.sleep(0.02)
        assert proc.poll() is None, "the ingest ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)         # not the rest of the ingest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "dossier: error: interrupted"
    assert not (home / "CURRENT").exists() and not list((home / "generations").glob("*"))
