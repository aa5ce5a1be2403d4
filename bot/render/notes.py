"""`dossier notes` in a terminal: each report's markers in reading order, each with its status,
the page its note is printed on, the note and the sentence it backs; suspicious ones flagged."""
from __future__ import annotations

import shutil
import textwrap
from typing import Any

from bot.render.page_label import page_label
from index.footnote_list import counts
from bot.render.report_title import report_title

STATUS_WORDS = {"resolved": "", "missing": "NO NOTE (not available in the ingested copy)",
                "redacted": "REDACTED (printed with its number only)",
                "unplaced": "UNPLACED (could not be tied to a marker with confidence)"}


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def format_notes(rows: list[dict[str, Any]], reports: dict[str, dict], *, only_flagged: bool = False,
                 width: int | None = None) -> str:
    width = width or min(110, shutil.get_terminal_size((110, 20)).columns)
    if not rows:
        return "No footnote markers.\n"
    out: list[str] = []
    by_report: dict[str, list[dict]] = {}
    for r in rows:
        by_report.setdefault(r["report"], []).append(r)
    for rid, items in by_report.items():
        rep = reports.get(rid, {"id": rid})
        shown = [r for r in items if r["flags"]] if only_flagged else items
        flagged = sum(1 for r in items if r["flags"])
        out.append(f"{report_title(rep)}" + (f" ({rep['date']})" if rep.get("date") else "") + f"  [{rid}]")
        c = counts(items)
        out.append(f"  {c['markers']} markers: {c['resolved']} resolved, {c['missing']} missing, "
                   f"{c['redacted']} redacted, {c['unplaced']} unplaced; {flagged} flagged as suspicious")
        for r in shown:
            where = page_label(r["pages"], r.get("page_labels"))
            head = f"[{r['marker'] or '?'}]" + (f" {where}" if where else "")
            status = STATUS_WORDS.get(r["status"], r["status"])
            body = status if status else _clip(r["text"] or "; ".join(r["urls"]) or "(no text)", 400)
            out.append(textwrap.fill(f"{head}  {body}", width=width, initial_indent="  ", subsequent_indent="      "))
            for flag in r["flags"]:
                out.append(f"      !! suspicious: {flag}")
            if r["sentence"]:
                out.append(textwrap.fill(f"backs: \u201c{_clip(r['sentence'], 200)}\u201d", width=width,
                                         initial_indent="      ", subsequent_indent="      "))
            elif r["status"] != "unplaced":
                out.append("      (no sentence: a marker in the title or front matter)")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
