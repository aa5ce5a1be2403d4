"""Report header lines: weekday date line, time line, byline, and the publisher when stated."""
from __future__ import annotations

import re
from datetime import date

from index.text.dates import FULL_MONTH, MONTHS, WEEKDAY

_MONTH = rf"({FULL_MONTH})"
_WEEKDAY = rf"({WEEKDAY})"

DATE_LINE = re.compile(rf"^\s*{_WEEKDAY},\s+{_MONTH}\s+(\d{{1,2}}),\s+(\d{{4}})\s*$")
TIME_LINE = re.compile(
    rf"^\s*{_MONTH}\s+(\d{{1,2}}),\s+(\d{{4}}),?\s+(\d{{1,2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?\s*[A-Z]{{2,4}})\s*$",
    re.I)
BYLINE = re.compile(r"^\s*By\s+(.+?)\s*$")
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}"
BARE_BYLINE = re.compile(rf"^\s*{_NAME}(?:\s*(?:,|and|with|&)\s*{_NAME})*\s*$")
_PUBLISHERS = [
    (re.compile(r"\bISW will (?:continue|be watching)"), "Institute for the Study of War (ISW)"),
    (re.compile(r"\bISW-CTP\b"), "Institute for the Study of War (ISW)"),
]


def iso_date(month: str, day: str, year: str) -> str:
    try:
        return date(int(year), MONTHS.index(month.lower()) + 1, int(day)).isoformat()
    except ValueError:
        return ""


def parse_date_line(line: str) -> str:
    m = DATE_LINE.match(line)
    return iso_date(m.group(2), m.group(3), m.group(4)) if m else ""


def parse_time_line(line: str) -> tuple[str, str]:
    """(ISO date, time) of a line like 'September 19, 2020, 7:00 pm EDT', or ('', '')."""
    m = TIME_LINE.match(line.replace("\u00a0", " "))
    if not m:
        return "", ""
    time = re.sub(r"\s+", " ", m.group(4)).strip()
    time = re.sub(r"(\d)([ap]m)", r"\1 \2", time, flags=re.I)
    return iso_date(m.group(1), m.group(2), m.group(3)), time


def parse_byline(line: str, *, bare_ok: bool = False) -> list[str]:
    """Authors of 'By X', 'By X and Y', 'By X with Y', 'By X, Y and Z (Org)'; [] if not a byline."""
    text = line.replace("\u00a0", " ").strip()
    m = BYLINE.match(text)
    if m:
        names = m.group(1)
    elif bare_ok and BARE_BYLINE.match(text) and len(text) < 120:
        names = text
    else:
        return []
    names = re.sub(r"\s*\([^)]*\)", "", names)        # "(Syria Direct)": an affiliation
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s+with\s+|\s*&\s*", names)
    return [p.strip() for p in parts if p.strip()]


def publisher(body: str) -> str:
    for pattern, name in _PUBLISHERS:
        if pattern.search(body):
            return name
    return ""
