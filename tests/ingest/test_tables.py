"""Table rows read as one line with their labels (ingest/tables.py), in HTML and Word alike."""
from __future__ import annotations

from ingest.build import reports_from_document
from ingest.html import read_html
from ingest.read import read_report_file
from ingest.report import parse_text
from ingest.tables import Cell, row_joins
from tests.ingest.pdf import fixtures as fx


def lines(rows: list[list[Cell]]) -> list[str | None]:
    """Each row as the readers print it (None: left cell by cell)."""
    return [None if joins is None else "".join(j + c.text for j, c in zip(joins, row) if c.text)
            for row, joins in zip(rows, row_joins(rows))]


def test_a_form_row_is_one_line_and_a_label_ending_in_a_colon_takes_its_value():
    row = [Cell("Signed by the responsible Minister of State, DBT"), Cell(""), Cell("Date:"), Cell("21/05.2024")]
    assert lines([row]) == ["Signed by the responsible Minister of State, DBT; Date: 21/05.2024"]


def test_labels_over_figures_label_each_figure_by_column_across_spans():
    labels = [Cell("Total Net Present Social Value"), Cell("Business Net Present Value"),
              Cell("Net cost to business per year", span=2), Cell("Business Impact Target Status", span=2, down=2)]
    figures = [Cell("-£167.5m"), Cell("-£167.5m"), Cell("£19.5m", span=2)]      # the last column is taken from above
    assert lines([labels, figures])[1] == ("Total Net Present Social Value: -£167.5m; Business Net Present Value: "
                                           "-£167.5m; Net cost to business per year: £19.5m")


def test_a_row_label_starts_a_row_of_figures_and_labels_stop_at_a_row_of_words():
    rows = [[Cell("COSTS (£m)"), Cell("Transition"), Cell("Total")],
            [Cell("Low"), Cell("61.5"), Cell("81.9")],
            [Cell("High"), Cell("162.6"), Cell("278.0")],
            [Cell("Source"), Cell("Companies House"), Cell("survey")]]
    assert lines(rows)[1:] == ["Low; Transition: 61.5; Total: 81.9", "High; Transition: 162.6; Total: 278.0",
                               "Source; Companies House; survey"]


def test_header_cells_label_the_rows_under_them_and_a_header_beside_a_value_is_a_field():
    rows = [[Cell("Capital", header=True), Cell("Wellington")],
            [Cell("Country", header=True), Cell("Capital", header=True)],
            [Cell("France"), Cell("Paris")]]
    assert lines(rows) == ["Capital: Wellington", "Country; Capital", "Country: France; Capital: Paris"]


def test_a_field_row_does_not_label_the_figures_under_it():
    rows = [[Cell("Total", header=True), Cell("268,021 km2 (75th)")], [Cell("Water (%)", header=True), Cell("1.6")]]
    assert lines(rows) == ["Total: 268,021 km2 (75th)", "Water (%): 1.6"]


def test_prose_cells_and_blocks_of_lines_stay_cell_by_cell():
    prose = " ".join(["word"] * 30)
    assert lines([[Cell("Question"), Cell(prose)]]) == [None]
    assert lines([[Cell("Title: The Regulations IA No: 9", lines=2), Cell("Date: 28/02/2024")]]) == [None]
    assert lines([[Cell("Only one cell"), Cell("")]]) == [None]


FORM_PAGE = """<html><head><title>Identity Verification Regulations</title></head><body><main>
<h1>Identity Verification Regulations</h1>
<p>The regulations introduce identity checks for all directors.</p>
<table><tr><td><p>Signed by the responsible Minister</p></td><td><p>Date:</p></td>
<td><p>21/05/2024<a href="#fn1" id="r1"><sup>1</sup></a></p></td></tr>
<tr><td>Total Net Present Social Value</td><td>Business Net Present Value</td><td>Net cost per year</td></tr>
<tr><td>-£167.5m</td><td>-£167.5m</td><td>£19.5m</td></tr></table>
<p>Companies House will run the checks.</p>
<ol class="footnotes"><li id="fn1">Signature page, Department for Business and Trade. <a href="#r1">↩</a></li></ol>
</main></body></html>"""

FORM_LINE = "Signed by the responsible Minister; Date: 21/05/2024"
FIGURES_LINE = ("Total Net Present Social Value: -£167.5m; Business Net Present Value: -£167.5m; "
                "Net cost per year: £19.5m")


def test_html_rows_read_as_lines_keep_their_markers_on_them():
    (r,), _ = reports_from_document(read_html(FORM_PAGE, "form.html"))
    said = {r.text[s.start:s.end]: s.markers for s in r.sentences}
    assert said[FORM_LINE] == ["1"]
    assert r.notes["1"].text.startswith("Signature page")
    assert FIGURES_LINE in said
    assert "Date:" not in said and "-£167.5m" not in said          # no cell alone


INFOBOX_PAGE = """<html><body><main><h1>Aotearoa</h1><p>Aotearoa is an island country.</p>
<table class="infobox">
<tr><th scope="row">Official languages</th><td><div class="plainlist"><ul>
<li><a href="/wiki/English">English</a><sup class="reference"><a href="#cite_note-4">[n 2]</a></sup></li>
<li>Māori</li><li>NZ Sign Language</li></ul></div></td></tr>
<tr><th scope="row">Notes</th><td><ul><li>The first of these notes is a whole sentence of its own.</li>
<li>Short</li></ul></td></tr>
</table><p>The rest of the page.</p>
<ol class="references"><li id="cite_note-4">English is a de facto official language.</li></ol>
</main></body></html>"""


def test_a_cell_listing_short_entries_reads_them_beside_its_label():
    (r,), _ = reports_from_document(read_html(INFOBOX_PAGE, "infobox.html"))
    said = {r.text[s.start:s.end]: s.markers for s in r.sentences}
    line = "Official languages: English; Māori; NZ Sign Language"
    assert said.get(line) == ["n2"], said                     # no entry quoted without what it is
    assert "English" not in said and "Māori" not in said
    # entries that are sentences stay item by item
    assert "The first of these notes is a whole sentence of its own." in said


def _docx_with_table(rows: list[list[str]]) -> bytes:
    """A .docx of one paragraph, then a table of the given rows, then a paragraph."""
    data = fx.docx_bytes("Identity Verification Regulations", [],
                         [([("The regulations introduce identity checks for all directors.", False)], ""),
                          ([("Companies House will run the checks.", False)], "")], [])
    cell = "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>"
    table = "".join("<w:tr>" + "".join(cell.format(c) for c in row) + "</w:tr>" for row in rows)
    table = f"<w:tbl>{table}</w:tbl>"
    anchor = "<w:p><w:r><w:t xml:space=\"preserve\">Companies House"
    return fx.docx_with_document(data, lambda xml: xml.replace(anchor, table + anchor, 1))


def test_word_rows_read_as_the_same_lines(tmp_path):
    p = tmp_path / "form.docx"
    p.write_bytes(_docx_with_table([
        ["Signed by the responsible Minister", "Date:", "21/05/2024"],
        ["Total Net Present Social Value", "Business Net Present Value", "Net cost per year"],
        ["-£167.5m", "-£167.5m", "£19.5m"]]))
    (r,), _ = parse_text(read_report_file(p), p.name)
    said = [r.text[s.start:s.end] for s in r.sentences]
    assert FORM_LINE in said and FIGURES_LINE in said
    assert said.index(FORM_LINE) < said.index("Companies House will run the checks.")
