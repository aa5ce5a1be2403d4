"""What the bot does for each thing Slack sends: a message or mention, the slash command,
a button click, the Home tab opened. Composed from the policy, the answerer, the stream,
the message builders and the stores; it never decides how an answer is made.

    bot = SlackBot(client=client, answerer=answerer, home=settings.home)
    bot.on_message(event, context)      # called by bolt's lazy listeners (bot/slack/wiring.py)

Whatever one question does, the bot keeps serving: a failure becomes a short reply for the
person and the detail goes to the log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.state.feedback import FeedbackStore
from bot.render.markdown import answer_markdown
from bot.slack.blocks import ACTION_HELPFUL, Message, answer_messages, copy_messages, error_message
from bot.state.dedupe import SeenMessages
from bot.slack.errors import describe
from bot.slack.home import home_view
from bot.slack.hourglass import HOURGLASS_AFTER, Hourglass
from bot.slack.policy import Turn, thread_questions, turn_for
from bot.slack.send import REJECTED, PostFailed, Sender
from bot.slack.stream import UPDATE_EVERY, Pace, Stream
from bot.slack.text import escape, plain
from bot.state.threads import BotThreads
from bot.state.stores import BotState
from index.answer.answerer import Answerer
from index.errors import IndexEmpty, UserInputError
from index.answer.scope import Scope, scope_from_text

log = logging.getLogger("dossier.slack")

APOLOGY = (
    "Sorry, something went wrong while answering that. The details are in the bot's log; "
    "please try again in a little while."
)
NOTHING_INGESTED = (
    "I have no reports to answer from yet: a maintainer needs to run `dossier ingest PATH`."
)
USAGE = "Ask me about the reports: `/dossier which units arrived in Belarus in September?`"
POSTED_ELSEWHERE = "I couldn't post the answer to this channel ({code}). It is still above, just for you."
GONE = "That answer is no longer available. Please ask again."


class SlackBot:
    """What the listeners do. One instance per App; safe to call from bolt's worker threads."""

    def __init__(
        self,
        *,
        client: WebClient,
        answerer: Answerer,
        home: Path,
        hourglass_after: float = HOURGLASS_AFTER,
        update_every: float = UPDATE_EVERY,
        state: BotState | None = None,
    ) -> None:
        self.client = client
        self.answerer = answerer
        self.sender = Sender(client)
        self.pace = Pace(client, every=update_every)
        self.hourglass = Hourglass(client, after=hourglass_after)
        state = state or BotState.at_home(home)     # bot/state/stores.py: SQLite under the home, or shared
        self.seen: SeenMessages = state.seen
        self.threads: BotThreads = state.threads
        self.feedback: FeedbackStore = state.feedback

    # -- messages and mentions --

    def on_app_mention(self, event: dict[str, Any], context: BoltContext) -> None:
        self._maybe_answer(event, context.bot_user_id, mentioned=True)

    def on_message(self, event: dict[str, Any], context: BoltContext) -> None:
        self._maybe_answer(event, context.bot_user_id, mentioned=False)

    def _maybe_answer(self, event: dict[str, Any], bot_user: str | None, *, mentioned: bool) -> None:
        turn = turn_for(event, bot_user, mentioned=mentioned, our_thread=self.threads.__contains__)
        if turn is None:
            return
        if not self.seen.claim(turn.channel, turn.ts):
            log.debug("already answered %s/%s (retry or app_mention/message twin)", turn.channel, turn.ts)
            return
        if not turn.is_dm:
            self.threads.add(turn.channel, turn.reply_ts)  # before posting: a quick follow-up must find it
        with self.hourglass.over(turn.channel, turn.ts):
            self._answer(turn, bot_user)

    def _answer(self, turn: Turn, bot_user: str | None) -> None:
        """Answer in the turn's thread. A generated answer streams: the answerer calls
        stream.start when it asks the language model (a first message is posted) and
        stream.show with each verified sentence; an extractive one arrives whole and
        stream.finish posts it. Either way, finish leaves the final answer (or one notice)."""
        stream = Stream(self.sender, self.pace, turn.channel, turn.reply_ts, model=self.answerer.model or "")
        try:
            question, scope = scoped_question(turn.question)
            answer = self.answerer.answer(question, context=self._context(turn, bot_user),
                                          on_start=stream.start, on_sentence=stream.show, scope=scope)
            messages = self._messages(answer, surface=turn.surface, channel=turn.channel, user=turn.user)
        except PostFailed:
            return                                  # could not even post the first message: logged
        except Exception as error:  # whatever one question does, the bot keeps serving
            try:
                stream.finish([error_message(error_reply(error, channel=turn.channel))])
            except PostFailed:
                pass                                # logged where it failed
            return
        try:
            stream.finish(messages)
        except PostFailed as failed:
            if failed.code in REJECTED:
                self.sender.notice(turn.channel, turn.reply_ts, APOLOGY)

    def _context(self, turn: Turn, bot_user: str | None) -> list[str]:
        return thread_questions(self.client, turn, bot_user=bot_user) if turn.in_thread else []

    def _messages(self, answer: dict[str, Any], *, surface: str, channel: str | None, user: str | None,
                  **render: Any) -> list[Message]:
        """Keep the answer for its buttons, render it as messages."""
        answer_id = self.feedback.save_answer(answer, surface=surface, channel=channel, user=user)
        return answer_messages(answer, answer_id=answer_id, **render)

    # -- the slash command --

    def ack_command(self, ack: Ack, command: dict[str, Any]) -> None:
        question = plain(command.get("text") or "")
        if not question:
            ack(text=USAGE)
        else:
            ack(response_type="ephemeral", text=f"Looking through the reports for: {escape(question)}")

    def answer_command(self, command: dict[str, Any], respond: Respond) -> None:
        """Answered once, when the answer is ready: a response_url reply cannot be updated as it streams."""
        question = plain(command.get("text") or "")
        if not question:
            return
        try:
            asked, scope = scoped_question(question)
            answer = self.answerer.answer(asked, context=[], scope=scope)
            messages = self._messages(answer, surface="slash", channel=command.get("channel_id"),
                                      user=command.get("user_id"), shareable=True, show_question=True)
        except Exception as error:
            self.sender.respond(respond, error_message(error_reply(error, channel=command.get("channel_id"))))
            return
        for message in messages:
            self.sender.respond(respond, message)

    # -- buttons --

    def share(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        user, channel = _clicked_by(body), _clicked_in(body)
        answer = self.feedback.answer(str(action.get("value") or ""))
        if answer is None or not channel:
            self.sender.respond(respond, error_message(GONE))
            return
        messages = self._messages(answer, surface="shared", channel=channel, user=user, shared_by=user)
        try:
            posted = self.sender.post_messages(channel, None, messages, rest_in_thread=True)
            if posted:
                self.threads.add(channel, posted)       # replies under a shared answer are follow-ups
        except PostFailed as failed:
            if failed.code in ("not_in_channel", "channel_not_found"):
                # The bot is not in this conversation, but the command's response_url may post.
                for message in messages:
                    self.sender.respond(respond, message, response_type="in_channel")
            else:
                self.sender.respond(respond, error_message(POSTED_ELSEWHERE.format(code=failed.code)))
                return
        self.sender.respond(respond, None, delete_original=True)

    def copy_with_sources(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        """The answer as paste-ready Markdown with footnotes, only for the person who clicked."""
        answer = self.feedback.answer(str(action.get("value") or ""))
        if answer is None:
            self.sender.respond(respond, error_message(GONE))
            return
        try:
            publishers = {r["id"]: r.get("publisher", "") for r in self.answerer.dossier.reports()}
        except Exception:  # the index moved on or is unreadable: the footnotes go without publishers
            log.warning("Copy with sources: could not read the publishers", exc_info=True)
            publishers = {}
        for message in copy_messages(answer_markdown(answer, publishers=publishers)):
            self.sender.respond(respond, message, response_type="ephemeral")

    def feedback_click(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        helpful = action.get("action_id") == ACTION_HELPFUL
        try:
            self.feedback.record(str(action.get("value") or ""), helpful=helpful, user=_clicked_by(body),
                                 channel=_clicked_in(body))
        except Exception:
            log.exception("could not record feedback (answer %s)", action.get("value"))
            self.sender.respond(respond, error_message("Sorry, I couldn't record that. Please try again later."))
            return
        thanks = ("Thanks! Noted as helpful." if helpful
                  else "Thanks! Noted as not helpful; the maintainers will look at it.")
        self.sender.respond(respond, error_message(thanks))

    # -- App Home --

    def on_home_opened(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        dossier = self.answerer.dossier
        try:
            stats, reports = dossier.stats(), dossier.reports()
        except IndexEmpty:
            stats, reports = {"reports": 0}, []
        except Exception:
            log.exception("App Home: could not read the index")
            stats, reports = None, []
        try:
            self.client.views_publish(user_id=event["user"], view=home_view(stats, reports))
        except SlackApiError as error:
            log.error(describe("views.publish", error))


def scoped_question(text: str) -> tuple[str, Scope | None]:
    """The question without its scope words, and the scope (None when the text carries none):
    `since:2020-09-15`, `until:`, `report:`, `publisher:`, "in the latest report", "in the
    September 17 update", "since September 15". A scope with no question left asks for a
    summary of what it names."""
    scope, question = scope_from_text(text)
    if scope is None:
        return text, None
    return question or "summarize", scope


def error_reply(error: BaseException, *, channel: str | None) -> str:
    """The one reply a person sees; the detail goes to the log."""
    if isinstance(error, UserInputError):
        log.info("question refused in %s: %s", channel, error)
        return str(error)
    if isinstance(error, IndexEmpty):
        log.error("cannot answer in %s: nothing is ingested (%s)", channel, error)
        return NOTHING_INGESTED
    log.error("answering in %s failed", channel, exc_info=error)
    return APOLOGY


def _clicked_by(body: dict[str, Any]) -> str | None:
    return (body.get("user") or {}).get("id")


def _clicked_in(body: dict[str, Any]) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
