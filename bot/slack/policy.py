"""Conversation policy: which messages are questions for the bot, where the answer goes, and
which earlier messages of a thread are the question's context.

    turn = turn_for(event, bot_user, mentioned=False, our_thread=threads.__contains__)
    if turn:  # a question for us: turn.question, answered in turn.reply_ts
        context = thread_questions(client, turn, bot_user=bot_user) if turn.in_thread else []

Only people's messages count: not the bot's own, not other bots' (or bots answer each other
forever), not edits, deletions or joins, not empty ones.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import describe
from bot.slack.text import mentions_user, plain

log = logging.getLogger("dossier.slack")

CONTEXT_QUESTIONS = 5  # earlier questions of a thread passed to the answerer as context
ANSWERABLE_SUBTYPES = {None, "thread_broadcast"}


@dataclass(frozen=True)
class Turn:
    """A question for the bot, and where it was asked."""

    question: str
    channel: str
    ts: str
    thread_ts: str | None
    is_dm: bool
    user: str | None

    @property
    def in_thread(self) -> bool:
        """Asked inside a thread (not as the message that starts one)."""
        return bool(self.thread_ts) and self.thread_ts != self.ts

    @property
    def reply_ts(self) -> str | None:
        """The thread the answer goes in: the question's own in a channel; in a DM, a thread
        only when the question was asked in one."""
        return self.thread_ts if self.is_dm else (self.thread_ts or self.ts)

    @property
    def surface(self) -> str:
        return "dm" if self.is_dm else "channel"


def turn_for(
    event: Mapping[str, Any], bot_user: str | None, *, mentioned: bool, our_thread: Callable[[tuple[str, str]], bool]
) -> Turn | None:
    """The question in a message event, or None when the bot should stay quiet.

    mentioned: the event is an app_mention. our_thread((channel, thread_ts)): the bot answered
    in that thread, so a message there is a follow-up even without a mention.
    """
    if not from_a_person(event, bot_user):
        return None
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return None
    thread_ts = event.get("thread_ts")
    text = event.get("text") or ""
    is_dm = event.get("channel_type") == "im" or str(channel).startswith("D")
    in_thread = bool(thread_ts) and thread_ts != ts
    if not (
        mentioned
        or is_dm
        or mentions_user(text, bot_user)  # the `message` twin of an app_mention
        or (in_thread and our_thread((channel, thread_ts)))  # a follow-up in our thread
    ):
        return None
    question = plain(text, drop_user=bot_user)
    if not question:
        return None
    return Turn(question=question, channel=channel, ts=ts, thread_ts=thread_ts, is_dm=is_dm,
                user=event.get("user"))


def thread_questions(client: WebClient, turn: Turn, *, bot_user: str | None) -> list[str]:
    """The people's messages in the turn's thread before it (not the bot's answers), oldest
    first, at most CONTEXT_QUESTIONS. When Slack cannot say, no context (logged)."""
    channel = turn.channel
    try:
        response = client.conversations_replies(channel=channel, ts=turn.thread_ts, limit=200)
    except SlackApiError as error:
        log.warning("%s; answering without the thread's context",
                    describe("conversations.replies", error, channel=channel))
        return []
    except Exception as error:
        log.warning("Slack conversations.replies in channel %s failed (%s: %s); answering without "
                    "the thread's context", channel, type(error).__name__, error)
        return []
    questions = []
    for message in response.get("messages") or []:
        if _ts_value(message.get("ts")) >= _ts_value(turn.ts) or not from_a_person(message, bot_user):
            continue
        text = plain(message.get("text") or "", drop_user=bot_user)
        if text:
            questions.append(text)
    return questions[-CONTEXT_QUESTIONS:]


def from_a_person(message: Mapping[str, Any], bot_user: str | None) -> bool:
    """Not an edit, delete or join; not this bot or any other bot; not empty."""
    return (
        message.get("subtype") in ANSWERABLE_SUBTYPES
        and not message.get("bot_id")
        and not message.get("bot_profile")
        and not message.get("hidden")
        and bool(message.get("user"))
        and message.get("user") != bot_user
        and bool((message.get("text") or "").strip())
    )


def _ts_value(ts: Any) -> float:
    try:
        return float(ts)
    except (TypeError, ValueError):
        return 0.0
