"""A real three-column PDF read against its independent gold (data/realworld/federal-register-pdf-737-max: the
Federal Register's proposed 737 MAX directive, 15 footnotes, gold built with pdfminer.six by character size).

What the Government Publishing Office's PDFs do that no other real file here does: every font is set at
1 point and scaled by the text matrix (PDFium's font size alone reads 1-point type throughout, superscript
markers as big as the text), and three columns stand about 9 points apart, less than the gap that joins a
line's runs. Before both were read, Dossier found none of the 15 markers and ran the three columns' lines together
(521 sentences cut at a line end); and the rule text of its last pages, 8 pt under a rule, opening with a
year, was read as the rest of the last footnote."""
from __future__ import annotations

import json

import pytest

from eval.formats import read_file, score
from tests.conftest import ROOT

HERE = ROOT / "data" / "realworld" / "federal-register-pdf-737-max"
PDF = HERE / "federal-register-2020-17221.pdf"


@pytest.fixture(scope="module")
def register():
    reports, _, _ = read_file(PDF)
    return reports, score(reports, json.loads((HERE / "gold.json").read_text()))


def test_every_marker_finds_its_own_note_on_its_own_sentence(register):
    _, s = register
    assert s["gold_markers"] == 15 and s["markers_found"] == 15 and not s["extra_markers"], s["wrong_examples"]
    assert s["right_notes"] == 15 and s["shifted"] == 0, s["wrong_examples"]
    assert s["right_sentence"] == s["sentence_total"] == 15, s["wrong_sentence_examples"]
    assert s["broken_note_words"] == 0 and s["broken_body_words"] == 0, s["broken_examples"]


def test_the_three_columns_are_read_one_after_the_other(register):
    reports, s = register
    r = reports[0]
    assert s["cut_sentences"] <= 2
    # a sentence that runs down the middle column of page 2, whole, and the rule text of the last pages
    # in the body, not in a note
    assert ("To address the unsafe condition, the FAA proposes to require four design changes: (1) Installing "
            "updated flight control software (with new control laws)") in r.text
    assert "This AD applies to The Boeing Company Model 737–8 and 737–9 airplanes" in r.text
    assert all("Applicability" not in n.text for n in r.notes.values())



def test_a_page_of_figures_with_a_few_rows_of_columns_reads_them_in_order(register):
    # pages 7-13 set the flight manual's figures across the page with a few rows of three-column text between
    # them: too few rows to show their own gutters, so their columns were read as one ("the existing AFM.
    # (3) In the Operating…" before "(1) In the Certificate…"; lines of two columns run together on pages 9 and 13).
    # The document's gutters part them now, and a figure set across the columns ends the columns above it.
    r = register[0][0]
    assert ("inserting a copy of figures 1 through 9 to paragraphs (h)(2) through (10) of this AD into the existing AFM."
            "\n\n(1) In the Certificate Limitations and Operating Procedures chapters, remove the information identified "
            "as ‘‘Required by AD 2018–23–51.’’\n\n(2) In the Operating Procedures chapter, revise the General paragraph "
            "to include the information in figure 1 to paragraph (h)(2) of this AD.\n\n(3) In the Operating Procedures "
            "chapter, replace the existing Airspeed Unreliable paragraph with the information in figure 2 to paragraph "
            "(h)(3) of this AD.\n\n(4) In the Operating Procedures chapter, replace the existing Runaway Stabilizer "
            "paragraph with the information in figure 3 to paragraph (h)(4) of this AD.") in r.text
    assert ("In the event that the airplane functions associated with the flight control system as modified by this AD "
            "are inoperative, an airplane may be operated (dispatched) only if the provisions specified in figure 10 to "
            "paragraph (i) of this AD are incorporated into the operator’s existing FAA-approved MEL.") in r.text


def _rows(cells: list[list[str]], size: float = 9.0) -> list[list[dict]]:
    """Characters of rows of text set in three bands (x 0-170, 173-343, 346-516): one string per band."""
    rows = []
    for k, row in enumerate(cells):
        chars = []
        for band, text in enumerate(row):
            x = band * 173.0
            for ch in text:
                w = 0.5 * size if ch != " " else 0.25 * size
                if ch != " ":
                    chars.append({"text": ch, "x0": x, "x1": x + w, "top": k * 11.0, "bottom": k * 11.0 + size,
                                  "size": size, "sz1": size})
                x += w
        rows.append(chars)
    return rows


def test_three_bands_of_prose_are_columns_and_three_bands_of_figures_are_a_table():
    from ingest.pdf.layout import Coverage, find_narrow_gutters

    prose = ("the agency proposes to require four design changes to the flight control software and to the "
             "manual so that the crew can respond to a failed sensor before further flight ") * 3
    lines = [[prose[k * 7 + b * 11:][:36] for b in range(3)] for k in range(20)]    # words fall anywhere
    gutters = find_narrow_gutters(Coverage.of(_rows(lines)))
    assert gutters is not None and 150 < gutters[0] < 173 and 323 < gutters[1] < 346
    figures = "1,204 3,118 77,290 4,012 8,201 90"
    assert find_narrow_gutters(Coverage.of(_rows([[figures, figures, figures]] * 20))) is None
    names = "Ace Co  04/11/2015  Dallas"       # a listing: names, dates, places in few words
    assert find_narrow_gutters(Coverage.of(_rows([[names, names, names]] * 20))) is None


def test_title_and_date_are_the_documents_not_the_sections(register):
    # the largest type on page 1 is the section's name ("Proposed Rules"); the document's subject is the bold
    # heading over its preamble's "AGENCY:", and its date is the issue's, printed beside the section's name
    (r, _), s = register
    assert (r.title, r.date) == ("Airworthiness Directives; The Boeing Company Airplanes", "2020-08-06")
    assert s["meta_ok"] == {"title": True, "date": True, "authors": True}
    assert r.text.startswith("AGENCY: Federal Aviation Administration (FAA), DOT.")
    # neither the masthead over page 1's third column nor the running heads (the page number before the head on
    # even pages, after it on odd ones) stand in the text, between the halves of a sentence as they did
    assert "Vol. 85" not in r.text and "Proposed Rules" not in r.text
    assert "The most helpful comments reference a specific portion of the proposal, explain the reason" in r.text


def _chars(runs: list[tuple[str, float]]) -> list[dict]:
    out, x = [], 0.0
    for text, size in runs:
        for ch in text:
            w = 0.5 * size if ch != " " else 0.25 * size
            if ch != " ":
                out.append({"text": ch, "x0": x, "x1": x + w, "top": 0.0, "bottom": size, "size": size, "sz1": size})
            x += w
    return out


def test_a_label_in_small_capitals_keeps_its_line_in_the_paragraph(register):
    from ingest.pdf.layout import _main_size, _small_caps_size

    # "FOR FURTHER INFORMATION CONTACT: Ian" has more characters in 7.4-point capitals than in 9-point text: the
    # line was read as 7.4-point type and cut the paragraph ("… CONTACT: Ian" / "Won, Manager, …")
    (r, _), _ = register
    assert "FOR FURTHER INFORMATION CONTACT: Ian Won, Manager, Seattle ACO Branch" in r.text
    assert "placed in the public docket of this NPRM. Submissions containing CBI should be sent to the person " \
           "identified in the FOR FURTHER INFORMATION CONTACT section." in r.text
    for runs, want in (([("FOR FURTHER INFORMATION CONTACT: ", 7.4), ("Ian", 9.0)], 9.0),
                       ([("Cornstalks ", 9.0), ("J F M A M J J A S O N D", 7.0)], 7.0),   # a table's months
                       ([("so ist x", 9.0), ("n+1", 6.0), (" = 0 und", 9.0), (" LPQ n+1 n+1 n+1 n+1", 6.0)], 6.0)):
        main = _chars(runs)
        assert _small_caps_size(main, _main_size(main)) == want, runs


def test_accents_drawn_over_their_letters_are_joined_to_them(register):
    from ingest.pdf.chars import _accents

    # its fonts draw "ê", "ç", "ã" as a letter and an accent glyph over it: "Ageˆncia Nacional de Aviac¸a˜o Civil"
    (r, _), _ = register
    assert "Agência Nacional de Aviação Civil (ANAC) Brazil" in r.text
    chars = _chars([("dont", 9.0)])
    over = dict(chars[1], text="\u02c6", x0=chars[1]["x0"] + 0.5, x1=chars[1]["x1"] - 0.5)
    apart = dict(chars[2], text="\u00b4", x0=chars[2]["x1"], x1=chars[2]["x1"] + 2.0)     # "don´t": a place of its own
    got = _accents(chars[:2] + [over] + chars[2:3] + [apart] + chars[3:])
    assert "".join(c["text"] for c in got) == "dôn´t"


def test_the_next_document_begun_on_the_last_page_is_a_report_of_its_own(register):
    # the issue prints documents one after another: the last page ends this one ("[FR Doc. 2020–17221 Filed
    # 8–5–20; 8:45 am]", "BILLING CODE 4910–13–P") and opens a Pilatus directive, which was read as the end of
    # the 737 MAX rule: a question on the Pilatus landing gear was cited to the Boeing document
    (boeing, pilatus), _ = register
    assert (pilatus.title, pilatus.date) == ("Airworthiness Directives; Pilatus Aircraft Ltd. Airplanes", "2020-08-06")
    assert pilatus.text.startswith("AGENCY: Federal Aviation Administration (FAA), Department of Transportation")
    assert "spring pack" in pilatus.text and "spring pack" not in boeing.text and "Pilatus" not in boeing.text
    assert boeing.text[:boeing.body_end].rstrip().endswith("Director, Compliance & Airworthiness Division, "
                                                           "Aircraft Certification Service.")
    assert "BILLING CODE" not in boeing.text + pilatus.text and not pilatus.notes
