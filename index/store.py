"""The store: what one generation holds, written through `Writer` and read through `Snapshot`.

Every ingest that changes something writes a new generation (index/generations.py) and
switches `CURRENT` to it atomically. Readers (the bot, `dossier ask`) only ever open the
generation `CURRENT` names, so a crash or `kill -9` mid-ingest leaves them on the last
complete state. Chroma's embedded client is not process-safe; with generations no process
ever opens a directory that another process writes. With a Chroma server (`--chroma-url`)
the vectors live in one server collection that ingest updates in place, report by report.

A generation directory holds:
  dossier.db     SQLite (index/schema.py): meta, files, reports, notes, passages
  docstore.json  llama-index docstore: report id -> content hash (what ingest diffs against)
  bm25/          the lexical index (index/lexical.py)
  vectors.npy    every passage vector as one matrix + vector_ids.json (index/vectors.py)
  chroma/        the embedded Chroma store (not used with a server)

The writer takes records with the shape of ingest/model.py's (Report, Passage) and never
needs ingest itself; the schema and the row codecs are index/schema.py's.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable, Sequence
from urllib.parse import urlparse

from index import schema
from index.config import Settings
from index.errors import IndexEmpty, StoreMismatch, StoreWriteError, UserInputError
from index.generations import current_generation, discard, finish_generation, ingest_lock, new_generation, os_reason
from index.schema import SCHEMA_VERSION, FileRecord
from index.text.urls import shown_url

__all__ = ["SCHEMA_VERSION", "Base", "FileRecord", "Snapshot", "Writer", "check_compatible", "chroma_client",
           "close_client", "collection_name", "connect", "current_generation", "ingest_lock", "open_docstore",
           "os_reason", "read_meta"]

COLLECTION = "dossier_passages"


def connect(gen: Path) -> sqlite3.Connection:
    con = sqlite3.connect(gen / "dossier.db", timeout=30)
    con.executescript(schema.DDL)
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
    except StoreMismatch:
        con.close()
        raise
    return con, meta


# ------------------------------------------------------------------------------ ingest's view
@dataclass
class Base:
    """What ingest needs of the current generation before it writes the next one."""

    gen: Path
    meta: dict[str, str]
    files: dict[str, FileRecord]
    reports: int

    @classmethod
    def read(cls, settings: Settings, gen: Path) -> "Base":
        """Raises StoreMismatch (before any other read) when another model or schema built it."""
        con, meta = _open_read_only(settings, gen)
        try:
            files = dict(schema.file_record(row) for row in con.execute(schema.SELECT_FILES))
            reports = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        finally:
            con.close()
        return cls(gen, meta, files, reports)

    @property
    def dim(self) -> int | None:
        return int(self.meta["dim"]) if self.meta.get("dim") else None


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
        self.settings = settings
        self.home = settings.home
        self.gen = new_generation(self.home, base)
        self._con: sqlite3.Connection | None = None
        self._client: Any = None
        self._new_ids: list[str] = []
        self._new_blocks: list[Any] = []
        self.final: Path | None = None
        try:
            self._con = connect(self.gen)
            self._client = chroma_client(settings, self.gen)
            if rebuild and settings.chroma_url:
                try:
                    self._client.delete_collection(collection_name(settings))
                except Exception:  # noqa: BLE001 - absent collection
                    pass
            self._collection = self._client.get_or_create_collection(
                collection_name(settings), embedding_function=None, metadata={"hnsw:space": "cosine"})
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
            self._collection.delete(where={"report_id": rid})
            self.con.execute("DELETE FROM passages WHERE report_id = ?", (rid,))

    def put_passages(self, report_ids: Sequence[str], passages: Sequence[Any], vecs: Sequence[Sequence[float]]) -> None:
        """These reports' passages are now exactly `passages`, with `vecs` (one unit vector
        each, same order): old rows and vectors go, the new ones are written."""
        import numpy as np

        ids = list(report_ids)
        placeholders = ",".join("?" * len(ids))
        stored = [r[0] for r in self.con.execute(
            f"SELECT DISTINCT report_id FROM passages WHERE report_id IN ({placeholders})", ids)] if ids else []
        if stored:                               # re-embedded reports: their old vectors go first
            self._collection.delete(where={"report_id": {"$in": stored}} if len(stored) > 1
                                    else {"report_id": stored[0]})
        matrix = np.asarray(vecs, dtype=np.float32)   # what Chroma stores too: the same floats
        if len(matrix) != len(passages):
            raise ValueError(f"{len(passages)} passages but {len(matrix)} vectors")
        step = max(1, self._client.get_max_batch_size())
        for i in range(0, len(passages), step):
            chunk = passages[i:i + step]
            self._collection.add(
                ids=[p.id for p in chunk], embeddings=matrix[i:i + step],
                documents=[p.text for p in chunk],
                # markers and pages are lists, which Chroma metadata cannot hold in every
                # version: the passages table is their truth. document_id is what a
                # llama-index ChromaVectorStore over this collection deletes by.
                metadatas=[{"report_id": p.report_id, "document_id": p.report_id, "kind": p.kind,
                            "ordinal": p.ordinal} for p in chunk])
        self.con.executemany("DELETE FROM passages WHERE report_id = ?", [(x,) for x in ids])
        self.con.executemany(schema.INSERT_PASSAGE, [schema.passage_row(p) for p in passages])
        self._new_ids.extend(p.id for p in passages)
        self._new_blocks.append(matrix)

    def put_reports(self, reports: Sequence[Any], files: dict[str, FileRecord], *, dim: int | None) -> None:
        """Every report of the generation (with its notes and sentences), every file, and the
        meta; the passage counts are those of the passages written so far."""
        con = self.con
        prior = self._prior_state()
        con.execute("DELETE FROM reports")
        con.execute("DELETE FROM notes")
        counts = dict(con.execute("SELECT report_id, COUNT(*) FROM passages GROUP BY report_id").fetchall())
        for r in reports:
            con.execute(schema.INSERT_REPORT, schema.report_row(r, counts.get(r.id, 0)))
            con.executemany(schema.INSERT_NOTE, schema.note_rows(r))
        con.execute("DELETE FROM files")
        con.executemany(schema.INSERT_FILE, [schema.file_row(k, v) for k, v in files.items()])
        meta = {"schema_version": str(SCHEMA_VERSION), "model": self.settings.model_name,
                "chroma_url": self.settings.chroma_url or "",
                "last_ingest": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if dim:
            meta["dim"] = str(dim)
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(meta.items()))
        self.put_summaries(reports, prior)

    def _prior_state(self) -> tuple[dict[str, dict], dict[str, tuple[str, str]], bool]:
        """The base generation's report states and (title, date)s, read before they are replaced,
        and whether there is nothing to compare with although the home had an index (a base
        from before summaries, or a --rebuild, which starts empty): then no news is recorded."""
        con = self.con
        before = {rid: schema.report_state(v) for rid, v in con.execute(schema.SELECT_STATES)}
        titles = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, title, date FROM reports")}
        copied = con.execute("SELECT COUNT(*) FROM meta").fetchone()[0] > 0
        rebuilt = not copied and current_generation(self.home) is not None
        return before, titles, (bool(titles) and not before) or rebuilt

    def put_summaries(self, reports: Sequence[Any],
                      prior: tuple[dict[str, dict], dict[str, tuple[str, str]], bool]) -> None:
        """Each report's extractive summary (index/summary.py), so asking for one is a read; and
        what changed since the base generation (reports added, updated with passages added or
        removed and notes now available, removed), for the new-reports digest. Called by
        put_reports once the passages are written."""
        import hashlib

        from index.summary import summarize

        con = self.con
        before, titles, baseline = prior
        con.execute("DELETE FROM summaries")
        change: dict[str, Any] = {"generation": self.gen.name.split(".")[0], "added": [], "updated": [],
                                  "removed": [], "baseline": baseline}
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
        kept = {r.id for r in reports}
        change["removed"] = [{"id": rid, "title": titles.get(rid, ("", ""))[0], "date": titles.get(rid, ("", ""))[1]}
                             for rid in before if rid not in kept]
        con.execute(schema.INSERT_CHANGE, (json.dumps(change),))

    def commit(self, docstore: Any = None) -> Path:
        """Make the generation durable and current: SQL, the vector mirror (embedded store
        only), the lexical index, the docstore; then the switch. Returns its final path."""
        from index import lexical, vectors     # not at import: the query path reads without them

        con = self.con
        con.commit()
        if not self.settings.chroma_url:
            # the exact, import-light dense search of the cold query path (index/vectors.py)
            live = {r[0] for r in con.execute("SELECT id FROM passages")}
            vectors.update_mirror(self.gen, live, self._new_ids, self._new_blocks)
        lexical.build(self.gen, con.execute("SELECT id, text FROM passages ORDER BY id").fetchall())
        if docstore is not None:
            docstore.persist(str(self.gen / "docstore.json"))
        self._close()
        self.final = finish_generation(self.home, self.gen)
        return self.final

    # -------------------------------------------------------------- internals
    @property
    def con(self) -> sqlite3.Connection:
        assert self._con is not None
        return self._con

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
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
        chroma_error = type(e).__module__.split(".")[0] == "chromadb"   # e.g. a full disk in its Rust core
        if isinstance(e, (OSError, sqlite3.Error)) or (chroma_error and not isinstance(e, (StoreMismatch, StoreWriteError))):
            raise StoreWriteError(f"writing the index under {self.home} failed: {os_reason(e)}; "
                                  "the previous index is unchanged") from None


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
