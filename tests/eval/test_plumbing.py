"""The generated plumbing checks: the sentence reader and the check itself, on small files
written for one quirk each, and the reader against the real sample reports' gold maps."""

from __future__ import annotations

from pathlib import Path

from eval.dataset import load_gold_maps
from eval.plumbing import occurrences, run_plumbing

TWO_REPORTS = """Saturday, September 19, 2020

Exercises Report

By A

The 234th trained since September 17.[1] It formed a joint unit.[2][3] There is no evidence.

There is no evidence this was preplanned.[3]

[1] https://a(.)ru/1; https://b.org/2
[3] ; ;

Friday, September 18, 2020

## Weapons Report

Lukashenko asked for weapons on September 16.\u00b9 Peskov said otherwise.<sup>2</sup>

- <sup>1</sup> <https://tass.ru/1>
\u00b2 Kremlin spokesman Dmitry Peskov responded. <https://tass.ru/2>
"""

GOLD = {
    "ex": {"title": "Exercises Report", "date": "2020-09-19", "files": ["r.txt"],
           "markers": {"1": {"status": "resolved", "urls": ["https://a(.)ru/1", "https://b.org/2"], "dngts_urls": []},
                       "2": {"status": "missing"}, "3": {"status": "missing"}}},
    "wp": {"title": "Weapons Report", "date": "2020-09-18", "files": ["r.txt"],
           "markers": {"1": {"status": "resolved", "urls": ["https://tass.ru/1"], "dngts_urls": []},
                       "2": {"status": "resolved", "urls": ["https://tass.ru/2"], "dngts_urls": [],
                             "text_contains": "Kremlin spokesman Dmitry Peskov"}}},
}
EX = {"id": "ex", "title": "Exercises Report", "date": "2020-09-19", "sources": ["r.txt"]}
WP = {"id": "wp", "title": "Weapons Report", "date": "2020-09-18", "sources": ["r.txt"]}


def note(marker, status="resolved", urls=(), text=""):
    return {"marker": marker, "status": status, "text": text, "urls": list(urls), "dngts": False, "dngts_urls": []}


def good_passages():
    return [
        {"report": EX, "text": "The 234th trained since September 17.[1] It formed a joint unit.[2][3] There is no evidence.",
         "footnotes": [note("1", urls=["https://a(.)ru/1", "https://b.org/2"]), note("2", "missing"), note("3", "missing")]},
        {"report": EX, "text": "There is no evidence this was preplanned.[3]", "footnotes": [note("3", "missing")]},
        {"report": WP, "text": "Lukashenko asked for weapons on September 16.\u00b9 Peskov said otherwise.\u00b2",
         "footnotes": [note("1", urls=["https://tass.ru/1"]),
                       note("2", urls=["https://tass.ru/2"], text="Kremlin spokesman Dmitry Peskov responded.")]},
    ]


def searcher(passages):
    """A stand-in for Dossier.search: every passage, the ones sharing most words first."""
    def search(text, k):
        words = set(text.lower().split())
        return sorted(passages, key=lambda p: -len(words & set(p["text"].lower().split())))[:k]
    return search


def write(tmp_path: Path) -> Path:
    (tmp_path / "r.txt").write_text(TWO_REPORTS, encoding="utf-8")
    return tmp_path


def test_reader_finds_body_markers_of_each_report_and_skips_note_lines(tmp_path):
    occ = occurrences(write(tmp_path), GOLD)
    got = [(o.report, o.marker, o.sentence) for o in occ]
    assert got == [
        ("ex", "1", "The 234th trained since September 17."),
        ("ex", "2", "It formed a joint unit."),
        ("ex", "3", "It formed a joint unit."),
        ("ex", "3", "There is no evidence this was preplanned."),
        ("wp", "1", "Lukashenko asked for weapons on September 16."),
        ("wp", "2", "Peskov said otherwise."),
    ]


def test_all_checks_pass_when_each_sentence_shows_its_own_notes(tmp_path):
    result = run_plumbing(searcher(good_passages()), write(tmp_path), GOLD)
    assert (result.checks, result.failures, result.skipped) == (6, [], [])


def test_a_note_attached_to_the_wrong_marker_fails(tmp_path):
    passages = good_passages()
    passages[0]["footnotes"][1] = note("2", urls=["https://a(.)ru/1"])  # [2] has no note in the report
    result = run_plumbing(searcher(passages), write(tmp_path), GOLD)
    assert len(result.failures) == 1
    assert result.failures[0]["marker"] == "2" and "shown as resolved" in result.failures[0]["reasons"][0]


def test_wrong_urls_missing_marker_prose_and_lost_sentence_each_fail(tmp_path):
    passages = good_passages()
    passages[0]["footnotes"][0]["urls"] = ["https://a.ru/1", "https://b.org/2"]  # defanging lost
    passages[2]["footnotes"] = passages[2]["footnotes"][:1]  # [2] dropped
    passages[1]["text"] = "Something else entirely."
    result = run_plumbing(searcher(passages), write(tmp_path), GOLD)
    reasons = {(f["report"], f["marker"], f["occurrence"]): f["reasons"][0] for f in result.failures}
    assert "urls differ" in reasons[("ex", "1", 1)]
    assert "not among the passage's footnotes" in reasons[("wp", "2", 1)]
    assert "not found" in reasons[("ex", "3", 2)]
    assert len(result.failures) == 3


def test_a_sentence_found_only_in_another_report_fails(tmp_path):
    passages = good_passages()
    passages[2]["report"] = EX
    result = run_plumbing(searcher(passages), write(tmp_path), GOLD)
    assert {f["report"] for f in result.failures} == {"wp"}
    assert all("another report" in f["reasons"][0] for f in result.failures)


def test_gold_markers_absent_from_the_text_are_reported_as_skipped(tmp_path):
    gold = {**GOLD, "ex": {**GOLD["ex"], "markers": {**GOLD["ex"]["markers"], "9": {"status": "missing"}}}}
    result = run_plumbing(searcher(good_passages()), write(tmp_path), gold)
    assert [(s["report"], s["marker"]) for s in result.skipped] == [("ex", "9")]


def test_reader_agrees_with_every_gold_map_of_the_sample_reports():
    gold = load_gold_maps()
    reports = Path(__file__).resolve().parents[2] / "data" / "reports"
    occ = occurrences(reports, gold)
    for key, gm in gold.items():
        assert {o.marker for o in occ if o.report == key} == set(gm["markers"]), key
    assert all(len(o.sentence) >= 12 for o in occ)
