"""eval/model_server.py starts a model server and stops it on every way out. The server here
is a stand-in `llama_cpp.server` module (an HTTP server on the port it is given), written to a
temporary folder: llama-cpp-python is only in `make llm-check`'s own virtualenv."""
from __future__ import annotations

import os
import sys
import textwrap
import urllib.request

import pytest

from eval.model_server import ModelServer

STAND_IN = '''
import argparse, http.server, json, os, sys, time
p = argparse.ArgumentParser()
for flag in ("--model", "--model_alias", "--host", "--port", "--n_ctx", "--n_threads", "--n_threads_batch",
             "--verbose", "--chat_format"):
    p.add_argument(flag)
args = p.parse_args()
if os.environ.get("STAND_IN_FAILS"):
    print("error loading model: no such file", flush=True)
    sys.exit(3)
os.fork() or time.sleep(3600)          # a child in the same process group, as uvicorn's workers
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"data": [{"id": args.model_alias}]}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
http.server.HTTPServer((args.host, int(args.port)), H).serve_forever()
'''


@pytest.fixture()
def stand_in(tmp_path, monkeypatch):
    pkg = tmp_path / "llama_cpp" / "server"
    pkg.mkdir(parents=True)
    (tmp_path / "llama_cpp" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "__main__.py").write_text(textwrap.dedent(STAND_IN))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path


def server(tmp_path) -> ModelServer:
    return ModelServer(python=sys.executable, model_file=tmp_path / "m.gguf", alias="m", log_path=tmp_path / "s.log",
                       ready_seconds=20)


def alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.mark.parametrize("way_out", [None, RuntimeError, KeyboardInterrupt])
def test_the_server_and_its_children_are_stopped_on_every_way_out(stand_in, way_out):
    s = server(stand_in)
    try:
        with s:
            pid = s.proc.pid
            with urllib.request.urlopen(s.url + "/models", timeout=5) as r:
                assert b'"m"' in r.read()
            if way_out:
                raise way_out("stop")
    except (RuntimeError, KeyboardInterrupt):
        pass
    assert s.proc is None and not alive(pid)


def test_a_server_that_dies_while_starting_is_reported_with_its_log(stand_in, monkeypatch):
    monkeypatch.setenv("STAND_IN_FAILS", "1")
    with pytest.raises(RuntimeError, match=r"(?s)exited while starting \(code 3\).*error loading model"):
        with server(stand_in):
            pass
