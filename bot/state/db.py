"""Where the bot's state lives: SQLite files under the home (one process, the default) or one
PostgreSQL database (DOSSIER_STATE_URL, for two or more bot processes).

The stores (bot/state/dedupe.py, bot/state/threads.py, bot/state/feedback.py) write one SQL for both:
`?` placeholders, `INSERT … ON CONFLICT`, and `"user"` quoted (a reserved word in PostgreSQL).
Only table definitions differ, so each backend says its `dialect`. Claims rely on the
database's unique constraints, never on a read before the write.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from bot.state.local_db import connect
from index.errors import UserInputError
from index.text.urls import shown_url

# One process creates the tables at a time: two bots starting together would otherwise race
# on PostgreSQL's catalog ("duplicate key value violates unique constraint pg_type…").
_SCHEMA_LOCK = 0x646F7373   # "doss"


@dataclass
class Result:
    rowcount: int
    rows: list[tuple]


class SQLiteDB:
    """A SQLite file; one short-lived connection per statement (bot/state/local_db.py)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def run(self, sql: str, params: Sequence[Any] = ()) -> Result:
        with connect(self.path) as db:
            cur = db.execute(sql, tuple(params))
            return Result(cur.rowcount, cur.fetchall())

    def create(self, statements: Sequence[str]) -> None:
        with connect(self.path) as db:
            for statement in statements:
                db.execute(statement)

    def __repr__(self) -> str:
        return f"SQLiteDB({str(self.path)!r})"


class PostgresDB:
    """A PostgreSQL database shared by every bot process. Autocommit: each statement is its
    own transaction, which is all the stores need (a claim is one INSERT … ON CONFLICT)."""

    dialect = "postgres"

    def __init__(self, url: str, *, pool_size: int = 8, connect_timeout: int = 10) -> None:
        self.url = url
        self._timeout = connect_timeout
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue(maxsize=pool_size)
        self._lock = threading.Lock()
        self.close_all()
        self._put(self._connect())          # fail at start-up, in one line, when it cannot be reached

    def run(self, sql: str, params: Sequence[Any] = ()) -> Result:
        import psycopg

        sql = sql.replace("?", "%s")
        for attempt in (1, 2):
            con = self._take()
            try:
                cur = con.execute(sql, tuple(params))
                result = Result(cur.rowcount, cur.fetchall() if cur.description else [])
            except psycopg.OperationalError:
                con.close()                   # a dropped connection (server restart): one fresh try
                if attempt == 2:
                    raise
                continue
            self._put(con)
            return result
        raise AssertionError("unreachable")

    def create(self, statements: Sequence[str]) -> None:
        con = self._take()
        try:
            with con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                for statement in statements:
                    con.execute(statement)
        finally:
            self._put(con)

    def close_all(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=self._timeout)
        except psycopg.Error as e:
            reason = (str(e).strip().splitlines() or [type(e).__name__])[-1]
            raise UserInputError(f"cannot reach the state database DOSSIER_STATE_URL={shown_url(self.url)}: "
                                 f"{reason}") from None

    def _take(self) -> Any:
        try:
            con = self._idle.get_nowait()
        except queue.Empty:
            return self._connect()
        return con if not con.closed else self._connect()

    def _put(self, con: Any) -> None:
        try:
            self._idle.put_nowait(con)
        except queue.Full:
            con.close()

    def __repr__(self) -> str:
        return f"PostgresDB({shown_url(self.url)!r})"


StateDB = SQLiteDB | PostgresDB


def state_db(url_or_path: str | Path) -> StateDB:
    """PostgresDB for a postgresql:// URL, else SQLiteDB for a file path."""
    text = str(url_or_path)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresDB(text)
    if "://" in text:
        raise UserInputError(f"DOSSIER_STATE_URL={shown_url(text)}: give a postgresql://user@host:port/database URL")
    return SQLiteDB(Path(text))
