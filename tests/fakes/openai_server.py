"""A local fake of an OpenAI-compatible LLM server on 127.0.0.1 (what Ollama, vLLM and
llama.cpp serve): POST /v1/chat/completions, plain or streamed (server-sent events), and
GET /v1/models. It records every request.

The reply is canned, chosen by the model name the client asks for, and built from the
numbered passages in the prompt, so a "faithful" answer really uses the passages' words:

  faithful         the first sentence of passage [1], then of passage [2], each cited
  invented-number  the first of those, then the second with a number no passage holds
  bad-citation     the first sentence of passage [1], cited as [9] (only 1-5 are shown)
  slow             waits `slow_seconds` before answering anything
  empty            an empty reply
  refusal          "I can't help with that."
  error            HTTP 500
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.local_server import LocalServer

SCENARIOS = ("faithful", "invented-number", "bad-citation", "slow", "empty", "refusal", "error")
_PASSAGE = re.compile(r"^\[(\d+)\] (.*) \(([^()]*)\)\n(.+)$", re.MULTILINE)
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?][\"'\u201d\u2019)]*)(?:\s+[A-Z\"\u201c]|$)")
_MARKERS = re.compile(r"\[\d{1,3}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+")


@dataclass
class Request:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


def passages_in(prompt: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(4) for m in _PASSAGE.finditer(prompt)}


def first_sentence(text: str) -> str:
    text = _MARKERS.sub("", text).strip()
    m = _FIRST_SENTENCE.match(text)
    sentence = (m.group(1) if m else text).strip().rstrip("\"'\u201d\u2019)")
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def canned_reply(scenario: str, prompt: str) -> str:
    passages = passages_in(prompt)
    one = first_sentence(passages.get(1, "Nothing."))
    two = first_sentence(passages.get(2, passages.get(1, "Nothing.")))
    if scenario == "faithful":
        return f"{one[:-1]} [1]. {two[:-1]} [2]."
    if scenario == "invented-number":
        return f"{one[:-1]} [1]. The operation involved 4,731 troops [2]."
    if scenario == "bad-citation":
        return f"{one[:-1]} [9]."
    if scenario == "refusal":
        return "I can't help with that."
    return ""


class FakeLLMServer:
    def __init__(self, *, slow_seconds: float = 3.0, stream_seconds: float = 0.0) -> None:
        self.slow_seconds = slow_seconds
        self.stream_seconds = stream_seconds      # spread the streamed reply over this long
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._http = LocalServer(_handler_for(self), "fake-llm")
        self.port = self._http.port
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "FakeLLMServer":
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
        self.stream_seconds = 0.0

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


def _chunk(model: str, content: str | None, finish: str | None = None) -> bytes:
    delta = {} if content is None else {"role": "assistant", "content": content}
    body = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


def _handler_for(fake: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": s, "object": "model"} for s in SCENARIOS]})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.record(Request(self.path, body, dict(self.headers.items())))
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            model = str(body.get("model") or "")
            if model == "error":
                self._json(500, {"error": {"message": "the model crashed", "type": "server_error"}})
                return
            if model == "slow":
                time.sleep(fake.slow_seconds)
            prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages") or [] if m.get("role") == "user")
            reply = canned_reply(model, prompt)
            if not body.get("stream"):
                self._json(200, {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                                 "model": model, "choices": [{"index": 0, "finish_reason": "stop",
                                                              "message": {"role": "assistant", "content": reply}}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            pieces = re.findall(r"\S+\s*", reply) or [""]
            try:
                for piece in pieces:
                    self.wfile.write(_chunk(model, piece))
                    self.wfile.flush()
                    if fake.stream_seconds:
                        time.sleep(fake.stream_seconds / len(pieces))
                self.wfile.write(_chunk(model, None, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass                                   # the client gave up (its deadline): fine

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler
