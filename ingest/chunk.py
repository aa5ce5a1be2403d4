"""Sentences to passages: a few sentences of one paragraph, small enough to quote in chat.

Body passages pack consecutive sentences of a paragraph (at most MAX_SENTENCES and about
MAX_CHARS); in a report parsed from text, a short heading joins the passage after it. A report
built from a Document (HTML, Word, PDF) knows its headings: they are no sentences, so never in
a passage, and each passage carries its section path instead. Each note with prose (not just
links) is a passage of its own, so a question answered only by a note finds it.
Ids are `<report id>-<ordinal>` for the body and `<report id>-n<marker>` for notes:
the same report text always gives the same ids.
"""
from __future__ import annotations

import re

from ingest.model import Passage, Report, Sentence

MAX_SENTENCES = 3
MAX_CHARS = 480
MIN_NOTE_WORDS = 6


def _is_heading(report: Report, s: Sentence) -> bool:
    text = report.text[s.start:s.end]
    return len(text) < 90 and not re.search(r"[.!?:;\"”’)]$", text)


def chunk_report(report: Report) -> list[Passage]:
    groups: list[list[Sentence]] = []
    cur: list[Sentence] = []
    pending_heading: Sentence | None = None
    for s in report.sentences:
        if cur and (s.paragraph != cur[-1].paragraph or len(cur) >= MAX_SENTENCES
                    or s.end - cur[0].start > MAX_CHARS):
            groups.append(cur)
            cur = []
        if not cur and not report.structured and _is_heading(report, s) and s.paragraph != (
                pending_heading.paragraph if pending_heading else -1):
            if pending_heading is not None:
                groups.append([pending_heading])
            pending_heading = s
            continue
        if not cur and pending_heading is not None:
            cur = [pending_heading]
            pending_heading = None
        cur.append(s)
    if pending_heading is not None:
        cur.append(pending_heading) if not cur else None
        if not cur:
            cur = [pending_heading]
    if cur:
        groups.append(cur)
    passages: list[Passage] = []
    for g in groups:
        start, end = g[0].start, g[-1].end
        markers: list[str] = []
        for s in g:
            markers.extend(m for m in s.markers if m not in markers)
        pages = sorted({p for s in g for p in s.pages})
        passages.append(Passage(id=f"{report.id}-{len(passages):04d}", report_id=report.id, kind="body",
                                start=start, end=end, text=report.text[start:end], markers=markers,
                                ordinal=len(passages), pages=pages, section=g[-1].section,
                                page_labels=page_labels(report, pages)))
    passages.extend(note_passages(report, len(passages)))
    return passages


def page_labels(report: Report, pages: list[int]) -> list[str]:
    """The printed label of each page ("157" where the PDF's page index is 169); [] when the
    report's file prints none."""
    if not report.page_labels:
        return []
    return [report.page_labels.get(p, str(p)) for p in pages]


_NOTE_LINE = re.compile(r"^\[([^\]\s]+)\] (.+)$", re.M)      # the notes section compose_text writes
_URL = re.compile(r"(?:https?://|www\.)\S+")


def note_passages(report: Report, first_ordinal: int) -> list[Passage]:
    out: list[Passage] = []
    unplaced = 0
    unplaced_lines = [n for n in report.unplaced_notes if n.text]      # the `[?]` lines, in order
    seen_unplaced = -1
    section_of: dict[str, str] = {}
    for s in report.sentences:
        for marker in s.markers:
            section_of.setdefault(marker, s.section)
    for m in _NOTE_LINE.finditer(report.text, report.body_end):
        marker, text = m.group(1), m.group(2)
        seen_unplaced += marker == "?"
        prose = _URL.sub(" ", text)
        if len(re.findall(r"[A-Za-z\u0400-\u04ff]{2,}", prose)) < MIN_NOTE_WORDS:
            continue
        if marker == "?":
            pid, markers = f"{report.id}-u{unplaced}", []
            note = unplaced_lines[seen_unplaced] if seen_unplaced < len(unplaced_lines) else None
            unplaced += 1
        else:
            pid, markers = f"{report.id}-n{marker}", [marker]
            note = report.notes.get(marker)
        pages = list(note.pages) if note else []
        out.append(Passage(id=pid, report_id=report.id, kind="note", start=m.start(2), end=m.end(2),
                           text=text, markers=markers, ordinal=first_ordinal + len(out),
                           pages=pages, section=section_of.get(marker, ""), page_labels=page_labels(report, pages)))
    return out
