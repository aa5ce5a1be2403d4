"""The bolt App: which Slack event, command or button runs which of the bot's methods.

    app = build_app(client=build_client(token), answerer=answerer, home=settings.home,
                    signing_secret=secret)

Every listener acks at once (bolt answers Slack's HTTP request or Socket Mode envelope as soon
as ack() is called) and does the work in a lazy listener on bolt's thread pool, so Slack's
3-second deadline is always met.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.blocks import ACTION_COPY, ACTION_SHARE
from bot.slack.bot import SlackBot
from bot.slack.hourglass import HOURGLASS_AFTER
from bot.slack.stream import UPDATE_EVERY
from bot.state.stores import BotState
from index.answer.answerer import Answerer

log = logging.getLogger("dossier.slack")


def _ack(ack: Ack) -> None:
    ack()


def _event_ack() -> None:
    """Events are acknowledged by bolt itself, before any listener code runs."""


def build_app(
    *,
    client: WebClient,
    answerer: Answerer,
    home: Path,
    signing_secret: str = "",
    hourglass_after: float = HOURGLASS_AFTER,
    update_every: float = UPDATE_EVERY,
    state: BotState | None = None,
) -> App:
    """The bolt App with every listener. Calls auth.test once (raises BoltError if it fails).
    `state`: the bot's stores (bot/state/stores.py); None keeps them in SQLite under `home`."""
    app = App(
        client=client,
        signing_secret=signing_secret,  # explicit, so bolt never reads it from the environment
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("dossier.slack.bolt"),
    )
    bot = SlackBot(client=client, answerer=answerer, home=Path(home), hourglass_after=hourglass_after,
                   update_every=update_every, state=state)
    app.event("app_mention")(ack=_event_ack, lazy=[bot.on_app_mention])
    app.event("message")(ack=_event_ack, lazy=[bot.on_message])
    app.event("app_home_opened")(ack=_event_ack, lazy=[bot.on_home_opened])
    app.command("/dossier")(ack=bot.ack_command, lazy=[bot.answer_command])
    app.action(ACTION_SHARE)(ack=_ack, lazy=[bot.share])
    app.action(ACTION_COPY)(ack=_ack, lazy=[bot.copy_with_sources])
    app.action(re.compile(r"^feedback_"))(ack=_ack, lazy=[bot.feedback_click])

    @app.error
    def _on_error(error: Exception) -> None:
        log.error("unhandled error in a Slack listener", exc_info=error)

    return app
