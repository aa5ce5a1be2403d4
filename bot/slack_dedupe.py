"""Exactly one answer per question: a claim on (channel, message ts), persisted in SQLite.

A mention arrives twice (`app_mention` and its `message` twin, with different event ids) and
Slack retries unacknowledged events, so the key is the question message itself, not the event
id. The claim is taken before answering: at most once, so a crash mid-answer loses that answer
rather than risking two. Stored under the Dossier home, it survives restarts and holds across
several Socket Mode processes sharing one home.
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.local_db import connect

KEEP_SECONDS = 7 * 24 * 3600  # Slack gives up retrying within minutes; a week is plenty
_PRUNE_EVERY = 500


class SeenMessages:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._claims = 0
        with connect(path) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS seen_messages ("
                " channel TEXT NOT NULL, ts TEXT NOT NULL, seen_at REAL NOT NULL,"
                " PRIMARY KEY (channel, ts))"
            )

    def claim(self, channel: str, ts: str) -> bool:
        """True the first time (channel, ts) is seen, False on every later delivery."""
        now = time.time()
        with connect(self.path) as db:
            first = db.execute(
                "INSERT OR IGNORE INTO seen_messages (channel, ts, seen_at) VALUES (?, ?, ?)",
                (channel, ts, now),
            ).rowcount == 1
            self._claims += 1
            if self._claims % _PRUNE_EVERY == 0:
                db.execute("DELETE FROM seen_messages WHERE seen_at < ?", (now - KEEP_SECONDS,))
        return first
