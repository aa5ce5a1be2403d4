"""Words: one tokenizer and stemmer for BM25 and the answer path, one for the verifier's
content words, and the stopword lists each uses.

`terms()` is exactly how the llama-index BM25Retriever tokenised passages at ingest (bm25s,
its English stopwords, the Snowball stemmer), so the query path scores words the way the
persisted index counted them. `stem()` is the same Snowball stemmer for single words.
"""
from __future__ import annotations

from functools import lru_cache

TOKEN_PATTERN = r"(?u)\b\w\w+\b"


@lru_cache(maxsize=1)
def stemmer():
    """The Snowball English stemmer (PyStemmer), made once."""
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return stemmer().stemWord(word)


def terms(text: str) -> list[str]:
    """BM25 terms of a text: lower-cased, stopwords out, stemmed."""
    return list(_terms(text))


@lru_cache(maxsize=16384)
def _terms(text: str) -> tuple[str, ...]:
    # the same passages' sentences are tokenised for most questions, and bm25s builds a
    # progress bar even when hidden: cached, a warm ask spends ~8 ms less here (of ~68)
    import bm25s

    toks = bm25s.tokenize(text, lower=True, token_pattern=TOKEN_PATTERN, stopwords="en", stemmer=stemmer(),
                          return_ids=False, show_progress=False)
    return tuple(toks[0]) if toks else ()


# Words that carry no content of their own: out of the verifier's overlap and names, and out of
# the endnote alignment's shared words ("whose", "shall" and "new" came from the latter's list).
STOPWORDS = frozenset("""
a about above after again against all also although am an and any are as at be because been before
being below between both but by can could did do does doing down during each either few for from
further had has have having he her here hers herself him himself his how however i if in into is it
its itself just may me might more most must my myself no nor not now of off on once only or other our
ours ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up upon very was we were what when where
which while who whom why will with within without would you your yours yourself yourselves
according said says say reported reportedly report reports stated states noted likely also while
amid via per including include includes included its it's around approximately roughly nearly
almost every several many both since during following meanwhile moreover additionally overall instead
still already yet thus therefore another
whose shall new
""".split())
