"""Exactly one answer per question: a claim on (channel, message ts), persisted in SQLite.

A mention arrives twice (`app_mention` and its `message` twin, with different event ids) and
Slack retries unacknowledged events, so the key is the question message itself, not the event
id. The claim is taken before answering: at most once, so a crash mid-answer loses that answer
rather than risking two. Stored under the Dossier home (SQLite), or in the PostgreSQL database
every bot process shares (DOSSIER_STATE_URL, bot/state/db.py): the claim is one
`INSERT … ON CONFLICT DO NOTHING` on the primary key, so of two processes given the same
question (a retry sent to the other one) exactly one wins.
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.state.db import SQLiteDB, StateDB

KEEP_SECONDS = 7 * 24 * 3600  # Slack gives up retrying within minutes; a week is plenty
_PRUNE_EVERY = 500


class SeenMessages:
    def __init__(self, db: StateDB | Path) -> None:
        self.db = db if hasattr(db, "dialect") else SQLiteDB(Path(db))
        self._claims = 0
        seen_at = "DOUBLE PRECISION"          # REAL is 4 bytes in PostgreSQL: too coarse for a time
        self.db.create([
            "CREATE TABLE IF NOT EXISTS seen_messages ("
            f" channel TEXT NOT NULL, ts TEXT NOT NULL, seen_at {seen_at} NOT NULL,"
            " PRIMARY KEY (channel, ts))"
        ])

    def claim(self, channel: str, ts: str) -> bool:
        """True the first time (channel, ts) is seen, False on every later delivery."""
        now = time.time()
        first = self.db.run(
            "INSERT INTO seen_messages (channel, ts, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (channel, ts, now),
        ).rowcount == 1
        self._claims += 1
        if self._claims % _PRUNE_EVERY == 0:
            self.db.run("DELETE FROM seen_messages WHERE seen_at < ?", (now - KEEP_SECONDS,))
        return first
