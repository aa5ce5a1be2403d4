"""Two real PDFs written by word processors: a CRS report (Word, says its document information)
and a European Commission communication (rewritten by a sanitizer that left no producer).

- A line-end hyphen: word processors hyphenate no word unless told to, so it was typed and is
  kept (the Commission shows it by writing its compounds with their hyphens elsewhere); the
  Mueller report, which XeLaTeX hyphenated, gets its broken words whole again
  (tests/ingest/pdf/test_realworld.py).
- The front matter: the Commission's cover is set in the body's type size throughout (an
  addressee block in bold capitals, then the title in bold), dated "Brussels, 11.12.2019";
  the CRS report names its authors only in an "Author Information" block on its last page, as
  its document information does.
"""
from __future__ import annotations

import re

import pytest

from ingest.document import PARAGRAPH
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
