"""Retrieval: dense and BM25 rankings fused (index/answer/retrieve.py). A name or a unit number in
the question is found by BM25's share of the fusion: the dense ranking alone puts the passage
naming the 234th fifth, the fusion second."""
from __future__ import annotations


def _rank(dossier, question: str, words: str, mode: str = "hybrid") -> int | None:
    results = dossier.search(question, k=10, mode=mode)["results"]
    return next((i + 1 for i, p in enumerate(results) if words in p["text"]), None)


def test_a_unit_named_in_the_question_is_found_first_or_second(dossier):
    rank = _rank(dossier, "Which Russian regiment trained with Belarusian forces near Brest?", "234th")
    assert rank is not None and rank <= 2, rank
