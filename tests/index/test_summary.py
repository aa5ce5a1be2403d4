"""Summaries of every sample report: verbatim sentences with their own markers, at most five,
in report order, stored at ingest; 'what's new' is newest report first."""
from __future__ import annotations

from index.store import store as st
from index.answer.answerer import Answerer
from index.answer.scope import Scope
from index.summary import MAX_SENTENCES


def test_every_sample_report_is_summarized_verbatim(dossier, sample_settings):
    snap = st.Snapshot.open(sample_settings)
    try:
        stored = snap.summaries()
        reports = snap.reports()
        assert set(stored) == set(reports)                     # computed at ingest, for every report
        for rid in reports:
            record = snap.report(rid)
            sentences = {(s["start"], s["end"]): s["markers"] for s in record["sentences"]}
            picked = stored[rid]
            assert 1 <= len(picked) <= MAX_SENTENCES, rid
            assert [s["start"] for s in picked] == sorted(s["start"] for s in picked)   # report order
            for s in picked:
                assert record["text"][s["start"]:s["end"]] == s["text"]        # verbatim
                assert s["end"] <= record["body_end"]                          # not from the notes
                assert sentences[(s["start"], s["end"])] == s["markers"]       # its own footnotes
                assert s["passage_id"]
    finally:
        snap.close()


def test_isw_summary_is_the_bold_leads(dossier):
    """The August 15 update marks its key judgments in bold (data/reports/002_…)."""
    rid = next(r["id"] for r in dossier.reports() if r["date"] == "2020-08-15")
    answer = dossier.summary(Scope(reports=(rid,)))
    texts = [s["text"] for s in answer["answer"]]
    assert texts[0].startswith("Belarusian President Aleksander Lukashenko and the Kremlin have reached an agreement")
    assert "Russian forces may be massing on the border." in texts


def test_summary_citations_carry_the_sentences_notes(dossier):
    answer = dossier.summary(Scope(since="2020-09-15"))
    by_n = {c["n"]: c for c in answer["citations"]}
    for s in answer["answer"]:
        cited = by_n[s["citations"][0]]
        assert s["text"] in cited["text"]
        shown = {f["marker"] for f in cited["footnotes"]}
        assert set(s["markers"]) <= shown


def test_whats_new_is_newest_first_and_scoped(dossier):
    answer = Answerer(dossier).answer("What's new since September 16?")
    dates = [p["date"] for p in answer["summary"]]
    assert dates == sorted(dates, reverse=True) and dates[-1] == "2020-09-16" and len(dates) == 4
    assert answer["scope"]["searched"].startswith("Searched reports from 2020-09-16 on")
    latest = Answerer(dossier).answer("Summarize the latest report")
    assert [p["date"] for p in latest["summary"]] == ["2020-09-19"] and not latest["abstained"]
    day = Answerer(dossier).answer("What's in the September 17 update?")
    assert [p["date"] for p in day["summary"]] == ["2020-09-17"]
