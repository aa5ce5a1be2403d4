"""Report header lines: weekday date line, time line, byline, and the publisher when stated."""
from __future__ import annotations

import re
from datetime import date

from index.text.dates import ABBREVIATED_MONTH, FULL_MONTH, MONTH_ABBREVIATIONS, MONTHS, WEEKDAY

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
    return split_names(names)


# a name's suffix stays with it: "Robert S. Mueller, III", "Martin Luther King, Jr."
_SUFFIX = r"(?:Jr|Sr|II|III|IV|V|VI|PhD|Ph\.D|MD|Esq)\.?"


def split_names(names: str) -> list[str]:
    """'X, Y and Z', 'X with Y', 'X & Y' -> the names; a suffix (Jr., III) stays with its name."""
    parts = re.split(rf"\s*,(?!\s*{_SUFFIX}(?:$|[\s,]))\s*(?:and\s+)?|\s+and\s+|\s+with\s+|\s*&\s*", names)
    return [p.strip() for p in parts if p.strip()]


# What a title page prints above a name: a role, not part of the name.
_ROLES = (r"(?:Special\s+Counsel|Independent\s+Counsel|Inspector\s+General|Attorney\s+General|Ambassador|"
          r"Senator|Representative|General|Gen\.|Admiral|Colonel|Col\.|Judge|Professor|Prof\.|Dr\.|Mr\.|Ms\.|"
          r"Mrs\.|The\s+Honorable|Hon\.)\s+")
_PERSON = (r"(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|(?:de|van|von|der|da|di|la|le|bin|al)(?=\s)))"
           r"{0,3}\s+[A-Z][\w'’-]+(?:,?\s+" + _SUFFIX + r")?")
_NAME_LINE = re.compile(rf"^(?:By\s+|{_ROLES})(?P<names>{_PERSON}(?:\s*(?:,|,?\s+and|&|with)\s+{_PERSON})*)$")


def parse_name_line(line: str) -> list[str]:
    """The authors a title page prints on a line of its own, after "By" or a role: "Special
    Counsel Robert S. Mueller, III", "By Jane Doe and John Roe"; [] for any other line. A line
    of capitalised words alone ("Open Source Edition") is not taken for a name."""
    text = " ".join(line.replace("\u00a0", " ").split()).rstrip(",;")
    if text.endswith(".") and not re.search(rf"(?:\b{_SUFFIX}|\b[A-Z]\.)$", text):
        text = text[:-1]
    if not text or len(text) > 150 or re.search(r"\d", text):
        return []
    m = _NAME_LINE.match(text)
    return split_names(m.group("names")) if m else []


_DAY_MONTH_YEAR = re.compile(rf"^(?:(?:{WEEKDAY}),?\s+)?(\d{{1,2}})\s+({FULL_MONTH})\s+(\d{{4}})$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^(?:(?:{WEEKDAY}),?\s+)?({FULL_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.I)
_MONTH_YEAR = re.compile(rf"^({FULL_MONTH})\s+(\d{{4}})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


# names printed without "By": one, or several with the last after "and" ("A, B, and C")
_NAME_LIST = re.compile(rf"^{_PERSON}(?:(?:\s*,\s*{_PERSON})*,?\s+and\s+{_PERSON})?$")
_ABBR_MONTH = rf"({ABBREVIATED_MONTH})\.?"
_ABBR_MONTH_DAY_YEAR = re.compile(rf"^{_ABBR_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.I)
_DAY_ABBR_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s+{_ABBR_MONTH}\s+(\d{{4}})$", re.I)
_LABEL_SEPARATOR = re.compile(r"\s+[-–—|·•]\s+")
_DAY_TIME = re.compile(rf"^(?P<month>{FULL_MONTH}|(?:{ABBREVIATED_MONTH})\.?)\s+(?P<day>\d{{1,2}}),?"
                       r"\s+(?P<time>\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?\s*[A-Z]{2,4})$", re.I)


def _name_list(line: str) -> list[str]:
    """The names of a line that is only names, each of two words or more (`_NAME_LIST`), or []."""
    text = " ".join(line.replace("\u00a0", " ").split()).rstrip(",;.")
    return split_names(text) if len(text) <= 200 and _NAME_LIST.match(text) else []


def parse_name_list(line: str) -> list[str]:
    """The authors of a web page's byline printed without "By": three names or more, the last after
    "and" ("Karolina Hird, George Barros, Grace Mappes, and Frederick W. Kagan"); [] for any other line."""
    names = _name_list(line)
    return names if len(names) >= 3 else []


def parse_short_byline(line: str) -> list[str]:
    """One or two names on a line of their own, without "By" ("Mason Clark", "Kateryna Stepanenko and
    Frederick W. Kagan"): a byline only where the caller knows the line stands among header lines (a
    heading, "Key Takeaways", has the same shape); [] for any other line."""
    names = _name_list(line)
    return names if len(names) <= 2 else []


def parse_labelled_date(line: str) -> str:
    """The date of a web page's date line with a short label beside it ("Dec 13, 2022 - Press ISW",
    "Analysis | March 3, 2021"): a part that is a date, the other no more than four words and no figure (a
    period, "07/01/2015 - 03/25/2016", is no date); else ""."""
    parts = _LABEL_SEPARATOR.split(" ".join(line.split()))
    if len(parts) != 2:
        return ""
    for date_part, label in (parts, parts[::-1]):
        found = parse_date_text(date_part)
        if found and len(label.split()) <= 4 and not re.search(r"[.!?]$|\d", label):
            return found
    return ""


def parse_day_time(line: str, iso: str) -> tuple[str, str]:
    """(ISO date, time) of a line that gives a day and time without the year, on the day `iso` names
    or up to three days before it ("December 13, 6:30pm ET" under a page dated 2022-12-13; "August 11,
    9:00 pm ET" on a page posted 2022-08-12: the report's own day), or ("", "")."""
    m = _DAY_TIME.match(" ".join(line.split()))
    if not m or len(iso) != 10:
        return "", ""
    month = m.group("month").rstrip(".")
    month = MONTH_ABBREVIATIONS.get(month.lower(), month)
    posted = date.fromisoformat(iso)
    for year in (posted.year, posted.year - 1):             # "December 31" on a page posted January 1
        day, time = parse_time_line(f"{month.capitalize()} {m.group('day')}, {year}, {m.group('time')}")
        if day and 0 <= (posted - date.fromisoformat(day)).days <= 3:
            return day, time
    return "", ""


def parse_date_text(text: str) -> str:
    """An ISO date of a line that is only a date: "March 2019" -> "2019-03" (a month is as precise
    as the line says), "19 September 2020", "September 19, 2020", "2020-09-19T10:00Z",
    "22/10/2024" (but not "03/04/2025": day or month?); else ""."""
    t = " ".join(text.replace("\u00a0", " ").split()).strip(" .,")
    if m := _MONTH_DAY_YEAR.match(t):
        return iso_date(m.group(1).capitalize(), m.group(2), m.group(3))
    if m := _DAY_MONTH_YEAR.match(t):
        return iso_date(m.group(2).capitalize(), m.group(1), m.group(3))
    if m := _MONTH_YEAR.match(t):
        return f"{m.group(2)}-{MONTHS.index(m.group(1).lower()) + 1:02d}"
    if m := _ABBR_MONTH_DAY_YEAR.match(t):             # "Dec 13, 2022", "Sept. 5, 2020"
        return iso_date(MONTH_ABBREVIATIONS[m.group(1).lower()], m.group(2), m.group(3))
    if m := _DAY_ABBR_MONTH_YEAR.match(t):
        return iso_date(MONTH_ABBREVIATIONS[m.group(2).lower()], m.group(1), m.group(3))
    if m := _NUMERIC.match(t):                 # 22/10/2024: day and month told apart only when one is > 12
        a, b, year = (int(x) for x in m.groups())
        day, month = (a, b) if a > 12 >= b else (b, a) if b > 12 >= a else (0, 0)
        try:
            return date(year, month, day).isoformat() if day else ""
        except ValueError:
            return ""
    if m := _ISO.match(t):
        year, month, day = m.groups()
        try:
            return date(int(year), int(month), int(day)).isoformat() if day else (
                f"{year}-{month}" if 1 <= int(month) <= 12 else "")
        except ValueError:
            return ""
    return ""


def publisher(body: str) -> str:
    for pattern, name in _PUBLISHERS:
        if pattern.search(body):
            return name
    return ""
