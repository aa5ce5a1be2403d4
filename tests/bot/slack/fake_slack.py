"""A local fake of the Slack Web API on 127.0.0.1 that records every call.

It answers the methods the bot uses the way Slack does (auth.test with user_id/bot_id/team_id,
chat.postMessage with a ts, chat.update of the bot's own message by ts, conversations.replies from the messages it has seen, …), enforces
Slack's message limits (50 blocks, 3,000 characters per section text, 40,000 for `text`:
`invalid_blocks` / `msg_too_long` when over), checks the bearer token, and can be told to
fail a method (an error code, or HTTP 429 with Retry-After). It also serves response_url
endpoints (/response/<key>) for slash commands and buttons.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.local_server import LocalServer

BOT_TOKEN = "xoxb-1111-2222-fakebottokensecret"
APP_TOKEN = "xapp-1-A0FAKE-3333-fakeapptokensecret"
TEAM_ID = "T0FAKE"
BOT_USER = "U0DOSSIER"
BOT_ID = "B0DOSSIER"

MAX_BLOCKS = 50
MAX_SECTION = 3_000
MAX_TEXT = 40_000
_JSON_PARAMS = {"blocks", "attachments", "view", "metadata"}


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for POSTs to /response/<key>
    args: dict[str, Any]
    token: str | None
    at: float  # time.perf_counter() when the request arrived
    status: int = 200
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.result.get("ok", True))


@dataclass
class _Failure:
    error: str
    times: int
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None


class FakeSlack:
    def __init__(self) -> None:
        self.tokens = {BOT_TOKEN, APP_TOKEN}
        self.ws_url: str | None = None
        self.calls: list[Call] = []
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._http = LocalServer(_handler_for(self), "fake-slack")
        self.port = self._http.port
        self.api_url = f"http://127.0.0.1:{self.port}/api/"

    # -- lifecycle --

    def start(self) -> "FakeSlack":
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self._failures.clear()
            self._messages.clear()
            self.ws_url = None

    # -- arranging --

    def response_url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{key}"

    def fail(
        self,
        method: str,
        error: str,
        *,
        times: int = 1,
        channel: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        """The next `times` calls of `method` (in `channel`, if given) fail with `error`."""
        with self._changed:
            self._failures.setdefault(method, []).append(
                _Failure(error, times, status, headers or {}, extra, channel)
            )

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self.fail(method, "ratelimited", times=times, status=429, headers={"Retry-After": str(retry_after)})

    def add_message(self, channel: str, ts: str, text: str, *, user: str, thread_ts: str | None = None) -> None:
        """A message people wrote, so conversations.replies can return it."""
        message = {"type": "message", "ts": ts, "user": user, "text": text}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._changed:
            self._messages.setdefault(channel, []).append(message)

    # -- inspecting --

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method and _matches(c, match)]

    def posts(self, **match: Any) -> list[Call]:
        """Successful chat.postMessage calls."""
        return [c for c in self.calls_to("chat.postMessage", **match) if c.ok]

    def wait_for(self, method: str, count: int = 1, *, timeout: float = 10.0, ok: bool | None = None, **match: Any) -> list[Call]:
        """Block until `count` matching calls were recorded (bounded), then return them all."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [
                    c for c in self.calls
                    if c.method == method and _matches(c, match) and (ok is None or c.ok == ok)
                ]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.result.get("error")) for c in self.calls]
                    raise AssertionError(f"waited {timeout}s for {count} x {method} {match}; calls: {seen}")
                self._changed.wait(remaining)

    def quiet(self, seconds: float = 0.3) -> None:
        """Wait until no call arrived for `seconds` (to assert that nothing more is posted)."""
        while True:
            with self._changed:
                n = len(self.calls)
                self._changed.wait(seconds)
                if len(self.calls) == n:
                    return

    # -- serving --

    def _handle(self, method: str, args: dict[str, Any], token: str | None) -> tuple[int, dict[str, str], dict[str, Any]]:
        call = Call(method=method, args=args, token=token, at=time.perf_counter())
        status, headers, result = self._answer(method, args, token)
        call.status, call.result = status, result
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return status, headers, result

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> tuple[int, dict[str, str], dict[str, Any]]:
        if method == "response_url":
            error = None if args.get("delete_original") else message_error(args)
            return (400, {}, {"ok": False, "error": error}) if error else (200, {}, {"ok": True})
        if token not in self.tokens:
            return 200, {}, {"ok": False, "error": "not_authed" if not token else "invalid_auth"}
        failure = self._take_failure(method, args.get("channel"))
        if failure:
            return failure.status, failure.headers, {"ok": False, "error": failure.error, **failure.extra}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, handler(args, token)

    def _take_failure(self, method: str, channel: Any) -> _Failure | None:
        with self._changed:
            for failure in self._failures.get(method, []):
                if failure.times > 0 and (failure.channel is None or failure.channel == channel):
                    failure.times -= 1
                    return failure
        return None

    def _next_ts(self) -> str:
        return f"{1_800_000_000 + next(self._ts)}.000100"

    # -- the methods --

    def _m_auth_test(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake Team", "user": "dossier",
                "team_id": TEAM_ID, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_apps_connections_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not (token or "").startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.ws_url}

    def _m_chat_postMessage(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        error = message_error(args)
        if error:
            return {"ok": False, "error": error}
        channel = str(args.get("channel"))
        ts = self._next_ts()
        message = {"type": "message", "ts": ts, "user": BOT_USER, "bot_id": BOT_ID,
                   "text": args.get("text", ""), "blocks": args.get("blocks")}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        with self._changed:
            self._messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_chat_update(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        error = message_error(args)
        if error:
            return {"ok": False, "error": error}
        channel, ts = str(args.get("channel")), str(args.get("ts"))
        with self._changed:
            for message in self._messages.get(channel, []):
                if message["ts"] == ts and message.get("user") == BOT_USER:
                    message.update(text=args.get("text", ""), blocks=args.get("blocks"))
                    return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_delete(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel, ts = str(args.get("channel")), str(args.get("ts"))
        with self._changed:
            messages = self._messages.get(channel, [])
            for i, message in enumerate(messages):
                if message["ts"] == ts and message.get("user") == BOT_USER:
                    del messages[i]
                    return {"ok": True, "channel": channel, "ts": ts}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_postEphemeral(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        error = message_error(args)
        return {"ok": False, "error": error} if error else {"ok": True, "message_ts": self._next_ts()}

    def _m_conversations_replies(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        channel, root = str(args.get("channel")), str(args.get("ts"))
        with self._changed:
            thread = [m for m in self._messages.get(channel, [])
                      if m["ts"] == root or m.get("thread_ts") == root]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": sorted(thread, key=lambda m: float(m["ts"])), "has_more": False}

    def _m_reactions_add(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True}

    def _m_reactions_remove(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"ok": True}

    def _m_views_publish(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        view = args.get("view") or {}
        blocks = view.get("blocks") or []
        if len(blocks) > 100 or any(_block_error(b) for b in blocks):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0FAKE", **view}}



# --- Slack's message limits --------------------------------------------------------------------


def message_error(args: dict[str, Any]) -> str | None:
    """Slack's verdict on a message: None if accepted, else the error code it would return."""
    text, blocks = args.get("text") or "", args.get("blocks") or []
    if not text and not blocks:
        return "no_text"
    if len(text) > MAX_TEXT:
        return "msg_too_long"
    if len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    ids = [b.get("block_id") for b in blocks if b.get("block_id")]
    if len(ids) != len(set(ids)):
        return "invalid_blocks"
    if any(_block_error(b) for b in blocks):
        return "invalid_blocks"
    return None


def _block_error(block: dict[str, Any]) -> str | None:
    kind = block.get("type")
    if kind == "section":
        text = (block.get("text") or {}).get("text") or ""
        return None if 1 <= len(text) <= MAX_SECTION else f"section text length {len(text)}"
    if kind == "header":
        text = (block.get("text") or {}).get("text") or ""
        return None if 1 <= len(text) <= 150 else "header too long"
    if kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 10:
            return "context elements"
        return None if all(1 <= len(e.get("text", "")) <= MAX_SECTION for e in elements) else "context text"
    if kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 25:
            return "actions elements"
        action_ids = [e.get("action_id") for e in elements]
        if len(set(action_ids)) != len(action_ids):
            return "duplicate action_id"
        for e in elements:
            if len((e.get("text") or {}).get("text") or "") > 75 or len(e.get("value") or "") > 2000:
                return "button too long"
        return None
    if kind == "divider":
        return None
    return f"unknown block type {kind}"


def _matches(call: Call, match: dict[str, Any]) -> bool:
    return all(call.args.get(k) == v for k, v in match.items())


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            args: dict[str, Any] = dict(parse_qsl(parts.query))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            if raw:
                if "json" in (self.headers.get("Content-Type") or ""):
                    args.update(json.loads(raw))
                else:
                    args.update(parse_qsl(raw, keep_blank_values=True))
            for key in _JSON_PARAMS & set(args):
                if isinstance(args[key], str):
                    args[key] = json.loads(args[key])
            auth = self.headers.get("Authorization") or ""
            token = auth.removeprefix("Bearer ").strip() or args.pop("token", None)
            if parts.path.startswith("/api/"):
                method = parts.path[len("/api/"):]
            elif parts.path.startswith("/response/"):
                method = "response_url"
                args["_key"] = parts.path[len("/response/"):]
            else:
                self.send_error(404)
                return
            status, headers, result = fake._handle(method, args, token)
            body = json.dumps(result).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler
