"""Each metric scores a known-good and a known-bad answer correctly (a metric that cannot
fail is a defect). Answers are small hand-written dicts in the `dossier ask --json` shape."""

from __future__ import annotations

import copy
import math

import pytest

from eval import metrics as m

REPORT = {"id": "r1", "title": "Belarus Warning Update: Exercises", "date": "2020-09-19",
          "authors": ["George Barros"], "sources": ["data/reports/000_x.txt"]}
CHAPTER = {"id": "r2", "title": "", "date": "", "authors": [], "sources": ["/abs/data/reports/004_y.txt"]}

GOLD_MAPS = {
    "2020-09-19-ex": {
        "title": "Belarus Warning Update: Exercises", "date": "2020-09-19", "files": ["000_x.txt"],
        "markers": {
            "1": {"status": "resolved", "urls": ["https://a(.)ru/1", "https://b.org/2"], "dngts_urls": []},
            "2": {"status": "missing"},
            "3": {"status": "resolved", "urls": ["https://c.ru/3"], "dngts_urls": ["https://c.ru/3"],
                  "text_contains": "Kremlin spokesman Dmitry Peskov"},
        },
    },
    "chapter-004": {
        "title": "", "date": "", "files": ["004_y.txt"],
        "markers": {"35": {"status": "resolved", "urls": [], "dngts_urls": [], "text_contains": "Possible Scenarios"},
                    "48": {"status": "unplaced"}},
    },
}

SENTENCE = "Russia\u2019s 234th Guards Airborne Assault Regiment has trained with Belarusian forces since September 17."
PASSAGE_TEXT = ("The Kremlin is using the Slavic Brotherhood exercise. Russia's\u00a0234th Guards Airborne  Assault "
                "Regiment has trained with Belarusian forces since September 17.[1] The 234th likely formed a "
                "joint unit.[2]")

FN1 = {"marker": "1", "status": "resolved", "text": "https://a(.)ru/1; https://b.org/2",
       "urls": ["https://a(.)ru/1", "https://b.org/2"], "dngts": False, "dngts_urls": []}
FN2 = {"marker": "2", "status": "missing", "text": "", "urls": [], "dngts": False, "dngts_urls": []}

QUESTION = {
    "id": "q1", "question": "Which Russian unit has trained with Belarusian forces, and since when?",
    "answerable": True, "kinds": ["name", "date"],
    "evidence": [{"report": "2020-09-19-ex", "in_note": False, "markers": ["1"],
                  "text": "234th Guards Airborne Assault Regiment has trained with Belarusian forces since September 17"}],
    "key_facts": [["234th"], ["September 17", "Sept 17"]],
}
UNANSWERABLE = {"id": "q9", "question": "What did the Moldovan army do in 2019?", "answerable": False,
                "kinds": [], "evidence": [], "key_facts": []}


def citation(n=1, text=PASSAGE_TEXT, footnotes=(FN1, FN2), report=REPORT):
    return {"n": n, "passage_id": f"p{n}", "report": dict(report), "text": text, "score": 0.8,
            "footnotes": [dict(f) for f in footnotes]}


def good_answer():
    return {"question": QUESTION["question"], "abstained": False,
            "answer": [{"text": SENTENCE, "citations": [1]}], "citations": [citation()]}


def abstention_answer():
    return {"question": "…", "abstained": True, "answer": [], "citations": [citation()]}


OTHER = {"text": "Belarusian tanks arrived in Kapustin Yar on September 16.", "footnotes": []}
GOLD_PASSAGE = {"text": PASSAGE_TEXT, "footnotes": [FN1, FN2], "report": REPORT}


# ---------------------------------------------------------------- normalisation


def test_normalize_quotes_spaces_markers_case():
    assert m.normalize("Russia\u2019s\u00a0 234th  \u201cGuards\u201d.[1]\u00b9<sup>2</sup> **Bold**") == \
        "russia's 234th \"guards\". bold"
    assert m.contains(PASSAGE_TEXT, SENTENCE)
    assert not m.contains(PASSAGE_TEXT, "since September 18")
    assert not m.contains(PASSAGE_TEXT, "   ")


def test_contains_phrase_respects_word_edges():
    assert m.contains_phrase("in 2010 the unit", "2010")
    assert not m.contains_phrase("in 2010 the unit", "10")
    assert m.contains_phrase("Russia's 234th regiment", "234th")
    assert not m.contains_phrase("Russia's 1234th regiment", "234th")


# ---------------------------------------------------------------- retrieval


def test_hits_and_mrr_on_good_and_bad_rankings():
    good = [GOLD_PASSAGE, OTHER]
    late = [OTHER, OTHER, GOLD_PASSAGE]
    none = [OTHER] * 10
    assert m.hit_at_k(QUESTION, good, 1).value == 1
    assert m.hit_at_k(QUESTION, late, 1).value == 0
    assert m.hit_at_k(QUESTION, late, 5).value == 1
    assert m.hit_at_k(QUESTION, [OTHER] * 5 + [GOLD_PASSAGE], 5).value == 0
    assert m.reciprocal_rank(QUESTION, late).value == pytest.approx(1 / 3)
    assert m.reciprocal_rank(QUESTION, none).value == 0
    assert m.reciprocal_rank(QUESTION, [OTHER] * 10 + [GOLD_PASSAGE]).value == 0  # rank 11 is past @10
    assert not m.hit_at_k(QUESTION, none, 5).ok
    assert m.hit_at_k(UNANSWERABLE, good, 1) is None


def test_ndcg_counts_each_evidence_once_and_needs_every_report():
    q = copy.deepcopy(QUESTION)
    q["evidence"].append({"report": "other", "in_note": False, "markers": [],
                          "text": "Belarusian tanks arrived in Kapustin Yar"})
    assert m.ndcg_at_k(q, [GOLD_PASSAGE, OTHER]).value == pytest.approx(1.0)
    swapped = m.ndcg_at_k(q, [GOLD_PASSAGE, {"text": "filler"}, OTHER]).value
    assert swapped == pytest.approx((1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    # the same sentence twice (overlapping chunks) does not stand in for the second report
    one_report = m.ndcg_at_k(q, [GOLD_PASSAGE, GOLD_PASSAGE])
    assert one_report.value == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert "evidence 2" in one_report.reasons[0]
    assert m.ndcg_at_k(QUESTION, [OTHER]).value == 0


def test_note_evidence_is_found_in_a_passage_showing_that_note():
    q = {**QUESTION, "evidence": [{"report": "2020-09-19-ex", "in_note": True, "markers": [],
                                   "text": "Kremlin spokesman Dmitry Peskov responded"}]}
    fn3 = {"marker": "3", "status": "resolved", "text": "Kremlin spokesman Dmitry Peskov responded. https://c.ru/3",
           "urls": ["https://c.ru/3"], "dngts_urls": ["https://c.ru/3"]}
    assert m.hit_at_k(q, [{"text": "Peskov said no.[3]", "footnotes": [fn3]}], 1).value == 1
    assert m.hit_at_k(q, [{"text": "Peskov said no.[3]", "footnotes": []}], 1).value == 0
    body_only = {**q, "evidence": [{**q["evidence"][0], "in_note": False}]}
    assert m.hit_at_k(body_only, [{"text": "Peskov said no.[3]", "footnotes": [fn3]}], 1).value == 0


# ---------------------------------------------------------------- answers


def test_key_fact_recall():
    assert m.key_fact_recall(QUESTION, good_answer()).value == 1
    half = good_answer()
    half["answer"][0]["text"] = "Russia's 234th regiment trained in Brest."
    out = m.key_fact_recall(QUESTION, half)
    assert out.value == 0.5 and not out.ok and "September 17" in out.reasons[0]
    alias = good_answer()
    alias["answer"][0]["text"] = "The 234th has trained there since Sept\u00a017."
    assert m.key_fact_recall(QUESTION, alias).value == 1
    assert m.key_fact_recall(QUESTION, abstention_answer()).value == 0
    assert m.key_fact_recall(UNANSWERABLE, good_answer()) is None


def test_abstention_recall_and_false_abstention():
    assert m.abstention(UNANSWERABLE, abstention_answer()).value == 1
    answered = m.abstention(UNANSWERABLE, good_answer())
    assert answered.value == 0 and not answered.ok
    declined = m.false_abstention(QUESTION, abstention_answer())
    assert declined.value == 1 and not declined.ok
    assert m.false_abstention(QUESTION, good_answer()).value == 0
    assert m.false_abstention(UNANSWERABLE, abstention_answer()) is None
    assert m.abstention(QUESTION, abstention_answer()) is None


def test_reading_cost_counts_answer_and_quoted_passages():
    assert m.reading_cost(good_answer()).value == len(SENTENCE) + len(PASSAGE_TEXT)
    assert m.passages_reading_cost([{"text": "a" * 10}] * 5, top=3).value == 30


# ---------------------------------------------------------------- citations


def test_citation_recall_good_and_unsupported_sentence():
    assert m.citation_recall(good_answer()).value == 1
    bad = good_answer()
    bad["answer"].append({"text": "Belarus sent 900 tanks to Moldova.", "citations": [1]})
    out = m.citation_recall(bad)
    assert out.value == 0.5 and "sentence 2 is not in its cited passages" in out.reasons[0]


def test_citation_recall_needs_a_citation_that_is_shown():
    no_cite = good_answer()
    no_cite["answer"][0]["citations"] = []
    assert m.citation_recall(no_cite).value == 0
    dangling = good_answer()
    dangling["answer"][0]["citations"] = [1, 7]
    out = m.citation_recall(dangling)
    assert out.value == 0 and "[7]" in out.reasons[0]
    assert m.citation_recall(abstention_answer()) is None


def test_citation_recall_accepts_a_sentence_from_a_note():
    fn3 = {"marker": "3", "status": "resolved", "text": "Kremlin spokesman Dmitry Peskov responded to a press question.",
           "urls": ["https://c.ru/3"], "dngts_urls": ["https://c.ru/3"]}
    ans = {"abstained": False, "answer": [{"text": "Kremlin spokesman Dmitry Peskov responded to a press question.",
                                           "citations": [1]}],
           "citations": [citation(text="Peskov said no.[3]", footnotes=[fn3])]}
    assert m.citation_recall(ans).value == 1


def test_citation_precision_irrelevant_and_unsupported():
    ans = good_answer()
    ans["citations"].append(citation(n=2, text=OTHER["text"], footnotes=()))
    ans["answer"][0]["citations"] = [1, 2]
    out = m.citation_precision(ans)
    assert out.value == 0.5 and "citation [2] is irrelevant" in out.reasons[0]
    assert m.citation_recall(ans).value == 1  # recall is about the sentence, precision the citation
    assert m.citation_precision(good_answer()).value == 1
    wrong = good_answer()
    wrong["citations"][0]["text"] = OTHER["text"]
    assert m.citation_precision(wrong).value == 0


# ---------------------------------------------------------------- footnotes


def test_report_key_by_title_date_and_by_file_for_the_chapter():
    assert m.report_key(REPORT, GOLD_MAPS) == "2020-09-19-ex"
    assert m.report_key(CHAPTER, GOLD_MAPS) == "chapter-004"
    assert m.report_key({**REPORT, "date": "2020-09-18"}, GOLD_MAPS) is None
    assert m.report_key({"title": "Syria Situation Report", "date": "", "sources": ["000_x.txt"]}, GOLD_MAPS) is None


def test_marker_validity_good():
    assert m.marker_validity(good_answer(), GOLD_MAPS).value == 1


@pytest.mark.parametrize("change, expected", [
    (lambda fns: fns[0].update(urls=["https://b.org/2", "https://a(.)ru/1"]), "urls differ"),
    (lambda fns: fns[1].update(status="resolved", urls=["https://a(.)ru/1"]), "shown as resolved"),
    (lambda fns: fns[0].update(status="missing", urls=[], text=""), "shown as missing"),
    (lambda fns: fns.append({"marker": "9", "status": "missing", "urls": []}), "not a marker of this report"),
    (lambda fns: fns[0].update(dngts_urls=["https://b.org/2"]), "DNGTS"),
])
def test_marker_validity_bad(change, expected):
    ans = good_answer()
    change(ans["citations"][0]["footnotes"])
    out = m.marker_validity(ans, GOLD_MAPS)
    assert out.value < 1 and not out.ok
    assert any(expected in r for r in out.reasons), out.reasons


def test_marker_validity_unplaced_and_unknown_report():
    unplaced = {"marker": "48", "status": "unplaced", "text": "", "urls": [], "dngts_urls": []}
    ans = {"abstained": False, "answer": [], "citations": [citation(report=CHAPTER, footnotes=[unplaced])]}
    assert m.marker_validity(ans, GOLD_MAPS).value == 1
    guessed = {**unplaced, "status": "resolved", "text": "Aaron Mehta, US announces $125 million"}
    ans["citations"][0]["footnotes"] = [guessed]
    assert m.marker_validity(ans, GOLD_MAPS).value == 0
    stranger = {"abstained": False, "answer": [], "citations": [citation(report={"title": "Other", "date": ""})]}
    assert m.marker_validity(stranger, GOLD_MAPS).value == 0
    assert m.marker_validity({"abstained": True, "answer": [], "citations": []}, GOLD_MAPS) is None


def test_source_fidelity_zero_for_the_report_own_notes():
    out = m.source_fidelity(good_answer(), GOLD_MAPS)
    assert out.value == 0 and out.ok


def test_source_fidelity_counts_a_wrong_url():
    ans = good_answer()
    ans["citations"][0]["footnotes"][0]["urls"] = ["https://a(.)ru/1", "https://invented.example/x"]
    out = m.source_fidelity(ans, GOLD_MAPS)
    assert out.value == 1 and not out.ok and "invented.example" in out.reasons[0]


def test_source_fidelity_counts_sources_attached_to_a_missing_note_and_defanging():
    ans = good_answer()
    ans["citations"][0]["footnotes"][1].update(urls=["https://c.ru/3"], text="https://c.ru/3")
    assert m.source_fidelity(ans, GOLD_MAPS).value == 2  # the url and the note text
    live = good_answer()
    live["citations"][0]["footnotes"][0]["urls"] = ["https://a.ru/1", "https://b.org/2"]  # defanging lost
    assert m.source_fidelity(live, GOLD_MAPS).value == 1


def test_source_fidelity_counts_misattached_prose():
    fn3 = {"marker": "3", "status": "resolved", "text": "The Belarusian Defense Ministry signed a deal.",
           "urls": ["https://c.ru/3"], "dngts_urls": ["https://c.ru/3"]}
    ans = {"abstained": False, "answer": [], "citations": [citation(footnotes=[fn3])]}
    assert m.source_fidelity(ans, GOLD_MAPS).value == 1
    ans["citations"][0]["footnotes"][0]["text"] = "Kremlin spokesman Dmitry Peskov responded. https://c.ru/3"
    assert m.source_fidelity(ans, GOLD_MAPS).value == 0


def test_attachment_accuracy_good_and_bad():
    assert m.attachment_accuracy(QUESTION, good_answer(), GOLD_MAPS).value == 1
    wrong = good_answer()
    wrong["citations"][0]["footnotes"][0]["urls"] = ["https://c.ru/3"]
    out = m.attachment_accuracy(QUESTION, wrong, GOLD_MAPS)
    assert out.value == 0 and "[1] urls differ" in out.reasons[0]
    dropped = good_answer()
    dropped["citations"][0]["footnotes"] = [FN2]
    assert "[1] not shown" in m.attachment_accuracy(QUESTION, dropped, GOLD_MAPS).reasons[0]


def test_attachment_accuracy_rejects_a_note_for_a_marker_not_in_the_passage():
    extra = good_answer()
    extra["citations"][0]["footnotes"].append(dict(GOLD_MAPS["2020-09-19-ex"]["markers"]["3"], marker="3"))
    out = m.attachment_accuracy(QUESTION, extra, GOLD_MAPS)
    assert out.value == 0 and "[3] shown but not in the passage text" in out.reasons[0]


def test_attachment_accuracy_falls_back_on_search_and_skips_what_nothing_shows():
    answer = abstention_answer()
    answer["citations"] = []
    assert m.attachment_accuracy(QUESTION, answer, GOLD_MAPS) is None
    assert m.attachment_accuracy(QUESTION, answer, GOLD_MAPS, [GOLD_PASSAGE]).value == 1
    assert m.attachment_accuracy(UNANSWERABLE, good_answer(), GOLD_MAPS) is None


# ---------------------------------------------------------------- parsing


def test_parse_accuracy():
    gold = GOLD_MAPS["2020-09-19-ex"]
    exact = {k: dict(v) for k, v in gold["markers"].items()}
    exact["3"]["text"] = "Kremlin spokesman Dmitry Peskov responded."
    assert m.parse_accuracy(exact, gold).value == 1
    bad = {"1": {"status": "resolved", "urls": ["https://a.ru/1", "https://b.org/2"]},  # defang lost
           "2": {"status": "resolved", "urls": ["https://a(.)ru/1"]},                   # borrowed a note
           "3": dict(gold["markers"]["3"]),
           "4": {"status": "missing", "urls": []}}                                     # invented marker
    out = m.parse_accuracy(bad, gold)
    assert (out.num, out.den) == (1, 4)
    assert len(out.reasons) == 3


# ---------------------------------------------------------------- run summary


def test_summarize_values_and_counts():
    per_q = [m.score_question(QUESTION, good_answer(), [GOLD_PASSAGE], GOLD_MAPS),
             m.score_question(UNANSWERABLE, good_answer(), [OTHER], GOLD_MAPS),
             m.score_question({**QUESTION, "id": "q2"}, abstention_answer(), [OTHER], GOLD_MAPS)]
    s = m.summarize(per_q)
    assert (s["hit_at_1"].value, s["hit_at_1"].n) == (0.5, 2)
    assert (s["abstention_recall"].value, s["abstention_recall"].n) == (0.0, 1)
    assert (s["false_abstention"].value, s["false_abstention"].n) == (0.5, 2)
    assert s["citation_recall"].n == 2  # the abstention has no sentences to cite
    assert s["invented_sources"].value == 0 and s["invented_sources"].n == 3
    assert s["reading_cost"].n == 3
    assert m.aggregate([], "mean").value is None
    assert set(s["hit_at_1"].to_dict()) >= {"value", "n"}


def test_attachment_accuracy_checks_the_markers_an_answer_sentence_claims():
    ans = good_answer()
    ans["answer"][0]["markers"] = ["1"]
    assert m.attachment_accuracy(QUESTION, ans, GOLD_MAPS).value == 1
    ans["answer"][0]["markers"] = ["2"]
    out = m.attachment_accuracy(QUESTION, ans, GOLD_MAPS)
    assert out.value == 0 and "marked [2], the report marks it [1]" in out.reasons[0]


def test_attachment_accuracy_reads_evidence_markers_as_a_report_keys_them():
    """A gold written from the page ("n 8", a Wikipedia note group) names the marker the
    report keys as "n8"."""
    question = {**QUESTION, "evidence": [{**QUESTION["evidence"][0], "markers": ["n 1"]}]}
    ans = good_answer()
    ans["citations"] = [citation(footnotes=({**FN1, "marker": "n1"}, FN2))]
    ans["answer"][0]["markers"] = ["n1"]
    gold = {k: {**v, "markers": {"n1": v["markers"]["1"]}} for k, v in GOLD_MAPS.items() if "1" in v["markers"]}
    assert m.attachment_accuracy(question, ans, gold).value == 1
    ans["answer"][0]["markers"] = ["n2"]
    assert m.attachment_accuracy(question, ans, gold).value == 0


# ---------------------------------------------------------------------------- real-world golds (note text, no URL list)

def _rw_gold():
    from eval.metrics import squash

    links = frozenset({squash("https://example.org/a-report")})
    return {"rw": {"title": "", "date": "", "files": ["r.html"], "markers": {
        "1": {"status": "resolved", "text": "See Report on the Attorney General's review, p. 12.", "links": links},
        "2": {"status": "resolved", "text": "Interview of J. Doe (Mar. 3, 2018); https://example.net/x", "links": links},
        "3": {"status": "redacted"}}}}


def _answer_showing(*footnotes):
    return {"abstained": False, "answer": [{"text": "A sentence.", "citations": [1], "markers": ["1"]}],
            "citations": [{"n": 1, "report": {"title": "", "date": "", "sources": ["/x/r.html"]},
                           "text": "A sentence.", "footnotes": list(footnotes)}]}


def test_a_real_world_note_is_checked_by_its_text_and_its_urls_by_the_file():
    gm = _rw_gold()
    ok = _answer_showing(
        {"marker": "1", "status": "resolved", "text": "See Report on the Attorney General\u2019s review, p.\u00a012.",
         "urls": ["https://example.org/a-report"]},
        {"marker": "2", "status": "resolved", "text": "Interview of J. Doe (Mar. 3, 2018);", "urls": ["https://example.net/x"]},
        {"marker": "3", "status": "redacted", "text": "", "urls": []})
    assert m.source_fidelity(ok, gm).num == 0
    assert m.marker_validity(ok, gm).value == 1.0
    wrong = _answer_showing(
        {"marker": "1", "status": "resolved", "text": "Interview of J. Doe (Mar. 3, 2018);", "urls": []},
        {"marker": "2", "status": "resolved", "text": "Interview of J. Doe (Mar. 3, 2018);",
         "urls": ["https://invented.example.com/y"]},
        {"marker": "3", "status": "resolved", "text": "Something", "urls": []})
    fid = m.source_fidelity(wrong, gm)
    assert fid.num == 3, fid.reasons                # a misattached text, an invented URL, a redacted note given text
    assert m.marker_validity(wrong, gm).value == 0.0


def test_parse_accuracy_on_a_real_world_gold():
    gm = _rw_gold()["rw"]
    parsed = {"1": {"status": "resolved", "text": "See Report on the Attorney General's review, p. 12.", "urls": []},
              "2": {"status": "missing", "text": "", "urls": []},
              "3": {"status": "redacted", "text": "", "urls": []}}
    out = m.parse_accuracy(parsed, gm)
    assert (out.num, out.den) == (2, 3) and any("[2]" in r for r in out.reasons)


def test_key_facts_count_the_notes_under_the_answer_sentences():
    q = {"answerable": True, "key_facts": [["Financial Times"]]}
    a = {"answer": [{"text": "Moscow accused NATO of meddling.", "citations": [1], "markers": ["38"]}],
         "citations": [{"n": 1, "footnotes": [{"marker": "38", "text": "\"Putin warns\", Financial Times, 2020"},
                                              {"marker": "39", "text": "Something else"}]}]}
    assert m.key_fact_recall(q, a).value == 1.0
    a["answer"][0]["markers"] = ["39"]                # a note not under the sentence does not count
    assert m.key_fact_recall(q, a).value == 0.0


def test_a_generated_sentence_is_checked_as_the_product_checks_it_with_the_question():
    """The eval gives the verifier the question, as the answer stage does: a sentence that only
    restates the question is not kept, and a word taken from the question is no copy of the passage."""
    passage = {"n": 1, "text": "The battalion arrived at the Brest training ground on September 14. "
                                 "It joined Belarusian units for the exercise.", "footnotes": []}
    sentence = {"text": "The battalion arrived at the Brest training ground on September 14. [1]", "citations": [1]}
    answer = {"mode": "generated", "abstained": False, "answer": [sentence], "citations": [passage],
              "question": "When did the battalion arrive in Brest?"}
    assert m.citation_recall(answer).value == 1.0
    restated = "Did the battalion arrive at the Brest training ground on September 14?"
    assert m.citation_recall(dict(answer, question=restated)).value == 0.0
    added = dict(sentence, text="The paratrooper battalion arrived at the Brest training ground on September 14. [1]")
    assert m.citation_recall(dict(answer, answer=[added], question="When did the paratrooper battalion arrive?")).value == 0.0


def test_footnote_metrics_are_not_measured_without_gold_maps():
    # a user's own questions about reports no gold map describes: nothing to judge a note against,
    # so the metrics say "not measured" rather than counting every note shown as invented
    ans = good_answer()
    assert m.source_fidelity(ans, {}) is None and m.marker_validity(ans, {}) is None
    assert m.source_fidelity(ans, GOLD_MAPS).value == 0


def test_the_runner_keeps_gold_maps_only_for_questions_about_their_reports():
    from eval.runner import footnote_gold

    ours = [{"question": "q", "evidence": [{"report": next(iter(GOLD_MAPS))}]}]
    theirs = [{"question": "q", "evidence": [{"report": "a-report-of-my-own"}]}]
    assert footnote_gold(ours, GOLD_MAPS) is GOLD_MAPS and footnote_gold(theirs, GOLD_MAPS) == {}
