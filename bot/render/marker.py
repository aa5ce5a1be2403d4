"""A footnote marker as the report prints it.

Where numbering restarts (per section in Word, per chapter in a book), the index keys the k-th
note printed "1" as "1#k" so each stays its own note (ingest/build.py). A reader sees "1".
"""
from __future__ import annotations


def printed_marker(marker: object) -> str:
    return str(marker).split("#", 1)[0] if marker not in (None, "") else "?"
