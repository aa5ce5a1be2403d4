"""Socket Mode end to end: bolt's SocketModeHandler (the one `dossier slack` runs) connects to a
real `websockets` server on 127.0.0.1 that plays Slack: `hello`, then an events_api envelope."""

from __future__ import annotations

import json
import queue
import threading
import time

from slack_bolt.adapter.socket_mode import SocketModeHandler
from websockets.sync.server import serve as ws_serve

from bot.slack.client import build_client
from bot.slack.wiring import build_app
from index.answer.answerer import Answerer
from tests.bot.slack.harness import USER, new_ts, shown_text
from tests.bot.slack.fake_slack import APP_TOKEN, BOT_TOKEN, BOT_USER, TEAM_ID


def envelope(envelope_id: str, channel: str, ts: str, question: str) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0FAKE", "type": "event_callback",
            "event_id": f"Ev{envelope_id}", "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER, "is_bot": True}],
            "event": {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}> {question}",
                      "ts": ts, "channel": channel, "event_ts": ts},
        },
    }


def _let_the_receiver_disconnect(handler, seconds: float = 5.0) -> None:
    """Wait for the client's receive thread, which disconnects when the stream closes, before closing
    from this thread: slack_sdk's builtin `Connection.disconnect` (3.47.0) checks its socket and then
    closes it under its locks, so two threads past the check race and the second raises AttributeError
    on `None.close()` (seen once in CI rehearsal, under load)."""
    session = handler.client.current_session
    deadline = time.monotonic() + seconds
    while session is not None and session.is_active() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_socket_mode_acks_the_envelope_and_posts_the_answer(slack, dossier, tmp_path):
    ts = new_ts()
    question = "When should the Belarusian contingent at Kavkaz-2020 be heading home?"
    from_bot: queue.Queue[dict] = queue.Queue()
    sent_at: list[float] = []

    def play_slack(ws) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A0FAKE"},
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600}}))
        sent_at.append(time.perf_counter())
        ws.send(json.dumps(envelope("env-1", "C0SOCKET", ts, question)))
        for raw in ws:
            from_bot.put(json.loads(raw))

    with ws_serve(play_slack, "127.0.0.1", 0) as server:
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        slack.ws_url = f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket&app_id=A0FAKE"
        app = build_app(client=build_client(BOT_TOKEN, base_url=slack.api_url), answerer=Answerer(dossier),
                        home=tmp_path)
        handler = SocketModeHandler(app, app_token=APP_TOKEN)
        handler.connect()
        try:
            ack = from_bot.get(timeout=10)
            acked_at = time.perf_counter()
            assert ack == {"envelope_id": "env-1"} or ack.get("envelope_id") == "env-1"
            assert acked_at - sent_at[0] < 3.0
            post = slack.wait_for("chat.postMessage", channel="C0SOCKET")[0]
            assert post.args["thread_ts"] == ts
            assert "September 26" in shown_text(post.args)
            opened = slack.calls_to("apps.connections.open")
            assert opened and opened[0].token == APP_TOKEN  # the app-level token, not the bot's
        finally:
            handler.client.auto_reconnect_enabled = False
            server.shutdown()  # first: the client's blocking read returns at once, so close() is quick
            _let_the_receiver_disconnect(handler)
            handler.close()
    slack.quiet()
    assert len(slack.posts(channel="C0SOCKET")) == 1
