"""The new-reports digest against the fake Slack: one message per ingest that changed reports,
exactly once across a restart and two processes sharing the home; nothing for an ingest that
changed nothing. Real ingests, a real Dossier; only Slack is faked."""
from __future__ import annotations

import shutil
import threading
from types import SimpleNamespace

import pytest

from bot.slack.client import build_client
from bot.slack.digest import Digest, start_digest
from index.config import Settings
from index.engine import Dossier
from ingest.pipeline import ingest
from tests.bot.slack.fake_slack import BOT_TOKEN
from tests.bot.slack.harness import shown_text
from tests.conftest import SAMPLES

CHANNEL = "C0DIGEST"


@pytest.fixture
def home(slack, st_model, tmp_path):
    """A home with one sample report ingested, a Dossier open on it and a client of the fake Slack."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SAMPLES / "002_8a4a9fea978dff02.txt", folder)
    settings = Settings(home=tmp_path / "home")
    ingest([folder], settings, embedder=st_model)
    dossier = Dossier.open(settings, encoder=None)
    try:
        yield SimpleNamespace(folder=folder, settings=settings, dossier=dossier,
                              client=build_client(BOT_TOKEN, base_url=slack.api_url))
    finally:
        dossier.close()


def test_digest_once_per_change(home, slack, st_model):
    folder, settings, dossier, client = home.folder, home.settings, home.dossier, home.client
    first = Digest(client, dossier, settings.home, CHANNEL)
    assert first.poll() == 0                        # what was there before the digest is not news

    shutil.copy(SAMPLES / "003_dcd5aac377835ac8.txt", folder)     # a new report
    ingest([folder], settings, embedder=st_model)
    second = Digest(client, dossier, settings.home, CHANNEL)      # a second process on the same home
    counts: list[int] = []
    racers = [threading.Thread(target=lambda d=d: counts.append(d.poll())) for d in (first, second, first, second)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(timeout=30)
    assert sorted(counts) == [0, 0, 0, 1]                          # polled at once: posted once
    assert first.poll() + second.poll() == 0
    posts = slack.posts(channel=CHANNEL)
    assert len(posts) >= 1
    text = shown_text(posts[0].args)
    assert "New:" in text and "The Kremlin Prepares to Further Integrate Belarus" in text
    assert "Sources" in text or "sources" in text

    ingest([folder], settings, embedder=st_model)  # nothing changed: no generation, no post
    assert first.poll() == 0

    edited = folder / "002_8a4a9fea978dff02.txt"   # an updated report: a paragraph more
    text = edited.read_text(encoding="utf-8")
    anchor = "**Russian forces may be massing on the border.**"
    edited.write_text(text.replace(anchor, "**Belarusian railway workers reported new Russian trains near "
                                           "Orsha on August 15.** The report could not be verified.\n\n" + anchor),
                      encoding="utf-8")
    ingest([folder], settings, embedder=st_model)
    assert first.poll() + second.poll() == 1
    updated = shown_text(slack.posts(channel=CHANNEL)[-1].args)
    assert "Updated:" in updated and "Lukashenko" in updated and "added" in updated

    restarted = Digest(client, dossier, settings.home, CHANNEL)   # the bot restarts...
    (folder / "003_dcd5aac377835ac8.txt").unlink()                 # ...and meanwhile a report goes
    ingest([folder], settings, embedder=st_model)
    assert restarted.poll() == 1 and first.poll() == 0
    removed = shown_text(slack.posts(channel=CHANNEL)[-1].args)
    assert "Removed:" in removed and "Kremlin Prepares" in removed

    ingest([folder], settings, embedder=st_model, rebuild=True)    # a rebuild re-reads, it brings no news
    assert restarted.poll() == 0


def test_start_digest_needs_a_channel(tmp_path):
    assert start_digest(None, None, Settings(home=tmp_path), None) is None


def test_two_ingests_between_two_polls_are_both_announced(home, slack, st_model):
    """The replaced generation is thinned to a catalogue at once (nobody reads it), but it keeps
    what the digest says of its ingest."""
    folder, settings, dossier, client = home.folder, home.settings, home.dossier, home.client
    digest = Digest(client, dossier, settings.home, CHANNEL)
    assert digest.poll() == 0
    shutil.copy(SAMPLES / "003_dcd5aac377835ac8.txt", folder)
    ingest([folder], settings, embedder=st_model)
    shutil.copy(SAMPLES / "004_aedf980035b4fcf6.txt", folder)
    ingest([folder], settings, embedder=st_model)
    assert digest.poll() == 2
    texts = [shown_text(p.args) for p in slack.posts(channel=CHANNEL)[-2:]]
    assert any("The Kremlin Prepares to Further Integrate Belarus" in t for t in texts)
    assert all("New:" in t for t in texts)
