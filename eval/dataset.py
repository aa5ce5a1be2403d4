"""Loading the gold data: questions (JSON lines) and footnote maps (eval/gold/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from index.errors import UserInputError

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DEFAULT_QUESTIONS = GOLD_DIR / "questions.jsonl"
FOOTNOTES_DIR = GOLD_DIR / "footnotes"

_KINDS = {"date", "number", "note", "multi", "name"}


def json_lines(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSON-lines file; UserInputError naming
    the file and line when it cannot be read or a line is not JSON."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise UserInputError(f"{path}: cannot read {what} ({e.strerror or e})") from None
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield no, json.loads(line)
        except json.JSONDecodeError as e:
            raise UserInputError(f"{path}:{no}: not JSON ({e.msg})") from None


def load_questions(path: Path) -> list[dict[str, Any]]:
    """The questions of a JSON-lines file, checked for the fields the metrics read.

    Raises UserInputError naming the file and line for anything unusable."""
    path = Path(path)
    questions, seen = [], set()
    for no, q in json_lines(path, "questions"):
        problem = _question_problem(q)
        if problem:
            raise UserInputError(f"{path}:{no}: {problem}")
        if q["id"] in seen:
            raise UserInputError(f"{path}:{no}: duplicate id {q['id']!r}")
        seen.add(q["id"])
        q.setdefault("kinds", [])
        q.setdefault("evidence", [])
        q.setdefault("key_facts", [])
        questions.append(q)
    if not questions:
        raise UserInputError(f"{path}: no questions")
    return questions


def _question_problem(q: Any) -> str | None:
    if not isinstance(q, dict):
        return "a line must be a JSON object"
    if not isinstance(q.get("id"), str) or not isinstance(q.get("question"), str) or not q["question"].strip():
        return "needs a string 'id' and a non-empty 'question'"
    if not isinstance(q.get("answerable"), bool):
        return f"{q['id']}: 'answerable' must be true or false"
    for ev in q.get("evidence") or []:
        if not isinstance(ev, dict) or not isinstance(ev.get("text"), str) or not ev["text"].strip():
            return f"{q['id']}: every evidence needs a non-empty 'text'"
        if not isinstance(ev.get("markers", []), list):
            return f"{q['id']}: evidence 'markers' must be a list"
    for facts in q.get("key_facts") or []:
        if not isinstance(facts, list) or not facts or not all(isinstance(a, str) for a in facts):
            return f"{q['id']}: each key fact is a non-empty list of alias strings"
    if q["answerable"] and not q.get("evidence"):
        return f"{q['id']}: an answerable question needs evidence"
    unknown = set(q.get("kinds") or []) - _KINDS
    if unknown:
        return f"{q['id']}: unknown kinds {sorted(unknown)}"
    return None


def load_gold_maps(directory: Path = FOOTNOTES_DIR) -> dict[str, dict[str, Any]]:
    """{key: footnote map} for every footnotes/<key>.json."""
    maps = {}
    for f in sorted(Path(directory).glob("*.json")):
        try:
            gm = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise UserInputError(f"{f}: unreadable gold footnote map ({e})") from e
        gm.setdefault("markers", {})
        maps[f.stem] = gm
    return maps
