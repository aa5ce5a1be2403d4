"""The name a report is shown by: its title, or for a report without one, its file names."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Mapping


def report_title(report: Mapping[str, Any]) -> str:
    title = str(report.get("title") or "").strip()
    if title:
        return title
    files = ", ".join(PurePath(str(s)).name for s in report.get("sources") or [])
    return f"Untitled report ({files})" if files else "Untitled report"
