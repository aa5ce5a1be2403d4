"""Where in a report a citation comes from, as people read it: "p. 12", "pp. 12-13", "pp. 3-5, 9",
"Section II.B.1".

A citation from a PDF report carries "pages": [12, 13] (and "page_labels": ["10", "11"] when the
PDF prints other numbers than its page indexes: the printed ones are shown); a text report's has
none (absent or []), and then there is no label. A citation from a report with headings carries
"section": "II. Findings > B. Flynn > 1. The Call", shown as "Section II.B.1" when its headings
are numbered, else as its last heading.
"""
from __future__ import annotations

import re
from typing import Any

SECTION_SEP = " > "             # ingest/build.py joins a section's headings with it
MAX_HEADING = 60
_ENUMERATOR = re.compile(r"^\(?([IVXLC]+|[A-Z]|\d{1,3}|[a-z]|[ivx]+)[.)]\s+\S")


def page_label(pages: Any, labels: Any = None) -> str:
    numbers = sorted({p for p in pages or [] if isinstance(p, int) and not isinstance(p, bool) and p > 0})
    if not numbers:
        return ""
    if isinstance(labels, list) and isinstance(pages, list) and len(labels) == len(pages) and all(
            isinstance(x, str) and x for x in labels):
        printed = dict(zip(pages, labels))
        shown = [printed[p] for p in numbers]
        if all(x.isdigit() for x in shown):
            return _runs([int(x) for x in shown])
        return ("p. " if len(shown) == 1 else "pp. ") + ", ".join(shown)
    return _runs(numbers)


def _runs(numbers: list[int]) -> str:
    numbers = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    shown = ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)
    return f"p. {shown}" if len(numbers) == 1 else f"pp. {shown}"


def section_label(section: Any) -> str:
    """"Volume II > IV. Analysis > A. Facts > 2. The Call" -> "Volume II, Section IV.A.2";
    "Background > Drills" -> "Drills" (clipped)."""
    if not isinstance(section, str) or not section.strip():
        return ""
    parts = [p.strip() for p in section.split(SECTION_SEP) if p.strip()]
    enums: list[str] = []
    for p in reversed(parts):
        m = _ENUMERATOR.match(p)
        if not m:
            break
        enums.insert(0, m.group(1))
    if not enums:
        last = parts[-1]
        return last if len(last) <= MAX_HEADING else last[:MAX_HEADING - 1].rstrip() + "…"
    head = parts[:len(parts) - len(enums)]
    label = "Section " + ".".join(enums)
    return f"{head[-1]}, {label}" if head and len(head[-1]) <= 30 else label


def place_label(citation: Any) -> str:
    """A citation's section and pages for its heading line: "Section II.B.1, p. 157"."""
    if not hasattr(citation, "get"):
        return ""
    parts = (section_label(citation.get("section")), page_label(citation.get("pages"), citation.get("page_labels")))
    return ", ".join(p for p in parts if p)
