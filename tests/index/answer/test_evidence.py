"""The evidence an answer may quote: never a heading, a contents line, a question or a note's own
text; a note retrieval finds brings the body sentence that carries its marker."""
from __future__ import annotations

import pytest

from index.answer.evidence import TYPE_LEAD, Reports, gather, lead_with_type, quotable
from index.answer.question import read_question


@pytest.mark.parametrize("text", [
    "Belarus Warning Update",                                  # a heading
    "II. Factual Results",
    "Introduction to Volume II .......................... 1",  # a contents line
    "A. The Campaign's Response to Reports .... 15",
    "Why do they keep doing it?",                              # the report asks, it does not answer
    "Short.",
])
def test_what_is_never_quoted(text):
    assert not quotable(text)


def test_what_is_quoted():
    assert quotable("Approximately 300 Russian troops arrived in Brest on September 14.")
    # a value in a structured report (a table cell, a form field) has no full stop
    assert quotable("David Hanson", structured=True)
    assert not quotable("David Hanson")
    assert not quotable("Belarus Warning Update: Lukashenko Reaches Agreement",
                        title="Belarus Warning Update: Lukashenko Reaches Agreement", structured=True)


def test_a_note_brings_the_sentence_it_backs(dossier):
    """The note on Almaz-Antey is found by its words, and the answer can quote only the body
    sentence whose marker points at it; the note is shown as that sentence's footnote."""
    snap = dossier.snapshot
    q = read_question("What deal did Belarus sign with Almaz-Antey?")
    hits = dossier.retriever.retrieve(q, k=10)
    notes = [h for h in hits if snap.passages([h.id])[h.id]["kind"] == "note"]
    assert notes, "retrieval finds the note passage"
    cands = gather(q, hits, snap, dossier.lex, reports=Reports(snap))
    assert cands
    bodies = snap.passages([c.passage_id for c in cands])
    assert all(p["kind"] == "body" for p in bodies.values())
    via = [c for c in cands if c.via_note]
    assert via and all(c.via_note in c.markers for c in via)
    assert any("Almaz" in c.note for c in via)


def test_the_answer_quotes_a_body_sentence_and_shows_the_note_under_it(dossier):
    a = dossier.ask("What deal did Belarus sign with Almaz-Antey?")
    assert not a["abstained"]
    cites = {c["n"]: c for c in a["citations"]}
    for s in a["answer"]:
        cited = cites[s["citations"][0]]
        assert cited["kind"] == "body" and s["text"] in cited["text"]
    shown = [fn for s in a["answer"] for fn in cites[s["citations"][0]]["footnotes"] if fn["marker"] in s["markers"]]
    assert any("Almaz" in (fn.get("text") or "") or any("almaz" in u.lower() for u in fn["urls"]) for fn in shown)


def _sig(type_missing: float = 0.0, value_missing: float = 0.0) -> dict[str, float]:
    return {"type_missing": type_missing, "value_missing": value_missing, "semantic": 0.5}


def test_the_sentence_holding_the_asked_type_leads():
    # "Who founded NEXTA?": the closest sentence names no founder, the next one does
    sigs = [_sig(type_missing=1.0, value_missing=1.0), _sig(), _sig(value_missing=1.0)]
    led = lead_with_type(sigs, [0.96, 0.49, 0.30])
    assert led == [0.96 * TYPE_LEAD, 0.49, 0.30 * TYPE_LEAD]
    assert max(range(3), key=led.__getitem__) == 1


def test_the_lead_leaves_questions_without_a_typed_sentence_alone():
    lacking = [_sig(type_missing=1.0), _sig(value_missing=1.0)]
    assert lead_with_type(lacking, [0.9, 0.5]) == [0.9, 0.5]          # none holds the type
    untyped = [_sig(), _sig()]
    assert lead_with_type(untyped, [0.9, 0.5]) == [0.9, 0.5]          # no type asked (nothing lacks it)


def _cand(**sig: float):
    from index.answer.evidence import Candidate

    base = {"type_missing": 0.0, "time_missing": 0.0, "entity_missing": 0.0, "focus_missing": 0.0,
            "value_missing": 0.0, "lexical": 0.3, "semantic": 0.5, "align": 0.5, "align_focus": 0.5}
    c = Candidate("A sentence of the report.", "p1", "r1", [], (0, 0))
    c.signals = {**base, **sig, **{k: 0.0 for k in ("kind_missing", "focus_sentence", "rarest_missing",
                                                    "topic_missing", "unknown_name", "unknown_terms",
                                                    "unknown_focus", "dense")}}
    return c


def test_the_focus_alignment_of_a_fitting_sentence_is_a_signal():
    from index.answer.evidence import answer_signals

    fits, misses = _cand(align_focus=0.4), _cand(align_focus=0.9, focus_missing=1.0)
    assert answer_signals([misses, fits], [0.9, 0.5])["fit_align_focus"] == 0.4   # only a fitting one counts
    no_value = _cand(align_focus=0.8, value_missing=1.0)
    assert answer_signals([misses, no_value], [0.9, 0.5])["fit_align_focus"] == 0.0


def test_a_topic_no_report_uses_and_no_candidate_states_is_absent():
    from index.answer.evidence import answer_signals, topic_absent

    def about_else(**sig: float):
        c = _cand()
        c.signals.update({"unknown_focus": 1.0, "focus_sentence": 0.0, **sig})
        return c

    # "the weather in Minsk": "weather" is in no report, and no sentence says it in other words
    cands = [about_else(), about_else()]
    assert topic_absent(cands) and answer_signals(cands, [0.9, 0.8])["topic_absent"] == 1.0
    # one sentence states it in other words (focus_share with word vectors): not absent
    assert not topic_absent([about_else(), about_else(focus_sentence=0.6)])
    # one sentence is as close to the whole question as a paraphrase is ("still alive" / "survived")
    assert not topic_absent([about_else(), about_else(semantic=0.73)])
    # some report uses a topic word: the learned answerer judges
    assert not topic_absent([about_else(unknown_focus=0.5), about_else(unknown_focus=0.5)])
    assert not topic_absent([])


def test_a_which_question_names_the_noun_it_asks_for():
    assert read_question("Which Russian regiment trained with Belarusian forces near Brest?").head[0] == "regiment"
    assert read_question("What class of weapons does Moscow want to keep?").head == ("weapon",)
    assert not read_question("Which city hosts the drills?").head, "a typed question: its type says it"
    assert not read_question("What did Lukashenko say?").head and not read_question("What role did he play?").head


def test_a_which_question_leads_with_a_sentence_naming_what_it_asks_for(dossier):
    """'Which Russian regiment ...?' leads with the sentence naming the 234th Guards Airborne Assault
    Regiment, not with the 76th Division's arrival in Brest (closer in words: Russian, Brest)."""
    result = dossier.ask("Which Russian regiment trained with Belarusian forces near Brest?")
    assert not result["abstained"]
    assert "234th Guards Airborne Assault Regiment" in result["answer"][0]["text"]


def test_a_candidate_carries_its_passages_headings_and_the_passage_before(dossier):
    snap = dossier.snapshot
    reports = Reports(snap)
    q = read_question("Which Russian regiment trained with Belarusian forces near Brest?")
    cands = gather(q, dossier.retriever.retrieve(q, k=10), snap, dossier.lex, reports=reports)
    assert cands
    for c in cands:
        body = reports.body_passages(c.report_id)
        i = next(k for k, p in enumerate(body) if p["id"] == c.passage_id)
        if i:
            assert c.around.endswith(body[i - 1]["text"])
        else:
            assert body[0]["text"] not in c.around
    assert any(c.around for c in cands)
