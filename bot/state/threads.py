"""The threads the bot has answered in, so a follow-up without a mention is recognised.

Kept locally (not looked up with conversations.replies on every threaded message in every
channel, which would spend a rate-limited call per message the bot does not care about).
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.state.db import SQLiteDB, StateDB


class BotThreads:
    """Kept where the dedupe claims are (SQLite under the home, or the shared PostgreSQL), so a
    follow-up reaches whichever bot process Slack gives it to."""

    def __init__(self, db: StateDB | Path) -> None:
        self.db = db if hasattr(db, "dialect") else SQLiteDB(Path(db))
        self.db.create([
            "CREATE TABLE IF NOT EXISTS bot_threads ("
            " channel TEXT NOT NULL, thread_ts TEXT NOT NULL, answered_at DOUBLE PRECISION NOT NULL,"
            " PRIMARY KEY (channel, thread_ts))"
        ])

    def add(self, channel: str, thread_ts: str) -> None:
        self.db.run(
            "INSERT INTO bot_threads (channel, thread_ts, answered_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, thread_ts) DO UPDATE SET answered_at = excluded.answered_at",
            (channel, thread_ts, time.time()),
        )

    def __contains__(self, key: tuple[str, str]) -> bool:
        rows = self.db.run("SELECT 1 FROM bot_threads WHERE channel = ? AND thread_ts = ?", key).rows
        return bool(rows)
