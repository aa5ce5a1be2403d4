"""Word reports: a .docx with real Word footnotes (parts written in the test) read back.

The September 2 report is written as Word would store it: a Title paragraph, the header lines,
body paragraphs whose footnote references carry arbitrary note ids, and footnotes.xml. The
parsed marker -> note map equals the gold map; the passages equal the text version's.
"""
from __future__ import annotations

import json
import re
import zipfile

import pytest

from index.errors import ReportReadError
from ingest.chunk import chunk_report
from ingest.read import read_report_file
from ingest.report import parse_text
from tests.conftest import GOLD, SAMPLES, assert_notes_equal_gold
from tests.ingest.pdf import fixtures as fx

TITLE, DATE = "The Kremlin Prepares to Further Integrate Belarus", "2020-09-02"
FILE = "003_dcd5aac377835ac8.txt"


def _text_report():
    reports, _ = parse_text(read_report_file(SAMPLES / FILE), FILE)
    return next(r for r in reports if r.date == DATE)


def _docx_of_sample(*, as_endnotes: bool = False, num_start: int = 1) -> bytes:
    spec = fx.sample_spec((SAMPLES / FILE).read_text(), title=TITLE, date=DATE)
    header = [p.runs[0][0] for p in spec.paras[1:3]]                  # time line, byline
    notes_by_number = dict(spec.notes)
    paras, notes, seen = [], [], []
    for p in spec.paras[3:]:
        runs = []
        for text, sup in p.runs:
            if sup:
                nid = str(100 + len(seen) * 7)                      # Word's ids are not the numbers
                seen.append(text)
                runs.append((("e" if as_endnotes else "") + nid, True))
                notes.append((nid, notes_by_number.get(text, "")))
            else:
                runs.append((text, False))
        paras.append((runs, "Heading1" if p.bold else ""))
    assert seen == [str(i) for i in range(1, len(seen) + 1)]         # the sample numbers in order
    if as_endnotes:
        return fx.docx_bytes(TITLE, header, paras, [], endnotes=notes)
    return fx.docx_bytes(TITLE, header, paras, notes, num_start=num_start)


def _parse(tmp_path, data: bytes, name: str = "report.docx"):
    p = tmp_path / name
    p.write_bytes(data)
    return parse_text(read_report_file(p), name)


@pytest.mark.parametrize("as_endnotes", [False, True], ids=["footnotes", "endnotes"])
def test_word_notes_equal_the_gold_map_and_text_passages(tmp_path, as_endnotes):
    (r,), _ = _parse(tmp_path, _docx_of_sample(as_endnotes=as_endnotes))
    gold = json.loads((GOLD / "footnotes" / "2020-09-02-belarus-integration.json").read_text())
    assert (r.title, r.date, r.authors) == (gold["title"], gold["date"], ["George Barros"])
    assert_notes_equal_gold(r, gold, prose=False)
    # the same sentences and markers as the text version, but its bold headings are headings
    # here (style Heading1): no sentence of their own, the section of the sentences under them
    text = _text_report()
    headings = {p.runs[0][0] for p in fx.sample_spec((SAMPLES / FILE).read_text(), title=TITLE, date=DATE).paras
                if p.bold}
    words = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    want = [(words(text.text[s.start:s.end]), s.markers) for s in text.sentences
            if text.text[s.start:s.end] not in headings]
    assert [(words(r.text[s.start:s.end]), s.markers) for s in r.sentences] == want
    assert all(p.section in headings for p in chunk_report(r) if p.kind == "body" and p.section)
    assert not any(h in p.text for h in headings for p in chunk_report(r) if p.kind == "body")


def test_numbering_starts_where_the_section_says(tmp_path):
    (r,), _ = _parse(tmp_path, _docx_of_sample(num_start=35))
    assert r.markers[0] == "35" and r.markers[-1] == str(35 + 22)
    assert r.notes["35"].urls == ["http://kremlin.ru/events/president/news/63966"]


def test_hyperlinks_in_notes_keep_their_targets(tmp_path):
    paras = [([("Belarus signed a contract for S-400 systems in 2020 with Almaz-Antey.", False), ("7", True),
               (" The deal covers 4 battalions. It was reported on September 16.", False)], ""),
             ([("Air defense", False), ("9", True)], "Heading1"),
             ([("Deliveries start in 2021. They were confirmed by the ministry. Nothing else is known.", False)], "")]
    notes = [("7", "Kremlin readout; https://tass(.)ru/politika/9475065"), ("9", "DNGTS: https://sputnik.by/a")]
    data = fx.docx_bytes("", ["September 16, 2020, 3:00 pm EDT", "By Jane Doe"], paras, notes,
                         hyperlinks={"Kremlin readout": "http://kremlin.ru/events/63966"})
    (r,), _ = _parse(tmp_path, data)
    assert r.title == "" and r.date == "2020-09-16" and r.authors == ["Jane Doe"]
    assert r.notes["1"].urls == ["http://kremlin.ru/events/63966", "https://tass(.)ru/politika/9475065"]
    assert r.notes["2"].dngts_urls == ["https://sputnik.by/a"]
    assert [s.markers for s in r.sentences][:2] == [["1"], []]
    assert "Air defense" not in [r.text[s.start:s.end] for s in r.sentences]     # a heading is no sentence:
    under = next(s for s in r.sentences if r.text[s.start:s.end].startswith("Deliveries"))   # its marker backs
    assert under.markers == ["2"] and under.section == "Air defense"                         # the section's first
    assert "S-400" in r.text and "Kremlin readout" not in r.text[:r.body_end]


def test_bad_word_files_are_one_line_errors(tmp_path):
    good = _docx_of_sample()
    no_document = zipfile.ZipFile(tmp_path / "x.zip", "w")
    no_document.writestr("hello.txt", "hi")
    no_document.close()
    bad_xml = zipfile.ZipFile(tmp_path / "y.zip", "w")
    bad_xml.writestr("word/document.xml", "<w:document><w:body>")
    bad_xml.close()
    cases = {
        "cut.docx": (good[: len(good) // 2], "damaged Word file"),
        "plain.docx": ((tmp_path / "x.zip").read_bytes(), "no word/document.xml"),
        "badxml.docx": ((tmp_path / "y.zip").read_bytes(), "damaged Word file (word/document.xml"),
        "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "encrypted or an old .doc"),
        "text.docx": (b"just text", "not a Word document"),
        "docx-named.txt": (good, "binary file (a ZIP archive (docx/xlsx?)), not a text report"),
    }
    for name, (data, want) in cases.items():
        with pytest.raises(ReportReadError) as e:
            _parse(tmp_path, data, name)
        msg = str(e.value)
        assert want in msg and name in msg and "\n" not in msg, (name, msg)


def test_field_code_links_and_alternate_content_in_notes(tmp_path):
    """Links Word stores as fields (HYPERLINK instructions), and mc:AlternateContent whose
    Fallback repeats the Choice."""
    complex_field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://tass(.)ru/politika/9475065" </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>TASS report</w:t></w:r>'
                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                     '<w:r><w:t xml:space="preserve">; </w:t></w:r>'
                     '<w:fldSimple w:instr=" HYPERLINK &quot;http://kremlin.ru/events/63966&quot; ">'
                     '<w:r><w:t>Kremlin readout</w:t></w:r></w:fldSimple>')
    alternate = ('<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>See the ministry site.</w:t></w:r>'
                 '</mc:Choice><mc:Fallback><w:r><w:t>See the ministry site.</w:t></w:r></mc:Fallback>'
                 '</mc:AlternateContent>')
    paras = [([("Belarus signed a contract for S-400 systems in 2020.", False), ("1", True),
               (" The deal covers 4 battalions.", False), ("2", True), (" Nothing else is known.", False)], "")]
    data = fx.docx_bytes("", [], paras, [("1", complex_field), ("2", alternate)])
    (r,), _ = _parse(tmp_path, data)
    assert r.notes["1"].urls == ["https://tass(.)ru/politika/9475065", "http://kremlin.ru/events/63966"]
    assert "TASS report" in r.notes["1"].text and "HYPERLINK" not in r.notes["1"].text
    assert r.notes["2"].text == "See the ministry site."


def _with_section_breaks(data: bytes, after: list[int], restart: str = "eachSect") -> bytes:
    """The .docx with a section ending after each given body paragraph (0-based), every
    section's notes numbered per `restart` (Word's w:numRestart)."""
    sect = f'<w:sectPr><w:footnotePr><w:numRestart w:val="{restart}"/></w:footnotePr></w:sectPr>'

    def edit(xml: str) -> str:
        parts = xml.split("<w:p>")
        for k in after:                       # parts[k + 1] is paragraph k
            p = parts[k + 1]
            parts[k + 1] = (p.replace("<w:pPr>", f"<w:pPr>{sect}", 1) if p.startswith("<w:pPr>")
                            else f"<w:pPr>{sect}</w:pPr>" + p)
        xml = "<w:p>".join(parts)
        last = xml.rindex("<w:sectPr><w:footnotePr>")      # the body's own: the last section's
        return xml[:last] + f'<w:sectPr><w:footnotePr><w:numRestart w:val="{restart}"/>' + \
            xml[last + len("<w:sectPr><w:footnotePr>"):]

    return fx.docx_with_document(data, edit)


def test_numbers_that_restart_with_each_section_keep_every_note_on_its_marker(tmp_path):
    paras = [([("Chapter one makes a claim here.", False), ("11", True)], ""),
             ([("Chapter one makes another claim.", False), ("12", True)], ""),
             ([("Chapter two starts its own numbering.", False), ("13", True)], ""),
             ([("Chapter two goes on to a second note.", False), ("14", True)], "")]
    notes = [("11", "First note of chapter one."), ("12", "Second note of chapter one."),
             ("13", "First note of chapter two."), ("14", "Second note of chapter two.")]
    data = _with_section_breaks(fx.docx_bytes("", [], paras, notes), after=[1])
    (r,), _ = _parse(tmp_path, data)
    assert [s.markers for s in r.sentences] == [["1"], ["2"], ["1#2"], ["2#2"]]
    assert {m: n.text for m, n in r.notes.items()} == {
        "1": "First note of chapter one.", "2": "Second note of chapter one.",
        "1#2": "First note of chapter two.", "2#2": "Second note of chapter two."}
    (cont,), _ = _parse(tmp_path, _with_section_breaks(fx.docx_bytes("", [], paras, notes), [1], "continuous"),
                        "continuous.docx")
    assert [s.markers for s in cont.sentences] == [["1"], ["2"], ["3"], ["4"]]
