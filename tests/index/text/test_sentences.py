"""Sentence boundaries in report text (index/text/sentences.py)."""
from __future__ import annotations

from index.text.sentences import sentence_texts


def test_a_list_items_number_opens_its_sentence():
    # a Brookings report's executive summary: the numbered items were sentences "1." and "Oversupply …"
    text = ("Over the past several decades, the U.S. opioid epidemic has spanned four phases:\n"
            "1. Oversupply of prescription opioids in the 1990s.\n"
            "2. A significant increase in heroin supply and use in the 2000s.\n"
            "(iv) Most recently, polydrug use. It goes on.")
    assert sentence_texts(text) == [
        "Over the past several decades, the U.S. opioid epidemic has spanned four phases:",
        "1. Oversupply of prescription opioids in the 1990s.",
        "2. A significant increase in heroin supply and use in the 2000s.",
        "(iv) Most recently, polydrug use.", "It goes on."]


def test_a_number_ending_a_sentence_still_ends_it():
    assert sentence_texts("The brigade lost 12. Its commander resigned.") == [
        "The brigade lost 12.", "Its commander resigned."]
