"""`--llm-url` at the command line: the real `dossier` against a fake OpenAI-compatible server."""
from __future__ import annotations

import json

import pytest

from bot.cli import main

QUESTION = "Which Russian unit has trained with Belarusian forces since September 17?"
KEY = "sk-cli-0b7e41-never-shown"


def test_ask_json_says_generated_and_what_was_removed(sample_settings, cli, fake_llm):
    proc = cli("ask", "--json", "--llm-url", fake_llm.url, "--llm-model", "invented-number", QUESTION,
               home=sample_settings.home, env={"DOSSIER_LLM_KEY": KEY})
    assert proc.returncode == 0, proc.stderr
    a = json.loads(proc.stdout)
    assert set(a) == {"question", "abstained", "answer", "citations", "mode", "llm"}
    assert a["mode"] == "generated" and (a["llm"]["kept"], a["llm"]["removed"], a["llm"]["fallback"]) == (1, 1, None)
    assert a["llm"]["removed_sentences"][0]["reasons"][0] == "number 4731 not in the cited passages"
    assert [c["n"] for c in a["citations"]] == [1] and a["citations"][0]["footnotes"]
    assert fake_llm.requests[-1].headers["Authorization"] == f"Bearer {KEY}"
    assert KEY not in proc.stdout + proc.stderr


def test_ask_falls_back_to_extractive_and_says_why(sample_settings, cli, fake_llm):
    proc = cli("ask", "--llm-url", fake_llm.url, "--llm-model", "slow", "--llm-timeout", "1", QUESTION,
               home=sample_settings.home)
    assert proc.returncode == 0, proc.stderr
    assert "234th Guards Airborne Assault Regiment" in proc.stdout
    assert "(Extractive answer (the language model slow did not answer in time).)" in " ".join(proc.stdout.split())
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["--llm-url", "localhost:11434"], "--llm-url 'localhost:11434' is not an http(s) URL"),
    (["--llm-url", "http://127.0.0.1:9/v1"], "--llm-url needs a model name: add --llm-model NAME"),
    (["--llm-url", "http://127.0.0.1:9/v1", "--llm-model", "m", "--llm-timeout", "0"], "--llm-timeout must be"),
    (["--llm-url", "http://[::1", "--llm-model", "m"], "--llm-url 'http://[::1' is not a valid URL"),
    (["--llm-model", "m"], "--llm-model and --llm-timeout need a server"),
])
def test_llm_mistakes_are_one_line_naming_the_flag(sample_settings, capsys, args, message):
    assert main(["ask", "--home", str(sample_settings.home), *args, "a question?"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_run_checks_the_llm_flags_before_ingesting(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DOSSIER_LLM_MODEL", raising=False)
    home = tmp_path / "fresh"
    assert main(["run", "--home", str(home), "--llm-url", "http://127.0.0.1:9/v1"]) == 2
    assert "--llm-url needs a model name" in capsys.readouterr().err
    assert not home.exists()                      # nothing ingested first


def test_openai_api_key_is_never_sent_to_the_configured_server(sample_settings, cli, fake_llm):
    secret = "sk-proj-meant-for-openai-only"
    proc = cli("ask", "--json", "--llm-url", fake_llm.url, "--llm-model", "faithful", QUESTION,
               home=sample_settings.home, env={"OPENAI_API_KEY": secret, "DOSSIER_LLM_KEY": ""})
    assert proc.returncode == 0, proc.stderr
    assert secret not in fake_llm.requests[-1].headers.get("Authorization", "")


def test_eval_scores_generated_answers_beside_the_extractive_ones(sample_settings, tmp_path, capsys, fake_llm):
    from eval.dataset import DEFAULT_QUESTIONS, load_questions

    qs = load_questions(DEFAULT_QUESTIONS)
    picked = [q for q in qs if q["answerable"]][:3] + [q for q in qs if not q["answerable"]][:1]
    questions = tmp_path / "four.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in picked), encoding="utf-8")
    rc = main(["eval", "--home", str(sample_settings.home), "--questions", str(questions), "--no-baselines",
               "--json", str(tmp_path / "eval.json"), "--llm-url", fake_llm.url, "--llm-model", "invented-number"])
    out = capsys.readouterr().out
    assert rc == 0
    header = out.splitlines()[0]
    assert "| Dossier + LLM |" in header
    from eval.verifier import agreement, load_labels

    agree = agreement(load_labels())
    assert "verifier removal rate: " in out and f"verifier agreement with hand labels: {agree.value:.3f} (n={agree.n}" in out
    result = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    fig = result["llm"]
    assert fig["questions"] == 4 and fig["sentences"]["removed"] >= 1
    assert fig["removal_rate"]["value"] == round(fig["sentences"]["removed"] / fig["removal_rate"]["n"], 4)
    assert result["metrics"]["generated"]["hit_at_1"] == result["metrics"]["dossier"]["hit_at_1"]
    assert result["metrics"]["generated"]["citation_recall"]["value"] == 1.0   # only verified sentences are kept
    assert all(r["generated"]["mode"] in ("generated", "extractive") for r in result["questions"])


@pytest.mark.parametrize("scenario, line, detail", [
    ("overflow-stream", "the language model overflow-stream's reply stopped before it finished",
     "when the prompt is longer than its context (n_ctx)"),
    ("echo", "the language model echo repeated its instructions instead of answering", "repeated its prompt"),
    ("error-html", "the language model error-html failed: HTTP 500 from the server", "HTTP 500"),
])
def test_what_a_real_server_does_wrong_is_said_in_one_line(sample_settings, cli, fake_llm, scenario, line, detail):
    proc = cli("ask", "--llm-url", fake_llm.url, "--llm-model", scenario, QUESTION, home=sample_settings.home)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "234th Guards Airborne Assault Regiment" in proc.stdout
    assert f"(Extractive answer ({line}).)" in " ".join(proc.stdout.split())
    proc = cli("ask", "--json", "--llm-url", fake_llm.url, "--llm-model", scenario, QUESTION, home=sample_settings.home)
    assert detail in json.loads(proc.stdout)["llm"]["detail"]
