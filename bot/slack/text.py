"""Slack mrkdwn in both directions: escaping what we send, reading what people typed.

Slack treats `&`, `<` and `>` as control characters in every text field. Anything that comes
from a report or a user is escaped before it is sent, so `<!channel>` in a report is shown,
not executed. Incoming message text arrives escaped and with `<@U…>` / `<#C…|name>` / `<url|label>`
markup; `plain()` turns it back into what the person typed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_MARKUP = re.compile(r"<([^<>]*)>")
_SPACES = re.compile(r"\s+")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def escape(text: str) -> str:
    """Escape the three characters Slack reads as markup (`&` first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """Inline code: shown verbatim, never auto-linked. Backticks would end the span early."""
    return "`" + escape(text.replace("`", "'").replace("\n", " ")) + "`"


def mention(user_id: str | None) -> str:
    """`<@U…>` for a real Slack user id, else an empty string (never echo arbitrary markup)."""
    if user_id and _USER_ID.match(user_id):
        return f"<@{user_id}>"
    return ""


def mentions_user(text: str, user_id: str | None) -> bool:
    return bool(user_id) and re.search(rf"<@{re.escape(user_id)}(\|[^>]*)?>", text or "") is not None


def plain(text: str, *, drop_user: str | None = None) -> str:
    """Slack message text -> the words the person typed, with `drop_user`'s mentions removed."""

    def replace(m: re.Match[str]) -> str:
        target, _, label = m.group(1).partition("|")
        if target.startswith("@"):
            if drop_user and target[1:] == drop_user:
                return " "
            return "@" + (label.lstrip("@") or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
            return label or "@" + target[1:].split("^")[0]
        return label or target

    text = _MARKUP.sub(replace, text or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _SPACES.sub(" ", text).strip()


def split_long_line(line: str, limit: int) -> list[str]:
    """Cut one line into pieces of at most `limit` chars, preferring sentence ends, then spaces."""
    pieces: list[str] = []
    while len(line) > limit:
        window = line[:limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut >= limit // 2:
            cut += 1  # keep the full stop with its sentence
        else:
            cut = window.rfind(" ")
            if cut < limit // 2:
                cut = _safe_hard_cut(window)
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    if line or not pieces:
        pieces.append(line)
    return pieces


def _safe_hard_cut(window: str) -> int:
    """A cut with no space to use: avoid splitting an `&amp;` entity in two."""
    amp = window.rfind("&", len(window) - 5)
    return amp if amp > 0 else len(window)


def pack_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines with newlines into chunks of at most `limit` chars (long lines are cut)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in split_long_line(line, limit):
            candidate = piece if not current else current + "\n" + piece
            if len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = _safe_hard_cut(text[: limit - 1])
    return text[:cut].rstrip() + "…"


def date_label(value: Any) -> str:
    """An ISO date as people read it ("19 Sep 2020"); "undated" when there is none."""
    if not value:
        return "undated"
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return escape(str(value))
    return f"{day.day} {day:%b %Y}"
