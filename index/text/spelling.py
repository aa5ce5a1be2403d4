"""British and American spellings of one word: an analyst who writes "defence ministerial" or
"mechanised battalions" asks about what a US report spells "defense" and "mechanized", and the
other way round ("program" against the EU's "programme").

`other_spellings(word)` gives the word's spellings in the other convention, by the regular
endings (-ise/-ize, -yse/-yze, -ence/-ense, -our/-or, -tre/-ter, -gramme/-gram, -ogue/-og) and
a few irregular words. A rule may make a word nobody writes ("motor" gives "motour"): the caller
only asks whether a text holds one of them, so such a form costs nothing.
"""
from __future__ import annotations

from functools import lru_cache

# (British ending, American ending), with the suffixes each may carry
_ENDINGS = tuple(
    [("is" + s, "iz" + s) for s in ("e", "es", "ed", "ing", "ation", "ations", "er", "ers")]
    + [("ys" + s, "yz" + s) for s in ("e", "es", "ed", "ing", "er", "ers")]
    + [("ence", "ense"), ("ences", "enses")]
    + [("our" + s, "or" + s) for s in ("", "s", "ed", "ing", "ite", "ites", "able", "er", "ers", "al")]
    + [("tre", "ter"), ("tres", "ters"), ("tred", "tered"), ("bre", "ber"), ("bres", "bers")]
    + [("gramme", "gram"), ("grammes", "grams"), ("ogue", "og"), ("ogues", "ogs")])
_IRREGULAR = {"manoeuvre": "maneuver", "manoeuvres": "maneuvers", "grey": "gray", "tonne": "ton",
              "tonnes": "tons", "aluminium": "aluminum", "jewellery": "jewelry", "plough": "plow",
              "cheque": "check", "sceptical": "skeptical", "mould": "mold", "kerb": "curb",
              "tyre": "tire", "tyres": "tires", "storey": "story", "storeys": "stories"}
_IRREGULAR_BACK = {v: k for k, v in _IRREGULAR.items()}
_MIN_STEM = 2                 # letters before the ending: "metre" has "me", "rise" is left alone


@lru_cache(maxsize=4096)
def other_spellings(word: str) -> frozenset[str]:
    """The word spelt the other way (lower case; empty when no rule applies)."""
    w = word.lower()
    out = {spelt for spelt in (_IRREGULAR.get(w), _IRREGULAR_BACK.get(w)) if spelt}
    for british, american in _ENDINGS:
        for have, other in ((british, american), (american, british)):
            stem = w[:-len(have)]
            if w.endswith(have) and len(stem) >= _MIN_STEM and stem.isalpha():
                out.add(stem + other)
    out.discard(w)
    return frozenset(out)
