"""A line-end hyphen in a PDF: a typesetter's hyphenation is undone, a typed hyphen is kept.

Real files: two PDFs written by word processors, which hyphenate no word unless told to (the
CRS report says so in its document information, "Microsoft® Word"; the Commission's was
rewritten by a sanitizer and shows it by writing its compounds with their hyphens elsewhere),
and the Mueller report, which XeLaTeX hyphenated (tests/ingest/pdf/test_realworld.py checks
that its broken words are whole again).
"""
from __future__ import annotations

import re

import pytest

from ingest.document import PARAGRAPH
from tests.conftest import ROOT

REALWORLD = ROOT / "data" / "realworld"


def _text(path) -> str:
    from ingest.pdf.reader import read_document

    doc = read_document(path, str(path))
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
