"""Generations on disk: every ingest that changes something writes a new generation
directory (a copy of the current one, then the changes) and switches `CURRENT` to it with an
atomic rename, so readers only ever open a complete state. One ingest at a time per home.
"""
from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from index.errors import StoreBusy, StoreWriteError

KEEP_GENERATIONS = 3


def generations_dir(home: Path) -> Path:
    return home / "generations"


def current_generation(home: Path) -> Path | None:
    try:
        name = (home / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    path = generations_dir(home) / name
    return path if path.is_dir() else None


def switch_current(home: Path, gen: Path) -> None:
    tmp = home / f".CURRENT.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(gen.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, home / "CURRENT")
    _fsync_dir(home)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_generation(home: Path, base: Path | None) -> Path:
    """A fresh generation directory: a copy of `base` (or empty), not yet current."""
    gens = generations_dir(home)
    gens.mkdir(parents=True, exist_ok=True)
    for stale in gens.glob("*.partial"):          # left by a crashed ingest
        shutil.rmtree(stale, ignore_errors=True)
    numbers = [int(p.name[1:].split(".")[0]) for p in gens.iterdir() if p.name[1:].split(".")[0].isdigit()]
    name = f"g{(max(numbers) + 1 if numbers else 1):06d}"
    partial = gens / (name + ".partial")
    try:
        if base is not None:
            shutil.copytree(base, partial)
        else:
            partial.mkdir()
    except OSError as e:
        shutil.rmtree(partial, ignore_errors=True)
        raise StoreWriteError(f"cannot write the index under {gens}: {os_reason(e)}; "
                              "the previous index is unchanged") from None
    return partial


def os_reason(e: BaseException) -> str:
    """One short reason for an OSError, a shutil.Error (a list of them) or a SQLite error."""
    import errno

    if isinstance(e, shutil.Error) and e.args and isinstance(e.args[0], list) and e.args[0]:
        why = e.args[0][0][-1]
        return ("disk full (No space left on device)" if "No space left" in str(why) else str(why))[:200]
    if isinstance(e, OSError):
        if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return f"disk full ({e.strerror})"
        return e.strerror or str(e)
    text = str(e)
    if "disk is full" in text or "No space left" in text:
        return "disk full (database or disk is full)"
    return text.splitlines()[0][:200] if text else type(e).__name__


def finish_generation(home: Path, partial: Path) -> Path:
    final = partial.with_name(partial.name.removesuffix(".partial"))
    os.replace(partial, final)
    _fsync_dir(final.parent)
    switch_current(home, final)
    gens = sorted((p for p in generations_dir(home).iterdir() if not p.name.endswith(".partial")),
                  key=lambda p: p.name)
    for old in gens[:-KEEP_GENERATIONS]:
        shutil.rmtree(old, ignore_errors=True)
    return final


@contextmanager
def ingest_lock(home: Path, *, wait: float = 0.0) -> Iterator[None]:
    """One ingest at a time per home; a second one waits up to `wait` seconds, then refuses."""
    import fcntl

    home.mkdir(parents=True, exist_ok=True)
    path = home / "ingest.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    raise StoreBusy(f"another ingest is running on {home} (pid {holder}); "
                                    "wait for it to finish, or pass --wait SECONDS") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def discard(partial: Path) -> None:
    """Remove an unfinished generation (the current one is untouched)."""
    shutil.rmtree(partial, ignore_errors=True)
