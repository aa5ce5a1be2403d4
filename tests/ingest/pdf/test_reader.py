"""PDF reports: sample reports typeset by two PDF writers (reportlab, fpdf2) read back.

For each layout the parsed marker -> note map equals the gold map of the same report as
text (eval/gold/footnotes/), and its passages equal the text version's passages, modulo
white space, with their markers. Each fixture is built once per module.
"""
from __future__ import annotations

import json
import re

import pytest

from index.errors import ReportReadError
from ingest.chunk import chunk_report
from ingest.read import ParsedFile, read_report_file
from ingest.report import parse_text
from tests.conftest import GOLD, SAMPLES, assert_notes_equal_gold
from tests.ingest.pdf import fixtures as fx

SEPT2 = ("003_dcd5aac377835ac8.txt", "The Kremlin Prepares to Further Integrate Belarus", "2020-09-02",
         "2020-09-02-belarus-integration")
AUG15 = ("002_8a4a9fea978dff02.txt",
         "Belarusian President Lukashenko Reaches Agreement with the Kremlin for Russian Intervention",
         "2020-08-15", "2020-08-15-belarus-agreement")
CHAPTER = ("004_aedf980035b4fcf6.txt", "", "", "chapter-004")
SEPT19 = ("000_08cac09e5d9ef787.txt", None, "2020-09-19", "2020-09-19-belarus-exercises")
SEPT17 = ("000_08cac09e5d9ef787.txt", None, "2020-09-17", "2020-09-17-belarus-deployment")

# name: (report, writer, layout options)
LAYOUTS = {
    "footnotes-rule-reportlab": (SEPT2, "reportlab", dict(header="ISW Belarus Warning Update", hyphenate=True,
                                                          page=(420.0, 510.0))),
    "two-columns-fpdf2": (SEPT2, "fpdf2", dict(columns=2, header="ISW Belarus Warning Update",
                                               footer="Page {n}", hyphenate=True)),
    "endnotes-unnumbered-reportlab": (CHAPTER, "reportlab", dict(notes_mode="end-unnumbered", footer="Page {n}",
                                                                 header="Clingendael Report | Belarus and Russia")),
    "endnotes-numbered-fpdf2": (AUG15, "fpdf2", dict(notes_mode="end-numbered", hyphenate=True, link_urls=True)),
    "two-columns-small-type-reportlab": (SEPT19, "reportlab", dict(notes_mode="foot-norule", columns=2, indent=12,
                                                                   header="Institute for the Study of War",
                                                                   footer="- {n} -")),
    "footnotes-links-fpdf2": (SEPT17, "fpdf2", dict(header="ISW Belarus", link_urls=True)),
}


def _text_report(sample: tuple):
    fname, title, date, _ = sample
    reports, _ = parse_text(read_report_file(SAMPLES / fname), fname)
    return next(r for r in reports if r.date == date and (title is None or r.title == title))


def _spec(sample: tuple, **options) -> fx.Spec:
    fname, title, date, _ = sample
    text = (SAMPLES / fname).read_text()
    if title is None:
        title = _text_report(sample).title
    return fx.sample_spec(text, title=title, date=date, **options)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """{layout: (pdf path, typesetter, parsed report)}, each PDF written and read once."""
    d = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, (sample, writer, options) in LAYOUTS.items():
        data, ts = fx.build_pdf(_spec(sample, **options), writer)
        path = d / f"{name}.pdf"
        path.write_bytes(data)
        reports, _ = parse_text(read_report_file(path), path.name)
        out[name] = (path, ts, reports)
    return out


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_marker_map_equals_gold(built, name):
    sample = LAYOUTS[name][0]
    gold = json.loads((GOLD / "footnotes" / f"{sample[3]}.json").read_text())
    _, _, reports = built[name]
    assert len(reports) == 1
    (r,) = reports
    assert (r.title, r.date) == (gold["title"], gold["date"])
    assert_notes_equal_gold(r, gold)


def _squash(passages) -> list[tuple[str, str, list[str]]]:
    return [(p.kind, re.sub(r"\s+", "", p.text), p.markers) for p in passages]


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_passages_equal_the_text_version(built, name):
    sample = LAYOUTS[name][0]
    text_report = _text_report(sample)
    _, ts, (r,) = built[name]
    assert _squash(chunk_report(r)) == _squash(chunk_report(text_report))
    assert r.authors == text_report.authors and r.time == text_report.time
    assert r.unplaced_notes == [] or [n.text for n in r.unplaced_notes] == [n.text for n in text_report.unplaced_notes]


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_passage_knows_its_pages(built, name):
    _, ts, (r,) = built[name]
    passages = chunk_report(r)
    body = [p for p in passages if p.kind == "body"]
    assert all(p.pages for p in passages)
    assert all(1 <= q <= ts.pages for p in passages for q in p.pages)
    firsts = [p.pages[0] for p in body]
    assert firsts == sorted(firsts) and firsts[0] == 1 and body[-1].pages[-1] >= ts.pages - 1
    assert any(len(p.pages) == 2 for p in body)           # a paragraph running over a page break
    for n in r.notes.values():
        if n.text:
            assert n.pages, n.marker


def test_a_note_continued_on_the_next_page_is_joined(built):
    _, ts, (r,) = built["footnotes-rule-reportlab"]
    carried = [(n, page) for n, page, _ in ts.continued]
    assert len(carried) >= 2                                # the fixture does cover it
    for number, page in carried:
        assert r.notes[number].pages == [page, page + 1]
    # and the gold map (test above) shows its URLs whole


def test_two_column_pages_read_column_by_column(built):
    _, ts, (r,) = built["two-columns-fpdf2"]
    assert any(col == 0 for _, _, col in ts.continued)      # a note carried into the next column
    text = r.text[:r.body_end]
    a = text.index("Lavrov articulated some of the Kremlin")
    b = text.index("The Kremlin is likely coercing Lukashenko")
    assert a < b


def test_running_headers_and_page_numbers_are_gone(built):
    for name, (path, ts, (r,)) in built.items():
        header = LAYOUTS[name][2].get("header")
        assert header is None or header not in r.text, name
        assert not re.search(r"^(?:Page \d+|- \d+ -|\d+)$", r.text, re.M), name


def test_hyphenated_words_are_joined(built):
    _, ts, (r,) = built["two-columns-fpdf2"]
    assert ts.hyphenated >= 5
    assert "sovereignty" in r.text and not re.search(r"[a-z]- [a-z]", r.text[:r.body_end])


def test_digits_inside_numbers_are_not_markers(built):
    _, _, (r,) = built["endnotes-numbered-fpdf2"]
    body = r.text[:r.body_end]
    assert "15 AUG" in body and "9:45pm" in body
    assert set(r.markers) == {str(i) for i in range(1, 10)}


def test_link_annotation_targets_join_the_note(tmp_path):
    """A note whose link is on a label, and a footnote marker in a heading."""
    paras = [fx.Para([("Air Defense in Belarus", False)], size=16, bold=True, space_before=0),
             fx.Para([("Belarus Signs Air Defense Deal", False), ("1", True)], size=12, bold=True),
             fx.Para([("Belarus signed a contract for S-400 systems in 2020 with Almaz-Antey.", False), ("2", True),
                      (" The deal covers 4 battalions.", False)])]
    notes = [("1", "Kremlin readout of the meeting"), ("2", "See https://tass(.)ru/politika/9475065")]
    spec = fx.Spec(paras=paras, notes=notes, label_links={"readout": ("1", "http://kremlin.ru/events/63966")})
    data, _ = fx.build_pdf(spec, "reportlab")
    path = tmp_path / "deal.pdf"
    path.write_bytes(data)
    (r,), _ = parse_text(read_report_file(path), path.name)
    # the heading is the section of the sentences under it, never a sentence; its marker backs
    # the first of them
    assert not any(r.text[s.start:s.end].startswith("Belarus Signs") for s in r.sentences)
    assert [(s.markers, s.section) for s in r.sentences] == [(["1", "2"], "Belarus Signs Air Defense Deal"),
                                                            ([], "Belarus Signs Air Defense Deal")]
    assert r.title == "Air Defense in Belarus"
    assert r.notes["1"].urls == ["http://kremlin.ru/events/63966"] and "readout" in r.notes["1"].text
    assert r.notes["2"].urls == ["https://tass(.)ru/politika/9475065"]      # defanged, as written
    assert "S-400" in r.text and "2020" in r.text


def test_metadata_from_document_information_when_page_one_shows_it(tmp_path):
    paras = [fx.Para([("Russia and Belarus: Military Integration", False)], space_before=0),
             fx.Para([("Minsk and Moscow signed a new military doctrine in 2021. It replaced the 2001 text. "
                       "Exercises followed in September.", False)])]
    for title, want in (("Russia and Belarus: Military Integration", "Russia and Belarus: Military Integration"),
                        ("untitled", ""), ("Draft 3", "")):
        spec = fx.Spec(paras=paras, notes=[], title_info=title)
        data, _ = fx.build_pdf(spec, "reportlab")
        path = tmp_path / "meta.pdf"
        path.write_bytes(data)
        (r,), _ = parse_text(read_report_file(path), path.name)
        assert (r.title, r.date, r.authors) == (want, "", [])


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_the_date_of_a_running_head_above_the_text(tmp_path, writer):
    # a gazette prints its issue's date only in the running head ("… / Monday, March 2, 2020 / Notices");
    # a date line under the first line of prose is something the text dates, not the report
    prose = ("Minsk and Moscow signed a new military doctrine in 2021, replacing the text both sides had kept "
             "since 2001 and setting out how the two armies would train together in the years to come.")
    paras = [fx.Para([("Military Integration of Belarus", False)], size=16, bold=True, space_before=0),
             fx.Para([(prose, False)]), fx.Para([("March 9, 2020", False)])] + [fx.Para([(prose, False)])] * 4
    got = []
    for header in ("Gazette / Vol. 3, No. 7 / Monday, March 2, 2020 / Notices", "Gazette of the Union"):
        data, _ = fx.build_pdf(fx.Spec(paras=paras, notes=[], header=header, page=(420.0, 300.0)), writer)
        path = tmp_path / "gazette.pdf"
        path.write_bytes(data)
        (r,), _ = parse_text(read_report_file(path), path.name)
        got.append((r.title, r.date))
    assert got == [("Military Integration of Belarus", "2020-03-02"), ("Military Integration of Belarus", "")]


def test_a_file_that_opens_with_its_contents_is_untitled(tmp_path):
    # before, the contents' heading in the largest type was the report's title: "Contents"
    prose = ("Minsk and Moscow signed a new military doctrine in 2021, replacing the text both sides had kept "
             "since 2001 and setting out how the two armies would train together in the years to come.")
    entries = [fx.Para([(f"{k} Section {k} of the Study {k + 1}", False)], bold=True) for k in range(1, 12)]
    paras = [fx.Para([("Contents", False)], size=15, bold=True, space_before=0)] + entries + \
        [fx.Para([(prose, False)])] * 3
    data, _ = fx.build_pdf(fx.Spec(paras=paras, notes=[], page=(420.0, 300.0)), "reportlab")
    path = tmp_path / "contents.pdf"
    path.write_bytes(data)
    (r,), _ = parse_text(read_report_file(path), path.name)
    assert r.title == "" and "Minsk and Moscow signed a new military doctrine in 2021" in r.text


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_running_head_with_the_page_number_on_the_outer_side_is_dropped(tmp_path, writer):
    # a book prints the number left of its running head on even pages and right of it on odd ones; read as
    # two different lines, neither recurred on half the pages, and the head stood in the text between the
    # halves of a sentence ("… The Boeing Company Model 737–8 and Federal Register / Vol. 85 … 47701 737–9 …")
    sentence = ("Minsk and Moscow signed a new military doctrine in 2021, replacing the text both sides had kept "
                "since 2001 and setting out how the two armies would train together in the years to come.")
    paras = [fx.Para([("Military Integration of Belarus", False)], size=16, bold=True, space_before=0)] + \
        [fx.Para([(sentence, False)])] * 12
    spec = fx.Spec(paras=paras, notes=[], header="Journal of Eastern Security, Spring Issue", outer_numbers=True,
                   footer="", page=(420.0, 330.0))
    data, _ = fx.build_pdf(spec, writer)
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    (r,), _ = parse_text(read_report_file(path), path.name)
    assert "Journal" not in r.text
    assert [r.text[x.start:x.end] for x in r.sentences] == [sentence] * 12


def test_bad_pdfs_are_one_line_errors(tmp_path):
    good, _ = fx.build_pdf(fx.Spec(paras=[fx.Para([("One sentence here. Two sentences here. Three.", False)])],
                                   notes=[]), "reportlab")
    cases = {
        "scan.pdf": (fx.scanned_pdf(), "no text layer: scanned PDF? OCR is not supported"),
        "scan-fpdf.pdf": (fx.scanned_pdf("fpdf2"), "no text layer: scanned PDF? OCR is not supported"),
        "locked.pdf": (fx.encrypted_pdf(), "encrypted PDF"),
        "locked-fpdf.pdf": (fx.encrypted_pdf("fpdf2"), "encrypted PDF"),
        "broken.pdf": (fx.damaged_pdf(good), "damaged PDF"),
        "zero.pdf": (fx.ZERO_PAGES, "PDF has no pages"),
        "html.pdf": (b"<html><body>not a pdf</body></html>", "not a PDF"),
        "empty.pdf": (b"", "empty file"),
        "pdf-named.txt": (good, "binary file (a PDF document), not a text report"),
    }
    for name, (data, want) in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ReportReadError) as e:
            parse_text(read_report_file(p), name)
        msg = str(e.value)
        assert want in msg and name in msg and "\n" not in msg, (name, msg)


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_pdf_restricted_only_by_an_owner_password_is_read(tmp_path, writer):
    p = tmp_path / "restricted.pdf"
    p.write_bytes(fx.encrypted_pdf(writer, password=""))
    assert b"/Encrypt" in p.read_bytes()
    (r,), _ = parse_text(read_report_file(p), p.name)
    assert r.text.startswith("Lukashenko met Putin in Sochi on September 14, 2020.")


def test_page_limit_is_explicit(tmp_path, monkeypatch):
    import ingest.pdf.reader

    data, ts = fx.build_pdf(_spec(SEPT2), "reportlab")
    p = tmp_path / "long.pdf"
    p.write_bytes(data)
    monkeypatch.setattr(ingest.pdf.reader, "MAX_PAGES", ts.pages - 1)
    with pytest.raises(ReportReadError, match=r"over the \d+-page limit"):
        read_report_file(p)
    with pytest.raises(ReportReadError, match=r"MB, over the 0 MB limit for one report file"):
        read_report_file(p, max_paged_bytes=len(data) - 1)


def test_text_layout_is_parsed_once_and_carried_as_reports(built):
    path, _, _ = built["footnotes-links-fpdf2"]
    text = read_report_file(path)
    assert isinstance(text, ParsedFile) and "The Kremlin will likely deploy Russian conventional" in text
    (r,), _ = parse_text(text, "renamed.pdf")
    assert r.sources == ["renamed.pdf"]


# ------------------------------------------------------------- web pages saved as PDF
PRINTED = {"000_08cac09e5d9ef787.txt": "reportlab", "001_2615153153a8a9b8.txt": "fpdf2",
           "002_8a4a9fea978dff02.txt": "fpdf2", "003_dcd5aac377835ac8.txt": "reportlab"}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """{sample file: reports of that file printed as it is (bracketed, Unicode and HTML
    markers as text, note lines after each report) by one of the writers}."""
    d = tmp_path_factory.mktemp("printed")
    out = {}
    for fname, writer in PRINTED.items():
        data, _ = fx.build_pdf(fx.printed_text_spec((SAMPLES / fname).read_text(), header="Saved from isw.org",
                                                    footer="{n}/40"), writer)
        path = d / (fname[:-4] + ".pdf")
        path.write_bytes(data)
        out[fname] = parse_text(read_report_file(path), fname)[0]
    return out


def _notes_view(r):
    return {m: (n.status, n.urls, n.dngts_urls, re.sub(r"\s+", "", n.text)) for m, n in r.notes.items()}


@pytest.mark.parametrize("fname", list(PRINTED))
def test_printed_web_pages_parse_like_their_text(printed, fname):
    pdf_reports = printed[fname]
    text_reports, _ = parse_text(read_report_file(SAMPLES / fname), fname)
    assert [(r.title, r.date, r.authors) for r in pdf_reports] == [(r.title, r.date, r.authors) for r in text_reports]
    for a, b in zip(pdf_reports, text_reports):
        assert _notes_view(a) == _notes_view(b)
        assert _squash(chunk_report(a)) == _squash(chunk_report(b))


def test_printed_blog_dump_and_its_duplicate_merge_to_the_gold_maps(printed):
    from ingest.merge import merge_reports

    reports = merge_reports(printed["000_08cac09e5d9ef787.txt"] + printed["001_2615153153a8a9b8.txt"])
    golds = [json.loads(p.read_text()) for p in sorted((GOLD / "footnotes").glob("*.json"))]
    golds = [g for g in golds if set(g["files"]) <= {"000_08cac09e5d9ef787.txt", "001_2615153153a8a9b8.txt"}]
    assert len(golds) == len(reports) == 4
    for gold in golds:
        (r,) = [r for r in reports if (r.title, r.date) == (gold["title"], gold["date"])]
        assert sorted(r.sources) == sorted(gold["files"])
        assert_notes_equal_gold(r, gold, prose=False)


def test_text_layer_oddities(tmp_path):
    """Text drawn twice (fake bold), a ligature glyph, a soft hyphen at a line end."""
    w = fx.ReportlabWriter((420.0, 300.0))
    for _ in range(2):
        w.draw(45, 60, [("Belarus Warning Update", 15.0, 0.0, True)])
    w.draw(45, 90, [("The Kremlin con\u00ad", 10.0, 0.0, False)])
    w.draw(45, 102.5, [("ﬁrmed the meeting on August 30. Lukashenko agreed. Putin did too.", 10.0, 0.0, False)])
    path = tmp_path / "odd.pdf"
    path.write_bytes(w.save())
    (r,), _ = parse_text(read_report_file(path), path.name)
    assert r.title == "Belarus Warning Update"
    assert r.text.startswith("The Kremlin confirmed the meeting on August 30.")


@pytest.mark.parametrize("name", [n for n, (_, _, o) in LAYOUTS.items() if not o.get("notes_mode", "").startswith("end")])
def test_a_footnote_is_on_the_page_of_its_marker(built, name):
    _, _, (r,) = built[name]
    checked = 0
    for s in r.sentences:
        for m in s.markers:
            note = r.notes[m]
            if note.text:
                assert note.pages[0] in s.pages, (m, note.pages, s.pages)
                checked += 1
    assert checked >= 5


# ------------------------------------------------------------- more layouts, same answers
VARIANTS = [  # (report, writer, options): layouts that once broke the reader
    (SEPT17, "fpdf2", dict(columns=2, indent=12.0, page=(420.0, 640.0))),             # same note twice, same height
    (SEPT19, "reportlab", dict(columns=2, indent=12.0, notes_mode="foot-norule", page=(420.0, 640.0))),
    (SEPT2, "fpdf2", dict(columns=2, indent=12.0, notes_mode="end-numbered", page=(420.0, 640.0))),
    (SEPT2, "fpdf2", dict(notes_mode="end-numbered", indent=12.0, hyphenate=True)),    # `15.` alone on a line
    (AUG15, "reportlab", dict(columns=2, indent=12.0, notes_mode="foot-norule", page=(420.0, 480.0), hyphenate=True)),
    (SEPT17, "reportlab", dict(notes_mode="foot-norule", hyphenate=True)),
    # a gutter narrower than a justified line's word space (LaTeX's twocolumn): no line fragment shows it
    (SEPT2, "reportlab", dict(columns=2, gutter=9.0, indent=12.0, page=(420.0, 640.0), hyphenate=True)),
    (SEPT19, "fpdf2", dict(columns=2, gutter=9.0, indent=12.0, page=(420.0, 640.0))),
]


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v[0][3]}-{v[1]}-{i}" for i, v in enumerate(VARIANTS)])
def test_layout_variants_give_the_gold_map_and_the_text_passages(tmp_path, variant):
    sample, writer, options = variant
    data, _ = fx.build_pdf(_spec(sample, header="Running Header", footer="{n}", **options), writer)
    path = tmp_path / "variant.pdf"
    path.write_bytes(data)
    (r,), _ = parse_text(read_report_file(path), path.name)
    assert_notes_equal_gold(r, json.loads((GOLD / "footnotes" / f"{sample[3]}.json").read_text()), prose=False)
    assert _squash(chunk_report(r)) == _squash(chunk_report(_text_report(sample)))


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_two_markers_printed_with_a_comma_between_are_two_notes(tmp_path, writer):
    # "holds for both sides.¹,²": before, one marker "12" that no note has, and notes 1 and 2 dropped
    paras = [fx.Para([("Air Defense in Belarus", False)], size=16, space_before=0),
             fx.Para([("Minsk signed a deal with Almaz-Antey in August. The claim holds for both sides.", False),
                      ("1", True), (",", True), ("2", True), (" Moscow agreed.", False), ("3", True)])]
    spec = fx.Spec(paras=paras, notes=[("1", "First source, https://a.org/1"), ("2", "Second source, https://b.org/2"),
                                       ("3", "Third, https://c.org/3")])
    data, _ = fx.build_pdf(spec, writer)
    path = tmp_path / "comma.pdf"
    path.write_bytes(data)
    (r,), _ = parse_text(read_report_file(path), path.name)
    assert [s.markers for s in r.sentences if s.markers] == [["1", "2"], ["3"]]
    assert {k: n.text for k, n in r.notes.items()} == {"1": "First source, https://a.org/1",
                                                       "2": "Second source, https://b.org/2", "3": "Third, https://c.org/3"}
