"""The "working on it" reaction: an hourglass on a question whose answer takes more than a moment.

    hourglass = Hourglass(client, after=1.0)
    with hourglass.over(channel, ts):
        ...answer...          # reacted after `after` seconds, unreacted when done

A missing reactions:write scope or a dead token turns the reaction off once (one log line);
answers go on without it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Iterator

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import FATAL, api_error_code, describe

log = logging.getLogger("dossier.slack")

HOURGLASS = "hourglass_flowing_sand"
HOURGLASS_AFTER = 1.0  # seconds of work before the question gets the "working on it" reaction


class Hourglass:
    def __init__(self, client: WebClient, *, after: float = HOURGLASS_AFTER) -> None:
        self.client, self.after = client, after
        self.enabled = True

    @contextlib.contextmanager
    def over(self, channel: str, ts: str) -> Iterator[None]:
        """React on the question when the answer takes more than a moment; unreact after."""
        lock = threading.Lock()
        state = {"done": False, "added": False}

        def show() -> None:
            with lock:
                if not state["done"] and self.enabled:
                    state["added"] = self._react("reactions_add", channel, ts)

        timer = None
        if self.after <= 0:
            show()
        else:
            timer = threading.Timer(self.after, show)
            timer.daemon = True
            timer.start()
        try:
            yield
        finally:
            if timer is not None:
                timer.cancel()
            with lock:
                state["done"] = True
                if state["added"]:
                    self._react("reactions_remove", channel, ts)

    def _react(self, method: str, channel: str, ts: str) -> bool:
        try:
            getattr(self.client, method)(channel=channel, timestamp=ts, name=HOURGLASS)
            return True
        except SlackApiError as error:
            code = api_error_code(error)
            if code in ("already_reacted", "no_reaction", "message_not_found"):
                return False
            if code == "missing_scope" or code in FATAL:
                self.enabled = False  # once is enough: answers go on without it
                log.error("%s; the hourglass reaction is off until restart",
                          describe(method.replace("_", "."), error, channel=channel))
            else:
                log.warning(describe(method.replace("_", "."), error, channel=channel))
            return False
        except Exception as error:
            log.warning("Slack %s failed: %s: %s", method, type(error).__name__, error)
            return False
