"""Ingest stays inside the folders it is given: a symbolic link that leads elsewhere is skipped
and named (unless --follow-symlinks), links that stay inside are followed, and the good reports
are ingested either way. Real ingests with the session's model; small reports keep them quick."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.config import Settings
from index.engine import Dossier
from ingest.pipeline import ingest
from ingest.watch import Watcher

REPORT = """Monday, September 14, 2020

{title}

By Jane Analyst

{body}[1]

[1] https://example.org/{slug}
"""


def _report(path: Path, title: str, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REPORT.format(title=title, body=body, slug=path.stem), encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path):
    """reports/ with one good report; outside/ (not named to ingest) with a secret and a folder."""
    reports = tmp_path / "reports"
    _report(reports / "good.txt", "Good Report On Grodno", "Belarusian units moved toward Grodno on September 13.")
    _report(tmp_path / "outside" / "secret.txt", "Secret Outside Report", "The outside file names Vitebsk as a depot.")
    _report(tmp_path / "outside" / "dir" / "deep.txt", "Deep Outside Report", "A deep outside file mentions Mogilev.")
    return tmp_path


def _titles(settings: Settings) -> set[str]:
    d = Dossier.open(settings)
    try:
        return {r["title"] for r in d.reports()}
    finally:
        d.close()


def test_links_outside_are_skipped_and_named_links_inside_followed(tree, st_model):
    reports = tree / "reports"
    os.symlink(tree / "outside" / "secret.txt", reports / "secret.txt")        # a file outside
    os.symlink(tree / "outside" / "dir", reports / "etc")                      # a folder outside
    _report(reports / "sub" / "inner.txt", "Inner Report On Brest", "Russian paratroopers trained near Brest.")
    os.symlink(reports / "sub", reports / "alias")                             # a folder inside
    os.symlink(reports / "sub" / "inner.txt", reports / "inner-link.txt")      # a file inside
    settings = Settings(home=tree / "home")

    summary = ingest([reports], settings, embedder=st_model).to_dict()

    assert _titles(settings) == {"Good Report On Grodno", "Inner Report On Brest"}   # inner once, outside never
    named = {Path(s["path"]).name: s["reason"] for s in summary["skipped"]}
    assert set(named) == {"secret.txt", "etc"}, summary["skipped"]
    assert "outside the folders given" in named["etc"] and str(tree / "outside" / "dir") in named["etc"]
    assert summary["failed"] == []


def test_follow_symlinks_behaves_as_before_and_dropping_the_flag_drops_them(tree, st_model):
    reports = tree / "reports"
    os.symlink(tree / "outside" / "secret.txt", reports / "secret.txt")
    os.symlink(tree / "outside" / "dir", reports / "etc")
    settings = Settings(home=tree / "home")

    followed = ingest([reports], settings, embedder=st_model, follow_symlinks=True).to_dict()
    assert followed["skipped"] == [] and followed["added"] == 3
    assert _titles(settings) == {"Good Report On Grodno", "Secret Outside Report", "Deep Outside Report"}

    # the same folder without the flag: what came in through the links goes, the good report stays
    again = ingest([reports], settings, embedder=st_model).to_dict()
    assert again["removed"] == 2 and len(again["skipped"]) == 2
    assert _titles(settings) == {"Good Report On Grodno"}


def test_a_folder_named_on_the_command_line_may_itself_be_a_link(tree, st_model):
    os.symlink(tree / "reports", tree / "reports-link")
    settings = Settings(home=tree / "home")
    summary = ingest([tree / "reports-link"], settings, embedder=st_model).to_dict()
    assert summary["added"] == 1 and summary["skipped"] == []


def test_a_link_planted_while_watching_is_skipped_and_named(tree, st_model):
    reports = tree / "reports"
    settings = Settings(home=tree / "home")
    seen: list[dict] = []
    w = Watcher(reports, settings, every=0.05, on_ingest=seen.append, embedder=st_model)
    assert w.step() is None and w.step() is not None                 # settles, ingests the good report
    assert _titles(settings) == {"Good Report On Grodno"}

    os.symlink(tree / "outside", reports / "etc")                       # planted by someone else
    assert w.step() is None                                             # a change: wait for it to settle
    summary = w.step()
    assert summary is not None and [Path(s["path"]).name for s in summary["skipped"]] == ["etc"]
    assert _titles(settings) == {"Good Report On Grodno"}
    assert w.step() is None                                             # nothing new: no ingest again


def test_the_cli_names_the_skipped_link_and_exits_0(tree, cli):
    reports = tree / "reports"
    os.symlink(tree / "outside", reports / "etc")
    home = tree / "home"
    text = cli("ingest", str(reports), home=home)
    assert text.returncode == 0, text.stderr
    assert f"skipped: {reports / 'etc'} (symbolic link to {tree / 'outside'}, outside the folders given" in text.stdout
    listed = json.loads(cli("reports", "--json", home=home).stdout)
    assert [r["title"] for r in listed] == ["Good Report On Grodno"]
    followed = cli("ingest", "--json", "--follow-symlinks", str(reports), home=home)
    assert json.loads(followed.stdout)["added"] == 2
