"""Retrieval: dense and BM25 rankings fused, the dense one weighted double (index/answer/retrieve.py).

An analyst words a question away from the report: "urge Warsaw, Vilnius and Kyiv to head off" for
"called on Poland, Lithuania, and Ukraine to prevent a hot war". The dense ranking finds such a
passage near the top while BM25, matching words, ranks it far down; with equal weights the fusion
left it at 7. Names and unit numbers are still found by BM25's share of the fusion.
"""
from __future__ import annotations


def _rank(dossier, question: str, words: str) -> int | None:
    results = dossier.search(question, k=10)["results"]
    return next((i + 1 for i, p in enumerate(results) if words in p["text"]), None)


def test_a_paraphrased_question_finds_its_passage_in_the_top_five(dossier):
    rank = _rank(dossier, "What did Lukashenko urge Warsaw, Vilnius and Kyiv to head off?", "hot war")
    assert rank is not None and rank <= 5, rank


def test_a_unit_named_in_the_question_is_still_found_first_or_second(dossier):
    rank = _rank(dossier, "Which Russian regiment trained with Belarusian forces near Brest?", "234th")
    assert rank is not None and rank <= 2, rank
