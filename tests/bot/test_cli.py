"""The command line: help with examples for every command, one-line errors, JSON contracts."""
from __future__ import annotations

import json

import pytest

from bot.cli import EXAMPLES, build_parser, main

COMMANDS = ["ingest", "ask", "summary", "search", "reports", "notes", "run", "slack", "feedback", "eval", "bench"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"dossier {command}" in out


def test_parser_knows_every_documented_command():
    sub = [a for a in build_parser()._actions if a.dest == "command"][0]
    assert sorted(sub.choices) == sorted(COMMANDS) == sorted(EXAMPLES)


def test_ask_on_an_empty_home_is_one_clear_line(tmp_path, cli):
    proc = cli("ask", "anything at all?", home=tmp_path / "empty")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "dossier ingest" in proc.stderr and "Traceback" not in proc.stderr


def test_ask_json_contract_through_the_real_cli(sample_settings, cli):
    proc = cli("ask", "--json", "What did Belarus sign with Almaz-Antey?", home=sample_settings.home)
    assert proc.returncode == 0, proc.stderr
    a = json.loads(proc.stdout)
    assert set(a) == {"question", "abstained", "answer", "citations"}
    proc = cli("search", "--json", "-k", "3", "Veyshnoriya", home=sample_settings.home)
    r = json.loads(proc.stdout)
    assert set(r) == {"question", "results"} and len(r["results"]) == 3


def test_ask_prints_answer_and_sources_for_a_person(sample_settings, cli):
    proc = cli("ask", "Which Russian unit has trained with Belarusian forces since September 17?",
               home=sample_settings.home)
    assert proc.returncode == 0, proc.stderr
    assert "234th" in proc.stdout and "fontanka(.)ru" in proc.stdout
    assert "note not available in the ingested copy" in proc.stdout


def test_reports_json_lists_seven(sample_settings, cli):
    proc = cli("reports", "--json", home=sample_settings.home)
    rows = json.loads(proc.stdout)
    assert len(rows) == 7
    assert set(rows[0]) == {"id", "title", "date", "authors", "sources", "passages", "footnotes"}
