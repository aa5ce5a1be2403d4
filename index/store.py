"""Where the index lives: generations on disk, the Chroma collection, and report records.

Every ingest that changes something writes a new generation (a copy of the current one,
then the changes) and switches `CURRENT` to it with an atomic rename. Readers (the bot,
`dossier ask`) only ever open the generation `CURRENT` names, so a crash or `kill -9`
mid-ingest leaves them on the last complete state, and the next ingest starts over from
it. Chroma's embedded client is not process-safe; with generations no process ever opens a
directory that another process writes. With a Chroma server (`--chroma-url`) the vectors
live in one server collection that ingest updates in place, report by report.

A generation directory holds:
  dossier.db     SQLite: meta, files (with their parsed reports), reports, notes, passages
  docstore.json  llama-index docstore: report id -> content hash (what changed)
  bm25/          llama-index BM25Retriever, persisted (bm25s arrays) + ids.json
  chroma/        the embedded Chroma store (not used with a server)
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

from index.config import Settings
from index.errors import IndexEmpty, StoreBusy, StoreMismatch, StoreWriteError, UserInputError
from index.text.urls import shown_url

SCHEMA_VERSION = 1
COLLECTION = "dossier_passages"
KEEP_GENERATIONS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, root TEXT, sha256 TEXT, reports TEXT,
                                  skipped TEXT);
CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY, title TEXT, date TEXT, time TEXT,
                                    authors TEXT, publisher TEXT, sources TEXT, passages INTEGER,
                                    footnotes TEXT, text TEXT, body_end INTEGER, sentences TEXT);
CREATE TABLE IF NOT EXISTS notes (report_id TEXT, marker TEXT, note TEXT,
                                  PRIMARY KEY (report_id, marker));
CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, report_id TEXT, kind TEXT, start INTEGER,
                                     "end" INTEGER, text TEXT, markers TEXT, ordinal INTEGER);
CREATE INDEX IF NOT EXISTS passages_report ON passages (report_id);
"""


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


def connect(gen: Path) -> sqlite3.Connection:
    con = sqlite3.connect(gen / "dossier.db", timeout=30)
    con.executescript(_SCHEMA)
    return con


def read_meta(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def check_compatible(meta: dict[str, str], model: str, dim: int | None, where: Path) -> None:
    """StoreMismatch, with the command to rebuild, when the index was built otherwise."""
    rebuild = f"rebuild with: dossier ingest --rebuild --home {where} PATH..."
    schema = int(meta.get("schema_version", SCHEMA_VERSION))
    if schema != SCHEMA_VERSION:
        newer = "newer" if schema > SCHEMA_VERSION else "older"
        raise StoreMismatch(f"the index at {where} has {'a' if newer == 'newer' else 'an'} {newer} schema (v{schema}; this Dossier reads "
                            f"v{SCHEMA_VERSION}); {rebuild}")
    built = meta.get("model")
    if built and built != model:
        raise StoreMismatch(f"the index at {where} was built with model {built!r} "
                            f"({meta.get('dim', '?')} dims), not {model!r}"
                            f"{f' ({dim} dims)' if dim else ''}; {rebuild}")
    if dim and meta.get("dim") and int(meta["dim"]) != dim:
        raise StoreMismatch(f"the index at {where} holds {meta['dim']}-dim vectors but model {model!r} "
                            f"gives {dim}; {rebuild}")


def close_client(client: Any) -> None:
    """Stop a Chroma client's system (file handles, threads); the next open makes a new one."""
    close = getattr(client, "close", None)
    if close is not None:
        try:
            close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass


def chroma_client(settings: Settings, gen: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        u = urlparse(settings.chroma_url if "://" in settings.chroma_url else "http://" + settings.chroma_url)
        if not u.hostname:
            raise UserInputError(f"--chroma-url {shown_url(settings.chroma_url)!r} is not a URL like http://127.0.0.1:8000")
        try:
            return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https",
                                       settings=chroma_settings)
        except Exception as e:  # noqa: BLE001 - connection failures surface as one line
            reason = str(e).replace(settings.chroma_url, shown_url(settings.chroma_url))
            if u.password:
                reason = reason.replace(u.password, "***")
            raise UserInputError(f"cannot reach the Chroma server at {shown_url(settings.chroma_url)}: "
                                 f"{reason.splitlines()[0] if reason else type(e).__name__}") from None
    return chromadb.PersistentClient(path=str(gen / "chroma"), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    return COLLECTION


@dataclass
class Snapshot:
    """A read-only view of one generation, as the answer path needs it."""

    gen: Path
    con: sqlite3.Connection
    meta: dict[str, str]

    @classmethod
    def open(cls, settings: Settings) -> "Snapshot":
        gen = current_generation(settings.home)
        if gen is None:
            raise IndexEmpty(f"no index at {settings.home}: run `dossier ingest PATH` first "
                             "(or `make run`, which ingests the bundled sample reports)")
        try:
            con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True, check_same_thread=False)
            meta = read_meta(con)
            con.execute("SELECT 1 FROM reports LIMIT 1").fetchall()
        except sqlite3.Error as e:
            raise StoreMismatch(f"the index at {settings.home} is damaged or not a Dossier index ({e}); "
                                f"rebuild with: dossier ingest --rebuild --home {settings.home} PATH...") from None
        check_compatible(meta, settings.model_name, None, settings.home)
        return cls(gen, con, meta)

    def passages(self, ids: list[str]) -> dict[str, dict]:
        if not ids:
            return {}
        q = f'SELECT id, report_id, kind, start, "end", text, markers, ordinal FROM passages WHERE id IN ({",".join("?" * len(ids))})'
        out = {}
        for pid, rid, kind, start, end, text, markers, ordinal in self.con.execute(q, ids):
            out[pid] = {"id": pid, "report_id": rid, "kind": kind, "start": start, "end": end,
                        "text": text, "markers": json.loads(markers), "ordinal": ordinal}
        return out

    def passages_of_report(self, report_id: str) -> list[dict]:
        rows = self.con.execute('SELECT id FROM passages WHERE report_id = ? ORDER BY ordinal', (report_id,))
        ids = [r[0] for r in rows]
        got = self.passages(ids)
        return [got[i] for i in ids]

    def reports(self, ids: list[str] | None = None) -> dict[str, dict]:
        q = "SELECT id, title, date, time, authors, publisher, sources, passages, footnotes FROM reports"
        args: list[str] = []
        if ids is not None:
            q += f" WHERE id IN ({','.join('?' * len(ids))})"
            args = ids
        out = {}
        for rid, title, date, time_, authors, publisher, sources, n, foot in self.con.execute(q, args):
            out[rid] = {"id": rid, "title": title, "date": date, "time": time_,
                        "authors": json.loads(authors), "publisher": publisher,
                        "sources": json.loads(sources), "passages": n, "footnotes": json.loads(foot)}
        return out

    def report_text(self, report_id: str) -> tuple[str, list[tuple[int, int, list[str]]]]:
        """The clean text of a report and its sentences as (start, end, markers)."""
        row = self.con.execute("SELECT text, sentences FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return "", []
        return row[0], [tuple(x) for x in json.loads(row[1])]

    def meta_value(self, key: str) -> str:
        return self.meta.get(key, "")

    def notes(self, report_id: str, markers: list[str] | None = None) -> dict[str, dict]:
        rows = self.con.execute("SELECT marker, note FROM notes WHERE report_id = ?", (report_id,))
        notes = {m: json.loads(n) for m, n in rows}
        if markers is None:
            return notes
        return {m: notes.get(m, {"marker": m, "status": "missing", "text": "", "urls": [],
                                 "dngts": False, "dngts_urls": []}) for m in markers}

    def close(self) -> None:
        self.con.close()
