"""A recording proxy on 127.0.0.1 in front of an OpenAI-compatible server: what the server
really sends, byte for byte, and what its streams look like.

    with Recorder("http://127.0.0.1:8080/v1") as rec:      # point Dossier at rec.url
        ...
    rec.exchanges          # each request's body, the status, headers and raw response bytes
    stream_shape(ex.raw)   # chunks, role-only and empty deltas, finish reasons, pings, [DONE]

`make llm-check` puts it between Dossier and llama.cpp's server so the differences from our
fake server (tests/fakes/openai_server.py) are measured, not guessed, and saves the bytes.
The body is relayed as it arrives and closed when the client closes: a client that gives up
at its deadline closes the upstream connection too, as it would without the proxy.
"""
from __future__ import annotations

import http.client
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "trailer", "upgrade",
        "proxy-connection"}


@dataclass
class Exchange:
    method: str
    path: str
    body: bytes
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytes = b""
    first_byte: float | None = None        # seconds from the request to the first body byte
    seconds: float = 0.0
    client_closed: bool = False            # the client stopped reading before the end

    def request_json(self) -> dict[str, Any]:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            return {}


class Recorder:
    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.base_path = parts.path.rstrip("/")
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}{self.base_path}"
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Recorder":
        self._thread = threading.Thread(target=self._http.serve_forever, name="sse-recorder", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._http.shutdown()
        self._http.server_close()

    def _add(self, ex: Exchange) -> None:
        with self._lock:
            self.exchanges.append(ex)


def _handler_for(rec: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"       # the body ends when the connection closes: no re-chunking

        def do_GET(self) -> None:
            self._relay()

        def do_POST(self) -> None:
            self._relay()

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            ex = Exchange(self.command, self.path, body)
            rec._add(ex)
            started = time.monotonic()
            conn = http.client.HTTPConnection(rec.upstream_host, rec.upstream_port, timeout=600)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP | {"host"}}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                ex.status = resp.status
                ex.headers = [(k, v) for k, v in resp.getheaders()]
                self.send_response(resp.status, resp.reason)
                for k, v in ex.headers:
                    if k.lower() not in _HOP:
                        self.send_header(k, v)
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.flush()
                while True:
                    piece = resp.read1(65536)
                    if not piece:
                        break
                    if ex.first_byte is None:
                        ex.first_byte = time.monotonic() - started
                    ex.raw += piece
                    try:
                        self.wfile.write(piece)
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        ex.client_closed = True
                        break
            except (OSError, http.client.HTTPException) as error:
                ex.raw += f"\n[recorder: upstream failed: {type(error).__name__}: {error}]".encode()
            finally:
                ex.seconds = time.monotonic() - started
                conn.close()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


_EVENT_SPLIT = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def stream_shape(raw: bytes) -> dict[str, Any]:
    """What one streamed reply was made of: data chunks, chunks whose delta holds only a role,
    chunks with an empty or missing content, SSE comments (pings), the finish reasons seen,
    whether it ended with [DONE], and anything that was not JSON."""
    shape: dict[str, Any] = {"chunks": 0, "role_only": 0, "empty_delta": 0, "comments": 0, "finish_reasons": [],
                             "done": False, "not_json": 0, "text": ""}
    for event in _EVENT_SPLIT.split(raw):
        for line in event.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith(b":"):
                shape["comments"] += 1
                continue
            if not line.startswith(b"data:"):
                shape["not_json"] += 1
                continue
            data = line[5:].strip()
            if data == b"[DONE]":
                shape["done"] = True
                continue
            try:
                chunk = json.loads(data)
            except ValueError:
                shape["not_json"] += 1
                continue
            shape["chunks"] += 1
            for choice in chunk.get("choices") or []:
                delta = choice.get("delta") or {}
                content = delta.get("content")
                if set(delta) == {"role"}:
                    shape["role_only"] += 1
                elif not content:
                    shape["empty_delta"] += 1
                shape["text"] += content or ""
                if choice.get("finish_reason"):
                    shape["finish_reasons"].append(choice["finish_reason"])
    return shape
