"""eval/why.py: why a question was answered or declined, part by part, from the decision itself."""
from __future__ import annotations

from eval.why import explain, format_explanation, main


def test_an_answer_is_explained_by_its_sentences_checks_and_the_answerers_probability(dossier):
    why = explain(dossier, "Which Russian regiment trained with Belarusian forces near Brest?")
    assert not why["abstained"] and len(why["parts"]) == 1
    part = why["parts"][0]
    assert part["answerer"] >= part["threshold"] and not part["topic_absent"]
    best = part["candidates"][0]
    assert "234th" in best["text"] and best["text"] in why["answer"]
    probs = [c["probability"] for c in part["candidates"]]
    assert probs == sorted(probs, reverse=True)
    assert "answered:" in format_explanation(why) and "234th" in format_explanation(why)


def test_a_decline_shows_what_declined_it_and_each_part_is_its_own(dossier):
    weather = explain(dossier, "What will the weather be like in Minsk tomorrow?")
    assert weather["abstained"] and weather["parts"][0]["topic_absent"]
    assert "topic absent" in format_explanation(weather)
    two = explain(dossier, "How many Russian troops arrived in Brest, and what did the deployment cost?")
    assert [p["part"] for p in two["parts"]] == ["How many Russian troops arrived in Brest?",
                                                 "What did the deployment cost?"]
    cost = two["parts"][1]
    assert cost["answerer"] < cost["threshold"] and "type" in cost["candidates"][0]["fails"]


def test_the_command_names_a_home_without_an_index_in_one_line(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere"), "Who founded NEXTA?"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere" in err and "dossier ingest" in err
