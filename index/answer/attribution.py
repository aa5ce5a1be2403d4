"""Whose words an answer quotes. A sentence inside someone's quotation is shown after the sentence
whose mark opens the quotation and, when the paragraph before introduces the quotation with a colon
or a comma (a block quotation), after that paragraph's sentence too: it names the speaker. A sentence that
introduces a quotation with a colon is shown with the quotation's first sentence. Alone, either reads
as the report's own words ("I think you will probably be rewarded mightily by our press.”" is the
candidate's, at the press conference the sentences before it name) or promises words it does not show
("… the President suggested that it was ”very brave” that Manafort did not ”flip”:").

Each sentence added is quoted from the body passage that holds it and cites that passage, as every
answer sentence does; it adds no claim the answer did not already show, only who makes it.
"""
from __future__ import annotations

from bisect import bisect_left

from index.answer.evidence import Candidate, Reports, quotable
from index.text.quotations import introduces_quotation, quotation_spans


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
    """The sentence whose mark opens the quotation that `c` begins inside of, in `c`'s paragraph, and
    before it, when that sentence begins with the quotation and the one before it introduces it (a
    colon or a comma at its end), that one (it names the speaker: "Ryan Bigg … announced … that he was quitting all open source work,
    explaining:" before a block quotation, a paragraph of its own in its marks)."""
    view = reports.view(c.report_id)
    i = _index(view.sentences, c.start)
    if i is None:
        return []
    line = view.text.rfind("\n", 0, c.start) + 1
    off = c.start - line
    spans = quotation_spans(view.text[line:c.end])
    opened = next((a for a, b in spans if a < off < b), None)
    if opened is not None:
        o = next((k for k in range(i - 1, -1, -1) if view.sentences[k][0] <= line + opened < view.sentences[k][1]),
                 None)
    else:
        o = i if any(a == off + _lead(view.text[c.start:c.end]) for a, _ in spans) else None
    if o is None:
        return []
    ks = [o] if o != i else []
    a, b, _ = view.sentences[o]
    if _opens_quotation(view.text[a:b]) and o > 0 and \
            introduces_quotation(view.text[view.sentences[o - 1][0]:view.sentences[o - 1][1]]):
        ks.insert(0, o - 1)
    return [s for s in (_sentence(c, reports, k) for k in ks) if s is not None]


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _opens_quotation(sentence: str) -> bool:
    """The sentence begins with a quotation mark that opens a quotation."""
    return any(start == _lead(sentence) for start, _ in quotation_spans(sentence))


def _introduced(c: Candidate, reports: Reports) -> list[Candidate]:
    """The quotation's first sentence, when `c` introduces it (ends with a colon or a comma) and the next
    sentence opens one."""
    if not introduces_quotation(c.text):
        return []
    view = reports.view(c.report_id)
    i = _index(view.sentences, c.start)
    if i is None or i + 1 >= len(view.sentences):
        return []
    a, b, _ = view.sentences[i + 1]
    if not _opens_quotation(view.text[a:b]):
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
                     a, b, around=view.around(holder), report_text=view.text, score=c.score)
