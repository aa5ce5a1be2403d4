"""The Slack edge: a bolt App that answers questions about the reports through an injected Dossier.

    client = build_client(token, base_url=api_url)            # slack_sdk WebClient, 429-aware
    app = build_app(client=client, dossier=d, home=settings.home, signing_secret=secret)
    http_server(app, host="0.0.0.0", port=3000).serve_forever()   # or SocketModeHandler(app, …)

`serve(settings, http=…, port=…)` is the `dossier slack` entry point: it reads the Slack
environment variables (the edge), opens Dossier and runs one of the two transports.

Every listener acks at once (bolt answers Slack's HTTP request or Socket Mode envelope as soon
as ack() is called) and does the work in a lazy listener on bolt's thread pool.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterator, Mapping
from urllib.error import URLError
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import Ack, App, BoltContext, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.feedback import FeedbackStore
from bot.local_db import slack_db
from bot.slack_blocks import (
    ACTION_HELPFUL,
    ACTION_SHARE,
    Message,
    answer_messages,
    error_message,
    progress_message,
)
from bot.slack_dedupe import SeenMessages
from bot.slack_errors import FATAL, api_error_code, describe, install_redaction
from bot.slack_home import home_view
from bot.slack_text import escape, mentions_user, plain
from bot.slack_threads import BotThreads
from index.errors import IndexEmpty, UserInputError

log = logging.getLogger("dossier.slack")

EVENTS_PATH = "/slack/events"
HOURGLASS = "hourglass_flowing_sand"
HOURGLASS_AFTER = 1.0  # seconds of work before the question gets the "working on it" reaction
CONTEXT_QUESTIONS = 5  # earlier questions of a thread passed to Dossier.ask as context
RATE_LIMIT_RETRIES = 3
UPDATE_EVERY = 1.0  # seconds between chat.update calls while a generated answer streams (Tier 3: ~50/min)
ANSWERABLE_SUBTYPES = {None, "thread_broadcast"}

APOLOGY = (
    "Sorry, something went wrong while answering that. The details are in the bot's log; "
    "please try again in a little while."
)
NOTHING_INGESTED = (
    "I have no reports to answer from yet: a maintainer needs to run `dossier ingest PATH`."
)
USAGE = "Ask me about the reports: `/dossier which units arrived in Belarus in September?`"
POSTED_ELSEWHERE = "I couldn't post the answer to this channel ({code}). It is still above, just for you."


# --- the Web API client ------------------------------------------------------------------------


class _SafeConnectionRetry(ConnectionErrorRetryHandler):
    """Retry a dropped connection, except where the call may already have posted a message.

    A URLError means the request never fully left; a reset or disconnect after sending may
    follow a successful chat.postMessage, and re-posting would answer twice.
    """

    _POSTS = ("chat.postMessage", "chat.postEphemeral")

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.endswith(self._POSTS) and not isinstance(error, URLError):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def build_client(token: str, *, base_url: str | None = None, timeout: int = 30) -> WebClient:
    """A WebClient that waits out 429s (Retry-After) and never re-posts blindly."""
    extra: dict[str, Any] = {}
    if base_url:
        extra["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    return WebClient(
        token=token,
        timeout=timeout,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            _SafeConnectionRetry(),
        ],
        **extra,
    )


# --- the bot's behaviour -----------------------------------------------------------------------


class _PostFailed(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SlackBot:
    """What the listeners do. One instance per App; safe to call from bolt's worker threads."""

    def __init__(
        self,
        *,
        client: WebClient,
        dossier: Any,
        home: Path,
        hourglass_after: float = HOURGLASS_AFTER,
        llm: Any = None,
        update_every: float = UPDATE_EVERY,
    ) -> None:
        self.client = client
        self.dossier = dossier
        self.generation = None
        if llm is not None:
            from index.generate import Generation

            self.generation = Generation(dossier, llm)
        self.update_every = update_every
        self._progress_lock = threading.Lock()
        self._last_progress = 0.0          # one pace for every streamed answer: chat.update is Tier 3
        self._progress_client: WebClient | None = None
        self.seen = SeenMessages(slack_db(home))
        self.threads = BotThreads(slack_db(home))
        self.feedback = FeedbackStore.at_home(home)
        self.hourglass_after = hourglass_after
        self._reactions_enabled = True

    # -- messages and mentions --

    def on_app_mention(self, event: dict[str, Any], context: BoltContext) -> None:
        self._maybe_answer(event, context.bot_user_id, mentioned=True)

    def on_message(self, event: dict[str, Any], context: BoltContext) -> None:
        self._maybe_answer(event, context.bot_user_id, mentioned=False)

    def _maybe_answer(self, event: Mapping[str, Any], bot_user: str | None, *, mentioned: bool) -> None:
        if not _from_a_person(event, bot_user):
            return
        channel, ts = event.get("channel"), event.get("ts")
        if not channel or not ts:
            return
        thread_ts = event.get("thread_ts")
        text = event.get("text") or ""
        is_dm = event.get("channel_type") == "im" or str(channel).startswith("D")
        in_thread = bool(thread_ts) and thread_ts != ts
        if not (
            mentioned
            or is_dm
            or mentions_user(text, bot_user)  # the `message` twin of an app_mention
            or (in_thread and (channel, thread_ts) in self.threads)  # a follow-up in our thread
        ):
            return
        question = plain(text, drop_user=bot_user)
        if not question:
            return
        if not self.seen.claim(channel, ts):
            log.debug("already answered %s/%s (retry or app_mention/message twin)", channel, ts)
            return
        reply_ts = thread_ts if is_dm else (thread_ts or ts)
        if not is_dm:
            self.threads.add(channel, reply_ts)  # before posting: a quick follow-up must find it
        with self._hourglass(channel, ts):
            if self.generation is not None:
                self._stream_answer(question, channel=channel, ts=ts, thread_ts=thread_ts, reply_ts=reply_ts,
                                    in_thread=in_thread, bot_user=bot_user, surface="dm" if is_dm else "channel",
                                    user=event.get("user"))
                return
            try:
                context = (self._thread_questions(channel, thread_ts, before=ts, bot_user=bot_user)
                           if in_thread else [])
                messages = self._answer(question, context, surface="dm" if is_dm else "channel",
                                        channel=channel, user=event.get("user"))
            except Exception as error:  # whatever one question does, the bot keeps serving
                self._post_notice(channel, reply_ts, _error_reply(error, channel=channel))
                return
            try:
                self._post_messages(channel, reply_ts, messages)
            except _PostFailed as failed:
                if failed.code in ("msg_too_long", "invalid_blocks"):
                    self._post_notice(channel, reply_ts, APOLOGY)

    def _answer(
        self, question: str, context: list[str], *, surface: str, channel: str | None,
        user: str | None, **render: Any,
    ) -> list[Message]:
        """Ask Dossier, keep the answer for its buttons, render it as messages."""
        if self.generation is not None:
            answer = self.generation.answer(question, context=context)
        else:
            answer = self.dossier.ask(question, context=context)  # thread-safe: Dossier locks
        answer_id = self.feedback.save_answer(answer, surface=surface, channel=channel, user=user)
        return answer_messages(answer, answer_id=answer_id, **render)

    def _stream_answer(
        self, question: str, *, channel: str, ts: str, thread_ts: str | None, reply_ts: str | None,
        in_thread: bool, bot_user: str | None, surface: str, user: str | None,
    ) -> None:
        """A generated answer: post, update with each verified sentence (at most one update per
        `update_every`), then replace everything with the verified answer or the extractive one."""
        stream = _Stream(self, channel, reply_ts, model=self.generation.llm.model, every=self.update_every)
        try:
            context = (self._thread_questions(channel, thread_ts, before=ts, bot_user=bot_user)
                       if in_thread else [])
            answer = self.generation.answer(question, context=context, on_start=stream.start,
                                            on_sentence=stream.show)
            answer_id = self.feedback.save_answer(answer, surface=surface, channel=channel, user=user)
            messages = answer_messages(answer, answer_id=answer_id)
        except _PostFailed:
            return                                  # could not even post the first message: logged
        except Exception as error:  # whatever one question does, the bot keeps serving
            with contextlib.suppress(_PostFailed):      # logged where it failed
                stream.finish([error_message(_error_reply(error, channel=channel))])
            return
        try:
            stream.finish(messages)
        except _PostFailed as failed:
            if failed.code in ("msg_too_long", "invalid_blocks"):
                self._post_notice(channel, reply_ts, APOLOGY)

    def _update(self, channel: str, ts: str, message: Message) -> bool:
        try:
            self.client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
            return True
        except SlackApiError as error:
            log.error(describe("chat.update", error, channel=channel))
        except Exception as error:
            log.error("Slack chat.update in channel %s failed: %s: %s", channel, type(error).__name__, error)
        return False

    def _progress_slot(self) -> bool:
        """May a progress update go now? At most one per `update_every` across all answers."""
        with self._progress_lock:
            now = time.monotonic()
            if now - self._last_progress < self.update_every:
                return False
            self._last_progress = now
            return True

    def _progress_update(self, channel: str, ts: str, message: Message) -> None:
        """A best-effort progress update: no 429 waits or retries (the final update carries
        everything), so a rate-limited Slack never holds up an answer."""
        if self._progress_client is None:
            self._progress_client = WebClient(token=self.client.token, base_url=self.client.base_url,
                                              timeout=5, retry_handlers=[])
        try:
            self._progress_client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
        except SlackApiError as error:
            log.info("progress update skipped: %s", describe("chat.update", error, channel=channel))
        except Exception as error:
            log.info("progress update skipped in channel %s: %s", channel, type(error).__name__)

    def _thread_questions(
        self, channel: str, thread_ts: str, *, before: str, bot_user: str | None
    ) -> list[str]:
        """The people's earlier messages in the thread (not the bot's answers), oldest first."""
        try:
            response = self.client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
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
            if _ts_value(message.get("ts")) >= _ts_value(before) or not _from_a_person(message, bot_user):
                continue
            text = plain(message.get("text") or "", drop_user=bot_user)
            if text:
                questions.append(text)
        return questions[-CONTEXT_QUESTIONS:]

    # -- the slash command --

    def ack_command(self, ack: Ack, command: dict[str, Any]) -> None:
        question = plain(command.get("text") or "")
        if not question:
            ack(text=USAGE)
        else:
            ack(response_type="ephemeral", text=f"Looking through the reports for: {escape(question)}")

    def answer_command(self, command: dict[str, Any], respond: Respond) -> None:
        question = plain(command.get("text") or "")
        if not question:
            return
        try:
            messages = self._answer(question, [], surface="slash", channel=command.get("channel_id"),
                                    user=command.get("user_id"), shareable=True, show_question=True)
        except Exception as error:
            self._respond(respond, error_message(_error_reply(error, channel=command.get("channel_id"))))
            return
        for message in messages:
            self._respond(respond, message)

    # -- buttons --

    def share(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        user = (body.get("user") or {}).get("id")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        answer = self.feedback.answer(str(action.get("value") or ""))
        if answer is None or not channel:
            self._respond(respond, error_message("That answer is no longer available. Please ask again."))
            return
        answer_id = self.feedback.save_answer(answer, surface="shared", channel=channel, user=user)
        messages = answer_messages(answer, answer_id=answer_id, shared_by=user)
        try:
            posted = self._post_messages(channel, None, messages, rest_in_thread=True)
            if posted:
                self.threads.add(channel, posted)       # replies under a shared answer are follow-ups
        except _PostFailed as failed:
            if failed.code in ("not_in_channel", "channel_not_found"):
                # The bot is not in this conversation, but the command's response_url may post.
                for message in messages:
                    self._respond(respond, message, response_type="in_channel")
            else:
                self._respond(respond, error_message(POSTED_ELSEWHERE.format(code=failed.code)))
                return
        self._respond(respond, None, delete_original=True)

    def feedback_click(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        helpful = action.get("action_id") == ACTION_HELPFUL
        user = (body.get("user") or {}).get("id")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        try:
            self.feedback.record(str(action.get("value") or ""), helpful=helpful, user=user, channel=channel)
        except Exception:
            log.exception("could not record feedback (answer %s)", action.get("value"))
            self._respond(respond, error_message("Sorry, I couldn't record that. Please try again later."))
            return
        thanks = ("Thanks! Noted as helpful." if helpful
                  else "Thanks! Noted as not helpful; the maintainers will look at it.")
        self._respond(respond, error_message(thanks))

    # -- App Home --

    def on_home_opened(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        try:
            stats, reports = self.dossier.stats(), self.dossier.reports()
        except IndexEmpty:
            stats, reports = {"reports": 0}, []
        except Exception:
            log.exception("App Home: could not read the index")
            stats, reports = None, []
        try:
            self.client.views_publish(user_id=event["user"], view=home_view(stats, reports))
        except SlackApiError as error:
            log.error(describe("views.publish", error))

    # -- talking to Slack --

    def _post_messages(
        self, channel: str, thread_ts: str | None, messages: list[Message], *, rest_in_thread: bool = False
    ) -> str | None:
        """Post the messages; returns the first one's ts."""
        first = None
        for i, message in enumerate(messages):
            ts = self._post(channel, thread_ts, message)
            if i == 0:
                first = ts
                if rest_in_thread and thread_ts is None:
                    thread_ts = ts
        return first

    def _post(self, channel: str, thread_ts: str | None, message: Message) -> str | None:
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
            raise _PostFailed(api_error_code(error)) from None
        except Exception as error:
            # It may have gone through: never post it again, and never apologise for it twice.
            log.error("Slack chat.postMessage in channel %s failed: %s: %s",
                      channel, type(error).__name__, error)
            raise _PostFailed("connection_error") from None
        return response.get("ts")

    def _post_notice(self, channel: str, thread_ts: str | None, text: str) -> None:
        with contextlib.suppress(_PostFailed):
            self._post(channel, thread_ts, error_message(text))

    def _respond(
        self,
        respond: Respond,
        message: Message | None,
        *,
        response_type: str = "ephemeral",
        delete_original: bool = False,
    ) -> None:
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

    @contextlib.contextmanager
    def _hourglass(self, channel: str, ts: str) -> Iterator[None]:
        """React on the question when the answer takes more than a moment; unreact after."""
        lock = threading.Lock()
        state = {"done": False, "added": False}

        def show() -> None:
            with lock:
                if not state["done"] and self._reactions_enabled:
                    state["added"] = self._react("reactions_add", channel, ts)

        timer = None
        if self.hourglass_after <= 0:
            show()
        else:
            timer = threading.Timer(self.hourglass_after, show)
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
                self._reactions_enabled = False  # once is enough: answers go on without it
                log.error("%s; the hourglass reaction is off until restart",
                          describe(method.replace("_", "."), error, channel=channel))
            else:
                log.warning(describe(method.replace("_", "."), error, channel=channel))
            return False
        except Exception as error:
            log.warning("Slack %s failed: %s: %s", method, type(error).__name__, error)
            return False


class _Stream:
    """One streamed answer: its first message's ts and when it was last updated."""

    def __init__(self, bot: SlackBot, channel: str, thread_ts: str | None, *, model: str, every: float) -> None:
        self.bot, self.channel, self.thread_ts = bot, channel, thread_ts
        self.model, self.every = model, every
        self.ts: str | None = None
        self._sending: threading.Thread | None = None

    def start(self) -> None:
        """Post the first message (raises _PostFailed, which ends the answer)."""
        self.ts = self.bot._post(self.channel, self.thread_ts, progress_message(self.model, []))

    def show(self, sentences: list[dict[str, Any]]) -> None:
        """Called from the drafting loop: never blocks it. An update is skipped (the final one
        shows everything) while the previous is in flight or the bot-wide pace says wait."""
        if self.ts is None or (self._sending is not None and self._sending.is_alive()):
            return
        if not self.bot._progress_slot():
            return
        message = progress_message(self.model, sentences)
        self._sending = threading.Thread(target=self.bot._progress_update, args=(self.channel, self.ts, message),
                                         name="slack-progress", daemon=True)
        self._sending.start()

    def finish(self, messages: list[Message]) -> None:
        """The first message becomes the answer; any further parts are posted after it."""
        if self._sending is not None:
            self._sending.join(timeout=6)       # a late progress update must not overwrite the answer
        rest = messages
        if self.ts is not None:
            if self.bot._update(self.channel, self.ts, messages[0]):
                rest = messages[1:]
            else:                               # no half-written progress message left behind
                with contextlib.suppress(Exception):
                    self.bot.client.chat_delete(channel=self.channel, ts=self.ts)
        self.bot._post_messages(self.channel, self.thread_ts, rest)


def _from_a_person(message: Mapping[str, Any], bot_user: str | None) -> bool:
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


def _error_reply(error: BaseException, *, channel: str | None) -> str:
    """The one reply a person sees; the detail goes to the log."""
    if isinstance(error, UserInputError):
        log.info("question refused in %s: %s", channel, error)
        return str(error)
    if isinstance(error, IndexEmpty):
        log.error("cannot answer in %s: nothing is ingested (%s)", channel, error)
        return NOTHING_INGESTED
    log.error("answering in %s failed", channel, exc_info=error)
    return APOLOGY


# --- wiring ------------------------------------------------------------------------------------


def _ack(ack: Ack) -> None:
    ack()


def _event_ack() -> None:
    """Events are acknowledged by bolt itself, before any listener code runs."""


def build_app(
    *,
    client: WebClient,
    dossier: Any,
    home: Path,
    signing_secret: str = "",
    hourglass_after: float = HOURGLASS_AFTER,
    llm: Any = None,
    update_every: float = UPDATE_EVERY,
) -> App:
    """The bolt App with every listener. Calls auth.test once (raises BoltError if it fails)."""
    app = App(
        client=client,
        signing_secret=signing_secret,  # explicit, so bolt never reads it from the environment
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("dossier.slack.bolt"),
    )
    bot = SlackBot(client=client, dossier=dossier, home=Path(home), hourglass_after=hourglass_after,
                   llm=llm, update_every=update_every)
    app.event("app_mention")(ack=_event_ack, lazy=[bot.on_app_mention])
    app.event("message")(ack=_event_ack, lazy=[bot.on_message])
    app.event("app_home_opened")(ack=_event_ack, lazy=[bot.on_home_opened])
    app.command("/dossier")(ack=bot.ack_command, lazy=[bot.answer_command])
    app.action(ACTION_SHARE)(ack=_ack, lazy=[bot.share])
    app.action(re.compile(r"^feedback_"))(ack=_ack, lazy=[bot.feedback_click])

    @app.error
    def _on_error(error: Exception) -> None:
        log.error("unhandled error in a Slack listener", exc_info=error)

    return app


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128     # socketserver's default backlog of 5 resets bursts of events


class _LoggingRequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (wsgiref's name)
        log.debug("http %s %s", self.address_string(), format % args)


def http_server(app: App, *, host: str = "0.0.0.0", port: int = 3000) -> WSGIServer:
    """A threaded WSGI server for the Events API, slash commands and interactivity on EVENTS_PATH."""
    return make_server(
        host,
        port,
        SlackRequestHandler(app, path=EVENTS_PATH),
        server_class=_ThreadingWSGIServer,
        handler_class=_LoggingRequestHandler,
    )


def serve(settings: Any, *, http: bool, port: int, host: str = "0.0.0.0") -> int:
    """`dossier slack [--http --host H --port N]`. Returns the process exit code."""
    env = os.environ
    bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
    app_token = env.get("SLACK_APP_TOKEN", "").strip()
    signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip()
    api_url = env.get("SLACK_API_URL", "").strip() or None
    _configure_logging()
    install_redaction([bot_token, app_token, signing_secret, getattr(settings, "llm_key", None)])

    if not bot_token:
        log.error("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from the app's "
                  "OAuth & Permissions page (docs/slack.md)")
        return 2
    if http and not signing_secret:
        log.error("SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request; copy it from "
                  "the app's Basic Information page")
        return 2
    if not http and not app_token:
        log.error("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…, scope "
                  "connections:write); or run `dossier slack --http --port N`")
        return 2

    client = build_client(bot_token, base_url=api_url)
    try:
        identity = client.auth_test()
    except SlackApiError as error:
        log.error(describe("auth.test", error))
        return 2
    except Exception as error:
        log.error("cannot reach Slack at %s: %s: %s", client.base_url, type(error).__name__, error)
        return 2

    from index.engine import Dossier  # the library; imported here so `--help` stays fast
    from index.errors import DossierError

    llm = None
    if getattr(settings, "llm_url", None):
        from index.llm import LLM

        try:
            llm = LLM.from_settings(settings)
        except DossierError as error:
            log.error("%s", error)
            return 2
        log.info("generated answers from %s at %s (extractive after %.1f s)", llm.model, llm.shown_url, llm.timeout)
    try:
        dossier = Dossier.open(settings)
    except Exception as error:
        log.error("cannot open the index under %s: %s", getattr(settings, "home", "?"), error)
        return 2
    try:
        return _run(client, dossier, settings, identity, http=http, port=port, host=host,
                    app_token=app_token, signing_secret=signing_secret, llm=llm)
    finally:
        dossier.close()


def _run(client: WebClient, dossier: Any, settings: Any, identity: Any, *, http: bool, port: int,
         app_token: str, signing_secret: str, llm: Any = None, host: str = "0.0.0.0") -> int:
    try:
        app = build_app(client=client, dossier=dossier, home=Path(settings.home),
                        signing_secret=signing_secret, llm=llm)
    except BoltError as error:
        log.error("cannot start the Slack app: %s", error)
        return 2
    log.info("connected to Slack team %s as bot user %s", identity.get("team"), identity.get("user_id"))

    stop = threading.Event()
    _stop_on_sigterm(stop.set)
    if http:
        try:
            server = http_server(app, host=host, port=port)
        except OSError as error:
            log.error("cannot listen on %s:%d: %s (try another --port, or --host 127.0.0.1)", host, port,
                      error.strerror or error)
            return 2
        log.info("listening for Slack on http://%s:%d%s", host, server.server_port, EVENTS_PATH)
        runner = threading.Thread(target=server.serve_forever, name="slack-http", daemon=True)
        runner.start()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            server.server_close()
        return 0

    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token=app_token)
    try:
        handler.connect()
    except SlackApiError as error:
        log.error("%s (check SLACK_APP_TOKEN: an xapp-… token with connections:write)",
                  describe("apps.connections.open", error))
        return 2
    log.info("connected to Slack over Socket Mode")
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
    return 0


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _stop_on_sigterm(stop: Callable[[], None]) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop())
