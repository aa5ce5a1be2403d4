"""Checking a reading: `dossier notes` (every marker in reading order, suspicious ones flagged),
`dossier reports` (markers / resolved / missing / redacted), `dossier ingest` naming a file
whose markers mostly found no note, and a structured report's citations (section, printed
pages) through the real command line."""
from __future__ import annotations

import json

import pytest

from index.footnote_list import marker_rows
from ingest.build import reports_from_document
from ingest.document import HEADING, PARAGRAPH, Block, DocNote, Document, Mark

PAGE = """<html><head><title>Grodno Drills Report</title><meta name="citation_date" content="2021/03/05"></head><body>
<h2>II. Findings</h2><h3>A. The Drills</h3>
<p>Belarusian paratroopers trained with Russian units near Grodno in March.<a href="#fn1" id="r1"><sup>1</sup></a>
The exercise involved about 800 soldiers and 50 vehicles.<a href="#fn2" id="r2"><sup>2</sup></a>
Its final phase was held at night.<a href="#fn3" id="r3"><sup>3</sup></a></p>
<section class="footnotes"><ol>
<li id="fn1">Belarusian Ministry of Defense, <a href="https://t.me/modmilby/1">statement</a>, March 5, 2021.</li>
<li id="fn2"><span class="redacted">_____ ____</span></li>
<li id="fn3">Interfax, March 6, 2021.</li>
</ol></section></body></html>"""

LOST = """<html><head><title>A Page Whose Notes Are Lost</title></head><body>
<p>Claim one is made in the first sentence here.<sup><a href="#n1">1</a></sup> Claim two follows it.<sup><a
href="#n2">2</a></sup> Claim three is made as well.<sup><a href="#n3">3</a></sup></p>
<div class="footnotes"><p id="n1">Only the first note survived the copy.</p></div></body></html>"""


@pytest.fixture(scope="module")
def home(tmp_path_factory, st_model):
    from index.config import Settings
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("notes")
    src = tmp / "in"
    src.mkdir()
    (src / "grodno.html").write_text(PAGE)
    (src / "lost.html").write_text(LOST)
    summary = ingest([src], Settings(home=tmp / "home"), embedder=st_model)
    assert summary.reports == 2 and not summary.failed
    return tmp / "home", summary


def test_notes_json_lists_every_marker_in_reading_order(home, cli):
    proc = cli("notes", "--json", "Grodno", home=home[0])
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [(r["marker"], r["status"]) for r in rows] == [("1", "resolved"), ("2", "redacted"), ("3", "resolved")]
    assert {"report", "marker", "status", "text", "pages", "sentence"} <= set(rows[0])
    assert rows[0]["sentence"] == "Belarusian paratroopers trained with Russian units near Grodno in March."
    assert rows[0]["urls"] == ["https://t.me/modmilby/1"] and rows[0]["section"] == "II. Findings > A. The Drills"
    assert rows[1]["text"] == "" and rows[2]["text"] == "Interfax, March 6, 2021."
    text = cli("notes", "Grodno", home=home[0]).stdout
    assert "3 markers: 2 resolved, 0 missing, 1 redacted, 0 unplaced" in text and "[2]  REDACTED" in text


def test_reports_count_redacted_and_ingest_names_the_file_without_notes(home, cli):
    proc = cli("reports", home=home[0])
    assert "3 markers, 2 resolved, 0 missing, 1 redacted, 0 unplaced" in proc.stdout
    (few,) = home[1].few_notes
    assert few["path"].endswith("lost.html") and (few["markers"], few["without_note"]) == (3, 2)
    from bot.render.terminal import format_ingest

    line = format_ingest(home[1].to_dict())
    assert "WARNING:" in line and "lost.html: 2 of 3 footnote markers found no note (67 %)" in line


def test_citations_of_a_structured_report_carry_their_section(home, cli):
    proc = cli("ask", "--json", "How many soldiers took part in the Grodno exercise?", home=home[0])
    a = json.loads(proc.stdout)
    cited = [c for c in a["citations"] if "800 soldiers" in c["text"]]
    assert cited and cited[0]["section"] == "II. Findings > A. The Drills"
    assert all("II. Findings" not in c["text"] for c in a["citations"])            # a heading is never quoted
    text = cli("ask", "How many soldiers took part in the Grodno exercise?", home=home[0]).stdout
    assert "Section II.A" in text


def test_suspicious_markers_are_flagged():
    text = "First claim. Second claim. Third claim. Fourth claim. A claim cited again."
    marks = [Mark(12, "1", "a"), Mark(26, "2", "b"), Mark(39, "40", "c"), Mark(53, "41", "d"), Mark(len(text), "1", "a")]
    doc = Document("x.html", blocks=[Block(HEADING, "Part", level=1), Block(PARAGRAPH, text, marks=marks)],
                   notes={"a": DocNote("a", "1", "2 These costs exclude registration."), "b": DocNote("b", "2", "Fine."),
                          "c": DocNote("c", "40", "Fine too."), "d": DocNote("d", "41", "Fine as well.")})
    (r,), _ = reports_from_document(doc)
    rows = marker_rows(r.to_dict())
    flags = {(row["marker"], row["sentence"][:5]): row["flags"] for row in rows}
    assert flags[("1", "First")] == ["its text starts with 2, another marker's number"]
    assert flags[("40", "Third")] == ["out of sequence: 40 after 2"]
    assert flags[("2", "Secon")] == [] and flags[("41", "Fourt")] == []           # 41 follows 40
