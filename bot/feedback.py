"""Feedback on answers: every answer the bot shows, and every helpful / not helpful click on it.

Stored in SQLite under the Dossier home. A button carries only the answer's id (Slack caps a
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

from bot.local_db import connect, feedback_db

KEEP_UNRATED_DAYS = 90  # answers nobody rated are dropped after this; rated ones are kept
_PRUNE_EVERY = 500

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS answers ("
    " id TEXT PRIMARY KEY, created_at TEXT NOT NULL, surface TEXT NOT NULL,"
    " channel TEXT, user TEXT, question TEXT NOT NULL, answer_json TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS feedback ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, answer_id TEXT NOT NULL,"
    " helpful INTEGER NOT NULL, user TEXT, channel TEXT)",
)


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._saved = 0
        with connect(path) as db:
            for statement in _SCHEMA:
                db.execute(statement)

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
        with connect(self.path) as db:
            db.execute(
                "INSERT INTO answers (id, created_at, surface, channel, user, question, answer_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer_id, _now(), surface, channel, user, str(answer.get("question") or ""),
                 json.dumps(answer, ensure_ascii=False)),
            )
            self._saved += 1
            if self._saved % _PRUNE_EVERY == 0:
                cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=KEEP_UNRATED_DAYS))
                db.execute(
                    "DELETE FROM answers WHERE created_at < ? AND id NOT IN (SELECT answer_id FROM feedback)",
                    (cutoff.isoformat(timespec="seconds"),),
                )
        return answer_id

    def answer(self, answer_id: str) -> dict[str, Any] | None:
        with connect(self.path) as db:
            row = db.execute("SELECT answer_json FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def record(self, answer_id: str, *, helpful: bool, user: str | None, channel: str | None) -> None:
        """One click. Every click is kept (a change of mind is a second row, not an update)."""
        with connect(self.path) as db:
            db.execute(
                "INSERT INTO feedback (at, answer_id, helpful, user, channel) VALUES (?, ?, ?, ?, ?)",
                (_now(), answer_id, int(helpful), user, channel),
            )

    def rows(self) -> list[dict[str, Any]]:
        with connect(self.path) as db:
            rows = db.execute(
                "SELECT f.at, f.helpful, f.user, f.channel, f.answer_id, a.surface, a.question,"
                " a.answer_json FROM feedback f LEFT JOIN answers a ON a.id = f.answer_id"
                " ORDER BY f.id"
            ).fetchall()
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
    """Every feedback click with its question, answer and citations (`dossier feedback --json`)."""
    path = feedback_db(Path(settings.home))
    if not path.exists():
        return []
    return FeedbackStore(path).rows()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
