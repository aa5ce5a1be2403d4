"""Months, weekdays and the dates a text names: one table for the whole project."""
from __future__ import annotations

import re

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "15 AUG", "Sept. 3": the reports' abbreviations stand for the month.
MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTHS} | {"sept": "september"}

MONTH_NAMES = tuple(m.capitalize() for m in MONTHS)               # "January", ...
FULL_MONTH = "|".join(MONTH_NAMES)                                 # a regex alternation
WEEKDAY = "|".join(d.capitalize() for d in WEEKDAYS)
# a month abbreviated ("Dec", "Sept"; May has none)
ABBREVIATED_MONTH = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
# a month as prose writes it: "September", "Sept", "Sep", and the reports' "SEP"
ANY_MONTH = FULL_MONTH + "|" + ABBREVIATED_MONTH + "|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_MONTH_DAY_NAME = FULL_MONTH + "|" + "|".join(m[:3] + r"\.?" for m in MONTH_NAMES)
_DATE_MD = re.compile(rf"\b({_MONTH_DAY_NAME})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
_DATE_DM = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_DAY_NAME})\b")


def month_number(name: str) -> int:
    """1-12 for 'September', 'Sept.', 'sep'; ValueError otherwise."""
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


def month_days(text: str) -> list[tuple[int, int]]:
    """(month, day) pairs a text names: 'September 17', 'Sept. 17th', '17 September'."""
    out = [(month_number(m.group(1)), int(m.group(2))) for m in _DATE_MD.finditer(text)]
    out += [(month_number(m.group(2)), int(m.group(1))) for m in _DATE_DM.finditer(text)]
    return [(mo, d) for mo, d in out if 1 <= d <= 31]


def date_strings(month: int, day: int) -> list[str]:
    """How the reports write a day of a month: 'September 17', '17 September', 'Sep 17', '17 SEP'."""
    name = MONTH_NAMES[month - 1]
    return [f"{name} {day}", f"{day} {name}", f"{name[:3]} {day}", f"{day:02d} {name[:3].upper()}"]
