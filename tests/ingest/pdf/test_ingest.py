"""PDF and Word files through the real ingest: bad ones fail alone with one line each, good
ones are stored with their pages, an unchanged PDF is not parsed again and an edited one
re-embeds only its report's passages."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import ingest.pdf.reader as pdf_reader
from index.config import Settings
from ingest.chunk import chunk_report
from ingest.pipeline import ingest
from ingest.read import read_report_file
from ingest.report import parse_text
from tests.conftest import SAMPLES
from tests.ingest.pdf import fixtures as fx
from tests.ingest.test_docx import _docx_of_sample

SENTENCE = "This statement is inaccurate."
CHANGED = "This statement is plainly false."


def _sept19_pdf(old: str = "", new: str = "") -> bytes:
    text = (SAMPLES / "000_08cac09e5d9ef787.txt").read_text()
    title = next(r.title for r in parse_text(text, "x")[0] if r.date == "2020-09-19")
    spec = fx.sample_spec(text.replace(old, new) if old else text, title=title, date="2020-09-19",
                          header="Institute for the Study of War")
    return fx.build_pdf(spec, "reportlab")[0]


def _stored_reports(home: Path) -> dict[str, dict]:
    name = (home / "CURRENT").read_text().strip()
    con = sqlite3.connect(f"file:{home / 'generations' / name / 'dossier.db'}?mode=ro", uri=True)
    try:
        out = {}
        for path, reports in con.execute("SELECT path, reports FROM files"):
            for r in json.loads(reports):
                out[Path(path).name] = r
        return out
    finally:
        con.close()


def test_bad_pdfs_fail_alone_and_pdfs_ingest_incrementally(tmp_path, st_model, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    original = _sept19_pdf()
    (folder / "sept19.pdf").write_bytes(original)
    (folder / "sept2.docx").write_bytes(_docx_of_sample())
    shutil.copy(SAMPLES / "002_8a4a9fea978dff02.txt", folder / "aug15.txt")
    (folder / "scan.pdf").write_bytes(fx.scanned_pdf())
    (folder / "locked.pdf").write_bytes(fx.encrypted_pdf())
    (folder / "broken.pdf").write_bytes(fx.damaged_pdf(original))
    (folder / "zero.pdf").write_bytes(fx.ZERO_PAGES)
    settings = Settings(home=tmp_path / "home")

    first = ingest([folder], settings, embedder=st_model)
    failed = {Path(f["path"]).name: f["error"] for f in first.failed}
    assert failed == {"scan.pdf": "no text layer: scanned PDF? OCR is not supported",
                      "locked.pdf": "encrypted PDF (a password is needed to read it)",
                      "broken.pdf": failed["broken.pdf"], "zero.pdf": "PDF has no pages"}
    assert failed["broken.pdf"].startswith("damaged PDF")
    assert (first.added, first.reports) == (3, 3)
    stored = _stored_reports(settings.home)
    pdf_report = stored["sept19.pdf"]
    assert pdf_report["title"].startswith("Belarus Warning Update") and pdf_report["date"] == "2020-09-19"
    assert all(s["pages"] for s in pdf_report["sentences"])
    assert all(not s["pages"] for s in stored["sept2.docx"]["sentences"] + stored["aug15.txt"]["sentences"])

    # unchanged: the PDF is not parsed again (a parse would now fail on the page limit)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 0)
    again = ingest([folder], settings, embedder=st_model)
    assert (again.passages_embedded, again.unchanged, again.added, again.updated) == (0, 3, 0, 0)
    assert "sept19.pdf" not in {Path(f["path"]).name for f in again.failed}
    monkeypatch.undo()

    # edited: only that report's passages are embedded again
    (folder / "sept19.pdf").write_bytes(_sept19_pdf(SENTENCE, CHANGED))
    edited = ingest([folder], settings, embedder=st_model)
    (report,), _ = parse_text(read_report_file(folder / "sept19.pdf"), "sept19.pdf")
    assert CHANGED in report.text
    assert (edited.updated, edited.unchanged, edited.added, edited.removed) == (1, 2, 0, 0)
    assert edited.passages_embedded == len(chunk_report(report))
