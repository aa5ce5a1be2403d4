"""Where a citation comes from: printed page numbers and section paths (bot/render/page_label.py)."""
from __future__ import annotations

import pytest

from bot.render.page_label import page_label, place_label, section_label
from bot.render.terminal import format_citation


@pytest.mark.parametrize("pages, labels, shown", [
    ([12], None, "p. 12"),
    ([169, 170], ["157", "158"], "pp. 157-158"),          # the numbers printed on the pages, not the indexes
    ([3, 4], ["iii", "iv"], "pp. iii, iv"),
    ([5], ["157", "158"], "p. 5"),                         # labels that do not fit the pages are not used
    ([], ["1"], ""),
])
def test_page_label_prefers_the_printed_numbers(pages, labels, shown):
    assert page_label(pages, labels) == shown


@pytest.mark.parametrize("section, shown", [
    ("II. Factual Results > B. The Flynn Matter > 1. The Call", "Section II.B.1"),
    ("Volume II > IV. Analysis > A. Facts > 2. The Call", "Volume II, Section IV.A.2"),
    ("Background > Drills near Brest", "Drills near Brest"),
    ("Introduction to Volume II", "Introduction to Volume II"),
    ("", ""),
])
def test_section_label_numbers_or_last_heading(section, shown):
    assert section_label(section) == shown


def test_terminal_citation_line_shows_section_and_printed_pages():
    c = {"n": 1, "report": {"title": "Report On The Investigation", "date": "2019-03"}, "text": "A quoted sentence.",
         "kind": "body", "pages": [169], "page_labels": ["157"], "section": "II. Findings > A. Facts",
         "footnotes": [{"marker": "733", "status": "redacted", "text": "", "urls": [], "dngts": False, "dngts_urls": []}]}
    lines = format_citation(c, 100, "[1]")
    assert lines[0] == "[1] Report On The Investigation (2019-03), Section II.A, p. 157"
    assert any("[733] note redacted in the report" in x for x in lines)
    assert place_label({"pages": [3]}) == "p. 3" and place_label({}) == ""
