"""Speaking Slack to the bot in tests: a running bolt App behind a real HTTP server (wsgiref on
127.0.0.1), signed requests the way Slack sends them, and readers for what Slack was asked to show.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.slack.server import EVENTS_PATH, http_server
from tests.bot.slack.fake_slack import BOT_USER, TEAM_ID, FakeSlack

SIGNING_SECRET = "8f2e1c0d-fake-signing-secret-4b7a"
USER = "U0ALICE"
OTHER_USER = "U0BOB"

_ts_counter = itertools.count(1)


def new_ts() -> str:
    """A message ts no other test has used (the dedupe store remembers every one)."""
    return f"{1_700_000_000 + next(_ts_counter)}.{int(time.time() * 1e6) % 1_000_000:06d}"


@dataclass
class Reply:
    status: int
    body: str
    seconds: float


class SlackSender:
    """Speaks Slack to a bot's endpoint: signed events, slash commands and button clicks.

    Every message it reports is also added to the fake, so conversations.replies finds it.
    """

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.url, self.fake = url, fake
        self._keys = itertools.count(1)

    def settle(self) -> None:
        """Ask a control question and wait for its answer, then for silence: by then anything
        the bot was going to post about earlier events would have been posted."""
        channel = f"D0SETTLE{next(self._keys)}"
        self.message("When did this year's Kavkaz strategic exercise get underway?", channel=channel,
                     channel_type="im")
        self.fake.wait_for("chat.postMessage", channel=channel)
        self.fake.quiet()

    # -- speaking Slack --

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
             *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> Reply:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
        }
        signed.update(headers or {})
        request = urllib.request.Request(self.url, data=body.encode(), headers=signed, method="POST")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read().decode(), time.perf_counter() - start)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), time.perf_counter() - start)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None,
              **kwargs: Any) -> Reply:
        payload = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0FAKE",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._keys):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER, "is_bot": True}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(payload), "application/json", headers, **kwargs)

    def mention(self, question: str, *, channel: str = "C0GENERAL", ts: str | None = None,
                thread_ts: str | None = None, user: str = USER) -> tuple[str, Reply]:
        """A person writes `@Dossier question`: Slack knows the message, the bot gets app_mention."""
        ts = ts or new_ts()
        text = f"<@{BOT_USER}> {question}"
        self.fake.add_message(channel, ts, text, user=user, thread_ts=thread_ts)
        event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel,
                 "event_ts": ts, **({"thread_ts": thread_ts} if thread_ts else {})}
        return ts, self.event(event)

    def message(self, text: str, *, channel: str = "C0GENERAL", ts: str | None = None,
                thread_ts: str | None = None, user: str | None = USER, channel_type: str = "channel",
                **extra: Any) -> tuple[str, Reply]:
        ts = ts or new_ts()
        if user:
            self.fake.add_message(channel, ts, text, user=user, thread_ts=thread_ts)
        event = {"type": "message", "text": text, "ts": ts, "channel": channel, "event_ts": ts,
                 "channel_type": channel_type, **extra}
        if user:
            event["user"] = user
        if thread_ts:
            event["thread_ts"] = thread_ts
        return ts, self.event(event)

    def command(self, text: str, *, channel: str = "C0GENERAL", user: str = USER) -> tuple[str, Reply]:
        key = f"cmd{next(self._keys)}"
        body = urlencode({
            "token": "legacy", "team_id": TEAM_ID, "team_domain": "fake", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": "alice", "command": "/dossier",
            "text": text, "api_app_id": "A0FAKE", "response_url": self.fake.response_url(key),
            "trigger_id": f"trig.{key}",
        })
        return key, self.post(body, "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, *, channel: str = "C0GENERAL", user: str = USER,
              message_ts: str | None = None, ephemeral: bool = False) -> tuple[str, Reply]:
        key = f"act{next(self._keys)}"
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "alice", "team_id": TEAM_ID},
            "api_app_id": "A0FAKE",
            "token": "legacy",
            "container": {"type": "message", "message_ts": message_ts or new_ts(), "channel_id": channel,
                          "is_ephemeral": ephemeral},
            "trigger_id": f"trig.{key}",
            "team": {"id": TEAM_ID, "domain": "fake"},
            "channel": {"id": channel, "name": "general"},
            "response_url": self.fake.response_url(key),
            "actions": [{"action_id": action_id, "block_id": "dossier_actions", "value": value,
                         "type": "button", "action_ts": str(time.time())}],
        }
        return key, self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


class RunningBot(SlackSender):
    """One bolt App served over HTTP on 127.0.0.1 (the server `dossier slack --http` runs)."""

    def __init__(self, app: App, home: Path, fake: FakeSlack) -> None:
        self.app, self.home = app, home
        self.server = http_server(app, host="127.0.0.1", port=0)
        super().__init__(f"http://127.0.0.1:{self.server.server_port}{EVENTS_PATH}", fake)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- reading what Slack was asked to show ------------------------------------------------------


def shown_text(args: dict[str, Any]) -> str:
    """What a person sees in a posted message: section and context texts, button labels."""
    out = []
    for block in args.get("blocks") or []:
        if block["type"] == "section":
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out += [e.get("text", "") for e in block["elements"]]
        elif block["type"] == "actions":
            out += [e["text"]["text"] for e in block["elements"]]
    return "\n".join(out)


def button_value(args: dict[str, Any], action_id: str) -> str:
    for block in args.get("blocks") or []:
        if block["type"] == "actions":
            for element in block["elements"]:
                if element["action_id"] == action_id:
                    return element["value"]
    raise AssertionError(f"no {action_id} button in {shown_text(args)[:300]}")


def wait_listening(process: subprocess.Popen, port: int, timeout: float = 60) -> list[str]:
    """Read a bot process's output until it says it listens on `port`; the lines read so far."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "listening for Slack" in line:
            break
    assert any(f"listening for Slack on http://127.0.0.1:{port}/" in line for line in lines), \
        "bot did not start:\n" + "".join(lines)
    return lines
