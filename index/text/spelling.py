"""British and American spellings of one word: an analyst who writes "defence ministerial" or
"mechanised battalions" asks about what a US report spells "defense" and "mechanized", and the
other way round ("program" against the EU's "programme").

`other_spellings(word)` gives the word's spellings in the other convention, by the regular
endings (-ise/-ize, -yse/-yze, -ence/-ense, -our/-or, -tre/-ter, -gramme/-gram, -ogue/-og) and
a few irregular words. A rule may make a word nobody writes ("rise" gives "rize"): the caller
only asks whether a text holds one of them, so such a form costs nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache

# (British ending, American ending), each with the suffixes a word may carry after it
_ENDINGS = (
    ("is", "iz", r"(?:e|es|ed|ing|ation|ations|er|ers)"),
    ("ys", "yz", r"(?:e|es|ed|ing|er|ers)"),
    ("enc", "ens", r"(?:e|es)"),
    ("our", "or", r"(?:|s|ed|ing|ite|ites|able|er|ers|al)"),
    ("tr", "ter", r"(?:e|es|ed)"),
    ("br", "ber", r"(?:e|es)"),
    ("gramm", "gram", r"(?:e|es)"),
    ("ogu", "og", r"(?:e|es)"),
)
# the American suffixes the British ones above become ("tre" -> "ter", "ogue" -> "og", ...)
_AMERICAN_SUFFIX = {"tr": {"e": "", "es": "s", "ed": "ed"}, "br": {"e": "", "es": "s"},
                    "gramm": {"e": "", "es": "s"}, "ogu": {"e": "", "es": "s"}}
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
    out = set()
    if w in _IRREGULAR:
        out.add(_IRREGULAR[w])
    if w in _IRREGULAR_BACK:
        out.add(_IRREGULAR_BACK[w])
    for brit, amer, suffixes in _ENDINGS:
        back = _AMERICAN_SUFFIX.get(brit)
        m = re.fullmatch(rf"([a-z]{{{_MIN_STEM},}}){brit}({suffixes})", w)
        if m:
            suffix = back.get(m.group(2), m.group(2)) if back else m.group(2)
            out.add(m.group(1) + amer + suffix)
        american = {v: k for k, v in back.items()} if back else None
        m = re.fullmatch(rf"([a-z]{{{_MIN_STEM},}}){amer}([a-z]*)", w)
        if m and (american is None or m.group(2) in american):
            suffix = american[m.group(2)] if american is not None else m.group(2)
            if american is not None or re.fullmatch(suffixes, suffix):
                out.add(m.group(1) + brit + suffix)
    out.discard(w)
    return frozenset(out)
