"""The store: what one generation holds, written through `Writer` and read through `Snapshot`.

Every ingest that changes something writes a new generation (index/store/generations.py) and
switches `CURRENT` to it atomically. Readers (the bot, `dossier ask`) only ever open the
generation `CURRENT` names, so a crash or `kill -9` mid-ingest leaves them on the last
complete state. Chroma's embedded client is not process-safe; with generations no process
ever opens a directory that another process writes.

With a Chroma server (`--chroma-url`) each home is one corpus: a Chroma tenant named by
`--corpus` / DOSSIER_CORPUS (default derived from the home, recorded in its meta), so homes
sharing a server never see each other's vectors. Inside it the home has one database (named
by the home's token) holding the vectors in layers, collections shared between generations
(index/store/layers.py): an ingest uploads only what it embedded into a new layer, complete
before `CURRENT` switches to the generation, and the generation's `layers.json` lists what it
reads and which vectors it skips. A reader never sees a passage without its vector, nor a
vector without its passage, and a crash mid-ingest leaves the last complete state answering,
as in embedded mode. (A generation from before layers has a database of its own, still read.)

A generation directory holds:
  dossier.db     SQLite (index/store/schema.py): meta, files, reports, notes, passages
  docstore.json  llama-index docstore: report id -> content hash (what ingest diffs against)
  bm25/          the lexical index (index/store/lexical.py)
  vectors.npy    every passage vector as one matrix + vector_ids.json (index/store/vectors.py)
  layers.json    the vector layers it reads, and their dead: embedded, Chroma stores under
                 home/layers/ shared between generations (_EmbeddedLayers); on a server,
                 collections of the database meta["chroma_database"] (_ServerLayers)
  report_layers.json  which layer holds each report's vectors (for the next ingest)
  chroma/        a generation from before embedded layers: its own Chroma store (still read)

The writer takes records with the shape of ingest/model.py's (Report, Passage) and never
needs ingest itself; the schema and the row codecs are index/store/schema.py's.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import urlparse

from index.store import schema
from index.config import Settings, check_corpus
from index.errors import IndexEmpty, StoreMismatch, StoreWriteError, UserInputError
from index.store import layers as layers_mod
from index.store.generations import (LEASE, current_generation, discard, finish_generation, generations_dir,
                                     ingest_lock, new_generation, os_reason)
from index.store.schema import SCHEMA_VERSION, FileRecord
from index.text.urls import shown_url

__all__ = ["SCHEMA_VERSION", "Base", "FileRecord", "Snapshot", "Writer", "check_compatible", "chroma_client",
           "close_client", "collection_name", "connect", "current_generation", "ingest_lock", "open_docstore",
           "os_reason", "read_meta"]

COLLECTION = "dossier_passages"
# How the collections are made: cosine distance, and a wide HNSW search. At Chroma's default
# breadth (ef_search 100) the approximate search lost one of the exact five nearest passages for
# 9 of 154 tune questions on Mueller's 1,909 passages, and two ingests of the same reports ranked
# 13 of 112 questions' top ten differently (the graph is built anew each time); at 500 none was
# lost and both builds ranked every top ten alike, for 0.2 ms more a query there, 3 ms on 200,000
# vectors and 5-7 ms on 1,000,000 (docs/quality.md, eighteenth session). A layer made before keeps its breadth until it is
# merged into a new one or `dossier ingest --rebuild`.
COLLECTION_METADATA = {"hnsw:space": "cosine", "hnsw:search_ef": 500}
CHROMA_FLUSH = 8192        # vectors a writer holds back before adding them to the embedded store


def connect(gen: Path) -> sqlite3.Connection:
    con = sqlite3.connect(gen / "dossier.db", timeout=30)
    con.executescript(schema.DDL)
    schema.add_files_readers(con)
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
    """The Chroma client of generation `gen`: its embedded store, or on a server the client
    bound to the generation's own database in the home's corpus (StoreMismatch when the
    server has lost it)."""
    if settings.chroma_url:
        meta = _gen_meta(gen)
        check_server_of(meta, settings)
        client = server_client(settings, meta["corpus"], meta["chroma_database"])
        listed = layers_mod.read(gen)
        return client if listed is None else _LayeredClient(settings, client, listed)
    listed = layers_mod.read(gen)
    if listed is not None:
        return _EmbeddedLayeredClient(settings, gen, listed)
    return _GenerationClient(_persistent(gen / "chroma"))       # a generation from before embedded layers


def _persistent(path: Path) -> Any:
    """An embedded Chroma client of the store at `path` (clients of one path in one process
    share Chroma's system, counted: closing one leaves the others working)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False,
                                                                             allow_reset=False))


class _GenerationClient:
    """An embedded generation's Chroma client whose collections count once. A reader asks for
    the count with every question, and Chroma counts by a scan (19-33 ms at 150,000 vectors,
    growing with them); a collection a reader gets is a generation's, which is never written
    once current (an ingest writes a new generation). The writer creates its collection
    (get_or_create_collection): not counted once."""

    def __init__(self, client: Any):
        self.client = client

    def get_collection(self, name: str, **kwargs: Any) -> "_CountedCollection":
        return _CountedCollection(self.client.get_collection(name, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


class _CountedCollection:
    def __init__(self, collection: Any):
        self.collection = collection
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.collection.count()
        return self._count

    def __getattr__(self, name: str) -> Any:
        return getattr(self.collection, name)


class _LayeredClient:
    """A client whose passages collection is the generation's layers (index/store/layers.py)."""

    def __init__(self, settings: Settings, client: Any, listed: list[layers_mod.Layer]):
        self.client = client
        try:
            self.collection = layers_mod.LayeredCollection([(client.get_collection(x.name), x) for x in listed])
        except Exception as e:  # noqa: BLE001 - a collection the server lost
            if not _not_found(e):
                raise _unreachable(settings, e) from None
            raise StoreMismatch(f"the Chroma server at {shown_url(settings.chroma_url or '')} has lost a collection "
                                f"the index at {settings.home} reads; rebuild with: dossier ingest --rebuild "
                                f"--home {settings.home} PATH...") from None

    def get_collection(self, name: str, **_: Any) -> layers_mod.LayeredCollection:
        return self.collection

    def close(self) -> None:
        close_client(self.client)


class _EmbeddedLayeredClient:
    """An embedded generation written in layers: one Chroma store per layer under
    home/layers/ (index/store/layers.py), read as one collection. A bot that moves to the next
    generation opens the layers it shares with the previous one again: Chroma's system for
    that path (and its loaded index) is shared, so only the new layers load."""

    def __init__(self, settings: Settings, gen: Path, listed: list[layers_mod.Layer]):
        root = settings.home / layers_mod.DIR
        self.clients: list[Any] = []
        pairs = []
        try:
            for layer in listed:
                if not (root / layer.name).is_dir():
                    built = " on a Chroma server" if _gen_meta(gen).get("chroma_url") else ""
                    raise StoreMismatch(f"the index at {settings.home} was built{built} with vector layers it no longer "
                                        f"has ({root / layer.name}); rebuild with: dossier ingest --rebuild "
                                        f"--home {settings.home} PATH...")
                client = _persistent(root / layer.name)
                self.clients.append(client)
                pairs.append((client.get_collection(COLLECTION), layer))
        except BaseException:
            self.close()
            raise
        self.collection = layers_mod.LayeredCollection(pairs)

    def get_collection(self, name: str, **_: Any) -> layers_mod.LayeredCollection:
        return self.collection

    def close(self) -> None:
        for client in self.clients:
            close_client(client)
        self.clients = []


def _server_address(settings: Settings) -> tuple[str, int, bool]:
    url = settings.chroma_url or ""
    u = urlparse(url if "://" in url else "http://" + url)
    if not u.hostname:
        raise UserInputError(f"--chroma-url {shown_url(url)!r} is not a URL like http://127.0.0.1:8000")
    return u.hostname, u.port or 8000, u.scheme == "https"


def _unreachable(settings: Settings, e: BaseException) -> UserInputError:
    url = settings.chroma_url or ""
    reason = str(e).replace(url, shown_url(url))
    password = urlparse(url if "://" in url else "http://" + url).password
    if password:
        reason = reason.replace(password, "***")
    return UserInputError(f"cannot reach the Chroma server at {shown_url(url)}: "
                          f"{reason.splitlines()[0] if reason else type(e).__name__}")


def _not_found(e: BaseException) -> bool:
    return type(e).__name__ == "NotFoundError" or "not found" in str(e).lower()


def server_client(settings: Settings, corpus: str | None = None, database: str | None = None) -> Any:
    """A client of the `chroma run` server: bound to `corpus`/`database` when given (a missing
    one is StoreMismatch, with the command to rebuild), else to the default namespace."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port, ssl = _server_address(settings)
    where = {"tenant": corpus, "database": database} if corpus and database else {}
    try:
        return chromadb.HttpClient(host=host, port=port, ssl=ssl,
                                   settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False), **where)
    except Exception as e:  # noqa: BLE001 - connection failures surface as one line
        if where and _not_found(e):
            raise StoreMismatch(f"the Chroma server at {shown_url(settings.chroma_url or '')} has no database "
                                f"{database!r} in corpus {corpus!r} (the index at {settings.home} names it); "
                                f"rebuild with: dossier ingest --rebuild --home {settings.home} PATH...") from None
        raise _unreachable(settings, e) from None


def admin_client(settings: Settings) -> Any:
    """Chroma's admin API on the server: corpora (tenants) and generations (databases)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port, ssl = _server_address(settings)
    try:
        return chromadb.AdminClient(ChromaSettings(
            anonymized_telemetry=False, chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=host, chroma_server_http_port=port, chroma_server_ssl_enabled=ssl))
    except Exception as e:  # noqa: BLE001 - connection failures surface as one line
        raise _unreachable(settings, e) from None


def home_token(home: Path) -> str:
    """Which home a database on the server belongs to: a hash of the home's absolute path."""
    return "h" + hashlib.sha1(str(Path(home).expanduser().resolve()).encode()).hexdigest()[:10]


def _gen_meta(gen: Path) -> dict[str, str]:
    try:
        con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)
        try:
            return read_meta(con)
        finally:
            con.close()
    except sqlite3.Error:
        return {}


def collection_name(settings: Settings) -> str:
    """The passages collection: in the generation's store (embedded) or database (server)."""
    return COLLECTION


def _open_read_only(settings: Settings, gen: Path) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only connection to a generation built like `settings` say, and its meta; else
    StoreMismatch with the command to rebuild."""
    try:
        con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True, check_same_thread=False)
        meta = read_meta(con)
        con.execute("SELECT 1 FROM reports LIMIT 1").fetchall()
    except sqlite3.Error as e:
        raise StoreMismatch(f"the index at {settings.home} is damaged or not a Dossier index ({e}); "
                            f"rebuild with: dossier ingest --rebuild --home {settings.home} PATH...") from None
    try:
        check_compatible(meta, settings.model_name, None, settings.home)
        check_corpus_of(meta, settings)
    except StoreMismatch:
        con.close()
        raise
    return con, meta


def moves_to_server(meta: dict[str, str], settings: Settings) -> bool:
    """A Chroma server is named for an index built embedded: its vectors are on no server
    yet. The next ingest writes a generation even when no file changed, uploading every
    vector from the vector copy (nothing is encoded again)."""
    return bool(settings.chroma_url) and not (meta.get("corpus") and meta.get("chroma_database"))


def check_server_of(meta: dict[str, str], settings: Settings) -> None:
    """StoreMismatch, with the command that moves it, when a reader names a Chroma server for
    an index built embedded."""
    if moves_to_server(meta, settings):
        raise StoreMismatch(f"the index at {settings.home} was built without a Chroma server; move it onto the "
                            f"server with: dossier ingest --home {settings.home} --chroma-url "
                            f"{shown_url(settings.chroma_url or '')} PATH... (its vectors are uploaded, not encoded again)")


def check_corpus_of(meta: dict[str, str], settings: Settings) -> None:
    """StoreMismatch when --corpus / DOSSIER_CORPUS names another corpus than the home's."""
    built = meta.get("corpus")
    if settings.chroma_url and settings.corpus and built and built != settings.corpus:
        raise StoreMismatch(f"the index at {settings.home} is corpus {built!r} on the Chroma server, not "
                            f"{settings.corpus!r} (DOSSIER_CORPUS); drop the setting, or move it with: DOSSIER_CORPUS="
                            f"{settings.corpus} dossier ingest --rebuild --home {settings.home} PATH...")


# ------------------------------------------------------------------------------ ingest's view
@dataclass
class Base:
    """What ingest needs of the current generation before it writes the next one."""

    gen: Path
    meta: dict[str, str]
    files: dict[str, FileRecord]
    reports: int

    incremental: bool = True      # rows can be rewritten report by report (it has summaries, or no reports)
    stats: dict[str, tuple] = field(default_factory=dict)     # path -> file_stats row (after the path)

    @classmethod
    def read(cls, settings: Settings, gen: Path) -> "Base":
        """Raises StoreMismatch (before any other read) when another model or schema built it.
        The files' parsed reports (`FileRecord.reports_json`) are not read: they are the bulk of
        the catalogue (137 MB at 10,000 reports) and an edit needs a few of them
        (`file_reports`); every record's other fields are."""
        con, meta = _open_read_only(settings, gen)
        try:
            try:
                rows = con.execute(schema.SELECT_FILES_WITHOUT_REPORTS).fetchall()
            except sqlite3.OperationalError:          # written before files.readers: every file re-read once
                rows = con.execute(schema.SELECT_FILES_BEFORE_READERS).fetchall()
            files = dict(schema.file_record(row) for row in rows)
            reports = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
            try:
                summarised = con.execute("SELECT EXISTS (SELECT 1 FROM summaries)").fetchone()[0]
            except sqlite3.OperationalError:
                summarised = 0
            try:
                stats = {row[0]: tuple(row[1:]) for row in con.execute(schema.SELECT_FILE_STATS)}
            except sqlite3.OperationalError:          # written before file_stats: every file is hashed
                stats = {}
        finally:
            con.close()
        return cls(gen, meta, files, reports, incremental=bool(summarised) or not reports, stats=stats)

    def file_reports(self, paths: Iterable[str]) -> dict[str, str]:
        """Path -> the file's parsed reports (FileRecord.reports_json) for these stored files."""
        con = sqlite3.connect(f"file:{self.gen / 'dossier.db'}?mode=ro", uri=True)
        try:
            return dict(_rows_with_ids(con, "SELECT path, reports FROM files", sorted(paths), column="path"))
        finally:
            con.close()

    def with_reports(self, files: dict[str, FileRecord]) -> dict[str, FileRecord]:
        """`files` with every record read lazily from this generation given its parsed reports."""
        lazy = [k for k, f in files.items() if f.reports_json is None]
        stored = self.file_reports(lazy)
        return {k: f._replace(reports_json=stored[k]) if f.reports_json is None else f for k, f in files.items()}

    def report_sources(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Report id -> the files (paths) its stored copies came from, for these ids."""
        con = sqlite3.connect(f"file:{self.gen / 'dossier.db'}?mode=ro", uri=True)
        try:
            return {rid: json.loads(src or "[]") for rid, src in _rows_with_ids(con, "SELECT id, sources FROM reports",
                                                                                 sorted(ids))}
        finally:
            con.close()

    def passages_differ(self, passages: dict[str, Sequence[Any]]) -> set[str]:
        """The report ids of `passages` (report id -> its passages, ingest/model.py's shape)
        whose rows are not exactly the ones this generation holds for that report: passages made
        anew from the same report text (other readers, another chunking) that must be rewritten."""
        con = sqlite3.connect(f"file:{self.gen / 'dossier.db'}?mode=ro", uri=True)
        try:
            stored: dict[str, list[tuple]] = {}
            for row in _rows_with_ids(con, schema.SELECT_PASSAGES, sorted(passages), column="report_id"):
                stored.setdefault(row[1], []).append(tuple(row))
        finally:
            con.close()
        return {rid for rid, ps in passages.items()
                if sorted(stored.get(rid, [])) != sorted(schema.passage_row(p) for p in ps)}

    @property
    def dim(self) -> int | None:
        return int(self.meta["dim"]) if self.meta.get("dim") else None

    def report_keys(self, ids: Sequence[str]) -> dict[str, tuple]:
        """Report id -> (title, date, text) as this generation holds them (ids it lacks are absent)."""
        con = sqlite3.connect(f"file:{self.gen / 'dossier.db'}?mode=ro", uri=True)
        try:
            return {rid: (title, date, text) for rid, title, date, text
                    in _rows_with_ids(con, "SELECT id, title, date, text FROM reports", ids)}
        finally:
            con.close()


def open_docstore(gen: Path | None) -> Any:
    """The llama-index docstore ingest diffs against (report id -> content hash); empty for
    no generation. `Writer.commit(docstore)` persists the updated one in the next."""
    from llama_index.core.storage.docstore import SimpleDocumentStore

    path = gen / "docstore.json" if gen is not None else None
    return SimpleDocumentStore.from_persist_path(str(path)) if path and path.exists() else SimpleDocumentStore()


# ------------------------------------------------------------------------------ writer
class Writer:
    """A new generation being written: a copy of `base` (or empty), then the changes, then
    `commit()` makes it current. Use as a context manager: on any error the partial
    generation is removed and the current one is untouched; errors of the disk, SQLite or
    Chroma become one StoreWriteError line.

        with Writer(settings, base) as w:
            w.remove_reports(["old-id"])
            w.put_passages(["r1"], passages, vectors)   # per batch: rows, Chroma, the mirror
            w.put_reports(reports, files, dim=384)      # reports, notes, sentences, files, meta
            final = w.commit(docstore)                  # lexical index, mirror, switch CURRENT
    """

    def __init__(self, settings: Settings, base: Path | None, *, rebuild: bool = False):
        from index.store.vectors import NewVectors

        self.settings = settings
        self.home = settings.home
        self._con: sqlite3.Connection | None = None
        self._client: Any = None
        self._new: NewVectors | None = None
        self._server: _ServerLayers | None = None       # server mode's layers
        self._layers: _ServerLayers | None = None       # either mode's (_EmbeddedLayers: embedded)
        self.final: Path | None = None
        # embedded: Chroma's deletes and adds wait here and go in few calls (_flush_chroma); each call
        # into a big persisted collection has a fixed cost (a 1 % edit at 10,000 reports: 8 calls, 3.8 s)
        self._doomed: list[str] = []
        self._adding: list[tuple[list[tuple[str, str]], Any]] = []
        self._adding_ids: set[str] = set()
        self._streamed: dict[str, Any] | None = None      # put_report_batch's change record, written by put_files
        self._gone: set[str] = set()      # passages of the base removed or replaced: their mirror rows go
        self.gen = new_generation(self.home, base)
        try:                                      # from here on any exit, Ctrl-C too, removes the partial generation
            self._new = NewVectors(self.gen)      # this ingest's vectors, on disk until the commit
            if settings.chroma_url:
                self._layers = self._server = _ServerLayers(settings, self.gen, rebuild=rebuild)
            else:
                self._layers = _EmbeddedLayers(settings, self.gen, rebuild=rebuild)
                self._layers.delete_new = self._delete_later     # its adds wait: the delete follows them
            self._con = connect(self.gen)
            self._client = self._layers.create(read_meta(self._con))
            self._collection = self._layers.new_collection
        except BaseException as e:
            self._fail(e)
            raise

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if e is not None:
            self._fail(e)
        elif self.final is None:
            self._close()
            discard(self.gen)                   # left without commit(): nothing changes

    # -------------------------------------------------------------- writes
    def remove_reports(self, report_ids: Iterable[str]) -> None:
        """Forget these reports' passages (rows and vectors)."""
        for rid in report_ids:
            old = [pid for (pid,) in self.con.execute("SELECT id FROM passages WHERE report_id = ?", (rid,))]
            self._gone.update(old)
            self._layers.retire(rid, old)    # the layer holding them keeps them while a reader may need them
            self.con.execute("DELETE FROM passages WHERE report_id = ?", (rid,))

    def put_passages(self, report_ids: Sequence[str], passages: Sequence[Any], vecs: Sequence[Sequence[float]]) -> None:
        """These reports' passages are now exactly `passages`, with `vecs` (one unit vector
        each, same order): old rows and vectors go, the new ones are written."""
        import numpy as np

        ids = list(report_ids)
        placeholders = ",".join("?" * len(ids))
        stored = [r[0] for r in self.con.execute(
            f"SELECT DISTINCT report_id FROM passages WHERE report_id IN ({placeholders})", ids)] if ids else []
        if stored:                               # re-embedded reports: their old vectors go
            old: dict[str, list[str]] = {}
            for pid, rid in self.con.execute(f"SELECT id, report_id FROM passages WHERE report_id IN ({placeholders})",
                                             ids):
                old.setdefault(rid, []).append(pid)
                self._gone.add(pid)
            for rid in stored:                   # kept in their layer while a reader may need them
                self._layers.retire(rid, old.get(rid, []))
        matrix = np.asarray(vecs, dtype=np.float32)   # what Chroma stores too: the same floats
        if len(matrix) != len(passages):
            raise ValueError(f"{len(passages)} passages but {len(matrix)} vectors")
        if self._server is None:
            self._add_later([(p.id, p.report_id) for p in passages], matrix)
        else:
            _add(self._client, self._collection, [(p.id, p.report_id) for p in passages], matrix)
        self.con.executemany("DELETE FROM passages WHERE report_id = ?", [(x,) for x in ids])
        self.con.executemany(schema.INSERT_PASSAGE, [schema.passage_row(p) for p in passages])
        self._new.add([p.id for p in passages], matrix)
        self._layers.wrote(ids)

    def put_reports(self, reports: Sequence[Any], files: dict[str, FileRecord], *, dim: int | None,
                    touched: tuple[set[str], set[str]] | None = None) -> None:
        """Every report of the generation (with its notes and sentences), every file, and the
        meta; the passage counts are those of the passages written so far.

        `touched`: (file paths, report ids) that may differ from the base generation (files
        new, changed or gone, and every report they held before or hold now); only those rows
        are rewritten, the rest stay as copied. None: every row is written (a first ingest, a
        rebuild). At 10,000 reports rewriting them all took 11 s of a 1 % edit's 54."""
        con = self.con
        prior = self._prior_state(None if touched is None else touched[1])
        if touched is None or prior[2]:               # prior[2]: no summaries to keep (see _prior_state)
            paths, ids = set(files), {r.id for r in reports}
            for table in ("reports", "notes", "files"):
                con.execute(f"DELETE FROM {table}")
        else:
            paths, ids = touched
            con.executemany("DELETE FROM reports WHERE id = ?", [(x,) for x in ids])
            con.executemany("DELETE FROM notes WHERE report_id = ?", [(x,) for x in ids])
            con.executemany("DELETE FROM files WHERE path = ?", [(x,) for x in paths])
        counts = dict(con.execute("SELECT report_id, COUNT(*) FROM passages GROUP BY report_id").fetchall())
        written = [r for r in reports if r.id in ids]
        self._report_rows(written, counts)
        self._files_and_meta(files, paths, dim)
        self.put_summaries(written, prior, kept={r.id for r in reports}, rewritten=ids)

    def put_report_batch(self, reports: Sequence[Any]) -> None:
        """A fresh generation written a batch at a time (a first ingest or a rebuild: the
        generation starts empty): these reports' rows, notes and summaries, their passages
        written already; `put_files` ends it. Nothing of a batch stays in memory, so a first
        ingest's peak does not grow with the corpus's reports (docs/scale.md)."""
        con = self.con
        if self._streamed is None:
            baseline = self._prior_state(set())[2]
            self._streamed = self._new_change(baseline)
        ids = [r.id for r in reports]
        counts = dict(_rows_with_ids(con, "SELECT report_id, COUNT(*) FROM passages", ids, column="report_id",
                                     group="report_id"))
        self._report_rows(reports, counts)
        self._summaries(reports, {}, self._streamed)

    def put_files(self, files: dict[str, FileRecord], *, dim: int | None) -> None:
        """Every file and the meta, after the last `put_report_batch`; records what the
        batches added."""
        self._files_and_meta(files, set(files), dim)
        self.con.execute(schema.INSERT_CHANGE, (json.dumps(self._streamed or self._new_change(False)),))

    def _report_rows(self, reports: Sequence[Any], counts: dict[str, int]) -> None:
        for r in reports:
            self.con.execute(schema.INSERT_REPORT, schema.report_row(r, counts.get(r.id, 0)))
            self.con.executemany(schema.INSERT_NOTE, schema.note_rows(r))

    def _files_and_meta(self, files: dict[str, FileRecord], paths: set[str], dim: int | None) -> None:
        con = self.con
        con.executemany(schema.INSERT_FILE, [schema.file_row(k, v) for k, v in files.items() if k in paths])
        meta = {"schema_version": str(SCHEMA_VERSION), "model": self.settings.model_name,
                "chroma_url": self.settings.chroma_url or "",
                **self._layers.meta(),
                "last_ingest": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if dim:
            meta["dim"] = str(dim)
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(meta.items()))

    def put_file_stats(self, upsert: dict[str, tuple], gone: Iterable[str]) -> None:
        """Record what files' stats were when they were hashed (schema.UPSERT_FILE_STAT rows after
        the path); forget the files `gone`."""
        self.con.executemany(schema.UPSERT_FILE_STAT, [(k, *v) for k, v in upsert.items()])
        self.con.executemany("DELETE FROM file_stats WHERE path = ?", [(k,) for k in gone])

    def _prior_state(self, ids: set[str] | None = None) -> tuple[dict[str, dict], dict[str, tuple[str, str]], bool]:
        """The base generation's report states and (title, date)s, read before they are replaced
        (of `ids` only, when given: the only reports an edit can change or remove; reading every
        state took 3 s of a 1 % edit at 10,000 reports), and whether there is nothing to compare
        with although the home had an index (a base from before summaries, or a --rebuild, which
        starts empty): then no news is recorded."""
        con = self.con
        if ids is None:
            before = {rid: schema.report_state(v) for rid, v in con.execute(schema.SELECT_STATES)}
            titles = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, title, date FROM reports")}
        else:
            wanted = sorted(ids)
            before = {rid: schema.report_state(v)
                      for rid, v in _rows_with_ids(con, schema.SELECT_STATES, wanted, column="report_id")}
            titles = {r[0]: (r[1], r[2]) for r in _rows_with_ids(con, "SELECT id, title, date FROM reports", wanted)}
        some_titles = con.execute("SELECT EXISTS (SELECT 1 FROM reports)").fetchone()[0]
        some_states = con.execute("SELECT EXISTS (SELECT 1 FROM summaries)").fetchone()[0]
        copied = con.execute("SELECT COUNT(*) FROM meta").fetchone()[0] > 0
        rebuilt = not copied and current_generation(self.home) is not None
        return before, titles, (bool(some_titles) and not some_states) or rebuilt

    def put_summaries(self, reports: Sequence[Any], prior: tuple[dict[str, dict], dict[str, tuple[str, str]], bool],
                      *, kept: set[str], rewritten: set[str]) -> None:
        """Each of `reports`' extractive summary (index/summary.py), so asking for one is a read;
        and what changed since the base generation (reports added, updated with passages added
        or removed and notes now available, removed), for the new-reports digest. `kept`: every
        report of the generation; `rewritten`: the ids whose summaries are replaced (`reports`
        and the removed ones; the others keep theirs). Called by put_reports once the passages
        are written."""
        con = self.con
        before, titles, baseline = prior
        con.executemany("DELETE FROM summaries WHERE report_id = ?", [(x,) for x in rewritten])
        change = self._new_change(baseline)
        self._summaries(reports, before, change)
        change["removed"] = [{"id": rid, "title": titles.get(rid, ("", ""))[0], "date": titles.get(rid, ("", ""))[1]}
                             for rid in before if rid not in kept]
        con.execute(schema.INSERT_CHANGE, (json.dumps(change),))

    def _new_change(self, baseline: bool) -> dict[str, Any]:
        return {"generation": self.gen.name.split(".")[0], "added": [], "updated": [], "removed": [],
                "baseline": baseline}

    def _summaries(self, reports: Sequence[Any], before: dict[str, dict], change: dict[str, Any]) -> None:
        """Write `reports`' summaries; note in `change` those added or updated since `before`."""
        import hashlib

        from index.summary import summarize

        con = self.con
        for r in reports:
            spans = con.execute('SELECT id, start, "end", text, kind FROM passages WHERE report_id = ? ORDER BY ordinal',
                                (r.id,)).fetchall()
            sentences = summarize(r)
            for sent in sentences:
                sent["passage_id"] = next((pid for pid, a, b, _t, kind in spans
                                           if kind == "body" and a <= sent["start"] and sent["end"] <= b), "")
            notes = sorted(m for m, n in r.notes.items() if n.status == "resolved")
            state = {"passages": sorted(hashlib.sha1(t.encode()).hexdigest()[:16] for *_x, t, _k in spans),
                     "notes": notes}
            con.execute(schema.INSERT_SUMMARY, schema.summary_row(r.id, sentences, state))
            old = before.get(r.id)
            if old is None:
                change["added"].append(r.id)
            elif old != state:
                added = set(state["passages"]) - set(old["passages"])
                gone = set(old["passages"]) - set(state["passages"])
                change["updated"].append({"id": r.id, "passages_added": len(added), "passages_removed": len(gone),
                                          "notes_available": [m for m in notes if m not in old["notes"]]})

    def commit(self, docstore: Any = None) -> Path:
        """Make the generation durable and current: SQL, the vector mirror (embedded store
        only), the lexical index, the docstore; then the switch. Returns its final path."""
        from index.store import lexical, vectors     # not at import: the query path reads without them

        con = self.con
        self._flush_chroma()
        con.commit()
        # the exact, import-light dense search of the cold query path (index/store/vectors.py); on a
        # server also what the new generation's database is filled from. Its rows that go are known
        # (the writes above named them): no set of every passage id (1.7 million at 100,000 reports)
        vectors.update_mirror(self.gen, self._gone, self._new)
        self._layers.finish(con, set(self._new.ids), self.gen)
        self._close_chroma()        # Chroma is complete: its index leaves memory before the lexical build
        lexical.build(self.gen, [pid for (pid,) in con.execute("SELECT id FROM passages ORDER BY id")],
                      self._texts, fresh=set(self._new.ids))
        if docstore is not None:
            docstore.persist(str(self.gen / "docstore.json"))
        self._close()
        self.final = finish_generation(self.home, self.gen)
        self._layers.after_switch(self.final)
        if self._server is not None:
            close_client(self._server.client)
        return self.final

    # -------------------------------------------------------------- internals
    def _delete_later(self, ids: Sequence[str]) -> None:
        if any(pid in self._adding_ids for pid in ids):      # written by this ingest: its add goes first
            self._flush_chroma()
        self._doomed.extend(ids)

    def _add_later(self, rows: list[tuple[str, str]], matrix: Any) -> None:
        self._adding.append((rows, matrix))
        self._adding_ids.update(r[0] for r in rows)
        if len(self._adding_ids) >= CHROMA_FLUSH:
            self._flush_chroma()

    def _flush_chroma(self) -> None:
        """Send the deletes, then the adds, that wait (embedded store only)."""
        import numpy as np

        if self._doomed:
            self._collection.delete(ids=self._doomed)
            self._doomed = []
        if self._adding:
            rows = [r for part, _m in self._adding for r in part]
            _add(self._client, self._collection, rows, np.concatenate([m for _r, m in self._adding]))
            self._adding, self._adding_ids = [], set()

    def _texts(self, ids: list[str]) -> list[str]:
        """The texts of these passages, in the order given."""
        text = dict(_rows_with_ids(self.con, "SELECT id, text FROM passages", ids))
        return [text[pid] for pid in ids]

    @property
    def con(self) -> sqlite3.Connection:
        assert self._con is not None
        return self._con

    def _close(self) -> None:
        if self._new is not None:
            self._new.close()
        if self._con is not None:
            self._con.close()
            self._con = None
        self._close_chroma()

    def _close_chroma(self) -> None:
        if self._client is not None:
            close_client(self._client)
            self._client = self._collection = None

    def _fail(self, e: BaseException) -> None:
        """Remove the partial generation; disk, SQLite and Chroma errors become one line
        (other errors are the caller's to re-raise)."""
        try:
            self._close()
        except Exception:  # noqa: BLE001 - already failing; the partial generation goes anyway
            pass
        discard(self.gen)
        if self._layers is not None:
            self._layers.discard()
        chroma_error = type(e).__module__.split(".")[0] == "chromadb"   # e.g. a full disk in its Rust core
        if isinstance(e, (OSError, sqlite3.Error)) or (chroma_error and not isinstance(e, (StoreMismatch, StoreWriteError))):
            raise StoreWriteError(f"writing the index under {self.home} failed: {os_reason(e)}; "
                                  "the previous index is unchanged") from None


def _rows_with_ids(con: sqlite3.Connection, select: str, ids: Sequence[str], column: str = "id",
                   group: str = "") -> Iterable[tuple]:
    """`select` ("SELECT id, ... FROM table") for the rows whose `column` is one of `ids`, asked
    900 ids at a time (under SQLite's limit on parameters); `group`: GROUP BY this."""
    for a in range(0, len(ids), 900):
        part = list(ids[a:a + 900])
        yield from con.execute(f"{select} WHERE {column} IN ({','.join('?' * len(part))})"
                               + (f" GROUP BY {group}" if group else ""), part)


def _add(client: Any, collection: Any, rows: Sequence[tuple[str, str]], matrix: Any) -> None:
    """Add (passage id, report id) rows with their vectors, in the server's batch size.

    Chroma holds what a query needs and nothing else: the vector, and the report id that
    scoped searches filter on. The passages table holds the texts, markers and pages.
    Chroma indexes every document for full-text search and every metadata value; without
    the texts an add took a third of the CPU (8,000 bench passages: 2.5 s against 6.3 s;
    the collection 17 MB smaller), and one metadata key instead of four 20 % less again."""
    step = max(1, client.get_max_batch_size())
    for i in range(0, len(rows), step):
        chunk = rows[i:i + step]
        collection.add(ids=[r[0] for r in chunk], embeddings=matrix[i:i + step],
                       metadatas=[{"report_id": r[1]} for r in chunk])


class _ServerLayers:
    """The home's database in its corpus (a Chroma tenant) on the server, written in layers
    (index/store/layers.py): this ingest's vectors go into a new collection, the base
    generation's layers are kept as they are, and the passages they replace or remove are
    recorded as dead in the layer that holds them (deleted once no older generation is read).

    `create` also cleans up after a crash (collections no kept generation lists, a dead list
    whose readers are gone); `finish` merges layers as layers.merge_from says and checks that
    the layers hold exactly the generation's passages before `CURRENT` names it; `after_switch`
    deletes the dead vectors and drops what no generation reads any more."""

    def __init__(self, settings: Settings, gen: Path, *, rebuild: bool):
        self.settings = settings
        self.gen = gen
        self.gen_name = gen.name.removesuffix(".partial")
        self.rebuild = rebuild
        self.token = self.database = self.corpus = ""
        self.admin: Any = None
        self.client: Any = None
        self.layers: list[layers_mod.Layer] = []
        self.layer_of: dict[str, str] = {}
        self.new_name = ""
        self.new_collection: Any = None
        self.uploaded = 0                 # vectors this ingest sent to the server (fresh + merged)
        self.complete = False             # layer_of names the layer of every report of the base
        self.delete_new: Callable[[list[str]], None] = lambda ids: self.new_collection.delete(ids=ids)

    def meta(self) -> dict[str, str]:
        return {"corpus": self.corpus, "chroma_database": self.database, "home_token": self.token,
                "chroma_layout": "layers"}

    def create(self, base_meta: dict[str, str]) -> Any:
        """A client bound to the home's database, with the new layer created empty. The corpus
        is the home's (from its meta), else the setting, else derived from the home; a first
        ingest into a corpus that another home's databases live in is a StoreMismatch (unless
        --rebuild)."""
        import secrets

        self.complete = not base_meta         # an empty start (first ingest, rebuild): every vector is fresh
        current = current_generation(self.settings.home)
        known = base_meta if base_meta.get("corpus") else (_gen_meta(current) if current is not None else {})
        recorded = known.get("corpus")
        # recorded at the first ingest: the home keeps its databases when its folder moves
        self.token = known.get("home_token") or home_token(self.settings.home)
        self.database = self.token
        if self.rebuild:                     # a rebuild may move the home to another corpus
            self.corpus = check_corpus(self.settings.corpus or recorded or self.settings.corpus_name)
        else:
            check_corpus_of({"corpus": recorded or ""}, self.settings)
            self.corpus = check_corpus(recorded or self.settings.corpus_name)
        # every corpus this home's generations live in: after_switch cleans them all, also after
        # a rebuild moved the home (the generations naming the old corpus are gone by then)
        self.corpora = {self.corpus} | {_gen_meta(g).get("corpus") or self.corpus for g in self._generations()}
        self.admin = admin_client(self.settings)
        try:
            self.admin.create_tenant(self.corpus)
        except Exception as e:  # noqa: BLE001 - it exists: the usual case
            if "already exists" not in str(e):
                raise
        databases = self._databases()
        others = [d for d in databases if not self._ours(d)]
        if others and not self.rebuild and recorded != self.corpus:     # a first ingest into this corpus
            raise StoreMismatch(f"corpus {self.corpus!r} on the Chroma server at {shown_url(self.settings.chroma_url or '')} "
                                f"belongs to another Dossier home; choose another DOSSIER_CORPUS, or take it over with: "
                                f"DOSSIER_CORPUS={self.corpus} dossier ingest --rebuild --home {self.settings.home} PATH...")
        if self.database not in databases:
            self.admin.create_database(self.database, tenant=self.corpus)
        self.client = server_client(self.settings, self.corpus, self.database)
        same_place = known.get("corpus", self.corpus) == self.corpus and known.get("chroma_database") == self.database
        base = layers_mod.read(self.gen) if same_place else None       # the partial copy of the base (none: rebuild)
        if base is not None:
            names = self._collections()
            missing = [layer.name for layer in base if layer.name not in names]
            if missing:
                raise StoreMismatch(f"the Chroma server at {shown_url(self.settings.chroma_url or '')} has lost "
                                    f"{len(missing)} of the collections the index at {self.settings.home} reads; rebuild "
                                    f"with: dossier ingest --rebuild --home {self.settings.home} PATH...")
            self.layers, self.layer_of = base, layers_mod.read_report_layers(self.gen)
            self.complete = True
        self._clean(before_copy=current)
        self.new_name = f"{self.gen_name}-{secrets.token_hex(3)}"
        self.new_collection = self.client.create_collection(self.new_name, embedding_function=None,
                                                            metadata=COLLECTION_METADATA)
        return self.client

    # -------------------------------------------------------------- as the ingest writes
    def retire(self, report_id: str, old_ids: list[str]) -> None:
        """`report_id`'s passages `old_ids` are replaced or removed in the new generation."""
        layer = self.layer_of.pop(report_id, None)
        if layer == self.new_name and old_ids:            # written twice by this ingest: no reader saw it
            self.delete_new(old_ids)
            return
        for kept in self.layers:
            if kept.name == layer:
                kept.dead.extend(old_ids)

    def wrote(self, report_ids: Sequence[str]) -> None:
        for rid in report_ids:
            self.layer_of[rid] = self.new_name

    def finish(self, con: sqlite3.Connection, fresh: set[str], gen: Path) -> None:
        """Merge what layers.merge_from says into the new layer (vectors from the generation's
        copy), then check that the layers hold exactly the generation's passages and record them."""
        import numpy as np

        from index.store.vectors import load_mirror

        keep = layers_mod.merge_from(self.layers, len(fresh))
        kept = {layer.name for layer in self.layers[:keep]}
        total = con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        if self.complete:             # only the passages of the reports in merged layers: not every row
            merged = sorted(rid for rid, name in self.layer_of.items() if name not in kept and name != self.new_name)
            rows = {r[0]: r for r in _rows_with_ids(con, "SELECT id, report_id FROM passages", merged,
                                                     column="report_id")}
        else:                         # a base from before layers (or another mode's): every row
            rows = {r[0]: r for r in con.execute("SELECT id, report_id FROM passages")}
        upload = {pid for pid, (_p, rid) in rows.items() if pid not in fresh and self.layer_of.get(rid) not in kept}
        mirror = load_mirror(gen) if upload else None
        if mirror is not None:
            ids, matrix = mirror
            todo = [i for i, pid in enumerate(ids) if pid in upload]
            step = 5000                   # bounded memory: the copy is read from disk in blocks
            for i in range(0, len(todo), step):
                block = todo[i:i + step]
                _add(self.client, self.new_collection, [rows[ids[j]] for j in block],
                     np.asarray(matrix[block], dtype=np.float32))
            del matrix
        for pid in upload:
            self.layer_of[rows[pid][1]] = self.new_name
        self.layer_of = {rid: name for rid, name in self.layer_of.items() if name in kept or name == self.new_name}
        new = layers_mod.Layer(self.new_name, self.new_collection.count())
        self.uploaded = new.vectors
        self.layers = self.layers[:keep] + ([new] if new.vectors else [])
        self._check_kept(self.layers[:keep])
        live = sum(layer.live for layer in self.layers)
        if live != total or new.vectors != len(fresh) + len(upload):
            where = "the Chroma server holds" if self.settings.chroma_url else "the vector layers hold"
            raise StoreWriteError(f"{where} {live} vectors for the new index under {self.settings.home} but it has "
                                  f"{total} passages; the previous index is unchanged; if this persists, rebuild with: "
                                  f"dossier ingest --rebuild --home {self.settings.home} PATH...")
        layers_mod.write(gen, self.layers)
        layers_mod.write_report_layers(gen, self.layer_of)

    def _check_kept(self, kept: Sequence[layers_mod.Layer]) -> None:
        for layer in kept:
            stored = self.client.get_collection(layer.name).count()
            if stored != layer.vectors:
                raise StoreWriteError(f"the Chroma server's collection {layer.name!r} holds {stored} vectors, "
                                      f"{layer.vectors} expected; the previous index is unchanged; if this persists, "
                                      f"rebuild with: dossier ingest --rebuild --home {self.settings.home} PATH...")

    # -------------------------------------------------------------- cleaning up
    def after_switch(self, final: Path) -> None:
        """Once `final` is current: delete its dead vectors if no older generation is read, and
        drop every collection and database of this home that no readable generation lists
        (best effort: the next ingest retries what fails here)."""
        try:
            self.client = server_client(self.settings, self.corpus, self.database)   # the writer closed its own
            self._clean(before_copy=None, current=final)
        except Exception:  # noqa: BLE001 - leftovers cost disk on the server, not correctness
            pass

    def _clean(self, *, before_copy: Path | None, current: Path | None = None) -> None:
        """`before_copy`: the current generation while the new one (a copy of it) is being
        written: its dead vectors may go if nothing older is read, and both record that. Also the
        embedded layers of a home moved onto the server, once no readable generation lists them."""
        readable = self._readable()
        try:
            _remove_unlisted_layers(self.settings.home / layers_mod.DIR, readable)
        except OSError:                 # leftovers cost disk, not correctness: the next ingest retries
            pass
        gen = current or before_copy
        here = gen is not None and _gen_meta(gen).get("chroma_database") == self.database     # not embedded
        if here and all(g == gen or g == self.gen for g in readable):
            doomed = [layer for layer in (layers_mod.read(gen) or []) if layer.dead]
            for layer in doomed:
                self.client.get_collection(layer.name).delete(ids=layer.dead)
            if doomed:
                for g in {gen, self.gen} if current is None else {gen}:
                    listed = layers_mod.read(g)
                    if listed is not None:
                        layers_mod.write(g, [layers_mod.Layer(x.name, x.live) for x in listed])
                if current is None:
                    self.layers = [layers_mod.Layer(x.name, x.live) for x in self.layers]
        listed = {(_gen_meta(g).get("corpus") or self.corpus, _gen_meta(g).get("chroma_database"))
                  for g in readable} | {(self.corpus, self.database)}
        names = {layer.name for g in readable for layer in (layers_mod.read(g) or [])}   # an empty new layer is not
        for name in self._collections() - names:
            self.client.delete_collection(name)
        for corpus in sorted(self.corpora):
            for name in self._databases(corpus):
                if self._ours(name, corpus) and (corpus, name) not in listed:
                    self.admin.delete_database(name, tenant=corpus)

    def _ours(self, database: str, corpus: str | None = None) -> bool:
        """This home's database (or, on a --rebuild that takes the corpus over, any in it)."""
        return (database == self.token or database.startswith(self.token + "-")
                or (self.rebuild and (corpus or self.corpus) == self.corpus))

    def _readable(self) -> list[Path]:
        """Generations a reader may still open: whole ones (a replaced one thinned to its
        catalogue has lost its lease file and is never read again), and the one being written."""
        current = current_generation(self.settings.home)
        return [g for g in self._generations() if (g / LEASE).exists() or g == current] + [self.gen]

    def _generations(self) -> list[Path]:
        folder = generations_dir(self.settings.home)
        return [g for g in folder.iterdir() if not g.name.endswith((".partial", ".removing"))] if folder.is_dir() else []

    def discard(self) -> None:
        if self.new_collection is None:
            return
        try:
            self.client.delete_collection(self.new_name)
        except Exception:  # noqa: BLE001 - never created, or already gone
            pass

    def _collections(self) -> set[str]:
        names: set[str] = set()
        while True:                          # listed in pages
            page = self.client.list_collections(limit=100, offset=len(names))
            names |= {c if isinstance(c, str) else c.name for c in page}
            if len(page) < 100:
                return names

    def _databases(self, corpus: str | None = None) -> list[str]:
        names: list[str] = []
        while True:                          # listed in pages
            page = self.admin.list_databases(limit=100, offset=len(names), tenant=corpus or self.corpus)
            names += [d["name"] if isinstance(d, dict) else d.name for d in page]
            if len(page) < 100:
                return names


class _EmbeddedLayers(_ServerLayers):
    """Embedded mode's layers: each layer is an embedded Chroma store of its own,
    home/layers/<name>/, shared by the generations that list it (index/store/layers.py).

    Why: a generation used to hold a whole copy of the Chroma store, and an edit opened that
    copy, which loads the whole HNSW index (2.2 KB a vector: 3.9 GB and most of a 1 % edit's
    77 s at 100,000 reports) to delete and add 1 %. Now an ingest writes only a new layer
    with what it embedded (and what layers.merge_from merges, read from the vector copy);
    the layers it keeps are never opened by the writer nor written by anyone once listed,
    since readers in other processes may have them open (Chroma's embedded store is not
    process-safe). So their dead vectors stay until the layer is rewritten (DEAD_MAX) and
    readers skip them. A layer no readable generation lists (a crash's, or one merged away
    whose last reader left) is removed by the next ingest or at the end of this one."""

    def __init__(self, settings: Settings, gen: Path, *, rebuild: bool):
        super().__init__(settings, gen, rebuild=rebuild)
        self.root = settings.home / layers_mod.DIR

    def meta(self) -> dict[str, str]:
        # a home moved off a server keeps its corpus and token (a move back reuses them), but its
        # vectors are no longer in the server's database: a reader naming the server is told to move it
        return {"chroma_layout": "layers", "chroma_database": ""}

    def create(self, base_meta: dict[str, str]) -> Any:
        """The new layer's store, empty. The base's layers are kept when it was written in
        embedded layers; a base from before them is read from its vector copy (finish)."""
        import secrets

        self.root.mkdir(parents=True, exist_ok=True)
        self.complete = not base_meta         # an empty start (first ingest, rebuild): every vector is fresh
        layered = base_meta.get("chroma_layout") == "layers" and not base_meta.get("chroma_url")
        base = layers_mod.read(self.gen) if layered else None
        if base is not None:
            missing = [layer.name for layer in base if not (self.root / layer.name).is_dir()]
            if missing:
                raise StoreMismatch(f"the index at {self.settings.home} has lost {len(missing)} of its vector layers "
                                    f"({self.root / missing[0]}); rebuild with: dossier ingest --rebuild "
                                    f"--home {self.settings.home} PATH...")
            self.layers, self.layer_of = base, layers_mod.read_report_layers(self.gen)
            self.complete = True
        self._clean()
        self.new_name = f"{self.gen_name}-{secrets.token_hex(3)}"
        self.client = _persistent(self.root / self.new_name)
        self.new_collection = self.client.get_or_create_collection(COLLECTION, embedding_function=None,
                                                                   metadata=COLLECTION_METADATA)
        return self.client

    def _check_kept(self, kept: Sequence[layers_mod.Layer]) -> None:
        """Never opened (a reader may have them open): create() checked they are there."""

    def after_switch(self, final: Path) -> None:
        try:
            self._clean()
        except OSError:               # leftovers cost disk, not correctness: the next ingest retries
            pass

    def _clean(self, **_: Any) -> None:
        """Remove every layer directory that no readable generation lists (the one being
        written lists the base's layers; the new layer is created after this)."""
        _remove_unlisted_layers(self.root, self._readable())

    def discard(self) -> None:
        import shutil

        if self.new_name:
            close_client(self.client)
            shutil.rmtree(self.root / self.new_name, ignore_errors=True)


def _remove_unlisted_layers(root: Path, readable: Sequence[Path]) -> None:
    """Remove every embedded layer directory under `root` that no readable generation lists:
    a crash's, one merged away whose last reader left, or, after a move onto a server, all."""
    import shutil

    if not root.is_dir():             # a home that was never embedded: nothing to read or remove
        return
    listed = {layer.name for g in readable for layer in (layers_mod.read(g) or [])}
    for path in root.iterdir():
        if path.name not in listed:
            shutil.rmtree(path, ignore_errors=True)


# ------------------------------------------------------------------------------ reader
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
        con, meta = _open_read_only(settings, gen)
        return cls(gen, con, meta)

    @classmethod
    def at(cls, settings: Settings, gen: Path) -> "Snapshot":
        """A read-only view of one given generation (the digest reads each new one)."""
        con, meta = _open_read_only(settings, gen)
        return cls(gen, con, meta)

    def passages(self, ids: list[str]) -> dict[str, dict]:
        if not ids:
            return {}
        q = f"{schema.SELECT_PASSAGES} WHERE id IN ({','.join('?' * len(ids))})"
        return {row[0]: schema.passage_dict(row) for row in self.con.execute(q, ids)}

    def passages_of_report(self, report_id: str) -> list[dict]:
        q = f"{schema.SELECT_PASSAGES} WHERE report_id = ? ORDER BY ordinal"
        return [schema.passage_dict(row) for row in self.con.execute(q, (report_id,))]

    def passage_texts(self) -> list[str]:
        """Every passage's text, report by report in reading order (what the bench measures)."""
        return [t for (t,) in self.con.execute("SELECT text FROM passages ORDER BY report_id, ordinal")]

    def reports(self, ids: list[str] | None = None) -> dict[str, dict]:
        q, args = schema.SELECT_SUMMARIES, []
        if ids is not None:
            q += f" WHERE id IN ({','.join('?' * len(ids))})"
            args = ids
        q += schema.REPORT_ORDER                # rows are rewritten per report: order by what they say
        return {row[0]: schema.report_summary(row) for row in self.con.execute(q, args)}

    def report(self, report_id: str) -> dict | None:
        """Everything stored of one report, in ingest.model.Report.to_dict()'s shape."""
        row = self.con.execute(f"{schema.SELECT_REPORTS} WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return None
        notes = self.con.execute("SELECT marker, note FROM notes WHERE report_id = ?", (report_id,)).fetchall()
        return schema.report_record(row, notes)

    def report_text(self, report_id: str) -> tuple[str, list[tuple[int, int, list[str]]]]:
        """The clean text of a report and its sentences as (start, end, markers)."""
        row = self.con.execute("SELECT text, sentences FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return "", []
        return row[0], schema.sentence_spans(row[1])

    def meta_value(self, key: str) -> str:
        return self.meta.get(key, "")

    def passage_ids_of(self, report_ids: list[str]) -> list[str]:
        """The passage ids of these reports (what a scoped lexical search may rank)."""
        if not report_ids:
            return []
        q = f"SELECT id FROM passages WHERE report_id IN ({','.join('?' * len(report_ids))})"
        return [pid for (pid,) in self.con.execute(q, report_ids)]

    def passage_reports(self) -> dict[str, str]:
        """passage id -> report id, for every passage (the exact vector index's scope filter)."""
        return dict(self.con.execute("SELECT id, report_id FROM passages").fetchall())

    def summaries(self, report_ids: list[str] | None = None) -> dict[str, list[dict]]:
        """report id -> its stored summary sentences (index/summary.py, with "passage_id");
        a generation written before summaries existed has none (the caller computes them)."""
        q, args = schema.SELECT_SUMMARY, []
        if report_ids is not None:
            q += f" WHERE report_id IN ({','.join('?' * len(report_ids))})"
            args = report_ids
        try:
            return {rid: schema.summary_sentences(v) for rid, v in self.con.execute(q, args)}
        except sqlite3.OperationalError:
            return {}

    def change(self) -> dict | None:
        """What the ingest that wrote this generation changed (Writer.put_summaries), or None."""
        try:
            row = self.con.execute("SELECT change FROM changes").fetchone()
        except sqlite3.OperationalError:
            return None
        return json.loads(row[0]) if row else None

    def notes(self, report_id: str, markers: list[str] | None = None) -> dict[str, dict]:
        rows = self.con.execute("SELECT marker, note FROM notes WHERE report_id = ?", (report_id,))
        notes = {m: json.loads(n) for m, n in rows}
        if markers is None:
            return notes
        return {m: notes.get(m, schema.missing_note(m)) for m in markers}

    def close(self) -> None:
        self.con.close()
