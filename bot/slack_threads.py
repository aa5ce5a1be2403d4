"""The threads the bot has answered in, so a follow-up without a mention is recognised.

Kept locally (not looked up with conversations.replies on every threaded message in every
channel, which would spend a rate-limited call per message the bot does not care about).
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.local_db import connect


class BotThreads:
    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(path) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS bot_threads ("
                " channel TEXT NOT NULL, thread_ts TEXT NOT NULL, answered_at REAL NOT NULL,"
                " PRIMARY KEY (channel, thread_ts))"
            )

    def add(self, channel: str, thread_ts: str) -> None:
        with connect(self.path) as db:
            db.execute(
                "INSERT OR REPLACE INTO bot_threads (channel, thread_ts, answered_at) VALUES (?, ?, ?)",
                (channel, thread_ts, time.time()),
            )

    def __contains__(self, key: tuple[str, str]) -> bool:
        with connect(self.path) as db:
            row = db.execute(
                "SELECT 1 FROM bot_threads WHERE channel = ? AND thread_ts = ?", key
            ).fetchone()
        return row is not None
