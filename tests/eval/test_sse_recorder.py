"""eval/sse_recorder.py: the recording proxy `make llm-check` puts in front of a real server,
here in front of the fake one, with Dossier's real client going through it."""
from __future__ import annotations

from eval.sse_recorder import Recorder, stream_shape
from index.answer.llm import LLM

PASSAGES = [{"passage_id": "p1", "report": {"title": "Update", "date": "2020-09-19"},
             "text": "Approximately 350 Belarusian personnel arrived in Kapustin Yar on September 16."}]


def test_what_passes_through_is_recorded_byte_for_byte(fake_llm):
    with Recorder(fake_llm.url) as rec:
        draft = LLM(url=rec.url, model="length", timeout=5).draft("How many arrived?", PASSAGES)
    assert draft.failure is None and draft.finish == "length"
    (ex,) = rec.exchanges
    assert ex.status == 200 and ex.request_json()["stream"] is True and not ex.client_closed
    shape = stream_shape(ex.raw)
    assert (shape["role_only"], shape["finish_reasons"], shape["done"]) == (1, ["length"], True)
    assert shape["text"] == draft.text and shape["comments"] == 1


def test_an_abandoned_stream_is_seen_as_closed_by_the_client(fake_llm):
    fake_llm.stream_seconds = 4.0
    with Recorder(fake_llm.url) as rec:
        draft = LLM(url=rec.url, model="echo", timeout=8).draft("How many arrived?", PASSAGES)
        fake_llm.wait_until_done(fake_llm.requests[-1])
    assert draft.failure == "echo"
    assert rec.exchanges[0].client_closed and fake_llm.requests[-1].client_closed
