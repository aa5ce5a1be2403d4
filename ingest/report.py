"""A segment of a file to a clean Report: body text, sentences with their markers, notes."""
from __future__ import annotations

import bisect
import hashlib
import re

from ingest.endnotes import align
from ingest.footnotes import make_note, take_markers
from ingest.metadata import publisher
from ingest.model import MISSING, Note, ParsedFile, Report, Sentence
from index.text.sentences import sentence_of, split_sentences
from ingest.split import Segment, is_teaser

NOTES_HEADING = "Notes"


def clean_line(line: str) -> str:
    """One body line without Markdown decoration, odd spaces or list bullets."""
    s = line.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    s = re.sub(r"^\s*#{1,6}\s+", "", s)
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"(?<![\w*])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![\w*])", r"\1", s)
    s = re.sub(r"\[([^\]\d][^\]]*)\]\((?:#[^)\s]*|https?://[^)\s]*)\)", r"\1", s)
    s = re.sub(r"\\([\\_()*\[\]#.!-])", r"\1", s)
    s = re.sub(r"^\s*(?:[•·▪◦]|[-*](?=\s))\s*", "", s)
    return re.sub(r" {2,}", " ", s).strip()


def body_paragraphs(lines: list[str]) -> list[str]:
    paras: list[str] = []
    broken = False                   # the previous paragraph stopped mid-sentence
    for line in lines:
        s = clean_line(line)
        if not s:
            continue
        if paras and broken and s[:1].isalpha():
            paras[-1] += " " + s
        else:
            paras.append(s)
        last = paras[-1]
        broken = len(last) >= 80 and bool(re.search(r"[a-z,]$", last))
    return paras


def report_id(title: str, date: str, body: str) -> str:
    norm = lambda s: re.sub(r"\W+", " ", s.lower()).strip()  # noqa: E731
    key = f"{norm(title)}|{date}" if (title or date) else "body|" + norm(body)[:400]
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{date or 'undated'}-{digest}"


def build_report(seg: Segment, source: str) -> Report | None:
    """The Report of a segment, or None for a teaser (a segment with no body of its own)."""
    paras = body_paragraphs(seg.body_lines)
    marked = take_markers("\n\n".join(paras))
    body = marked.text
    spans = split_sentences(body)
    if is_teaser(seg, len(spans)):
        return None
    sentences = [Sentence(a, b, [], 0) for a, b in spans]
    para_starts = [m.start() for m in re.finditer(r"[^\n]+", body)]
    for s in sentences:
        s.paragraph = bisect.bisect_right(para_starts, s.start) - 1
    starts = [a for a, _ in spans]
    contexts: list[str] = []
    order: list[str] = []
    prev_pos = 0
    for pos, number in marked.markers:
        i = sentence_of(spans, pos, body, starts)
        if i < 0:
            continue
        if number not in sentences[i].markers:
            sentences[i].markers.append(number)
        if number not in order:
            order.append(number)
            a = max(spans[i][0], prev_pos if prev_pos <= pos else 0)
            contexts.append(body[a:pos])
        prev_pos = pos
    notes: dict[str, Note] = {}
    for note in seg.notes:                      # a number given twice: the fuller note wins
        old = notes.get(note.marker)
        if old is None or note.completeness > old.completeness:
            notes[note.marker] = note
    unplaced: list[Note] = []
    if seg.endnote_lines and not seg.notes:
        notes, unplaced = align(order, contexts, seg.endnote_lines, [body[a:b] for a, b in spans])
    for number in order:
        notes.setdefault(number, Note(marker=number, status=MISSING))
    text, body_end = compose_text(body, notes, unplaced)
    return Report(
        id=report_id(seg.title, seg.date, body), title=seg.title, date=seg.date, time=seg.time,
        authors=seg.authors, publisher=publisher(body), sources=[source], text=text,
        body_end=body_end, sentences=sentences, notes=notes, unplaced_notes=unplaced)


def _num(marker: str) -> tuple[int, int]:
    """Notes in number order: "2" before "10", a second note 1 ("1#2") after the first, symbols last."""
    head, _, tail = marker.partition("#")
    return (int(head) if head.isdecimal() else 10**6, int(tail) if tail.isdecimal() else 0)


def compose_text(body: str, notes: dict[str, Note], unplaced: list[Note]) -> tuple[str, int]:
    """Body, then a notes section of `[N] text` lines: the report's clean text."""
    lines = [f"[{n.marker}] {n.text}" for n in sorted(notes.values(), key=lambda n: _num(n.marker))
             if n.text]
    lines += [f"[?] {n.text}" for n in unplaced if n.text]
    if not lines:
        return body, len(body)
    return body + f"\n\n{NOTES_HEADING}\n" + "\n".join(lines), len(body)


def attach_notes(segments: list[Segment], numbered: list[tuple[str, str]], unnumbered: list[str]) -> None:
    """Notes a PDF or Word file gives by its layout, (number, text as written), to the report
    whose body holds their marker. Numbering may restart per report: the k-th note N goes to
    the k-th report with a marker N. Unnumbered endnotes go to the last report, for alignment."""
    if not segments or (not numbered and not unnumbered):
        return
    marks = [{n for _, n in take_markers("\n".join(s.body_lines)).markers} for s in segments]
    taken: list[set[str]] = [set() for _ in segments]
    for number, text in numbered:
        k = next((i for i, ms in enumerate(marks) if number in ms and number not in taken[i]), None)
        if k is None:
            k = next((i for i, ms in enumerate(marks) if number in ms), len(segments) - 1)
        taken[k].add(number)
        segments[k].notes.append(make_note(number, text))
    if unnumbered and not segments[-1].notes:
        segments[-1].endnote_lines = list(unnumbered)


def parse_text(text: str, source: str) -> tuple[list[Report], list[str]]:
    """Reports of one file's text, and the titles of teasers skipped. A PDF or Word file's
    text (ingest.model.ParsedFile) comes with its reports parsed from the layout already."""
    from ingest.split import split_segments

    if isinstance(text, ParsedFile):
        for r in text.reports:
            r.sources = [source]
        return list(text.reports), list(text.skipped)
    return reports_of(split_segments(text), source)


def reports_of(segments: list[Segment], source: str) -> tuple[list[Report], list[str]]:
    """The reports of a file's segments, and the titles of teasers (segments with no body) skipped."""
    reports: list[Report] = []
    skipped: list[str] = []
    for seg in segments:
        r = build_report(seg, source)
        if r is None:
            skipped.append(seg.title or "(untitled segment)")
        else:
            reports.append(r)
    return reports, skipped
