"""The bot's state stores, built once at start-up from the settings.

    state = open_state(settings)     # SQLite under settings.home, or DOSSIER_STATE_URL's PostgreSQL
    build_app(..., state=state)

One bot process: the SQLite default. Two or more (two Socket Mode connections, or HTTP servers
behind one URL for a rolling restart): give them all the same DOSSIER_STATE_URL, so a question
Slack delivers (or retries) to any of them is claimed once, and a follow-up in the bot's thread
is recognised by whichever process receives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.state.feedback import FeedbackStore
from bot.state.local_db import feedback_db, slack_db
from bot.state.dedupe import SeenMessages
from bot.state.threads import BotThreads
from bot.state.db import SQLiteDB, state_db


@dataclass
class BotState:
    seen: SeenMessages
    threads: BotThreads
    feedback: FeedbackStore

    @classmethod
    def at_home(cls, home: Path) -> "BotState":
        """SQLite files under the home (the default for one process)."""
        slack = SQLiteDB(slack_db(Path(home)))
        return cls(SeenMessages(slack), BotThreads(slack), FeedbackStore(SQLiteDB(feedback_db(Path(home)))))

    @classmethod
    def shared(cls, url: str) -> "BotState":
        """One database every bot process uses (raises UserInputError, one line, if unreachable)."""
        db = state_db(url)
        return cls(SeenMessages(db), BotThreads(db), FeedbackStore(db))


def open_state(settings: Any) -> BotState:
    url = getattr(settings, "state_url", None)
    return BotState.shared(url) if url else BotState.at_home(Path(settings.home))
