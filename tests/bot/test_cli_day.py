"""The command line's scope flags, `dossier summary` and `--format markdown`, end to end
(in-process: `main` as the console script calls it)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from bot.cli import main


@pytest.fixture()
def cli(capsys):
    def run(*args: str, home) -> SimpleNamespace:
        code = main([*args, "--home", str(home)])
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return run


def test_ask_with_scope_flags_json(cli, sample_settings):
    proc = cli("ask", "--json", "--since", "2020-09-17", "--publisher", "ISW",
               "Which Russian unit has performed exercises with Belarusian forces?", home=sample_settings.home)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["citations"] and all(c["report"]["date"] >= "2020-09-17" for c in answer["citations"])
    assert answer["scope"]["searched"].startswith("Searched reports from 2020-09-17 on, by ISW")


def test_ambiguous_report_and_bad_date_are_one_line(cli, sample_settings):
    proc = cli("search", "--report", "Belarus", "units", home=sample_settings.home)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "matches 5 reports" in proc.stderr
    proc = cli("ask", "--until", "yesterday", "units?", home=sample_settings.home)
    assert proc.returncode == 2 and "--until 'yesterday' is not a date like 2020-09-15" in proc.stderr


def test_summary_json_and_markdown(cli, sample_settings):
    proc = cli("summary", "--json", "--latest", home=sample_settings.home)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert [p["date"] for p in summary["summary"]] == ["2020-09-19"]
    assert 1 <= len(summary["answer"]) <= 5 and summary["citations"]
    proc = cli("ask", "--format", "markdown", "--report", "Vie for Control", "What did Lukashenko request?",
               home=sample_settings.home)
    assert proc.returncode == 0, proc.stderr
    assert "[^" in proc.stdout and "Institute for the Study of War" in proc.stdout and "2020-09-16" in proc.stdout
