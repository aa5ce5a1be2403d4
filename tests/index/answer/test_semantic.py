"""Sentences scored in meaning: each sentence's vector pooled from its passage's token states,
and the question's words matched to the sentence's tokens in context."""
from __future__ import annotations

import numpy as np
import pytest

from index.answer.evidence import Candidate
from index.answer.semantic import SentenceVectors


@pytest.fixture(scope="module")
def bert():
    from index.encode.embed import NumpyBert, bundled_model_path

    return NumpyBert(bundled_model_path())


class Views:
    """The two reports of these tests, in the shape evidence.Reports gives the answer."""

    def __init__(self, reports: dict[str, tuple[str, str]]):
        self.reports = reports

    def _sents(self, rid):
        text = self.reports[rid][1]
        out, a = [], 0
        for part in text.split(". "):
            b = a + len(part) + (1 if a + len(part) < len(text) else 0)
            out.append((a, min(b, len(text)), []))
            a = b + 1
        return out

    def text(self, rid):
        return self.reports[rid][1], self._sents(rid)

    def meta(self, rid):
        return {"title": self.reports[rid][0], "date": "", "structured": False}

    def body_passages(self, rid):
        text = self.reports[rid][1]
        return [{"id": f"{rid}-0", "start": 0, "end": len(text), "text": text, "section": ""}]


def _cands(views, rid):
    text, sents = views.text(rid)
    return [Candidate(text[a:b], f"{rid}-0", rid, [], (0, i), text, start=a, end=b) for i, (a, b, _) in enumerate(sents)]


def test_the_answering_sentence_is_closest_in_meaning(bert):
    views = Views({"r": ("Exercise report", "The meeting lasted approximately 20 minutes. "
                                            "Officials later toured the new harbour facilities.")})
    sv = SentenceVectors(bert)
    q = sv.question("How long did the meeting last?")
    cands = _cands(views, "r")
    cos = sv.cosines(q.vector, cands, views)
    assert cos[0] > cos[1] + 0.1
    # each sentence's vector is a unit vector, kept for the next question
    got = sv.sentences(cands, views)["r-0"]
    assert all(abs(float(np.linalg.norm(s.vector)) - 1) < 1e-4 for s in got.values())
    assert sv.sentences(cands, views)["r-0"] is got


def test_a_paraphrase_aligns_where_the_words_differ(bert):
    views = Views({"r": ("Update", "Russia deployed 300 personnel to the border. The weather in Minsk was mild")})
    sv = SentenceVectors(bert)
    q = sv.question("How many soldiers did Russia send?", weight=lambda t: 1.0)
    assert {t for t, _, _ in q.words} >= {"soldier", "russia", "send"}
    cands = _cands(views, "r")
    whole = sv.alignment(q, cands, views)
    focus = sv.alignment(q, cands, views, only={"soldier"})
    assert whole[0] > whole[1] and focus[0] > focus[1]
    assert sv.alignment(q, cands, views, only={"absent"}) == [0.0, 0.0]


def test_the_question_vector_is_the_model_embedding(bert):
    sv = SentenceVectors(bert)
    v = sv.question("Which Russian unit trained in Brest?").vector
    assert float(v @ bert.encode("Which Russian unit trained in Brest?")) > 0.9999
