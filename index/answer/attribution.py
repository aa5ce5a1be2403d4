"""Whose words an answer quotes. A sentence inside a quotation that an earlier sentence opens is
shown after that sentence (who speaks, and when), and a sentence that introduces a quotation with a
colon with the quotation's first sentence: alone, either reads as the report's own words. ("I
think you will probably be rewarded mightily by our press.”" is the candidate's, at the press
conference the sentences before it name; "… the President said that Manafort did not “flip”:"
promises words it does not show.)

Each sentence added is quoted from the body passage that holds it and cites that passage, as every
answer sentence does; it adds no claim the answer did not already show, only who makes it.
"""
from __future__ import annotations

from bisect import bisect_left

from index.answer.evidence import Candidate, Reports, quotable
from index.text.quotations import QUOTE_MARK, quotation_spans


def with_speakers(picked: list[Candidate], reports: Reports) -> list[Candidate]:
    """The chosen sentences in their order, each preceded by the sentence that opens the quotation
    it is inside of (not those between: each is one more to read) and followed by the first
    sentence of a quotation it introduces; none twice."""
    out: list[Candidate] = []
    shown: set[tuple[str, int]] = set()
    for c in picked:
        for s in _opening(c, reports) + [c] + _introduced(c, reports):
            if s.key not in shown:
                shown.add(s.key)
                out.append(s)
    return out


def _opening(c: Candidate, reports: Reports) -> list[Candidate]:
    """The sentence whose mark opens the quotation that `c` begins inside of, in `c`'s paragraph (a
    block quotation's paragraph opens with its own mark)."""
    view = reports.view(c.report_id)
    line = view.text.rfind("\n", 0, c.start) + 1
    off = c.start - line
    opened = next((a for a, b in quotation_spans(view.text[line:c.end]) if a < off < b), None)
    if opened is None:
        return []
    i = _index(view.sentences, c.start)
    o = None if i is None else next(
        (k for k in range(i - 1, -1, -1) if view.sentences[k][0] <= line + opened < view.sentences[k][1]), None)
    s = _sentence(c, reports, o) if o is not None else None
    return [s] if s is not None else []


def _introduced(c: Candidate, reports: Reports) -> list[Candidate]:
    """The quotation's first sentence, when `c` ends with a colon and the next sentence opens one."""
    if not c.text.rstrip().endswith(":"):
        return []
    view = reports.view(c.report_id)
    i = _index(view.sentences, c.start)
    if i is None or i + 1 >= len(view.sentences):
        return []
    a, b, _ = view.sentences[i + 1]
    nxt = view.text[a:b]
    lead = len(nxt) - len(nxt.lstrip())
    if not QUOTE_MARK.match(nxt, lead) or not any(start == lead for start, _ in quotation_spans(nxt)):
        return []
    s = _sentence(c, reports, i + 1)
    return [s] if s is not None else []


def _index(sentences: list[tuple[int, int, list[str]]], start: int) -> int | None:
    i = bisect_left(sentences, start, key=lambda s: s[0])
    return i if i < len(sentences) and sentences[i][0] == start else None


def _sentence(c: Candidate, reports: Reports, k: int) -> Candidate | None:
    """Sentence `k` of `c`'s report as an answer sentence citing the body passage that holds it."""
    view = reports.view(c.report_id)
    a, b, markers = view.sentences[k]
    text = view.text[a:b]
    holder = next((p for p in view.passages if p["start"] <= a and b <= p["end"]), None)
    if holder is None or not quotable(text, view.title, structured=view.structured):
        return None
    return Candidate(text, holder["id"], c.report_id, list(markers), c.order, holder["text"], view.title, view.date,
                     a, b, score=c.score)
