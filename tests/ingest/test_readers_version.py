"""An upgrade whose readers read differently takes effect on the next ingest: every file read
by other readers (READERS_VERSION, recorded with each file) is read again and what came out
different is rewritten, as an edit would be; an unchanged re-ingest reads nothing. The homes
"as an older version left them" are real ingests whose records are then written the way an
older Dossier wrote them (no readers column, or another version; an older reading in the rows)."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys

from eval.bench.standin import StandInEncoder
from index.config import Settings
from index.encode.embed import QueryEncoder
from index.engine import Dossier
from index.store.store import current_generation
from ingest.pipeline import ingest, readers_changed
from ingest.read import READERS_VERSION
from tests.conftest import ROOT, SAMPLES
from tests.ingest.test_incremental import _derived, _tables

SEPT2 = "003_dcd5aac377835ac8.txt"       # "Lavrov repeated this accusation on September 2.¹⁸"
NOTE_18 = ("¹⁸ [https://www.mid\\(.\\)ru/ru/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4308361]"
           "(https://www.mid(.)ru/ru/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4308361)\n\n")
MID = "https://www.mid(.)ru/ru/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4308361"


def _older(home, sql: list[tuple[str, tuple]]) -> None:
    """Write the current generation's records as an older Dossier left them."""
    con = sqlite3.connect(current_generation(home) / "dossier.db")
    try:
        for statement, args in sql:
            con.execute(statement, args)
        con.commit()
    finally:
        con.close()


def _lavrov(home) -> dict:
    """What `dossier search` shows for the sentence note 18 backs (lexical: the stand-in's
    vectors mean nothing), read without loading a model."""
    d = Dossier.open(Settings(home=home), encoder=QueryEncoder(Settings(home=home), StandInEncoder()), exact=True)
    try:
        hits = d.search("Lavrov repeated this accusation on September 2", k=3, mode="bm25")["results"]
    finally:
        d.close()
    return next(h for h in hits if "Lavrov repeated this accusation" in h["text"])


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_home_from_before_readers_versions_is_read_again_once(tmp_path, capsys):
    corpus = tmp_path / "reports"
    shutil.copytree(SAMPLES, corpus)
    enc = StandInEncoder()
    settings = Settings(home=tmp_path / "home")
    f = corpus / SEPT2
    real = f.read_text(encoding="utf-8")
    assert NOTE_18 in real
    # the older reading: one that missed note 18 of the very file on disk now
    f.write_text(real.replace(NOTE_18, ""), encoding="utf-8")
    ingest([corpus], settings, embedder=enc)
    f.write_text(real, encoding="utf-8")
    _older(settings.home, [("UPDATE files SET sha256 = ? WHERE path = ?", (_sha(f), str(f.resolve()))),
                           ("UPDATE file_stats SET sha256 = ? WHERE path = ?", (_sha(f), str(f.resolve()))),
                           ("ALTER TABLE files DROP COLUMN readers", ())])
    before = _lavrov(settings.home)
    assert [n["status"] for n in before["footnotes"] if n["marker"] == "18"] == ["missing"]
    capsys.readouterr()

    again = ingest([corpus], settings, embedder=enc)

    # (c) the user is told, in one line on stderr, before the files are read
    assert capsys.readouterr().err.splitlines() == ["readers changed since this index was built: re-reading 5 files"]
    # (b) every file read again; the one report whose reading differs is rewritten, the rest kept
    assert (again.reread, again.files_read, again.failed) == (5, 5, [])
    assert (again.updated, again.unchanged, again.added, again.removed, again.reports) == (1, 6, 0, 0, 7)
    after = _lavrov(settings.home)
    assert [(n["status"], n["urls"]) for n in after["footnotes"] if n["marker"] == "18"] == [("resolved", [MID])]
    # ... and the home is, row for row and vector for vector, what a fresh ingest of the files gives
    clean = Settings(home=tmp_path / "clean")
    ingest([corpus], clean, embedder=enc)
    assert _tables(settings.home) == _tables(clean.home)
    assert _derived(settings.home) == _derived(clean.home)

    # (a) once read by these readers, an unchanged re-ingest reads nothing and says nothing
    third = ingest([corpus], settings, embedder=enc)
    assert (third.reread, third.files_read, third.generation) == (0, 0, again.generation)
    assert capsys.readouterr().err == ""


def test_another_version_rewrites_passages_whose_text_did_not_change(tmp_path):
    """Readers that attach markers differently (or a new chunking) change passages but not the
    report's text, which is all the docstore's hash covers: the passages are compared and made
    anew. Only files of another version are read; an edit after it stays an edit."""
    corpus = tmp_path / "reports"
    shutil.copytree(SAMPLES, corpus)
    enc = StandInEncoder()
    settings = Settings(home=tmp_path / "home")
    first = ingest([corpus], settings, embedder=enc)
    assert (first.files_read, first.reread) == (5, 0)
    quiet = ingest([corpus], settings, embedder=enc)
    assert (quiet.files_read, quiet.reread, quiet.generation) == (0, 0, first.generation)
    assert [n["status"] for n in _lavrov(settings.home)["footnotes"] if n["marker"] == "18"] == ["resolved"]

    # an older version: its reader attached no markers to the body passages of the Sept 2 report
    # (same text), and it read that one file; the other four were read by today's readers
    rid = _lavrov(settings.home)["report"]["id"]
    path = str((corpus / SEPT2).resolve())
    _older(settings.home, [("UPDATE passages SET markers = '[]' WHERE report_id = ? AND kind = 'body'", (rid,)),
                           ("UPDATE files SET readers = ? WHERE path = ?", (READERS_VERSION - 1, path))])
    assert _lavrov(settings.home)["footnotes"] == []
    notices: list[str] = []

    again = ingest([corpus], settings, embedder=enc, notice=notices.append)

    assert notices == [readers_changed(1)] == ["readers changed since this index was built: re-reading 1 file"]
    assert (again.reread, again.files_read, again.updated, again.unchanged) == (1, 1, 1, 6)
    passages = sqlite3.connect(current_generation(settings.home) / "dossier.db").execute(
        "SELECT COUNT(*) FROM passages WHERE report_id = ?", (rid,)).fetchone()[0]
    assert again.passages_embedded == passages                # that report's passages, made anew
    assert "18" in [n["marker"] for n in _lavrov(settings.home)["footnotes"]]
    clean = Settings(home=tmp_path / "clean")
    ingest([corpus], clean, embedder=enc)
    assert _tables(settings.home) == _tables(clean.home)
    assert _derived(settings.home) == _derived(clean.home)

    # an ordinary edit afterwards: one file read, no notice
    f = corpus / "001_2615153153a8a9b8.txt"
    f.write_text(f.read_text().replace("The Kremlin qualified Belarusian President",
                                       "The Kremlin quickly qualified Belarusian President"))
    notices.clear()
    edited = ingest([corpus], settings, embedder=enc, notice=notices.append)
    assert (edited.files_read, edited.reread, edited.updated, notices) == (1, 0, 1, [])


def test_the_version_is_kept_per_file(tmp_path):
    """An ingest of one folder re-reads that folder's files; another folder's files keep their
    record and its version, and are re-read when that folder is ingested."""
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, names in ((a, sorted(p.name for p in SAMPLES.iterdir())[:2]),
                          (b, sorted(p.name for p in SAMPLES.iterdir())[2:])):
        folder.mkdir()
        for name in names:
            shutil.copy(SAMPLES / name, folder / name)
    enc = StandInEncoder()
    settings = Settings(home=tmp_path / "home")
    ingest([a, b], settings, embedder=enc)
    _older(settings.home, [("UPDATE files SET readers = NULL", ())])

    notices: list[str] = []
    only_a = ingest([a], settings, embedder=enc, notice=notices.append)
    assert (only_a.reread, only_a.files_read, only_a.reports, notices) == (2, 2, 7, [readers_changed(2)])
    con = sqlite3.connect(current_generation(settings.home) / "dossier.db")
    got = sorted((p.rsplit("/", 2)[-2], v) for p, v in con.execute("SELECT path, readers FROM files"))
    con.close()
    assert got == [("a", READERS_VERSION)] * 2 + [("b", None)] * 3
    # the real command line (with the bench's stand-in encoder: no model to load) prints the line
    proc = subprocess.run([sys.executable, "-m", "eval.bench.standin", "ingest", "--json", "--home", str(settings.home),
                           str(b)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    only_b = json.loads(proc.stdout)
    assert (only_b["reread"], only_b["files_read"], only_b["reports"]) == (3, 3, 7)
    assert proc.stderr.splitlines() == ["readers changed since this index was built: re-reading 3 files"]
    both = ingest([a, b], settings, embedder=enc, notice=notices.append)
    assert (both.reread, both.files_read, both.generation, notices[1:]) == (0, 0, only_b["generation"], [])


# What today's readers make of the bundled files, per READERS_VERSION (the digest below). A change
# of any reader, the text parser, the merge or the chunking that alters it must bump the version:
# users' homes then re-read their files on the next ingest. PDF and Word readers are not covered
# here (the one bundled PDF takes 10-20 s to read); their changes bump the version all the same.
READINGS = {1: "dfddf497588f4f5b77e4e98789d5baedba75bfacf0e93ca9a3832718e7505b26",
            2: "dfddf497588f4f5b77e4e98789d5baedba75bfacf0e93ca9a3832718e7505b26",   # 2: PDF hyphens and front matter only
            3: "dfddf497588f4f5b77e4e98789d5baedba75bfacf0e93ca9a3832718e7505b26",   # 3: an HTML cell's short list beside its label
            4: "dfddf497588f4f5b77e4e98789d5baedba75bfacf0e93ca9a3832718e7505b26",   # 4: PDF: a note goes on over a page only under a rule when the document rules its notes; a small sidebar marker; a bold table row is no heading
            5: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 5: HTML: a block quotation in quotation marks (session 15, with the comma rule); PDF: an author table away from the front is front matter
            6: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 6: PDF only: a block quotation set in and introduced in quotation marks; a list item's hung lines stay with its first
            7: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 7: HTML: a short line set wholly in italic is a heading under the bold ones (Google Docs subheadings); PDF: the text after a table is no longer under its caption
            8: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 8: text parser: a dagger line with no word after it ("† ¶", a legend's key) is not a note
            9: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 9: PDF: type size scaled by the text matrix; three columns with narrow gutters; small type opening with a plain number opens no note where notes are numbered by superscripts; two superscript markers with a comma between are two ("¹,²" was "12"); two columns with a gutter narrower than a word space
            10: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 10: PDF: a Federal Register preamble's subject is the title; a date above page 1's first prose line (a running head's part) is the date, a masthead over a column no text; a contents page is no title; a running head with the page number on the outer side is one running head; a line's small capitals do not set its size; an accent glyph drawn over a letter is joined to it; a later Federal Register document is a report of its own
            11: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 11: HTML: "[N] …" note lines are notes, not marked text (the ISW Drupal pages); og:title equal to the site's name is no title; structured formats: header lines with a labelled date ("Dec 13, 2022 - Press ISW"), abbreviated months, a bare list of three names or more, a time without its year; a Drupal site's attached files and tags are no text; a link label that cuts its address short reads as the address; of several <article>s, one holding most of their text is the page's (teasers and readers' comments left out); MediaWiki's JSON-LD name, not its headline (a description), is the title; links into the page written with its full address are in-page links
            12: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 12: HTML: notes a line each in one paragraph ("[1] …<br>[2] …", ISW's WordPress site); a post's "Previous"/"Next" links are no text; a link back to a marker in another document (a draft's "…docx#_ednref3") is no source; a label cutting short a link of several addresses reads as them; text parser: a host defanged with spaced words ("president dot gov.ua") stays in its address; a line of prose between numbered notes is the note's when the next number follows; header lines: a web page's posting date over a byline, the report's own day ("August 11, 9:00 pm ET" posted the 12th), one or two names over the time of day
            13: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 13: PDF only: a page of a few rows of columns beside figures takes the gutters most pages share; a stretch clear across every column (a figure) ends the columns above it
            14: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 14: PDF only: a note's number hung before its text (Word's endnotes) is its marker; a two-column gutter is the middle of the widest clear stretch (not across numbers hung in the margin); a web address goes on over a line after "/" or "%20", a typesetter's hyphen inside one goes; an author field ends at the next credit ("– Graphics: …")
            15: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 15: HTML: a marker linked to its note by aria-describedby/aria-details (Brookings' tooltips); tooltips are no text; <article>s inside the page's story are teasers (CRFB); the site's name cut from og:title; the publisher as JSON-LD author is no author
            16: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 16: PDF only: Adobe's old-style figures and small capitals in the private use area are digits and letters
            17: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 17: PDF only: a cover's title past a wordmark ("GAO") and a side column; a bold agency line over big type is no running text; the file's stated title printed under a series' name
            18: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 18: HTML: a teaser's byline below the first paragraph is not the page's author; structured formats: one or two names over a reading time ("4 min read"), the reading time no text; PDF: a number hung before a line of the text is no marker, nor does it make plain-numbered notes text
            19: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 19: PDF only: a cover's reference and month ("PE 760.390 – March 2024") date it
            20: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 20: PDF only: a wordmark larger than the title is no title either
            21: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 21: PDF only: Word's unheaded endnotes and roman note numbers; the body's size from where notes are cited; a cover's names under a "by"
            22: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 22: PDF only: a date opening a note's line ("22.02.2025") opens no note
            23: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 23: PDF only: "References" under numbered footnotes is the text's bibliography, not endnotes
            24: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 24: PDF only: a link box over the full stop and space before an address keeps the space
            25: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 25: PDF only: a cover's names on one line under a "by"
            26: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 26: PDF only: a running foot's page number on either side of a numbered title; a year opens no note
            27: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 27: PDF only: a bulleted item is no heading; a list's lead-in set in is no quotation
            28: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 28: PDF only: a ragged heading's lines are one heading; a change of size ends a paragraph at a page turn
            29: "c969f9b5034da31f35e5963297e9d9fc39d6dc4b66bd684226fe40bb6f710d6c",   # 29: PDF only: a cover's topic in capitals over its subtitle, joined by a colon
            30: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 30: sentences: a list item's number opens its sentence ("1. Oversupply …"); PDF: word spaces drawn as narrow moves; a book's alternating running heads; a suspended hyphen at a line's end
            31: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 31: PDF only: a hash's hyphen inside an address, or one inside a slug's word of the document's titles; a host name cut after its dot; a cover's subtitle in smaller display type; a series' name in capitals over the title; an "In this briefing" box is contents
            32: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 32: PDF only: a redaction bar among a line's words reads [redacted] (as the HTML edition prints it); a note redacted to its number by a bar stays a redacted note; a letter report's date line and signer; an English word broken inside an address ("docu-" + "ments") is joined
            33: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 33: PDF only: a line redacted whole (bars with nothing printed but markers, or bars of two words) reads [redacted] in its bars' size, with its own markers; GAO's side headings in a wide left margin read whole, before their paragraph; a bookmark cut short inside a word is no run-in heading
            34: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 34: PDF only: a slide's wrapped items read whole in the page's own measure, a dash opens a slide's item, a sentence's bracketed enumeration at a line start goes on; a gutter that parts part of a page's rows (a pull quote, a box, a table beside the body) reads each side whole
            35: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 35: PDF only: a running foot set a little higher on one page (within 0.6 of its size) is running too
            36: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 36: PDF only: a book's running heads whose number at either end runs with the pages, at a place a quarter of the pages share, are running
            37: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd",   # 37: PDF only: side headings set 8 % larger than the body are side headings; one level with a body line is read before it, and its line is no line across the page
            38: "da26c195d743329e966d33649b149d72509d4a05f16d0e53e34991621aa988bd"}   # 38: PDF only: a move as wide as a word space before an opening quotation mark or bracket parts two words ("the Red Sea 'in solidarity")
GUARDED = sorted(SAMPLES.glob("*.txt")) + [ROOT / "data" / "realworld" / "mueller-vol-2" / "mueller-report-vol-2.html"]


def _reading() -> str:
    from dataclasses import asdict

    from ingest.chunk import chunk_report
    from ingest.merge import merge_reports
    from ingest.read import read_report_file
    from ingest.report import parse_text

    out, reports = [], []
    for path in GUARDED:
        got, skipped = parse_text(read_report_file(path), path.name)
        out.append([path.name, [r.to_dict() for r in got], list(skipped)])
        reports += got
    for r in merge_reports(reports):
        out.append([r.id, r.to_dict(), [asdict(p) for p in chunk_report(r)]])
    return hashlib.sha256(json.dumps(out, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def test_a_change_of_the_reading_bumps_the_version():
    got = _reading()
    assert READINGS.get(READERS_VERSION) == got, (
        f"what the readers make of {', '.join(p.name for p in GUARDED)} is not what READERS_VERSION "
        f"{READERS_VERSION} recorded: bump READERS_VERSION in ingest/read.py and record "
        f"{{{READERS_VERSION + 1}: {got!r}}} in READINGS here (tests/ingest/test_readers_version.py)")


def test_a_big_re_read_goes_in_passes(tmp_path):
    """Files of another version are re-read `reread_slice` at a time, a generation each (an edit
    of that many files: a big home's first ingest after an upgrade never holds every report at
    once); a file edited meanwhile is read in the first pass; the end is a fresh ingest's home."""
    corpus = tmp_path / "reports"
    shutil.copytree(SAMPLES, corpus)
    enc = StandInEncoder()
    settings = Settings(home=tmp_path / "home")
    first = ingest([corpus], settings, embedder=enc)
    _older(settings.home, [("UPDATE files SET readers = NULL", ())])
    f = corpus / "001_2615153153a8a9b8.txt"
    f.write_text(f.read_text().replace("The Kremlin qualified Belarusian President",
                                       "The Kremlin quickly qualified Belarusian President"))
    notices: list[str] = []

    again = ingest([corpus], settings, embedder=enc, notice=notices.append, reread_slice=1)

    assert notices == [readers_changed(5)]
    assert (again.passes, again.reread, again.files_read, again.failed) == (4, 5, 5, [])   # the edited one + 1, 1, 1, 1
    assert (again.updated, again.unchanged, again.reports) == (1, 6, 7)
    assert int(again.generation[1:]) == int(first.generation[1:]) + 4
    clean = Settings(home=tmp_path / "clean")
    ingest([corpus], clean, embedder=enc)
    assert _tables(settings.home) == _tables(clean.home)
    assert _derived(settings.home) == _derived(clean.home)
    quiet = ingest([corpus], settings, embedder=enc, notice=notices.append, reread_slice=1)
    assert (quiet.passes, quiet.files_read, quiet.generation, notices[1:]) == (1, 0, again.generation, [])


def test_a_file_the_new_readers_fail_on_keeps_its_old_reading(tmp_path):
    """A file read by an older version that today's readers refuse is named, keeps its old
    record (and version: tried again at the next ingest) and ends no pass loop."""
    corpus = tmp_path / "reports"
    shutil.copytree(SAMPLES, corpus)
    enc = StandInEncoder()
    settings = Settings(home=tmp_path / "home")
    ingest([corpus], settings, embedder=enc)
    f = corpus / "002_8a4a9fea978dff02.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")           # what an older reader took for that report
    _older(settings.home, [("UPDATE files SET sha256 = ? WHERE path = ?", (_sha(f), str(f.resolve()))),
                           ("UPDATE file_stats SET sha256 = ? WHERE path = ?", (_sha(f), str(f.resolve()))),
                           ("UPDATE files SET readers = NULL", ())])
    notices: list[str] = []
    for _ in range(2):
        got = ingest([corpus], settings, embedder=enc, notice=notices.append, reread_slice=1)
        assert got.failed == [{"path": str(f), "error": "binary file (a PNG image), not a text report"}]
        assert got.reports == 7                                       # its report kept
    assert notices == [readers_changed(5), readers_changed(1)]
    assert (got.passes, got.files_read, got.reread) == (1, 1, 1)
