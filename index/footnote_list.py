"""Every footnote marker of a stored report in reading order, with its note, as a user checks
them (`dossier notes`): which sentence it backs, what its note says, where the note is printed.

Two kinds of marker are flagged as suspicious, the signs a reader went wrong rather than the
report: a note whose text starts with another marker's number ("2 These costs…" on note 1: the
notes slid by one), and a marker far out of sequence (a new note numbered 40 right after 12:
markers lost, or a number misread). A marker cited again later (note 3 after note 40) is normal.
"""
from __future__ import annotations

import re
from typing import Any

OUT_OF_SEQUENCE = 10         # a new marker more than this far from the one expected next is flagged
_LEADING_NUMBER = re.compile(r"^\[?(\d{1,5})\]?[\s.):]")


def marker_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per marker occurrence, in reading order (the shape of `dossier notes --json`):
    report, marker, status, text, pages (where the note is printed), sentence, and the additions
    urls, dngts_urls, section, page_labels (printed labels of those pages), sentence_pages,
    flags. Notes of the report that no sentence carries (a marker in the title, an endnote no
    marker could be tied to) follow, with sentence ""."""
    text = record.get("text", "")
    notes = record.get("notes", {})
    labels = {int(k): v for k, v in (record.get("page_labels") or {}).items()}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for s in record.get("sentences", []):
        for m in s.get("markers", []):
            rows.append(_row(record["id"], m, notes.get(m), text[s["start"]:s["end"]], s, labels))
            seen.add(m)
    for m, n in notes.items():
        if m not in seen:
            rows.append(_row(record["id"], m, n, "", {}, labels))
    for n in record.get("unplaced_notes", []):
        rows.append(_row(record["id"], "", dict(n, status="unplaced"), "", {}, labels))
    _flag(rows)
    return rows


def _row(rid: str, marker: str, note: dict | None, sentence: str, s: dict, labels: dict[int, str]) -> dict[str, Any]:
    note = note or {"status": "missing", "text": "", "urls": [], "dngts_urls": [], "pages": []}
    pages = list(note.get("pages") or [])
    return {"report": rid, "marker": marker, "status": note.get("status", "missing"), "text": note.get("text", ""),
            "pages": pages, "sentence": sentence, "urls": list(note.get("urls") or []),
            "dngts_urls": list(note.get("dngts_urls") or []), "section": s.get("section", ""),
            "page_labels": [labels.get(p, str(p)) for p in pages] if labels else [],
            "sentence_pages": list(s.get("pages") or []), "flags": []}


def _flag(rows: list[dict[str, Any]]) -> None:
    numbers = {r["marker"] for r in rows if r["marker"].isdecimal()}
    highest = 0
    met: set[str] = set()
    for r in rows:
        m = r["marker"]
        lead = _LEADING_NUMBER.match(r["text"] or "")
        if lead and lead.group(1) != m.partition("#")[0] and lead.group(1) in numbers:
            r["flags"].append(f"its text starts with {lead.group(1)}, another marker's number")
        if m.isdecimal() and m not in met and r["sentence"]:
            n = int(m)
            if highest and abs(n - (highest + 1)) > OUT_OF_SEQUENCE:
                r["flags"].append(f"out of sequence: {n} after {highest}")
            highest = max(highest, n)
        met.add(m)


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Distinct markers per status, as `dossier reports` counts them."""
    status: dict[str, str] = {}
    for r in rows:
        if r["marker"] and r["sentence"]:
            status.setdefault(r["marker"], r["status"])
    out = {"markers": len(status), "resolved": 0, "missing": 0, "redacted": 0, "unplaced": 0}
    for s in status.values():
        out[s] = out.get(s, 0) + 1
    return out
