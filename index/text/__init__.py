"""The text layer: plain-text facts every other layer shares, written once.

    sentences.py   sentence boundaries with character offsets (reports and generated replies)
    dates.py       month and weekday names, their abbreviations, dates a text names
    words.py       words as BM25 sees them (tokenise, stem, stopwords) and content words
    spelling.py    a word's British or American spelling ("defence", "defense")
    urls.py        a URL fit to show: no user, password or query
    names.py       other names of the same actor ("Minsk" for Belarus, "the Alliance" for NATO)
    quotations.py  where a quotation begins and ends, by its marks

No imports from the rest of the project: `index`, `ingest`, `bot` and `eval` build on it.
"""
