"""An answer as it is written: post a first message when the language model is asked, update
it with each verified sentence at a pace Slack allows, then replace it with the final answer.
An answer that arrives whole (extractive) never starts the stream: finish just posts it.

    pace = Pace(client, every=1.0)                        # one per bot: chat.update is Tier 3 (~50/min)
    stream = Stream(sender, pace, channel, thread_ts, model="…")
    answerer.answer(question, on_start=stream.start, on_sentence=stream.show)
    stream.finish(messages)                               # the answer, or an error notice

Only sentences the verifier accepted are ever shown; the final update replaces them all.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Mapping, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import Message, progress_message
from bot.slack.client import best_effort_client
from bot.slack.errors import describe
from bot.slack.send import Sender

log = logging.getLogger("dossier.slack")

UPDATE_EVERY = 1.0  # seconds between chat.update calls while a generated answer streams (Tier 3: ~50/min)
FINAL_WAIT = 6.0    # seconds the final update waits for a progress update still in flight


class Pace:
    """One pace for every streamed answer of a bot, and the best-effort updates it allows."""

    def __init__(self, client: WebClient, *, every: float = UPDATE_EVERY) -> None:
        self.client, self.every = client, every
        self._lock = threading.Lock()
        self._last = 0.0
        self._quick: WebClient | None = None

    def slot(self) -> bool:
        """May a progress update go now? At most one per `every` across all answers."""
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.every:
                return False
            self._last = now
            return True

    def update(self, channel: str, ts: str, message: Message) -> None:
        """A best-effort progress update: no 429 waits or retries (the final update carries
        everything), so a rate-limited Slack never holds up an answer."""
        if self._quick is None:
            self._quick = best_effort_client(self.client)
        try:
            self._quick.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
        except SlackApiError as error:
            log.info("progress update skipped: %s", describe("chat.update", error, channel=channel))
        except Exception as error:
            log.info("progress update skipped in channel %s: %s", channel, type(error).__name__)


class Stream:
    """One streamed answer: its first message's ts and the progress update in flight."""

    def __init__(self, sender: Sender, pace: Pace, channel: str, thread_ts: str | None, *, model: str) -> None:
        self.sender, self.pace = sender, pace
        self.channel, self.thread_ts, self.model = channel, thread_ts, model
        self.ts: str | None = None
        self._sending: threading.Thread | None = None

    def start(self) -> None:
        """Post the first message (raises PostFailed, which ends the answer)."""
        self.ts = self.sender.post(self.channel, self.thread_ts, progress_message(self.model, []))

    def show(self, sentences: Sequence[Mapping[str, Any]]) -> None:
        """Called from the drafting loop: never blocks it. An update is skipped (the final one
        shows everything) while the previous is in flight or the bot-wide pace says wait."""
        if self.ts is None or (self._sending is not None and self._sending.is_alive()):
            return
        if not self.pace.slot():
            return
        message = progress_message(self.model, sentences)
        self._sending = threading.Thread(target=self.pace.update, args=(self.channel, self.ts, message),
                                         name="slack-progress", daemon=True)
        self._sending.start()

    def finish(self, messages: list[Message]) -> None:
        """The first message becomes the answer; any further parts are posted after it (all of
        them, when the stream never started). Raises PostFailed when one cannot be posted."""
        if self._sending is not None:
            self._sending.join(timeout=FINAL_WAIT)  # a late progress update must not overwrite the answer
        rest = messages
        if self.ts is not None:
            if self.sender.update(self.channel, self.ts, messages[0]):
                rest = messages[1:]
            else:                               # no half-written progress message left behind
                self.sender.delete(self.channel, self.ts)
        self.sender.post_messages(self.channel, self.thread_ts, rest)
