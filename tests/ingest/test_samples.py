"""The five real sample files end to end, against the hand-written gold maps in eval/gold/."""
from __future__ import annotations

import json

import pytest

from ingest.chunk import chunk_report
from ingest.merge import merge_reports
from ingest.read import read_report_file
from ingest.report import parse_text
from tests.conftest import GOLD, SAMPLES, assert_notes_equal_gold


@pytest.fixture(scope="module")
def reports():
    allr = []
    for p in sorted(SAMPLES.glob("*.txt")):
        rs, _ = parse_text(read_report_file(p), p.name)
        allr += rs
    return merge_reports(allr)


GOLD_MAPS = sorted((GOLD / "footnotes").glob("*.json"))


def test_seven_reports_one_for_the_duplicate(reports):
    assert len(reports) == 7
    sept16 = [r for r in reports if r.date == "2020-09-16"]
    assert len(sept16) == 1 and sept16[0].sources == ["000_08cac09e5d9ef787.txt", "001_2615153153a8a9b8.txt"]


@pytest.mark.parametrize("gold_path", GOLD_MAPS, ids=[p.stem for p in GOLD_MAPS])
def test_parsed_marker_map_equals_gold(reports, gold_path):
    gold = json.loads(gold_path.read_text())
    (r,) = [r for r in reports if r.title == gold["title"] and r.date == gold["date"]]
    assert sorted(r.sources) == sorted(gold["files"])
    assert_notes_equal_gold(r, gold)


def test_duplicate_merge_takes_notes_from_both_copies(reports):
    (r,) = [r for r in reports if r.date == "2020-09-16"]
    # note 1 exists only in the 001 copy, note 3 only has its prose in both: both present
    assert r.notes["1"].urls == ["http://www.iswresearch.org/2020/09/belarus-warning-update-lukashenko_14.html"]
    assert r.footnote_counts()["missing"] == 0


def test_endnote_alignment_on_the_chapter(reports):
    (r,) = [r for r in reports if not r.date]
    status = {m: n.status for m, n in r.notes.items()}
    assert [m for m, s in status.items() if s == "missing"] == ["39", "43"]
    assert sorted(m for m, s in status.items() if s == "unplaced") == ["48", "49"]
    assert "Vileika" in r.notes["36"].text and "meddling" in r.notes["38"].text
    assert len(r.unplaced_notes) == 1 and "Boulègue" in r.unplaced_notes[0].text


def test_passages_are_quotable_with_offsets_and_stable_ids(reports):
    for r in reports:
        ps = chunk_report(r)
        assert ps == chunk_report(r)                       # same report, same passages and ids
        assert len({p.id for p in ps}) == len(ps)
        for p in ps:
            assert r.text[p.start:p.end] == p.text
            assert len(p.text) <= 700
            for m in p.markers:
                assert m in r.notes


def test_note_prose_is_a_passage(reports):
    (r,) = [r for r in reports if r.date == "2020-09-16"]
    notes = [p for p in chunk_report(r) if p.kind == "note"]
    assert any("Almaz-Antey" in p.text and p.markers == ["4"] for p in notes)
