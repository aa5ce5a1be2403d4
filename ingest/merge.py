"""The same report scraped twice (same title and date) becomes one report.

Its notes are the union of both copies; for a number in both, the fuller note wins (more
URLs, then more text). The body kept is the longest copy's (ties: the first source in
path order), so the result does not depend on the order files were read.
"""
from __future__ import annotations

from ingest.model import MISSING, Report
from ingest.report import compose_text


def merge_reports(reports: list[Report]) -> list[Report]:
    """Reports by id, copies merged, in first-seen order."""
    groups: dict[str, list[Report]] = {}
    for r in reports:
        groups.setdefault(r.id, []).append(r)
    return [merge_copies(copies) if len(copies) > 1 else copies[0] for copies in groups.values()]


def merge_copies(copies: list[Report]) -> Report:
    ordered = sorted(copies, key=lambda r: (-len(r.text[:r.body_end]), r.sources[0]))
    base = ordered[0]
    notes = {}
    for copy in sorted(copies, key=lambda r: r.sources[0]):
        for marker, note in copy.notes.items():
            old = notes.get(marker)
            if old is None or (old.status == MISSING and note.status != MISSING) or (
                    note.status == old.status and note.completeness > old.completeness):
                notes[marker] = note
    for marker in base.markers:
        notes.setdefault(marker, copies[0].notes.get(marker))
    body = base.text[:base.body_end]
    text, body_end = compose_text(body, notes, base.unplaced_notes)
    sources = sorted({s for r in copies for s in r.sources})
    return Report(id=base.id, title=base.title, date=base.date, time=base.time or next(
                      (r.time for r in copies if r.time), ""),
                  authors=base.authors or next((r.authors for r in copies if r.authors), []),
                  publisher=base.publisher or next((r.publisher for r in copies if r.publisher), ""),
                  sources=sources, text=text, body_end=body_end, sentences=base.sentences,
                  notes=notes, unplaced_notes=base.unplaced_notes, page_labels=dict(base.page_labels),
                  structured=base.structured)
