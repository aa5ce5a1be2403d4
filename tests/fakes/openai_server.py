"""A local fake of an OpenAI-compatible LLM server on 127.0.0.1 (what Ollama, vLLM and
llama.cpp serve): POST /v1/chat/completions, plain or streamed (server-sent events), and
GET /v1/models. It records every request, and how much of each stream the client read.

Streams have the shape llama.cpp's server (llama-cpp-python 0.3.36) was recorded sending
(`tests/fakes/llamacpp/*.sse`, compared by a test): chunked transfer encoding; a first chunk
whose delta holds only the role; one content chunk per token; an SSE comment (": ping - …");
a last chunk with an empty delta and the finish reason; then `data: [DONE]`.

The reply is canned, chosen by the model name the client asks for, and built from the
numbered passages in the prompt, so a "faithful" answer really uses the passages' words:

  faithful          the first sentence of passage [1], then of passage [2], each cited
  invented-number   the first of those, then the second with a number no passage holds
  bad-citation      the first sentence of passage [1], cited as [9] (only 1-5 are shown)
  slow              waits `slow_seconds` before answering anything (not even headers)
  empty             an empty reply
  refusal           "I can't help with that."
  error             HTTP 500 with a JSON error body

and each behaviour of a real server or model that differs from those (measured against
llama.cpp's server with gemma-3-270m; `make llm-check` prints what the real one sent):

  length            faithful, then a third sentence cut mid-way: finish reason "length"
                    (the server's max_tokens, or a reply that fills n_ctx)
  interrupted       faithful's first chunks, then `data: [DONE]` with no finish reason: what
                    llama-cpp-python's server sends when another request arrives mid-stream
  role-only         the role chunk, then `data: [DONE]`: the same, before the first token
  dropped           faithful's first sentence, then the connection closes mid-chunk (the server
                    process died: an incomplete chunked body)
  overflow-stream   HTTP 200, event-stream headers, and an empty body: what llama.cpp's server
                    sends, streaming, when the prompt is longer than its n_ctx
  overflow-400      HTTP 400 {"error": {"code": "context_length_exceeded", …}}: the same, not
                    streaming (and what vLLM sends)
  error-html        HTTP 500 with an HTML page (a reverse proxy in front of the server)
  error-text        HTTP 500 "Internal Server Error" as text/plain (uvicorn's own)
  error-midstream   one content chunk, then `data: {"error": {…}}`
  not-json          HTTP 200 event stream whose data line is not JSON
  html-200          HTTP 200 with a web page instead of an event stream (a wrong --llm-url)
  slow-first-token  headers and the role chunk at once, pings, the content after `slow_seconds`
                    (prompt evaluation, or a request queued behind another: llama.cpp serves one
                    at a time)
  echo              the prompt repeated from "Passages:" on, token by token, for
                    `echo_tokens` tokens: what the base model does (the client should stop reading)
  echo-late         faithful's first sentence, then "Question: …" as the base model goes on
  no-citations      faithful's two sentences without any [n]
  question-echo     the question itself, cited [1]
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.local_server import LocalServer

SCENARIOS = ("faithful", "invented-number", "bad-citation", "slow", "empty", "refusal", "error",
             "length", "interrupted", "role-only", "dropped", "overflow-stream", "overflow-400", "error-html", "error-text",
             "error-midstream", "not-json", "html-200", "slow-first-token", "echo", "echo-late", "no-citations",
             "question-echo")
_PASSAGE = re.compile(r"^\[(\d+)\] (.*) \(([^()]*)\)\n(.+)$", re.MULTILINE)
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?][\"'\u201d\u2019)]*)(?:\s+[A-Z\"\u201c]|$)")
_MARKERS = re.compile(r"\[\d{1,3}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_QUESTION = re.compile(r"^Question: (.+)$", re.MULTILINE)

# What llama-cpp-python 0.3.36 sends for these (recorded; see tests/fakes/llamacpp/).
OVERFLOW_MESSAGE = ("This model's maximum context length is 512 tokens. However, you requested 2168 tokens (2118 in "
                    "the messages, 50 in the completion). Please reduce the length of the messages or completion.")
HTML_500 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
            b"</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


@dataclass
class Request:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    chunks_sent: int = 0          # streamed chunks written before the end or the client closing
    client_closed: bool = False   # the client stopped reading before the stream's end
    finished: bool = False        # the server is done with it


def passages_in(prompt: str) -> dict[int, tuple[str, str, str]]:
    """{n: (title, date, text)} of the numbered passages in a prompt."""
    return {int(m.group(1)): (m.group(2), m.group(3), m.group(4)) for m in _PASSAGE.finditer(prompt)}


def first_sentence(text: str) -> str:
    text = _MARKERS.sub("", text).strip()
    m = _FIRST_SENTENCE.match(text)
    sentence = (m.group(1) if m else text).strip().rstrip("\"'\u201d\u2019)")
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def canned_reply(scenario: str, prompt: str) -> str:
    passages = passages_in(prompt)
    one = first_sentence(passages.get(1, ("", "", "Nothing."))[2])
    two = first_sentence(passages.get(2, passages.get(1, ("", "", "Nothing.")))[2])
    question = (_QUESTION.search(prompt) or re.match(r"(.*)", "What?")).group(1).strip()
    if scenario in ("faithful", "slow-first-token", "interrupted", "error-midstream"):
        return f"{one[:-1]} [1]. {two[:-1]} [2]."
    if scenario == "length":
        return f"{one[:-1]} [1]. {two[:-1]} [2]. The exercises also involved"
    if scenario == "invented-number":
        return f"{one[:-1]} [1]. The operation involved 4,731 troops [2]."
    if scenario == "bad-citation":
        return f"{one[:-1]} [9]."
    if scenario == "refusal":
        return "I can't help with that."
    if scenario == "echo":
        title, date, text = passages.get(1, ("untitled report", "undated", "Nothing."))
        return f"Passages:\n\n[1] {title} ({date})\n{text}\n\n" * 20
    if scenario in ("echo-late", "dropped"):
        return f"{one[:-1]} [1].\n\nQuestion: {question}\nAnswer (each sentence ending with [n]): {two[:-1]} [2]."
    if scenario == "no-citations":
        return f"{one} {two}"
    if scenario == "question-echo":
        return f"{question} [1]"
    return ""


class FakeLLMServer:
    def __init__(self, *, slow_seconds: float = 3.0, stream_seconds: float = 0.0) -> None:
        self.slow_seconds = slow_seconds
        self.stream_seconds = stream_seconds      # spread the streamed reply over this long
        self.echo_tokens = 400                    # the base model goes on until max_tokens
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

    def wait_until_done(self, request: Request, seconds: float = 5.0) -> None:
        """Until the server has stopped writing `request`'s stream (bounded)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not request.finished:
            time.sleep(0.02)


def chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> bytes:
    """One streamed chunk as llama-cpp-python writes it (same keys, same order, same JSON spacing)."""
    body = {"id": "chatcmpl-5f5e7987-3772-4c58-b4e3-5d48b6e4bd8c", "model": model, "created": int(time.time()),
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


def ping() -> bytes:
    return f": ping - {datetime.now(timezone.utc).isoformat(sep=' ')}\n\n".encode()


def tokens(text: str) -> list[str]:
    """The reply in pieces the size of a small model's tokens (a word, a number, a bracket)."""
    return re.findall(r"\s*(?:\w+|[^\w\s])", text) or []


def _handler_for(fake: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"              # chunked streams, as uvicorn sends them

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": s, "object": "model"} for s in SCENARIOS]})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            request = Request(self.path, body, dict(self.headers.items()))
            fake.record(request)
            try:
                self._answer(request, body)
            finally:
                request.finished = True

        def _answer(self, request: Request, body: dict[str, Any]) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            model = str(body.get("model") or "")
            if model == "error":
                self._json(500, {"error": {"message": "the model crashed", "type": "server_error"}})
                return
            if model == "overflow-400":
                self._json(400, {"error": {"message": OVERFLOW_MESSAGE, "type": "invalid_request_error",
                                           "param": "messages", "code": "context_length_exceeded"}})
                return
            if model == "error-html":
                self._raw(500, "text/html", HTML_500)
                return
            if model == "error-text":
                self._raw(500, "text/plain; charset=utf-8", b"Internal Server Error")
                return
            if model == "html-200":
                self._raw(200, "text/html; charset=utf-8", b"<!doctype html><html><body><h1>Open WebUI</h1></body></html>")
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
            self._stream(request, model, reply)

        def _stream(self, request: Request, model: str, reply: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Accel-Buffering", "no")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.close_connection = True
            pieces = tokens(reply)
            if model == "echo":
                pieces = pieces[: fake.echo_tokens]
            finish = "length" if model in ("length", "echo") else "stop"
            try:
                if model == "overflow-stream":
                    self._end()
                    return
                self._send(request, chunk(model, {"role": "assistant"}))
                self._send(request, ping(), count=False)
                if model == "slow-first-token":
                    deadline = time.monotonic() + fake.slow_seconds
                    while time.monotonic() < deadline:
                        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
                        self._send(request, ping(), count=False)
                if model == "not-json":
                    self._send(request, b"data: <html><body>Bad Gateway</body></html>\n\n")
                    self._end()
                    return
                if model == "dropped":
                    pieces = tokens(reply.split("\n\n")[0])
                if model in ("interrupted", "role-only"):
                    pieces = pieces[: len(pieces) // 2] if model == "interrupted" else []
                for n, piece in enumerate(pieces):
                    self._send(request, chunk(model, {"content": piece}))
                    if model == "error-midstream":
                        self._send(request, b'data: {"error": {"message": "llama_decode returned -3", '
                                            b'"type": "server_error"}}\n\n')
                        self._end()
                        return
                    if fake.stream_seconds:
                        time.sleep(fake.stream_seconds / len(pieces))
                if model == "dropped":          # half a chunk, then the socket goes: the process died
                    self.wfile.write(b"1f4\r\ndata: {\"id\": \"chatcmpl")
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                if model not in ("interrupted", "role-only"):
                    self._send(request, chunk(model, {}, finish))
                self._send(request, b"data: [DONE]\n\n", count=False)
                self._end()
            except (BrokenPipeError, ConnectionResetError):
                request.client_closed = True    # the client gave up (its deadline, or it saw enough)

        def _send(self, request: Request, data: bytes, count: bool = True) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            if count:
                request.chunks_sent += 1

        def _end(self) -> None:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._raw(status, "application/json", json.dumps(payload).encode())

        def _raw(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler
