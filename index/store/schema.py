"""The store's SQLite schema and its row codecs: reports, notes, sentences, passages and files
to rows and back. Nothing else in the project writes or parses these rows.

The codecs take objects with the shape of ingest's records (ingest/model.py: Report, Note,
Sentence, Passage) by attribute, so `index/` needs no import of `ingest/`. Lists (markers,
pages, authors, sources) are JSON in their column and lists again when read; never joined.

Version history: v1 (first release); v2 adds passages.pages (the PDF pages a passage spans),
reports.unplaced (notes with no marker in the body) and the paragraph of each sentence; v3 adds
the section path (headings) of each sentence and passage, the printed page labels
(reports.page_labels, passages.page_labels) and reports.structured (built from a Document). An
index of an older version is refused with the command that rebuilds it (store.check_compatible):
its rows lack what v3 reads. Within v3, files.readers (the readers version that parsed each
file) was added without a version change: a v3 index without it is read, and its files re-read.
"""
from __future__ import annotations

import json
from typing import Any, NamedTuple

SCHEMA_VERSION = 3

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, root TEXT, sha256 TEXT, reports TEXT,
                                  skipped TEXT, readers INTEGER);
CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY, title TEXT, date TEXT, time TEXT,
                                    authors TEXT, publisher TEXT, sources TEXT, passages INTEGER,
                                    footnotes TEXT, text TEXT, body_end INTEGER, sentences TEXT,
                                    unplaced TEXT, page_labels TEXT, structured INTEGER);
CREATE TABLE IF NOT EXISTS notes (report_id TEXT, marker TEXT, note TEXT,
                                  PRIMARY KEY (report_id, marker));
CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, report_id TEXT, kind TEXT, start INTEGER,
                                     "end" INTEGER, text TEXT, markers TEXT, ordinal INTEGER,
                                     pages TEXT, section TEXT, page_labels TEXT);
CREATE INDEX IF NOT EXISTS passages_report ON passages (report_id);
CREATE TABLE IF NOT EXISTS summaries (report_id TEXT PRIMARY KEY, sentences TEXT, state TEXT);
CREATE TABLE IF NOT EXISTS changes (one INTEGER PRIMARY KEY CHECK (one = 1), change TEXT);
CREATE TABLE IF NOT EXISTS file_stats (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
                                       ino INTEGER, checked_ns INTEGER, sha256 TEXT);
"""

REPORT_COLUMNS = ("id", "title", "date", "time", "authors", "publisher", "sources", "passages", "footnotes",
                  "text", "body_end", "sentences", "unplaced", "page_labels", "structured")
PASSAGE_COLUMNS = ("id", "report_id", "kind", "start", "end", "text", "markers", "ordinal", "pages", "section",
                   "page_labels")
SUMMARY_COLUMNS = REPORT_COLUMNS[:9]          # what listing reports needs: no text


def _cols(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{n}"' for n in names)


INSERT_REPORT = f"INSERT INTO reports ({_cols(REPORT_COLUMNS)}) VALUES ({','.join('?' * len(REPORT_COLUMNS))})"
INSERT_NOTE = "INSERT INTO notes (report_id, marker, note) VALUES (?,?,?)"
INSERT_PASSAGE = f"INSERT INTO passages ({_cols(PASSAGE_COLUMNS)}) VALUES ({','.join('?' * len(PASSAGE_COLUMNS))})"
INSERT_FILE = "INSERT INTO files (path, root, sha256, reports, skipped, readers) VALUES (?,?,?,?,?,?)"
SELECT_PASSAGES = f"SELECT {_cols(PASSAGE_COLUMNS)} FROM passages"
SELECT_SUMMARIES = f"SELECT {_cols(SUMMARY_COLUMNS)} FROM reports"
SELECT_REPORTS = f"SELECT {_cols(REPORT_COLUMNS)} FROM reports"
SELECT_FILES = "SELECT path, root, sha256, reports, skipped, readers FROM files"
SELECT_FILES_WITHOUT_REPORTS = "SELECT path, root, sha256, NULL, skipped, readers FROM files"   # reports_json None
# the order ingest sorts reports in: by date, undated last, then id
REPORT_ORDER = " ORDER BY CASE WHEN date IS NULL OR date = '' THEN '9999' ELSE date END, id"


# ------------------------------------------------------------------------------ notes
def note_dict(note: Any) -> dict:
    """A note as the answer contract shows it (ingest.model.Note.to_dict's shape)."""
    d = {"marker": note.marker, "status": note.status, "text": note.text, "urls": list(note.urls),
         "dngts": bool(note.dngts), "dngts_urls": list(note.dngts_urls)}
    if getattr(note, "pages", None):          # a PDF note's pages; text notes have none
        d["pages"] = list(note.pages)
    return d


def missing_note(marker: str) -> dict:
    """What a marker without a stored note shows."""
    return {"marker": marker, "status": "missing", "text": "", "urls": [], "dngts": False, "dngts_urls": []}


def _note_record(d: dict) -> dict:
    """A stored note dict -> the fields of ingest.model.Note (dngts is derived there)."""
    return {"marker": d["marker"], "text": d.get("text", ""), "urls": list(d.get("urls", [])),
            "dngts_urls": list(d.get("dngts_urls", [])), "status": d.get("status", "resolved"),
            "pages": list(d.get("pages", []))}


# ------------------------------------------------------------------------------ reports
def report_row(report: Any, passages: int) -> tuple:
    """One reports row. `passages` is how many passages the store holds for it."""
    # a fifth item, the PDF pages of the sentence, and a sixth, its section, only when it has them
    # (text reports: four items)
    sentences = [[s.start, s.end, list(s.markers), s.paragraph, *_sentence_tail(s)] for s in report.sentences]
    labels = {str(k): v for k, v in (getattr(report, "page_labels", None) or {}).items()}
    return (report.id, report.title, report.date, report.time, json.dumps(list(report.authors)), report.publisher,
            json.dumps(list(report.sources)), passages, json.dumps(report.footnote_counts()), report.text,
            report.body_end, json.dumps(sentences), json.dumps([note_dict(n) for n in report.unplaced_notes]),
            json.dumps(labels), int(bool(getattr(report, "structured", False))))


def _sentence_tail(s: Any) -> list:
    pages, section = list(getattr(s, "pages", None) or []), getattr(s, "section", "") or ""
    return [pages, section] if section else [pages] if pages else []


def note_rows(report: Any) -> list[tuple]:
    return [(report.id, marker, json.dumps(note_dict(note))) for marker, note in report.notes.items()]


def report_summary(row: tuple) -> dict:
    """A SUMMARY_COLUMNS row -> the `dossier reports --json` record."""
    rid, title, date, time_, authors, publisher, sources, n, foot = row
    return {"id": rid, "title": title, "date": date, "time": time_, "authors": json.loads(authors),
            "publisher": publisher, "sources": json.loads(sources), "passages": n, "footnotes": json.loads(foot)}


def report_record(row: tuple, notes: list[tuple]) -> dict:
    """A REPORT_COLUMNS row and its (marker, note) rows -> the report's fields, in the shape of
    ingest.model.Report.to_dict() (so `Report.from_dict(report_record(...))` is the report)."""
    (rid, title, date, time_, authors, publisher, sources, _n, _foot, text, body_end, sentences,
     unplaced, page_labels, structured) = row
    return {"id": rid, "title": title, "date": date, "time": time_, "authors": json.loads(authors),
            "publisher": publisher, "sources": json.loads(sources), "text": text, "body_end": body_end,
            "sentences": [{"start": s[0], "end": s[1], "markers": list(s[2]), "paragraph": s[3],
                           "pages": list(s[4]) if len(s) > 4 else [], "section": s[5] if len(s) > 5 else ""}
                          for s in json.loads(sentences)],
            "notes": {m: _note_record(json.loads(n)) for m, n in notes},
            "unplaced_notes": [_note_record(d) for d in json.loads(unplaced or "[]")],
            "page_labels": {int(k): v for k, v in json.loads(page_labels or "{}").items()},
            "structured": bool(structured)}


def sentence_spans(sentences_json: str) -> list[tuple[int, int, list[str]]]:
    """reports.sentences -> (start, end, markers) per sentence, what the answer path reads."""
    return [(s[0], s[1], list(s[2])) for s in json.loads(sentences_json)]


# ------------------------------------------------------------------------------ passages
def passage_row(passage: Any) -> tuple:
    """One passages row; `pages`, `section` and `page_labels` are optional on the record (only
    PDF reports have pages, only structured ones sections)."""
    return (passage.id, passage.report_id, passage.kind, passage.start, passage.end, passage.text,
            json.dumps(list(passage.markers)), passage.ordinal, json.dumps(list(getattr(passage, "pages", None) or [])),
            getattr(passage, "section", "") or "", json.dumps(list(getattr(passage, "page_labels", None) or [])))


def passage_dict(row: tuple) -> dict:
    """A PASSAGE_COLUMNS row -> the passage as Snapshot.passages gives it (lists are lists)."""
    pid, rid, kind, start, end, text, markers, ordinal, pages, section, page_labels = row
    return {"id": pid, "report_id": rid, "kind": kind, "start": start, "end": end, "text": text,
            "markers": json.loads(markers), "ordinal": ordinal, "pages": json.loads(pages or "[]"),
            "section": section or "", "page_labels": json.loads(page_labels or "[]")}


# ------------------------------------------------------------------------------ files
class FileRecord(NamedTuple):
    """What ingest remembers of one file: where it was found, its hash, the reports parsed
    from it (reused while the hash is unchanged and they were read by the readers of today:
    `readers`) and its teasers. The reports stay the JSON text they are stored as (a list of
    Report.to_dict() dicts) until someone reads them: at 10,000 reports the parsed dicts of
    every file took 425 MB of an ingest, the text 137."""

    root: str
    sha256: str
    reports_json: str | None          # None: not read from the store (store.Base.file_reports reads it)
    skipped: list[dict]
    readers: int | None = None        # the version of the readers that parsed it (ingest/read.py
                                      # READERS_VERSION); None: recorded before versions were

    def report_dicts(self) -> list[dict]:
        if self.reports_json is None:
            raise ValueError("this file record was read without its reports (store.Base.file_reports)")
        return json.loads(self.reports_json)


def file_row(path: str, f: FileRecord) -> tuple:
    return (path, f.root, f.sha256, f.reports_json, json.dumps(f.skipped), f.readers)


def file_record(row: tuple) -> tuple[str, FileRecord]:
    path, root, sha, reports, skipped, readers = row
    return path, FileRecord(root, sha, reports, json.loads(skipped or "[]"), readers)


# files.readers (added without a schema version change, like file_stats below): the version of
# the readers that parsed each file. A generation written before it has no such column: read, its
# files are "None" (ingest re-reads each once); copied into a new generation, the column is added.
SELECT_FILES_BEFORE_READERS = "SELECT path, root, sha256, NULL, skipped, NULL FROM files"


def add_files_readers(con: Any) -> None:
    """Give a copied generation from before files.readers the column (its rows: NULL)."""
    if "readers" not in {row[1] for row in con.execute("PRAGMA table_info(files)")}:
        con.execute("ALTER TABLE files ADD COLUMN readers INTEGER")


# file_stats (added without a schema version change: an older generation has none, and every
# file is hashed): what a file's stat was when it was hashed, so the next ingest need not read it
# again while size, times and inode are the same (ingest/walk.py FileHashes).
SELECT_FILE_STATS = "SELECT path, size, mtime_ns, ctime_ns, ino, checked_ns, sha256 FROM file_stats"
UPSERT_FILE_STAT = "INSERT OR REPLACE INTO file_stats VALUES (?,?,?,?,?,?,?)"


# ------------------------------------------------------------------------------ summaries
# Added with the summaries (no schema version change: an older generation simply has no rows,
# and readers then compute a summary from the report). `summaries.sentences` is the report's
# extractive summary (index/summary.py); `summaries.state` what a later ingest compares against
# to say what changed (passage text hashes, notes available); `changes` holds that comparison
# for the generation it is in, read by the Slack digest.
INSERT_SUMMARY = "INSERT OR REPLACE INTO summaries (report_id, sentences, state) VALUES (?,?,?)"
SELECT_SUMMARY = "SELECT report_id, sentences FROM summaries"
SELECT_STATES = "SELECT report_id, state FROM summaries"
INSERT_CHANGE = "INSERT OR REPLACE INTO changes (one, change) VALUES (1, ?)"


def summary_row(report_id: str, sentences: list[dict], state: dict) -> tuple:
    return (report_id, json.dumps(sentences), json.dumps(state))


def summary_sentences(value: str) -> list[dict]:
    """summaries.sentences -> [{"start", "end", "markers", "text", "passage_id"}]."""
    return [dict(s, markers=list(s.get("markers", []))) for s in json.loads(value or "[]")]


def report_state(value: str) -> dict:
    d = json.loads(value or "{}")
    return {"passages": list(d.get("passages", [])), "notes": list(d.get("notes", []))}
