"""Real PDFs written by word processors: two CRS reports (Word, says their document information)
and a European Commission communication (rewritten by a sanitizer that left no producer).

- A line-end hyphen: word processors hyphenate no word unless told to, so it was typed and is
  kept (the Commission shows it by writing its compounds with their hyphens elsewhere); the
  Mueller report, which XeLaTeX hyphenated, gets its broken words whole again
  (tests/ingest/pdf/test_realworld.py).
- The front matter: the Commission's cover is set in the body's type size throughout (an
  addressee block in bold capitals, then the title in bold), dated "Brussels, 11.12.2019";
  the CRS report names its authors only in an "Author Information" block on its last page, as
  its document information does.
- A figure's source line at a page's foot: Word sets a rule over the notes, also over a note
  continued from the page before; small type at the foot of a page without one is a caption
  ("Source: CRS, with data from ..."), not the rest of the last note.
- A marker in a boxed sidebar set in smaller type (a 6 pt number on a 9 pt line) is raised less
  than one in the body, and still closes the sentence it follows.
"""
from __future__ import annotations

import re

import pytest

from ingest.document import FRONT, PARAGRAPH
from ingest.pdf.reader import read_pdf
from tests.conftest import ROOT

REALWORLD = ROOT / "data" / "realworld"


def _doc(path):
    from ingest.pdf.reader import read_document

    return read_document(path, str(path))


def _text(path) -> str:
    doc = _doc(path)
    return " ".join([b.text for b in doc.blocks if b.kind == PARAGRAPH] + [n.text for n in doc.notes.values()])


@pytest.mark.parametrize("folder, name, typed", [
    ("crs-pdf-strait-of-hormuz", "R48903.3.pdf", ["Re-routing"]),
    ("ec-pdf-european-green-deal", "EuropeanGreenDeal.pdf",
     ["like-minded", "zero-tolerance", "plastic-packaging", "game-changing", "climate-proofing"]),
])
def test_a_word_processors_line_end_hyphen_is_typed(folder, name, typed):
    text = _text(REALWORLD / folder / name)
    for word in typed:
        assert word in text, word
        assert not re.search(rf"\b{word.replace('-', '')}\b", text, re.IGNORECASE), word


def test_a_cover_in_body_size_type_gives_its_bold_title_and_its_dotted_date():
    doc = _doc(REALWORLD / "ec-pdf-european-green-deal" / "EuropeanGreenDeal.pdf")
    assert (doc.title, doc.date, doc.authors) == ("The European Green Deal", "2019-12-11", [])
    assert not any("COMMUNICATION FROM THE COMMISSION" in b.text for b in doc.blocks if b.kind == PARAGRAPH)


def test_authors_the_document_information_names_and_the_text_prints():
    doc = _doc(REALWORLD / "crs-pdf-strait-of-hormuz" / "R48903.3.pdf")
    assert doc.authors == ["John Frittelli", "Ben Goldman"]
    # the "Author Information" block that prints them (names, and a role under each) is front matter, not
    # passages: the old reader quoted "John Frittelli Ben Goldman" as the closest material to a question
    assert [b.text for b in doc.blocks if b.kind == PARAGRAPH and ("Frittelli" in b.text or "Analyst in" in b.text)] \
        == []
    assert [b.text for b in doc.blocks if b.kind == FRONT and "Goldman" in b.text] == ["John Frittelli Ben Goldman"]
    # the body sentence that names one of them stays a sentence of the report
    assert any("Programs, by Ben Goldman." in n.text for n in doc.notes.values()) or \
        any("by Ben Goldman" in b.text for b in doc.blocks if b.kind == PARAGRAPH)


@pytest.mark.parametrize("line, date", [
    ("Brussels, 11.12.2019", "2019-12-11"),       # dotted: day first
    ("11.12.2019", "2019-12-11"),
    ("17/03/2025", "2025-03-17"),                  # slashes: day first only when it must be
    ("03/17/2025", "2025-03-17"),
    ("05/06/2020", ""),                            # either order: no date rather than a wrong one
    ("Washington, D.C., March 22, 2019", "2019-03-22"),
    ("Brussels, COM(2019) 640 final", ""),
])
def test_a_cover_date_line(line, date):
    from ingest.pdf.front import parse_date

    assert parse_date(line) == date


def test_a_figures_source_line_under_no_rule_is_not_the_last_notes_rest():
    # R48908: note 12 ends page 4; page 5 holds Figure 1, its "Source:" and "Note:" lines set in
    # the notes' type at the page's foot, under no rule (the old reader made them note 12's rest)
    doc = _doc(REALWORLD / "crs-pdf-foreign-commercial-service" / "R48908.2.pdf")
    assert doc.notes["n12"].text.endswith("Budget Estimates Fiscal Year 2024, p. ITA-75.")
    assert not any("ESRI" in n.text for n in doc.notes.values())
    assert any("Source: CRS, with data from the Departments of Commerce and State and ESRI" in b.text
               for b in doc.blocks)


def test_a_marker_in_a_small_type_sidebar_closes_its_sentence():
    # R48908's "Examples of USFCS Activities" box: 9 pt text, marker 16 in 6 pt raised 2 pt (the body's
    # 7 pt markers on 11 pt lines rise more); the old reader left it a line of its own, after the next sentence
    doc = _doc(REALWORLD / "crs-pdf-foreign-commercial-service" / "R48908.2.pdf")
    box = next(b for b in doc.blocks if "Air Cambodia" in b.text)
    assert [(m.label, box.text[:m.pos][-len("aerospace, and health care."):]) for m in box.marks] == \
        [("16", "aerospace, and health care.")]


def test_a_tables_bold_rows_are_not_headings():
    # R48908's Tables 1 and 2 set their header and total rows in bold: the old reader made
    # "ITA units 1,634 1,355 …" a section heading, shown as the section of the sentences after it
    doc = _doc(REALWORLD / "crs-pdf-foreign-commercial-service" / "R48908.2.pdf")
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert not any(h.startswith(("ITA units", "FY2023")) for h in headings), headings
    assert "Budget and Staffing" in headings and "Table 1. ITA Direct Appropriations, FY2023-FY2027" in headings


def test_the_text_after_a_table_is_under_the_section_the_table_stands_in():
    # R48908's Table 2 (its rows and source line in 9 pt) is followed by the report's 11 pt text on its funding:
    # the old reader left that text under the table's caption, shown as its section
    (report,), _ = read_pdf(REALWORLD / "crs-pdf-foreign-commercial-service" / "R48908.2.pdf", "R48908.2.pdf")
    def section(opening: str) -> str:
        return next(s.section for s in report.sentences if report.text.startswith(opening, s.start))

    table = "Overview of the Commercial Service > Budget and Staffing > Table 2. ITA Full-Time Equivalents (FTE) " \
            "Employment, FY2023-FY2027"
    assert section("ITA units 1,634") == table
    assert section("In the enacted FY2026 appropriations") == "Overview of the Commercial Service > Budget and Staffing"


def test_a_list_items_hung_lines_stay_with_its_first():
    # R48908's services list: "• Matchmaking. USFCS aims to help companies connect with potential foreign" at
    # 18 pt, its wrapped lines hung at 36 pt in a measure short of the page's right margin; the old reader took
    # the first line for a paragraph of its own, cutting the sentence (and made the first item's bold run-in
    # title the section of the rest)
    doc = _doc(REALWORLD / "crs-pdf-foreign-commercial-service" / "R48908.2.pdf")
    items = [b for b in doc.blocks if b.text.startswith(("Market Research and", "Matchmaking.", "Foreign Government"))]
    assert [b.kind for b in items] == [PARAGRAPH] * 3
    assert "connect with potential foreign buyers and partners. The International Partner Search" in items[1].text
    assert items[0].text.endswith("Customized Market Research to address specific questions.")
    assert not any(b.text.startswith(("buyers and partners", "U.S. businesses gather")) for b in doc.blocks)


@pytest.mark.parametrize("folder, name", [("crs-pdf-foreign-commercial-service", "R48908.2.pdf"),
                                          ("ec-pdf-european-green-deal", "EuropeanGreenDeal.pdf")])
def test_boxes_tables_and_captions_set_in_are_no_quotations(folder, name):
    # a sidebar, a table's rows, a figure's source line and a caption are set in from the margins too, but nothing
    # introduces them: they stay the report's own words, out of quotation marks (a block quotation:
    # tests/ingest/pdf/test_realworld.py)
    doc = _doc(REALWORLD / folder / name)
    assert not [b.text for b in doc.blocks if b.kind == PARAGRAPH and b.text.startswith("\u201c")
                and b.text.endswith("\u201d")]
