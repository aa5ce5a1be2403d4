"""A word's spelling in the other convention (index/text/spelling.py)."""
from __future__ import annotations

import pytest

from index.text.spelling import other_spellings


@pytest.mark.parametrize("british, american", [
    ("defence", "defense"), ("mechanised", "mechanized"), ("organisation", "organization"),
    ("centre", "center"), ("centres", "centers"), ("programme", "program"), ("armoured", "armored"),
    ("labour", "labor"), ("analyse", "analyze"), ("catalogue", "catalog"), ("metres", "meters"),
    ("licence", "license"), ("manoeuvre", "maneuver"), ("favourite", "favorite")])
def test_a_word_is_spelt_the_other_way_both_ways(british, american):
    assert american in other_spellings(british)
    assert british in other_spellings(american)


@pytest.mark.parametrize("word", ["rise", "four", "hour", "tank", "battalion"])
def test_a_word_no_rule_fits_has_no_other_spelling(word):
    assert other_spellings(word) == frozenset()
