"""Scope: each flag and each typed phrase restricts retrieval before ranking; an out-of-scope
best passage is never shown; the answer says what was searched and what a date scope left out."""
from __future__ import annotations

import pytest

from index.errors import UserInputError
from index.answer.scope import Scope, from_flags, scope_from_text, summary_request

QUESTION = "Which Russian unit has performed exercises with Belarusian forces since September 17?"


def _cited(answer: dict) -> set[str]:
    return {c["report"]["id"] for c in answer["citations"]}


def _reports(dossier) -> dict[str, dict]:
    return {r["id"]: r for r in dossier.reports()}


def test_unscoped_answer_has_no_scope_key(dossier):
    assert "scope" not in dossier.ask(QUESTION)


def test_out_of_scope_best_passage_is_not_shown(dossier):
    best = dossier.ask(QUESTION)["citations"][0]["report"]["id"]
    others = [rid for rid in _reports(dossier) if rid != best]
    scoped = dossier.ask(QUESTION, scope=Scope(reports=tuple(others)))
    assert best not in _cited(scoped)
    assert _cited(scoped) <= set(others)
    assert best not in {r["report"]["id"] for r in dossier.search(QUESTION, k=10, scope=Scope(reports=tuple(others)))["results"]}


@pytest.mark.parametrize("since,until", [("2020-09-17", ""), ("", "2020-09-02"), ("2020-09-16", "2020-09-17")])
def test_date_flags(dossier, since, until):
    scope = from_flags(since=since or None, until=until or None)
    answer = dossier.ask(QUESTION, scope=scope)
    dates = {r["date"] for rid, r in _reports(dossier).items() if rid in _cited(answer)}
    assert dates and all((not since or d >= since) and (not until or d <= until) for d in dates)
    assert answer["scope"]["searched"].startswith("Searched reports")
    assert "undated report" in answer["scope"]["searched"]      # the study chapter is left out, and said
    assert answer["scope"]["undated_left_out"] == 1
    hits = dossier.search(QUESTION, k=20, scope=scope)["results"]
    assert hits and all((not since or h["report"]["date"] >= since) and (not until or h["report"]["date"] <= until)
                        for h in hits)


def test_report_flag_by_id_and_title_fragment(dossier):
    reports = _reports(dossier)
    rid = next(r for r in reports if r.startswith("2020-09-16"))
    for ref in (rid, "Vie for Control"):
        answer = dossier.ask("What did Lukashenko request from Putin?", scope=from_flags(reports=[ref]))
        assert _cited(answer) == {rid}
        assert "Searched 1 report" in answer["scope"]["searched"]


def test_report_flag_ambiguous_or_unknown_is_one_line(dossier):
    with pytest.raises(UserInputError) as e:
        dossier.ask(QUESTION, scope=from_flags(reports=["Belarus"]))
    assert "matches 5 reports" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(UserInputError, match="matches no report"):
        dossier.ask(QUESTION, scope=from_flags(reports=["Zimbabwe"]))


def test_publisher_flag(dossier):
    answer = dossier.ask(QUESTION, scope=from_flags(publisher="ISW"))
    assert _cited(answer) and all(_reports(dossier)[rid]["publisher"] for rid in _cited(answer))
    assert not any(rid.startswith("undated") for rid in _cited(answer))
    with pytest.raises(UserInputError):
        dossier.ask(QUESTION, scope=from_flags(publisher="RAND"))


def test_bad_dates_are_one_line():
    with pytest.raises(UserInputError, match="--since"):
        from_flags(since="15/09/2020")
    with pytest.raises(UserInputError, match="after"):
        from_flags(since="2020-09-18", until="2020-09-01")


def test_exact_index_filters_too(sample_settings):
    from index.engine import Dossier

    d = Dossier.open(sample_settings, exact=True)
    try:
        best = d.ask(QUESTION)["citations"][0]["report"]["id"]
        others = tuple(rid for rid in _reports(d) if rid != best)
        dense = d.search(QUESTION, k=10, mode="dense", scope=Scope(reports=others))["results"]
        assert dense and best not in {h["report"]["id"] for h in dense}
    finally:
        d.close()


@pytest.mark.parametrize("text,field,question", [
    ("since:2020-09-15 what did Lukashenko say?", "since", "what did Lukashenko say?"),
    ("until:2020-09-16 what did Lukashenko say?", "until", "what did Lukashenko say?"),
    ('report:"Vie for Control" what did Lukashenko say?', "reports", "what did Lukashenko say?"),
    ("What did Lukashenko say in the latest report?", "latest", "What did Lukashenko say?"),
    ("What did Lukashenko say in the September 17 update?", "days", "What did Lukashenko say?"),
    ("What did Lukashenko say since September 15?", "since_day", "What did Lukashenko say?"),
])
def test_typed_scope(text, field, question):
    scope, rest = scope_from_text(text)
    assert scope is not None and getattr(scope, field)
    assert rest == question


@pytest.mark.parametrize("text,dates", [
    ("What did Lukashenko say in the latest report?", {"2020-09-19"}),
    ("What did Lukashenko say in the September 17 update?", {"2020-09-17"}),
    ("What has Lukashenko said about Russian weapons since September 16?", {"2020-09-16", "2020-09-17", "2020-09-18",
                                                                           "2020-09-19"}),
])
def test_typed_scope_answers_only_from_scope(dossier, text, dates):
    scope, question = scope_from_text(text)
    answer = dossier.ask(question, scope=scope)
    assert {c["report"]["date"] for c in answer["citations"]} <= dates
    assert answer["scope"]["searched"]


def test_summary_requests():
    assert summary_request("Summarize the latest report") == Scope(latest=True)
    assert summary_request("what's in the September 19 update?") == Scope(days=((9, 19),))
    assert summary_request("What’s new since September 15?") == Scope(since_day=(9, 15))
    assert summary_request("What did the latest report say about Brest?") is None


def test_generated_answers_take_the_scope_too(dossier, fake_llm):
    from index.answer.answerer import Answerer
    from index.answer.llm import LLM

    answerer = Answerer(dossier, LLM(url=fake_llm.url, model="faithful", key="sk-test", timeout=2.0))
    best = dossier.ask(QUESTION)["citations"][0]["report"]["id"]
    others = tuple(rid for rid in _reports(dossier) if rid != best)
    result = answerer.answer(QUESTION, scope=Scope(reports=others))
    assert best not in _cited(result) and set(result["scope"]["reports"]) == set(others)
    title = _reports(dossier)[best]["title"]
    assert fake_llm.requests and title in str(dossier.ask(QUESTION)["citations"][0]["report"]["title"])
    for request in fake_llm.requests:
        assert title not in str(request)                     # the model never saw the out-of-scope report
