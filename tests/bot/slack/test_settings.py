"""The Slack settings: read once from an environment mapping; secrets never shown by repr."""

from __future__ import annotations

from bot.slack.settings import SlackSettings
from tests.bot.slack.fake_slack import APP_TOKEN, BOT_TOKEN
from tests.bot.slack.harness import SIGNING_SECRET


def test_read_from_the_environment_stripped_and_never_shown_by_repr():
    slack = SlackSettings.from_env({"SLACK_BOT_TOKEN": f" {BOT_TOKEN}\n", "SLACK_APP_TOKEN": APP_TOKEN,
                                    "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": "http://127.0.0.1:9/api/"})
    assert (slack.bot_token, slack.app_token, slack.signing_secret) == (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET)
    assert slack.api_url == "http://127.0.0.1:9/api/"
    shown = repr(slack) + str(slack)
    assert BOT_TOKEN not in shown and APP_TOKEN not in shown and SIGNING_SECRET not in shown


def test_connects_with_a_bot_token_and_a_way_in():
    def settings(**env: str) -> SlackSettings:
        return SlackSettings.from_env(env)

    assert not settings().connects
    assert not settings(SLACK_BOT_TOKEN=BOT_TOKEN).connects                    # no way in
    assert not settings(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET).connects
    assert not settings(SLACK_BOT_TOKEN="  ", SLACK_APP_TOKEN=APP_TOKEN).connects  # blank is unset
    socket = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    http = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    assert socket.connects and socket.socket_mode
    assert http.connects and not http.socket_mode
    assert settings(SLACK_API_URL=" ").api_url is None
