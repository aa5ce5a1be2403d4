"""Quotations in a text: where someone else's words begin and end, by their marks.

Reports mark quotations with straight or curly double marks, and not always well: a copy typeset
from a scan prints ” for both ends, a stray mark stands after a parenthesis. A mark opens a
quotation by what stands around it, not by its shape.
"""
from __future__ import annotations

import re

QUOTE_MARK = re.compile(r"[\"\u201c\u201d]")


def introduces_quotation(text: str) -> bool:
    """Whether a paragraph introduces the quotation after it: it ends with a colon ("… did not "flip":") or a
    comma ("Of the experience, Andrey wrote,"). The HTML and PDF readers ask it of the paragraph before a block
    quotation, the answer of the sentence before a quotation (index/answer/attribution.py)."""
    return text.rstrip().endswith((":", ","))


def quotation_spans(text: str, begun: bool = False) -> list[tuple[int, int]]:
    """The quotations of a text as (start, end): a mark opens one when a letter or a bracket ("\u201c[T]he purpose
    …") follows it and neither a letter, a digit nor a stop comes before it; the next mark that opens nothing closes
    it (or the text's end does). A stray or mistyped mark ("(SMEs) \u201c)") opens nothing. With `begun`, a text
    whose first mark closes a quotation begins inside it, (-1, that mark): a passage cut inside a block quotation too
    long for one passage ("It’s rare that they can’t. … It’s actually very brave.\u201d", the rest of k411's)."""
    spans, start, seen = [], -1, False
    for m in QUOTE_MARK.finditer(text):
        i = m.start()
        before, after = (text[i - 1] if i else " "), (text[i + 1] if i + 1 < len(text) else " ")
        opening = not before.isalnum() and before not in ".,;:!?" and (after.isalpha() or after == "[")
        if start < 0 and opening:
            start = i
        elif start >= 0 and not opening:
            spans.append((start, i))
            start = -1
        elif begun and not seen:
            spans.append((-1, i))
        seen = True
    return spans + ([(start, len(text))] if start >= 0 else [])
