"""Start-up: `dossier slack` and `dossier run` with Slack connected. Checks the Slack settings,
says who the bot is, opens the answerer (the index, and the language model if configured), the
state stores (bot/state/stores.py: SQLite under the home, or DOSSIER_STATE_URL's PostgreSQL) and runs
one of the two transports until SIGTERM or Ctrl-C.

    slack = SlackSettings.from_env(os.environ)        # bot/slack/settings.py, read once at the edge
    code = serve(settings, slack, http=False, port=3000)

A configuration problem is one log line that says what to set, and exit code 2.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Any, Callable

from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.client import build_client
from bot.slack.errors import describe, install_redaction
from bot.slack.server import EVENTS_PATH, http_server
from bot.slack.settings import SlackSettings
from bot.slack.wiring import build_app
from bot.state.stores import open_state
from index.answer.answerer import Answerer, answerer_for
from index.errors import DossierError

log = logging.getLogger("dossier.slack")


class _IndexUnavailable(Exception):
    """Dossier.open failed: said apart from a wrong language-model setting."""


def serve(settings: Any, slack: SlackSettings, *, http: bool, port: int, host: str = "0.0.0.0") -> int:
    """`dossier slack [--http --host H --port N]`. Returns the process exit code."""
    _configure_logging()
    install_redaction([*slack.secrets, getattr(settings, "llm_key", None)])

    if not slack.bot_token:
        log.error("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from the app's "
                  "OAuth & Permissions page (docs/slack.md)")
        return 2
    if http and not slack.signing_secret:
        log.error("SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request; copy it from "
                  "the app's Basic Information page")
        return 2
    if not http and not slack.app_token:
        log.error("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…, scope "
                  "connections:write); or run `dossier slack --http --port N`")
        return 2

    client = build_client(slack.bot_token, base_url=slack.api_url)
    try:
        identity = client.auth_test()
    except SlackApiError as error:
        log.error(describe("auth.test", error))
        return 2
    except Exception as error:
        log.error("cannot reach Slack at %s: %s: %s", client.base_url, type(error).__name__, error)
        return 2

    answerer = _open_answerer(settings)
    if answerer is None:
        return 2
    try:
        return _run(client, answerer, settings, slack, identity, http=http, port=port, host=host)
    finally:
        answerer.dossier.close()


def _open_answerer(settings: Any) -> Answerer | None:
    """The answerer the settings ask for, or None (one log line) when it cannot be had."""
    from index.engine import Dossier  # the library; imported here so `--help` stays fast

    def open_dossier() -> Any:
        try:
            return Dossier.open(settings)
        except Exception as error:
            raise _IndexUnavailable(str(error)) from error

    try:
        answerer = answerer_for(settings, open_dossier)
    except _IndexUnavailable as error:
        log.error("cannot open the index under %s: %s", getattr(settings, "home", "?"), error)
        return None
    except DossierError as error:  # the language model's settings
        log.error("%s", error)
        return None
    if answerer.llm is not None:
        llm = answerer.llm
        log.info("generated answers from %s at %s (extractive after %.1f s)", llm.model, llm.shown_url, llm.timeout)
    return answerer


def _run(client: WebClient, answerer: Answerer, settings: Any, slack: SlackSettings, identity: Any, *,
         http: bool, port: int, host: str) -> int:
    try:
        state = open_state(settings)
    except DossierError as error:        # DOSSIER_STATE_URL unreachable or not a PostgreSQL URL
        log.error("%s", error)
        return 2
    try:
        app = build_app(client=client, answerer=answerer, home=Path(settings.home),
                        signing_secret=slack.signing_secret, state=state)
    except BoltError as error:
        log.error("cannot start the Slack app: %s", error)
        return 2
    if getattr(settings, "state_url", None):
        log.info("bot state (dedupe, threads, feedback) in the shared database %r", state.seen.db)
    log.info("connected to Slack team %s as bot user %s", identity.get("team"), identity.get("user_id"))
    from bot.slack.digest import start_digest

    digest = start_digest(client, answerer, settings, slack.digest_channel)   # None without a channel
    try:
        return _serve(app, slack, http=http, port=port, host=host)
    finally:
        if digest is not None:
            digest.stop()


def _serve(app: Any, slack: SlackSettings, *, http: bool, port: int, host: str) -> int:
    """Socket Mode or HTTP until SIGTERM or Ctrl-C."""
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

    handler = SocketModeHandler(app, app_token=slack.app_token)
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
