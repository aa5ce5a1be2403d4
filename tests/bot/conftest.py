"""End-to-end fixtures for the Slack bot: the real bolt App behind a real HTTP server, a real
Dossier (the `dossier` fixture from tests/conftest.py), and a local fake of the Slack Web API that
records every call. Nothing of the bot or of Dossier is mocked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.slack.client import build_client
from bot.slack.wiring import build_app
from index.answer.answerer import Answerer
from tests.bot.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.bot.slack.harness import SIGNING_SECRET, RunningBot


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:
    """The session's fake Slack with a clean record and no failures left over."""
    fake_slack.reset()
    return fake_slack


@pytest.fixture(scope="session")
def make_bot(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Start a bot: make_bot(dossier, hourglass_after=…, home=…, llm=…) -> RunningBot (closed at the end)."""
    running: list[RunningBot] = []

    def make(dossier: Any, *, hourglass_after: float = 1.0, home: Path | None = None, llm: Any = None,
             **options: Any) -> RunningBot:
        home = home or tmp_path_factory.mktemp("bot-home")
        client = build_client(BOT_TOKEN, base_url=fake_slack.api_url)
        app = build_app(client=client, answerer=Answerer(dossier, llm), home=home, signing_secret=SIGNING_SECRET,
                        hourglass_after=hourglass_after, **options)
        bot = RunningBot(app, home, fake_slack)
        running.append(bot)
        return bot

    yield make
    for bot in running:
        bot.close()


@pytest.fixture(scope="session")
def slack_bot(make_bot: Any, dossier: Any) -> RunningBot:
    """The bot as deployed (production settings) on the sample reports."""
    return make_bot(dossier)
