"""The HTTP transport: a threaded WSGI server for the Events API, the slash command and button
clicks, all on one path. bolt verifies every request's signature (401 and nothing run otherwise).

    server = http_server(app, host="0.0.0.0", port=3000)
    server.serve_forever()
"""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger("dossier.slack")

EVENTS_PATH = "/slack/events"


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
