"""Feedback on answers: every answer the bot shows, and every helpful / not helpful click on it.

Stored in SQLite under the Dossier home, or in the shared PostgreSQL database when
DOSSIER_STATE_URL names one (bot/state/db.py). A button carries only the answer's id (Slack caps a
button value at 2,000 characters), so the answer itself (question, sentences, citations) is
saved when it is shown, and a click is recorded against it. `export()` joins the two for
`dossier feedback --json`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any, Mapping

from bot.state.local_db import feedback_db
from bot.state.db import SQLiteDB, StateDB, state_db

KEEP_UNRATED_DAYS = 90  # answers nobody rated are dropped after this; rated ones are kept
_PRUNE_EVERY = 500

_ANSWERS = (
    "CREATE TABLE IF NOT EXISTS answers ("
    ' id TEXT PRIMARY KEY, created_at TEXT NOT NULL, surface TEXT NOT NULL,'
    ' channel TEXT, "user" TEXT, question TEXT NOT NULL, answer_json TEXT NOT NULL)'
)
_FEEDBACK = (
    "CREATE TABLE IF NOT EXISTS feedback ("
    " id {id}, at TEXT NOT NULL, answer_id TEXT NOT NULL,"
    ' helpful INTEGER NOT NULL, "user" TEXT, channel TEXT)'
)
_ID = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgres": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"}


class FeedbackStore:
    def __init__(self, db: StateDB | Path) -> None:
        self.db = db if hasattr(db, "dialect") else SQLiteDB(Path(db))
        self._saved = 0
        self.db.create([_ANSWERS, _FEEDBACK.format(id=_ID[self.db.dialect])])

    @classmethod
    def at_home(cls, home: Path) -> "FeedbackStore":
        return cls(feedback_db(home))

    def save_answer(
        self,
        answer: Mapping[str, Any],
        *,
        surface: str,
        channel: str | None = None,
        user: str | None = None,
    ) -> str:
        """Keep an answer that is about to be shown; returns the id its buttons carry."""
        answer_id = uuid.uuid4().hex
        self.db.run(
            'INSERT INTO answers (id, created_at, surface, channel, "user", question, answer_json)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (answer_id, _now(), surface, channel, user, str(answer.get("question") or ""),
             json.dumps(answer, ensure_ascii=False)),
        )
        self._saved += 1
        if self._saved % _PRUNE_EVERY == 0:
            cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=KEEP_UNRATED_DAYS))
            self.db.run(
                "DELETE FROM answers WHERE created_at < ? AND id NOT IN (SELECT answer_id FROM feedback)",
                (cutoff.isoformat(timespec="seconds"),),
            )
        return answer_id

    def answer(self, answer_id: str) -> dict[str, Any] | None:
        rows = self.db.run("SELECT answer_json FROM answers WHERE id = ?", (answer_id,)).rows
        return json.loads(rows[0][0]) if rows else None

    def record(self, answer_id: str, *, helpful: bool, user: str | None, channel: str | None) -> None:
        """One click. Every click is kept (a change of mind is a second row, not an update)."""
        self.db.run(
            'INSERT INTO feedback (at, answer_id, helpful, "user", channel) VALUES (?, ?, ?, ?, ?)',
            (_now(), answer_id, int(helpful), user, channel),
        )

    def rows(self) -> list[dict[str, Any]]:
        rows = self.db.run(
            'SELECT f.at, f.helpful, f."user", f.channel, f.answer_id, a.surface, a.question,'
            " a.answer_json FROM feedback f LEFT JOIN answers a ON a.id = f.answer_id"
            " ORDER BY f.id"
        ).rows
        out = []
        for at, helpful, user, channel, answer_id, surface, question, answer_json in rows:
            answer = json.loads(answer_json) if answer_json else {}
            out.append({
                "at": at,
                "helpful": bool(helpful),
                "user": user,
                "channel": channel,
                "answer_id": answer_id,
                "surface": surface,
                "question": question,
                "abstained": answer.get("abstained"),
                "answer": answer.get("answer"),
                "citations": answer.get("citations"),
            })
        return out


def export(settings: Any) -> list[dict[str, Any]]:
    """Every feedback click with its question, answer and citations (`dossier feedback --json`):
    from the shared state database when DOSSIER_STATE_URL names one, else from the home."""
    url = getattr(settings, "state_url", None)
    if url:
        return FeedbackStore(state_db(url)).rows()
    path = feedback_db(Path(settings.home))
    if not path.exists():
        return []
    return FeedbackStore(path).rows()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
