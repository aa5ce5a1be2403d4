"""SQLite files the bot keeps under the Dossier home (dedupe, threads, feedback).

One short-lived connection per operation: cheap at the bot's rates, safe from any thread, and
safe when several bot processes share one home (WAL plus a busy timeout instead of locks).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=10, isolation_level=None)  # autocommit per statement
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=10000")
        yield db
    finally:
        db.close()


def slack_db(home: Path) -> Path:
    """Bot conversation state: which questions were answered, which threads are the bot's."""
    return home / "slack.sqlite3"


def feedback_db(home: Path) -> Path:
    """Answers shown and the helpful / not helpful clicks on them."""
    return home / "feedback.sqlite3"
