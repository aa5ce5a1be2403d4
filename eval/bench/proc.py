"""Processes the benchmark measures: a child's wall time and peak RSS, and a Chroma server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Measured:
    cmd: list[str]
    returncode: int
    wall: float             # seconds, start to exit
    peak_rss: int           # bytes: high-water RSS of the child's process tree (polled VmHWM)
    cpu: float              # seconds of CPU (user + system) the child used
    stdout: str
    stderr: str

    def check(self) -> "Measured":
        if self.returncode != 0:
            raise RuntimeError(f"{' '.join(self.cmd[:4])}… exited {self.returncode}: {self.stderr.strip()[-2000:]}")
        return self


def _status_kib(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(field.encode() + b":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree_peak(root: int) -> int:
    """Sum of the high-water RSS (VmHWM) of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _status_kib(pid, "VmHWM") * 1024
        todo.extend(children.get(pid, []))
    return total


def run_measured(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path = REPO,
                 poll: float = 0.05, timeout: float | None = None) -> Measured:
    """Run cmd to completion, polling the high-water RSS of its process tree from /proc.

    Not ru_maxrss: Linux carries the parent's high-water mark into a child across
    fork/vfork + exec, so a child of a bench process that holds a model would report the
    bench's own size. VmHWM belongs to the child's own address space and only grows, so
    polling it misses at most the growth of the last interval. CPU time comes from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, stdin=subprocess.DEVNULL)
        peak = 0
        stop = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_peak(proc.pid))
                stop.wait(poll)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - start
        stop.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(cmd, proc.returncode, wall, peak,
                        usage.ru_utime + usage.ru_stime, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def python_cmd(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def link_encoders(src_home: Path, home: Path) -> None:
    """Give `home` the encoder exports cached under `src_home` (hard links: no second 90 MB copy)."""
    src = Path(src_home) / "encoders"
    if not src.is_dir():
        return
    for f in src.rglob("*"):
        if f.is_file():
            dst = Path(home) / "encoders" / f.relative_to(src)
            dst.parent.mkdir(parents=True, exist_ok=True)
            if not dst.exists():
                try:
                    os.link(f, dst)
                except OSError:
                    shutil.copy2(f, dst)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """``chroma run --path DIR --host 127.0.0.1 --port P`` for the duration of a with-block."""

    def __init__(self, path: Path, port: int | None = None, *, startup_timeout: float = 60.0) -> None:
        self.path, self.port = path, port or free_port()
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.log = path.parent / f"{path.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ChromaServer":
        exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if exe is None:
            raise RuntimeError("the `chroma` command (from the chromadb package) is not installed")
        self.path.mkdir(parents=True, exist_ok=True)
        log = open(self.log, "wb")
        self.proc = subprocess.Popen([exe, "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited {self.proc.returncode}: {self.log.read_text()[-1000:]}")
            if heartbeat(self.url):
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"chroma run did not answer on {self.url} within {self.startup_timeout:.0f} s")

    def peak_rss(self) -> int:
        """High-water RSS of the server's process tree so far, in bytes (0 once it stopped)."""
        return _tree_peak(self.proc.pid) if self.proc and self.proc.poll() is None else 0

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def heartbeat(url: str) -> bool:
    for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
        try:
            with urllib.request.urlopen(url.rstrip("/") + path, timeout=1) as r:
                if r.status == 200:
                    return True
        except OSError:
            continue
    return False
