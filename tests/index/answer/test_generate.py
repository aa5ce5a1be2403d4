"""Generated answers through the real llama-index client against a fake OpenAI-compatible server
on 127.0.0.1: each canned reply is kept, trimmed or replaced by the extractive answer."""
from __future__ import annotations

import logging
import time

import pytest

from index.answer.generate import Generation
from index.answer.llm import LLM

QUESTION = "Which Russian unit has trained with Belarusian forces since September 17?"
KEY = "sk-test-6f1d2c9e-never-shown"


def generation(dossier, server, scenario: str, timeout: float = 1.0) -> Generation:
    return Generation(dossier, LLM(url=server.url, model=scenario, key=KEY, timeout=timeout))


# scenario -> (mode, fallback, kept, removed)
EXPECTED = {
    "faithful": ("generated", None, 2, 0),
    "invented-number": ("generated", None, 1, 1),
    "bad-citation": ("extractive", "unsupported", 0, 1),
    "slow": ("extractive", "timeout", 0, 0),
    "empty": ("extractive", "empty", 0, 0),
    "refusal": ("extractive", "refusal", 0, 0),
    "error": ("extractive", "error", 0, 0),
    # what real servers and models were measured doing (tests/fakes/openai_server.py)
    "length": ("generated", None, 2, 0),
    "interrupted": ("extractive", "incomplete", 0, 0),
    "role-only": ("extractive", "incomplete", 0, 0),
    "dropped": ("extractive", "incomplete", 0, 0),
    "overflow-stream": ("extractive", "incomplete", 0, 0),
    "overflow-400": ("extractive", "context", 0, 0),
    "error-html": ("extractive", "error", 0, 0),
    "error-text": ("extractive", "error", 0, 0),
    "error-midstream": ("extractive", "error", 0, 0),
    "not-json": ("extractive", "error", 0, 0),
    "html-200": ("extractive", "incomplete", 0, 0),
    "slow-first-token": ("extractive", "timeout", 0, 0),
    "echo": ("extractive", "echo", 0, 0),
    "echo-late": ("extractive", "echo", 0, 0),
    "no-citations": ("extractive", "unsupported", 0, 2),
    "question-echo": ("extractive", "unsupported", 0, 1),
}

# scenario -> what `llm.detail` says (the same words reach the log)
DETAIL = {
    "overflow-stream": "llama.cpp's server does this when the prompt is longer than its context (n_ctx)",
    "interrupted": "the stream ended without a finish reason",
    "role-only": "the stream ended without a finish reason",
    "dropped": "the connection closed in the middle of the reply",
    "overflow-400": "HTTP 400: the prompt is longer than the model's context window (This model's maximum context "
                    "length is 512 tokens.",
    "error-html": "HTTP 500 from the server",
    "error-text": "HTTP 500 from the server",
    "error-midstream": "the server reported an error mid-reply: llama_decode returned -3",
    "not-json": "the server sent a reply that is not JSON",
    "html-200": "the server sent no reply chunk",
    "slow-first-token": "no complete answer within 1 s",
    "echo": "the model repeated its prompt ('Passages:') instead of answering",
    "echo-late": "the model repeated its prompt ('Question:') instead of answering",
    "no-citations": "no sentence passed the verifier (2 sentences): cites no passage 2",
    "question-echo": "no sentence passed the verifier (1 sentence): is a question, not a statement 1",
}


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_each_reply_is_handled(dossier, fake_llm, scenario):
    extractive = dossier.ask(QUESTION)
    g = generation(dossier, fake_llm, scenario)
    started = time.monotonic()
    result = g.answer(QUESTION)
    seconds = time.monotonic() - started
    mode, fallback, kept, removed = EXPECTED[scenario]
    assert (result["mode"], result["llm"]["fallback"], result["llm"]["kept"], result["llm"]["removed"]) == \
        (mode, fallback, kept, removed), result["llm"]
    assert seconds < 1.0 + 0.5                      # the timeout (1 s) bounds every outcome
    if scenario in DETAIL:
        assert DETAIL[scenario] in result["llm"]["detail"], result["llm"]["detail"]
    if mode == "extractive":
        assert {k: result[k] for k in extractive} == extractive    # exactly the extractive answer
        return
    assert "4,731" not in " ".join(s["text"] for s in result["answer"])
    # Every citation number points at a citation, numbered 1..n in order of first use, and each
    # citation is the passage as search shows it, footnotes and all.
    used = [n for s in result["answer"] for n in s["citations"]]
    assert [c["n"] for c in result["citations"]] == sorted(set(used)) == list(range(1, len(set(used)) + 1))
    shown = {p["passage_id"]: p for p in dossier.search(QUESTION, k=8)["results"]}
    shown.update({c["passage_id"]: {k: v for k, v in c.items() if k != "n"} for c in extractive["citations"]})
    for c in result["citations"]:
        assert {k: v for k, v in c.items() if k not in ("n", "score")} == \
            {k: v for k, v in shown[c["passage_id"]].items() if k != "score"}
    assert any(c["footnotes"] for c in result["citations"])


def test_the_model_sees_numbered_passages_with_titles_and_dates_and_gets_the_key(dossier, fake_llm):
    generation(dossier, fake_llm, "faithful").answer(QUESTION)
    request = fake_llm.requests[-1]
    prompt = request.body["messages"][-1]["content"]
    assert "[1] Belarus Warning Update" in prompt and "(2020-09-19)" in prompt and QUESTION in prompt
    assert request.body["stream"] is True and request.headers["Authorization"] == f"Bearer {KEY}"


def test_what_retrieval_cannot_answer_is_not_asked(dossier, fake_llm):
    result = generation(dossier, fake_llm, "faithful").answer("What did the Wagner Group do in Mali in 2023?")
    assert result["abstained"] and result["llm"]["fallback"] == "abstained" and not fake_llm.requests


def test_verified_sentences_stream_as_they_complete(dossier, fake_llm):
    seen: list[list[dict]] = []
    result = generation(dossier, fake_llm, "invented-number").answer(QUESTION, on_sentence=seen.append)
    assert seen and seen[-1] == result["answer"]            # only what was kept, never the invented number


def test_the_key_never_reaches_logs_or_reprs(dossier, fake_llm, caplog):
    caplog.set_level(logging.DEBUG)
    for scenario in ("faithful", "error", "slow"):
        g = generation(dossier, fake_llm, scenario)
        result = g.answer(QUESTION)
        assert KEY not in repr(g.llm) and KEY not in str(result)
    assert "timeout" in caplog.text and "HTTP 500" in caplog.text
    assert KEY not in caplog.text


def test_a_reply_cut_by_the_token_limit_keeps_its_finished_sentences(dossier, fake_llm):
    result = generation(dossier, fake_llm, "length").answer(QUESTION)
    assert (result["llm"]["finish"], result["llm"]["cut"], result["llm"]["removed"]) == ("length", 1, 0)
    assert "The exercises also involved" not in str(result["answer"])


def test_an_echoing_model_is_abandoned_at_once(dossier, fake_llm):
    """The base model repeats its prompt for its whole token budget; the client stops reading
    when the echo starts, which closes the connection so the server stops generating."""
    fake_llm.stream_seconds = 4.0                        # 400 tokens at 10 ms each
    started = time.monotonic()
    result = generation(dossier, fake_llm, "echo", timeout=8.0).answer(QUESTION)
    assert result["llm"]["fallback"] == "echo" and time.monotonic() - started < 1.5
    request = fake_llm.requests[-1]
    fake_llm.wait_until_done(request)
    assert request.client_closed and request.chunks_sent < 100, (request.client_closed, request.chunks_sent)


def test_each_failure_is_one_log_line_naming_the_reason(dossier, fake_llm, caplog):
    caplog.set_level(logging.WARNING, logger="dossier.llm")
    for scenario in ("overflow-stream", "interrupted", "error-html", "echo"):
        generation(dossier, fake_llm, scenario).answer(QUESTION)
    lines = [r.getMessage() for r in caplog.records if r.name == "dossier.llm"]
    assert len(lines) == 4, lines
    for line, failure in zip(lines, ("incomplete", "incomplete", "error", "echo")):
        assert f": {failure} (" in line and "answering extractively" in line


def test_the_fake_streams_in_the_shape_llama_cpp_was_recorded_sending(fake_llm):
    """The fake's stream, chunk for chunk, against bytes recorded from llama.cpp's server
    (tests/fakes/llamacpp/README.md): role-only first chunk, pings, an empty last delta with the
    finish reason, [DONE]; the recorded failures end as the fake's do."""
    import http.client
    import json
    from pathlib import Path

    from eval.sse_recorder import stream_shape

    recorded = Path(__file__).resolve().parents[2] / "fakes" / "llamacpp"

    def fake_stream(model: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", fake_llm.port, timeout=10)
        conn.request("POST", "/v1/chat/completions", body=json.dumps({
            "model": model, "stream": True,
            "messages": [{"role": "user", "content": "Passages:\n\n[1] T (2020-09-19)\nA sentence here.\n\nQuestion: Q?"}]}))
        resp = conn.getresponse()
        assert resp.getheader("Transfer-Encoding") == "chunked" and resp.status == 200
        try:
            return resp.read()
        except http.client.IncompleteRead as cut:
            return cut.partial

    def structure(raw: bytes) -> tuple:
        sh = stream_shape(raw)
        return (sh["role_only"], sh["finish_reasons"], sh["done"], sh["not_json"], sh["chunks"] > 0)

    for model, name in (("length", "stream-length.sse"), ("interrupted", "interrupted.sse"),
                        ("role-only", "interrupted-before-content.sse"), ("overflow-stream", "overflow-stream.sse"),
                        ("dropped", "killed-mid-stream.sse")):
        assert structure(fake_stream(model)) == structure((recorded / name).read_bytes()), model
    faithful = stream_shape(fake_stream("faithful"))
    assert faithful["role_only"] == 1 and faithful["comments"] >= 1 and faithful["empty_delta"] == 1
