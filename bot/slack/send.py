"""Sending to Slack: post, update, delete and reply through a response_url, each failure one log line.

    sender = Sender(client)
    ts = sender.post(channel, thread_ts, message)          # raises PostFailed(code)
    sender.post_messages(channel, thread_ts, messages)     # the first one's ts
    sender.notice(channel, thread_ts, "Sorry…")            # never raises
    sender.respond(respond, message)                       # a slash command's or button's reply

Messages are posted with unfurling off: reports link to hostile sites, and unfurls fetch them.
A post that failed on the connection may have gone through, so nothing here re-posts.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import Message, error_message
from bot.slack.errors import api_error_code, describe

log = logging.getLogger("dossier.slack")

# A message Slack refused for its size or layout: the person gets an apology instead.
REJECTED = ("msg_too_long", "invalid_blocks")


class PostFailed(Exception):
    """chat.postMessage failed (already logged); `code` is Slack's error or "connection_error"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Sender:
    """Every message the bot sends goes through here. Safe to share between threads."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post(self, channel: str, thread_ts: str | None, message: Message) -> str | None:
        """Post one message; returns its ts. Raises PostFailed (logged)."""
        kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        try:
            response = self.client.chat_postMessage(
                channel=channel,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
                **kwargs,
            )
        except SlackApiError as error:
            log.error(describe("chat.postMessage", error, channel=channel))
            raise PostFailed(api_error_code(error)) from None
        except Exception as error:
            # It may have gone through: never post it again, and never apologise for it twice.
            log.error("Slack chat.postMessage in channel %s failed: %s: %s",
                      channel, type(error).__name__, error)
            raise PostFailed("connection_error") from None
        return response.get("ts")

    def post_messages(
        self, channel: str, thread_ts: str | None, messages: list[Message], *, rest_in_thread: bool = False
    ) -> str | None:
        """Post the messages in order; returns the first one's ts. rest_in_thread: without a
        thread, the further messages go in the first one's thread."""
        first = None
        for i, message in enumerate(messages):
            ts = self.post(channel, thread_ts, message)
            if i == 0:
                first = ts
                if rest_in_thread and thread_ts is None:
                    thread_ts = ts
        return first

    def notice(self, channel: str, thread_ts: str | None, text: str) -> None:
        """A short notice (an apology); a failure is logged, never raised."""
        with contextlib.suppress(PostFailed):
            self.post(channel, thread_ts, error_message(text))

    def update(self, channel: str, ts: str, message: Message) -> bool:
        """Replace a posted message; False (logged) when Slack refused or could not be reached."""
        try:
            self.client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
            return True
        except SlackApiError as error:
            log.error(describe("chat.update", error, channel=channel))
        except Exception as error:
            log.error("Slack chat.update in channel %s failed: %s: %s", channel, type(error).__name__, error)
        return False

    def delete(self, channel: str, ts: str) -> None:
        """Best effort: a failure leaves the message, and is not worth a log line of its own."""
        with contextlib.suppress(Exception):
            self.client.chat_delete(channel=channel, ts=ts)

    def respond(
        self,
        respond: Respond,
        message: Message | None,
        *,
        response_type: str = "ephemeral",
        delete_original: bool = False,
    ) -> None:
        """Reply through the response_url of a slash command or a button click; never raises."""
        try:
            if delete_original or message is None:
                response = respond(delete_original=True)
            else:
                response = respond(
                    text=message["text"],
                    blocks=message["blocks"],
                    response_type=response_type,
                    replace_original=False,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            if response.status_code != 200:
                log.error("Slack response_url post failed: HTTP %s %s", response.status_code, response.body)
        except Exception as error:
            log.error("Slack response_url post failed: %s: %s", type(error).__name__, error)
