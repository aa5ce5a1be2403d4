"""The line that names the parts of a question the reports do not answer, for the terminal and
Slack alike (an answer's "unanswered" list: "How many tanks arrived, and what did it cost?")."""
from __future__ import annotations


def unanswered_line(parts: list[str]) -> str:
    return "The reports don't say: " + "; ".join(p.rstrip("?") + "?" for p in parts)
