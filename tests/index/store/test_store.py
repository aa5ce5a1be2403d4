"""The store owns its data: the row codecs round-trip every record (markers stay lists), and
what the Writer writes is what the Snapshot reads back, lexical index and vectors included."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import fake_vector, parsed_samples


@pytest.fixture(scope="module")
def reports():
    return parsed_samples()


def test_report_rows_round_trip(reports):
    """Report -> rows -> Report gives the same report, for every sample report."""
    from index.store import schema
    from ingest.model import Report

    assert any(r.notes for r in reports) and any(len(s.markers) > 1 for r in reports for s in r.sentences)
    from dataclasses import asdict, replace

    paged = replace(reports[0], sentences=[replace(s, pages=[3, 4]) for s in reports[0].sentences],
                    notes={k: replace(n, pages=[9]) for k, n in reports[0].notes.items()})
    for r in [*reports, paged]:
        assert r.to_dict() == asdict(r)                 # written directly, field for field
    for r in reports:
        row = schema.report_row(r, passages=3)
        notes = [(marker, note) for _rid, marker, note in schema.note_rows(r)]
        back = Report.from_dict(schema.report_record(row, notes))
        assert back == r, r.id
        summary = schema.report_summary(row[:len(schema.SUMMARY_COLUMNS)])
        assert summary["passages"] == 3 and summary["footnotes"] == r.footnote_counts()
        assert summary["authors"] == r.authors and isinstance(summary["sources"], list)


def test_passage_rows_round_trip_with_list_markers(reports):
    from index.store import schema
    from ingest.chunk import chunk_report

    passages = [p for r in reports for p in chunk_report(r)]
    several = [p for p in passages if len(p.markers) > 1]
    assert several, "the samples have passages with several markers"
    for p in passages:
        row = schema.passage_row(p)
        assert json.loads(row[schema.PASSAGE_COLUMNS.index("markers")]) == p.markers   # a JSON list, not "1,2"
        back = schema.passage_dict(row)
        assert back == {"id": p.id, "report_id": p.report_id, "kind": p.kind, "start": p.start, "end": p.end,
                        "text": p.text, "markers": p.markers, "ordinal": p.ordinal,
                        "pages": list(getattr(p, "pages", [])), "section": "", "page_labels": []}
    p = several[0]
    p.pages, p.page_labels, p.section = [4, 5], ["2", "3"], "II. Findings > A. Drills"   # a PDF passage spans pages
    back = schema.passage_dict(schema.passage_row(p))
    assert (back["pages"], back["page_labels"], back["section"]) == ([4, 5], ["2", "3"], "II. Findings > A. Drills")


def structured_report():
    """A report built from a Document: sections, pages with printed labels, a redacted note."""
    from ingest.build import reports_from_document
    from ingest.document import HEADING, PARAGRAPH, Block, DocNote, Document, Mark

    text = "The first claim is made here. The second claim follows it."
    doc = Document("r.pdf", title="A Structured Report", date="2019-03", blocks=[
        Block(HEADING, "II. Findings", level=1, pages=[(0, 14)]),
        Block(PARAGRAPH, text, marks=[Mark(29, "12", "a"), Mark(len(text), "13", "b")], pages=[(0, 14), (30, 15)])],
        notes={"a": DocNote("a", "12", "Interview of a witness, cited in full here.", pages=[14]),
               "b": DocNote("b", "13", "", redacted=True, pages=[15])},
        page_labels={14: "2", 15: "3"})
    (r,), _ = reports_from_document(doc)
    return r


def test_a_structured_report_round_trips_with_sections_labels_and_redacted_notes():
    from dataclasses import asdict

    from index.store import schema
    from ingest.chunk import chunk_report
    from ingest.model import Report

    r = structured_report()
    assert r.to_dict() == asdict(r) and r.notes["13"].status == "redacted"
    row = schema.report_row(r, passages=2)
    back = Report.from_dict(schema.report_record(row, [(m, n) for _rid, m, n in schema.note_rows(r)]))
    assert back == r and back.page_labels == {14: "2", 15: "3"} and back.sentences[0].section == "II. Findings"
    assert schema.report_summary(row[:len(schema.SUMMARY_COLUMNS)])["footnotes"]["redacted"] == 1
    for p in chunk_report(r):
        d = schema.passage_dict(schema.passage_row(p))
        assert (d["section"], d["pages"], d["page_labels"]) == (p.section, p.pages, p.page_labels)
        assert p.section == "II. Findings" and p.page_labels == [{14: "2", 15: "3"}[x] for x in p.pages]


def test_writer_then_snapshot(tmp_path, reports):
    """Write two reports through the Writer; the Snapshot, the lexical index and the vector
    mirror give back exactly what was written."""
    from index.store import lexical, vectors
    from index.config import Settings
    from index.store.store import Snapshot, Writer, current_generation
    from index.text.words import terms
    from ingest.chunk import chunk_report

    settings = Settings(home=tmp_path / "home")
    chosen = reports[:2]
    passages = {r.id: chunk_report(r) for r in chosen}
    first = passages[chosen[0].id][0]
    first.pages = [1, 2]
    with Writer(settings, None) as w:
        for r in chosen:
            w.put_passages([r.id], passages[r.id], [fake_vector(p.text) for p in passages[r.id]])
        w.put_reports(chosen, {}, dim=384)
        final = w.commit()
    assert current_generation(settings.home) == final and not list(final.parent.glob("*.partial"))

    snap = Snapshot.open(settings)
    try:
        assert snap.meta_value("dim") == "384" and snap.meta_value("schema_version") == "3"
        summaries = snap.reports()
        assert set(summaries) == {r.id for r in chosen}
        for r in chosen:
            assert summaries[r.id]["passages"] == len(passages[r.id])
            assert snap.report(r.id) == r.to_dict()                       # every field, as written
            text, spans = snap.report_text(r.id)
            assert text == r.text and spans == [(s.start, s.end, s.markers) for s in r.sentences]
            got = snap.passages_of_report(r.id)
            assert [p["id"] for p in got] == [p.id for p in passages[r.id]]
            for p, row in zip(passages[r.id], got):
                assert row["markers"] == p.markers and isinstance(row["markers"], list)
                assert row["text"] == p.text == r.text[p.start:p.end]
                assert row["pages"] == ([1, 2] if p is first else [])
            notes = snap.notes(r.id)
            assert notes == {m: n.to_dict() for m, n in r.notes.items()}
            assert snap.notes(r.id, ["no-such"])["no-such"]["status"] == "missing"
        assert snap.passages([first.id])[first.id]["pages"] == [1, 2]
        assert snap.passage_texts() == [p.text for r in sorted(chosen, key=lambda r: r.id) for p in passages[r.id]]
    finally:
        snap.close()

    lex = lexical.open_lexical(final)
    every = [p for r in chosen for p in passages[r.id]]
    assert lex is not None and lex.n == len(every)
    probe = every[len(every) // 2]
    top = lex.search(terms(probe.text), k=3)
    assert probe.id in [pid for pid, _ in top]
    ids, matrix = vectors.load_mirror(final)
    assert sorted(ids) == sorted(p.id for p in every)
    assert np.allclose(matrix[ids.index(probe.id)], fake_vector(probe.text))


def test_replacing_and_removing_a_report(tmp_path, reports):
    """A second generation replaces one report's passages and removes another's: rows,
    vectors (Chroma and the mirror) and the lexical index all follow; the first is kept."""
    from index.store import lexical, vectors
    from index.store.generations import hold
    from index.config import Settings
    from index.store.store import Writer, chroma_client, close_client, collection_name, current_generation
    from ingest.chunk import chunk_report

    settings = Settings(home=tmp_path / "home")
    a, b = reports[0], reports[1]
    pa, pb = chunk_report(a), chunk_report(b)
    with Writer(settings, None) as w:
        w.put_passages([a.id, b.id], pa + pb, [fake_vector(p.text) for p in pa + pb])
        w.put_reports([a, b], {}, dim=384)
        g1 = w.commit()
    shorter = pa[:2]
    reader = hold(g1)                                          # a reader on g1 keeps it whole
    with Writer(settings, g1) as w:
        w.remove_reports([b.id])
        w.put_passages([a.id], shorter, [fake_vector("new " + p.text) for p in shorter])
        w.put_reports([a], {}, dim=384)
        g2 = w.commit()
    assert current_generation(settings.home) == g2 != g1
    ids, matrix = vectors.load_mirror(g2)
    assert ids == [p.id for p in shorter]
    assert np.allclose(matrix[0], fake_vector("new " + shorter[0].text))
    assert lexical.open_lexical(g2).n == 2
    client = chroma_client(settings, g2)
    try:
        got = client.get_collection(collection_name(settings)).get(include=["documents", "metadatas"])
        assert sorted(got["ids"]) == sorted(ids)
        assert got["documents"] == [None] * len(ids)         # the texts live in the passages table only
        assert got["metadatas"] == [{"report_id": a.id}] * len(ids)     # what a scoped search filters on
    finally:
        close_client(client)
    assert vectors.load_mirror(g1)[0] == [p.id for p in pa + pb]        # the old generation is untouched
    reader.release()


def test_a_failed_write_leaves_the_current_generation(tmp_path, reports):
    from index.config import Settings
    from index.store.store import Writer, current_generation

    settings = Settings(home=tmp_path / "home")
    r = reports[0]
    with Writer(settings, None) as w:
        w.put_reports([r], {}, dim=384)
        g1 = w.commit()
    with pytest.raises(RuntimeError, match="boom"):
        with Writer(settings, g1) as w:
            w.remove_reports([r.id])
            raise RuntimeError("boom")
    from ingest.chunk import chunk_report

    passages = chunk_report(r)
    with pytest.raises(ValueError, match="passages but"):
        with Writer(settings, g1) as w:                        # one vector short
            w.put_passages([r.id], passages, [fake_vector(p.text) for p in passages[1:]])
    assert current_generation(settings.home) == g1
    assert sorted(p.name for p in (settings.home / "generations").iterdir()) == [g1.name]


def test_the_mirror_is_rewritten_block_by_block_from_the_old_rows_and_the_new_file(tmp_path, monkeypatch):
    """An ingest's vectors wait in a file, not in memory; the rewrite copies a few rows at a
    time (STEP 3 here) and gives exactly: the old rows not gone and not re-embedded, then
    the new ones in the order they came; the file is gone once the writer closes it."""
    from index.store import vectors

    monkeypatch.setattr(vectors, "STEP", 3)
    rng = np.random.default_rng(1)
    old = rng.standard_normal((7, 4)).astype(np.float32)
    vectors.save_mirror(tmp_path, [f"o{i}" for i in range(7)], old)
    new = vectors.NewVectors(tmp_path)
    a, b = rng.standard_normal((2, 4)).astype(np.float32), rng.standard_normal((5, 4)).astype(np.float32)
    new.add(["o3", "n1"], a)                         # o3 re-embedded
    new.add([f"n{i}" for i in range(2, 7)], b)
    with pytest.raises(ValueError):
        new.add(["x"], np.zeros((1, 5), np.float32))     # another width
    assert new.path.stat().st_size == 7 * 4 * 4
    vectors.update_mirror(tmp_path, {"o1", "o3"}, new)     # o1 removed, o3 replaced
    ids, matrix = vectors.load_mirror(tmp_path)
    assert ids == ["o0", "o2", "o4", "o5", "o6", "o3", "n1", "n2", "n3", "n4", "n5", "n6"]
    np.testing.assert_array_equal(matrix, np.vstack([old[[0, 2, 4, 5, 6]], a, b]))
    new.close()
    assert not new.path.exists() and not (tmp_path / "vectors.tmp.npy").exists()
    # nothing gone, nothing re-embedded: every old row, then the new one (a window across the old end)
    monkeypatch.setattr(vectors, "STEP", 5)
    more = vectors.NewVectors(tmp_path)
    c = rng.standard_normal((1, 4)).astype(np.float32)
    more.add(["n7"], c)
    vectors.update_mirror(tmp_path, set(), more)
    ids2, matrix2 = vectors.load_mirror(tmp_path)
    assert ids2 == ids + ["n7"]
    np.testing.assert_array_equal(matrix2, np.vstack([old[[0, 2, 4, 5, 6]], a, b, c]))
    more.close()
