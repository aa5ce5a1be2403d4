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
