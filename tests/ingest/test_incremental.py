"""Re-running ingest when updates land, through the real CLI on a copy of the samples."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def _json(proc):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _vectors(home):
    from index.store.store import current_generation
    from index.store.vectors import load_mirror

    ids, matrix = load_mirror(current_generation(home))
    return dict(zip(ids, matrix))


def test_unchanged_edit_and_delete(tmp_path, samples_copy, cli, st_model):
    home = tmp_path / "home"
    first = _json(cli("ingest", "--json", str(samples_copy), home=home))
    assert (first["added"], first["updated"], first["removed"], first["failed"]) == (7, 0, 0, [])
    assert first["passages_embedded"] > 100
    assert set(first) >= {"added", "updated", "removed", "unchanged", "passages_embedded", "failed", "seconds"}

    again = _json(cli("ingest", "--json", str(samples_copy), home=home))
    assert (again["passages_embedded"], again["unchanged"], again["added"], again["updated"]) == (0, 7, 0, 0)

    reports = {r["date"]: r for r in _json(cli("reports", "--json", home=home))}
    sept2 = reports["2020-09-02"]
    f = samples_copy / "003_dcd5aac377835ac8.txt"
    f.write_text(f.read_text().replace("There were no significant protests in Belarus on September 4.",
                                       "There were large protests in Belarus on September 4."))
    # a small edit needs no torch: with sentence-transformers made unimportable it still ingests
    shim = tmp_path / "shim" / "sentence_transformers"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('sentence-transformers is not for small edits')\n")
    pythonpath = os.pathsep.join(p for p in (str(shim.parent), os.environ.get("PYTHONPATH", "")) if p)
    edited = _json(cli("ingest", "--json", str(samples_copy), home=home, env={"PYTHONPATH": pythonpath}))
    assert (edited["updated"], edited["unchanged"], edited["added"], edited["removed"]) == (1, 6, 0, 0)
    assert edited["passages_embedded"] == sept2["passages"]          # exactly that report's passages
    # ... embedded by the numpy pass: the same vectors as the model's
    from index.encode.embed import SMALL_EDIT

    assert edited["passages_embedded"] <= SMALL_EDIT
    vecs = _vectors(home)
    texts = {r["passage_id"]: r["text"] for r in _json(cli("search", "--json", "-k", "100", "Belarus protests",
                                                            home=home))["results"]
             if r["report"]["date"] == "2020-09-02" and r["kind"] == "body"}
    assert len(texts) >= 5
    expected = st_model.encode(list(texts.values()), normalize_embeddings=True)
    for pid, want in zip(texts, expected):
        assert float(vecs[pid] @ want) > 0.9999, pid
    hit = _json(cli("search", "--json", "-k", "3", "large protests in Belarus on September 4", home=home))
    assert "There were large protests" in hit["results"][0]["text"]
    assert all("no significant protests" not in r["text"] for r in hit["results"])   # no stale passage

    (samples_copy / "002_8a4a9fea978dff02.txt").unlink()                       # its only report goes
    (samples_copy / "001_2615153153a8a9b8.txt").unlink()                       # Sept 16 stays (also in 000)
    removed = _json(cli("ingest", "--json", str(samples_copy), home=home))
    assert removed["removed"] == 1 and removed["failed"] == []
    now = {r["date"]: r for r in _json(cli("reports", "--json", home=home))}
    assert "2020-08-15" not in now and len(now) == 6
    assert [s.rsplit("/", 1)[-1] for s in now["2020-09-16"]["sources"]] == ["000_08cac09e5d9ef787.txt"]
    gone = _json(cli("search", "--json", "-k", "10", "Stepan Putilo NEXTA arrest warrant", home=home))
    assert all(r["report"]["date"] != "2020-08-15" for r in gone["results"])

    # the edits rewrote only the rows they touched: the result is what a clean ingest of the same
    # files gives, row for row (reports, notes, files, summaries) and in the listing's order
    clean = tmp_path / "clean"
    _json(cli("ingest", "--json", str(samples_copy), home=clean))
    assert _tables(home) == _tables(clean)
    assert _json(cli("reports", "--json", home=home)) == _json(cli("reports", "--json", home=clean))


def _tables(home) -> dict[str, list]:
    import sqlite3

    from index.store.store import current_generation

    con = sqlite3.connect(current_generation(home) / "dossier.db")
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("reports", "notes", "files", "summaries", "passages")}
    finally:
        con.close()


def test_failed_file_is_named_and_the_rest_ingested(tmp_path, cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A Good Title Line\n\nSeptember 1, 2020, 1:00 pm EDT\n\nBy A B\n\n"
                                     "First sentence is here.[1] Second sentence. Third one.\n\n[1] https://a.org\n")
    (folder / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    proc = cli("ingest", "--json", str(folder), home=tmp_path / "h")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["added"] == 1
    assert out["failed"] == [{"path": str(folder / "bad.txt"), "error": "binary file (a PNG image), not a text report"}]
    assert "bad.txt" in proc.stderr and "Traceback" not in proc.stderr


def test_an_edit_merges_only_what_its_files_hold_and_agrees_with_a_clean_ingest(tmp_path):
    """An edit reads and merges only the reports its touched files hold or held (each from all
    its copies, untouched files included); the result is row for row a clean ingest of the same
    files: one copy of a report held by two files edited; the files re-found under another root
    (their records change, reused without re-parsing) with one edited; a file removed."""
    import shutil

    from eval.bench.standin import StandInEncoder
    from index.config import Settings
    from ingest.pipeline import ingest
    from tests.conftest import SAMPLES

    corpus = tmp_path / "corpus"
    sub = corpus / "sub"
    shutil.copytree(SAMPLES, sub)
    enc = StandInEncoder()
    home = Settings(home=tmp_path / "home")
    first = ingest([sub], home, embedder=enc)
    assert (first.added, first.reports) == (7, 7)

    f = sub / "001_2615153153a8a9b8.txt"              # its September 16 report is also in 000
    f.write_text(f.read_text().replace("The Kremlin qualified Belarusian President",
                                       "The Kremlin quickly qualified Belarusian President"))
    edited = ingest([sub], home, embedder=enc)
    assert (edited.updated, edited.unchanged, edited.added, edited.removed, edited.reports) == (1, 6, 0, 0, 7)
    # in proportion: the base's vector layer is kept as it was, the new one holds the edit's vectors only
    from index.store import layers
    from index.store.store import current_generation

    base, new = layers.read(current_generation(home.home))
    assert base.vectors == first.passages_embedded
    assert new.vectors == edited.passages_embedded < first.passages_embedded / 3 and new.dead == []
    assert 0 < len(base.dead) < first.passages_embedded / 3            # the edited report's old vectors, skipped
    clean = _clean(tmp_path / "c1", [sub], enc)
    assert _tables(home.home) == _tables(clean)
    assert _derived(home.home) == _derived(clean)

    # the same files found from another root (every record changes, no report does), one edited again
    f.write_text(f.read_text().replace("quickly qualified", "promptly qualified"))
    moved = ingest([corpus], home, embedder=enc)
    assert (moved.updated, moved.unchanged, moved.reports) == (1, 6, 7)
    clean = _clean(tmp_path / "c2", [corpus], enc)
    assert _tables(home.home) == _tables(clean)
    assert _derived(home.home) == _derived(clean)

    (sub / "002_8a4a9fea978dff02.txt").unlink()
    gone = ingest([corpus], home, embedder=enc)
    assert (gone.removed, gone.unchanged, gone.reports) == (1, 6, 6)
    clean = _clean(tmp_path / "c3", [corpus], enc)
    assert _tables(home.home) == _tables(clean)
    assert _derived(home.home) == _derived(clean)


def _derived(home) -> dict:
    """What an edit rewrites from the base's files rather than from SQL: the vector mirror
    (passage id -> vector bytes, each id once) and the lexical index (passage id -> its terms,
    and every posting's score), whatever the rows' order or the terms' numbering."""
    from index.store import lexical
    from index.store.store import current_generation
    from index.store.vectors import load_mirror

    gen = current_generation(home)
    ids, matrix = load_mirror(gen)
    assert len(set(ids)) == len(ids)
    pids, vocab, flat, offsets = lexical._read_terms(gen / lexical.DIRNAME)
    terms = {pid: [vocab[t] for t in flat[offsets[i]:offsets[i + 1]]] for i, pid in enumerate(pids)}
    lex = lexical.Lexical(gen / lexical.DIRNAME)
    data, indices, indptr = (np.asarray(lex.model.scores[k]) for k in ("data", "indices", "indptr"))
    postings = {(t, lex.ids[int(d)]): float(v) for t, i in lex.vocab.items() if i + 1 < len(indptr)
                for d, v in zip(indices[indptr[i]:indptr[i + 1]], data[indptr[i]:indptr[i + 1]])}
    return {"mirror": {pid: matrix[i].tobytes() for i, pid in enumerate(ids)}, "terms": terms, "postings": postings,
            "chroma": _chroma(home)}


def _chroma(home) -> dict:
    """What the bot's searches read: passage id -> (vector bytes, report id), live vectors of
    every layer (a passage twice, or a dead one, fails)."""
    from index.config import Settings
    from index.store.store import chroma_client, close_client, collection_name, current_generation

    settings = Settings(home=home)
    client = chroma_client(settings, current_generation(home))
    try:
        got = client.get_collection(collection_name(settings)).get(include=["embeddings", "metadatas"])
    finally:
        close_client(client)
    assert len(set(got["ids"])) == len(got["ids"])
    return {pid: (np.asarray(v, np.float32).tobytes(), m["report_id"])
            for pid, v, m in zip(got["ids"], got["embeddings"], got["metadatas"])}


def _clean(home, paths, enc):
    from index.config import Settings
    from ingest.pipeline import ingest

    ingest(paths, Settings(home=home), embedder=enc)
    return home
