"""The same report scraped twice (same title and date) becomes one report.

Its notes are the union of both copies; for a number in both, the fuller note wins (more
URLs, then more text). The body kept is the longest copy's (ties: the first source in
path order), so the result does not depend on the order files were read.

Two different texts can share an id (the same title and date; untitled and undated, the same
opening words: ingest.report.report_id). Such a "copy" is merged all the same, so that every
update finds the report where the last one put it, but it is not silent: `different_copies`
names each copy whose text is mostly not the kept one's, and the ingest reports it.
"""
from __future__ import annotations

import re

from ingest.model import MISSING, Report
from ingest.report import compose_text

# A copy sharing less than this share of its word triples with the kept body is another text.
# Copies of one report in two formats share nearly all (the samples' blog dump and its
# re-export: 0.98 and more); two texts that only open alike share their opening.
SAME_TEXT = 0.5


def merge_reports(reports: list[Report], different: list[dict] | None = None) -> list[Report]:
    """Reports by id, copies merged, in first-seen order. `different`, when given, receives a
    record of each copy whose text is not the kept copy's (`different_copies`)."""
    groups: dict[str, list[Report]] = {}
    for r in reports:
        groups.setdefault(r.id, []).append(r)
    out = []
    for copies in groups.values():
        if len(copies) == 1:
            out.append(copies[0])
            continue
        if different is not None:
            different += different_copies(copies)
        out.append(merge_copies(copies))
    return out


def _longest_first(copies: list[Report]) -> list[Report]:
    return sorted(copies, key=lambda r: (-len(r.text[:r.body_end]), r.sources[0]))


def _words(r: Report) -> list[str]:
    return re.findall(r"\w+", r.text[:r.body_end].lower())


def _triples(w: list[str]) -> set[tuple[str, ...]]:
    return set(zip(w, w[1:], w[2:]))


def different_copies(copies: list[Report]) -> list[dict]:
    """The copies of one id whose body is mostly not the kept (longest) copy's, each
    `{"path", "kept", "report", "title", "shared"}`: its file, the kept copy's file, the id, the
    title (may be empty) and the share of its word triples found in the kept body, counted after
    the words both open with (a shared opening is what made them one id: it proves nothing)."""
    base, *rest = _longest_first(copies)
    base_words = _words(base)
    kept = _triples(base_words)
    out = []
    for c in rest:
        w = _words(c)
        same = next((i for i, (x, y) in enumerate(zip(w, base_words)) if x != y), min(len(w), len(base_words)))
        own = _triples(w[same:])
        shared = len(own & kept) / len(own) if own else 1.0
        if shared < SAME_TEXT:
            out.append({"path": c.sources[0], "kept": base.sources[0], "report": base.id, "title": base.title,
                        "shared": round(shared, 3)})
    return out


def merge_copies(copies: list[Report]) -> Report:
    ordered = _longest_first(copies)
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
