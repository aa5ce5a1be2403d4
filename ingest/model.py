"""The records ingest produces: notes, sentences, reports and passages."""
from __future__ import annotations

from dataclasses import dataclass, field

RESOLVED = "resolved"
MISSING = "missing"
UNPLACED = "unplaced"
REDACTED = "redacted"          # the file prints the marker and a note with nothing but its number
STATUSES = (RESOLVED, MISSING, REDACTED, UNPLACED)


@dataclass
class Note:
    """One footnote of a report, as the report wrote it."""

    marker: str                       # the footnote number, as a string ("1", "35")
    text: str = ""                    # the note's full text, one line
    urls: list[str] = field(default_factory=list)
    dngts_urls: list[str] = field(default_factory=list)
    status: str = RESOLVED            # resolved | missing | redacted | unplaced
    pages: list[int] = field(default_factory=list)   # 1-based pages it was printed on; [] for text

    @property
    def dngts(self) -> bool:
        return bool(self.dngts_urls) or "DNGTS" in self.text

    @property
    def completeness(self) -> tuple[int, int]:
        return (len(self.urls), len(self.text))

    def to_dict(self) -> dict:
        d = {"marker": self.marker, "status": self.status, "text": self.text,
             "urls": list(self.urls), "dngts": self.dngts, "dngts_urls": list(self.dngts_urls)}
        if self.pages:                  # only paged formats (PDF) have pages: text notes unchanged
            d["pages"] = list(self.pages)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Note":
        return cls(marker=d["marker"], text=d.get("text", ""), urls=list(d.get("urls", [])),
                   dngts_urls=list(d.get("dngts_urls", [])), status=d.get("status", RESOLVED),
                   pages=list(d.get("pages", [])))


def _note_fields(n: Note) -> dict:
    """A note's fields as dataclasses.asdict gives them (Note.to_dict is the display shape)."""
    return {"marker": n.marker, "text": n.text, "urls": list(n.urls), "dngts_urls": list(n.dngts_urls),
            "status": n.status, "pages": list(n.pages)}


@dataclass
class Sentence:
    start: int                        # offsets into Report.text
    end: int
    markers: list[str] = field(default_factory=list)
    paragraph: int = 0
    pages: list[int] = field(default_factory=list)   # 1-based pages it was printed on; [] for text
    section: str = ""                 # the headings it stands under, "II. Factual Results > A. ..."; "" when none


@dataclass
class Report:
    """One report, clean: `text` is the body followed by a notes section."""

    id: str
    title: str
    date: str                         # ISO date or ""
    time: str                         # e.g. "7:00 pm EDT" or ""
    authors: list[str]
    publisher: str
    sources: list[str]                # the file(s) it came from
    text: str                         # clean body text, then the notes section
    body_end: int                     # text[:body_end] is the body
    sentences: list[Sentence]
    notes: dict[str, Note]            # every marker of the body has an entry
    unplaced_notes: list[Note] = field(default_factory=list)
    page_labels: dict[int, str] = field(default_factory=dict)   # page index -> printed label ("157", "iv"),
                                                                # for the pages whose label is not the index
    structured: bool = False          # built from a Document (HTML, Word, PDF): headings are not sentences

    @property
    def markers(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.sentences:
            for m in s.markers:
                seen.setdefault(m, None)
        return list(seen)

    def footnote_counts(self) -> dict[str, int]:
        counts = {"markers": 0, "resolved": 0, "missing": 0, "unplaced": 0, "redacted": 0}
        for m in self.markers:
            counts["markers"] += 1
            counts[self.notes[m].status] += 1
        return counts

    def to_dict(self) -> dict:
        """What dataclasses.asdict gives, built directly: asdict's generic deep copy took 15 s
        of parsing 10,000 reports."""
        return {"id": self.id, "title": self.title, "date": self.date, "time": self.time,
                "authors": list(self.authors), "publisher": self.publisher, "sources": list(self.sources),
                "text": self.text, "body_end": self.body_end,
                "sentences": [{"start": s.start, "end": s.end, "markers": list(s.markers), "paragraph": s.paragraph,
                               "pages": list(s.pages), "section": s.section} for s in self.sentences],
                "notes": {k: _note_fields(n) for k, n in self.notes.items()},
                "unplaced_notes": [_note_fields(n) for n in self.unplaced_notes],
                "page_labels": dict(self.page_labels), "structured": self.structured}

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        d = dict(d)
        d["sentences"] = [Sentence(**s) for s in d["sentences"]]
        d["notes"] = {k: Note(**v) for k, v in d["notes"].items()}
        d["unplaced_notes"] = [Note(**v) for v in d.get("unplaced_notes", [])]
        d["page_labels"] = {int(k): v for k, v in (d.get("page_labels") or {}).items()}   # JSON keys are strings
        return cls(**d)


@dataclass
class Passage:
    """A quotable piece of a report: a few sentences, or the prose of one note."""

    id: str
    report_id: str
    kind: str                         # "body" | "note"
    start: int                        # offsets into Report.text
    end: int
    text: str
    markers: list[str]                # markers of its sentences (for a note passage: its own number)
    ordinal: int
    pages: list[int] = field(default_factory=list)   # 1-based pages its text came from; [] for text
    section: str = ""                 # the headings it stands under (a note: those of its marker's sentence)
    page_labels: list[str] = field(default_factory=list)   # the printed label of each of `pages`


class ParsedFile(str):
    """The text of a PDF or Word file whose reports are already parsed from its layout (notes
    from the page bottom or Word's footnotes part, pages per sentence). `parse_text` returns
    these reports as they are; as a string it is the reports' clean text."""

    reports: list
    skipped: list[str]

    @classmethod
    def of(cls, reports: list, skipped: list[str]) -> "ParsedFile":
        out = cls("\n\n".join(r.text for r in reports))
        out.reports, out.skipped = reports, skipped
        return out
