"""The PDF reader's Document on layouts typeset for the purpose (by both writers): notes
redacted to their number, four-digit markers, a table of contents, headings by type."""
from __future__ import annotations

import re

import pytest

from ingest.document import CONTENTS, HEADING, PARAGRAPH, TITLE
from ingest.pdf.layout import Line, Piece, _make_line
from ingest.pdf.notes import numbered_notes
from ingest.pdf.reader import read_document, read_pages, read_pdf
from ingest.pdf.text import Edges, breaks_paragraph, vocabulary
from tests.ingest.pdf import fixtures as fx

BODY = ("The ministry confirmed the transfer of the battalion to the border region in March. "
        "Officials described the move as routine and temporary. ")


def _pdf(tmp_path, spec: fx.Spec, writer: str):
    data, _ = fx.build_pdf(spec, writer)
    path = tmp_path / f"{writer}.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_notes_printed_with_their_number_only_stay_empty(tmp_path, writer):
    """Notes 1005 and 1006 are redacted to their number: they stay empty, and 1007 keeps its text."""
    labels = [str(n) for n in range(1004, 1010)]
    paras = [fx.Para([("Redacted Sources in a Long Report", False)], size=15, bold=True, space_before=0)]
    for label in labels:
        paras.append(fx.Para([(BODY + f"The figure for case {label} was reported.", False), (label, True)]))
    notes = [(label, "" if label in ("1005", "1006") else f"Interview with official {label}, 12 May 2021.")
             for label in labels]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=notes), writer)
    doc = read_document(path, path.name)
    marks = [m for b in doc.blocks for m in b.marks]
    assert [m.label for m in marks] == labels
    by_label = {m.label: doc.notes[m.note] for m in marks}
    assert by_label["1005"].redacted and by_label["1005"].text == ""
    assert by_label["1006"].redacted and by_label["1006"].text == ""
    for label in ("1004", "1007", "1008", "1009"):
        assert by_label[label].text == f"Interview with official {label}, 12 May 2021.", label
    (report,), _ = read_pdf(path, path.name)
    assert {m: n.status for m, n in report.notes.items()} == {
        label: "redacted" if label in ("1005", "1006") else "resolved" for label in labels}
    assert report.notes["1007"].text == "Interview with official 1007, 12 May 2021."
    cited = {m: report.text[s.start:s.end] for s in report.sentences for m in s.markers}
    assert cited["1006"] == "The figure for case 1006 was reported."


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_contents_lines_and_headings_are_not_sentences(tmp_path, writer):
    paras = [fx.Para([("Annual Assessment of Border Forces", False)], size=16, bold=True, space_before=0),
             fx.Para([("Contents", False)], size=12, bold=True),
             fx.Para([("1. Deployments . . . . . . . . . . . . . . . . . . . 2", False)], space_before=2),
             fx.Para([("2. Exercises and readiness . . . . . . . . . . . . . 3", False)], space_before=2),
             fx.Para([("Deployments", False)], size=13, bold=True),
             fx.Para([(BODY * 3, False), ("1", True)]),
             fx.Para([("Exercises and readiness", False)], size=13, bold=True),
             fx.Para([(BODY * 2, False)])]
    notes = [("1", "Ministry of Defence statement, 3 March 2021.")]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=notes), writer)
    doc = read_document(path, path.name)
    kinds = [(b.kind, b.text[:20]) for b in doc.blocks]
    assert kinds[0] == (TITLE, "Annual Assessment of")
    assert [b.text for b in doc.blocks if b.kind == CONTENTS][1:] == [
        "1. Deployments . . . . . . . . . . . . . . . . . . . 2",
        "2. Exercises and readiness . . . . . . . . . . . . . 3"]
    assert [b.text for b in doc.blocks if b.kind == HEADING] == ["Deployments", "Exercises and readiness"]
    assert all(b.kind != PARAGRAPH or ". . ." not in b.text for b in doc.blocks)
    (report,), _ = read_pdf(path, path.name)
    sentences = [report.text[s.start:s.end] for s in report.sentences]
    assert not any(". . ." in t or t.startswith(("Deployments", "Contents")) for t in sentences)
    assert report.title == "Annual Assessment of Border Forces"
    assert {s.section for s in report.sentences} == {"Deployments", "Exercises and readiness"}


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_briefings_box_of_its_sections_is_contents_not_a_sentence(tmp_path, writer):
    # a European Parliament briefing's cover box: "IN THIS BRIEFING" over "➢ Introduction", "➢ Impact of the
    # attacks", … (no page numbers) was read as two sentences, "IN THIS BRIEFING" and "Introduction ➢ Impact …"
    paras = [fx.Para([("Recent threats in the Red Sea", False)], size=16, bold=True, space_before=0),
             fx.Para([("IN THIS BRIEFING", False)], size=12),
             *[fx.Para([(f"\u2022 {t}", False)], space_before=2)
               for t in ("Introduction", "Impact of the attacks", "Countries affected")],
             fx.Para([("Introduction", False)], size=13, bold=True),
             fx.Para([(BODY * 3, False)])]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=[]), writer)
    doc = read_document(path, path.name)
    assert [b.text for b in doc.blocks if b.kind == CONTENTS] == [
        "IN THIS BRIEFING", "\u2022 Introduction", "\u2022 Impact of the attacks", "\u2022 Countries affected"]
    (report,), _ = read_pdf(path, path.name)
    sentences = [report.text[s.start:s.end] for s in report.sentences]
    assert not any("BRIEFING" in t or "Impact of the attacks" in t for t in sentences)
    assert {s.section for s in report.sentences} == {"Introduction"}


def _chapter(title: str, facts: list[str], notes_mode: str, writer: str) -> bytes:
    paras = [fx.Para([(title, False)], size=15, bold=True, space_before=0)]
    paras += [fx.Para([(BODY + fact, False), (str(i + 1), True)]) for i, fact in enumerate(facts)]
    notes = [(str(i + 1), f"{title}: source {i + 1} for {fact.split()[1]}") for i, fact in enumerate(facts)]
    return fx.build_pdf(fx.Spec(paras=paras, notes=notes, notes_mode=notes_mode), writer)[0]


@pytest.mark.parametrize("writer,notes_mode", [("reportlab", "foot"), ("fpdf2", "foot"), ("fpdf2", "end-numbered")])
def test_notes_numbered_again_in_each_chapter(tmp_path, writer, notes_mode):
    """Two chapters, each numbering its notes from 1 (at the page foot, or in a Notes section
    closing the chapter): each marker takes its own chapter's note."""
    import pypdfium2 as pdfium

    facts = ["The Minsk brigade moved in May.", "The Grodno airfield reopened in June.", "The Brest depot closed in July."]
    out = pdfium.PdfDocument.new()
    for k, title in enumerate(("Chapter One", "Chapter Two")):
        part = tmp_path / f"{k}.pdf"
        part.write_bytes(_chapter(title, facts, notes_mode, writer))
        out.import_pages(pdfium.PdfDocument(str(part)))
    path = tmp_path / "book.pdf"
    out.save(str(path))
    doc = read_document(path, path.name)
    linked = [(m.label, doc.notes[m.note].text) for b in doc.blocks for m in b.marks]
    assert linked == [(str(i + 1), f"{title}: source {i + 1} for {fact.split()[1]}")
                      for title in ("Chapter One", "Chapter Two") for i, fact in enumerate(facts)]


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_heading_inside_a_note_goes_on_the_next_page_as_that_note(tmp_path, writer):
    """pandoc sets a note paragraph styled as a heading large and bold; LaTeX leaves the note's
    label alone at the foot and puts the heading under the next page's rule, above the next
    note: it is the labelled note's text (not a redacted note, not a heading of the report)."""
    paras = [fx.Para([("Proportionality of the Assessment", False)], size=15, bold=True, space_before=0)]
    for i in range(1, 4):
        paras.append(fx.Para([(BODY * 5 + f"The evidence base is set out in guidance {i}.", False), (str(i), True)]))
    paras.append(fx.Para([(BODY * 6, False)]))
    notes = [("1", "Impact assessment guidance, 2023."),
             ("2", "Proportionality in regulatory submissions: https://www.gov.uk/guidance/proportionality"),
             ("3", "Companies House data, 2024.")]
    spec = fx.Spec(paras=paras, notes=notes, note_heads={"2": "RPC Proportionality Guidance"})
    data, ts = fx.build_pdf(spec, writer)
    assert [n for n, _, _ in ts.continued] == ["2"]              # its label alone at the foot of p. 1
    path = tmp_path / f"{writer}.pdf"
    path.write_bytes(data)
    (report,), _ = read_pdf(path, path.name)
    note = report.notes["2"]
    assert note.status == "resolved"
    assert note.text.startswith("RPC Proportionality Guidance Proportionality in regulatory submissions")
    assert report.notes["3"].text == "Companies House data, 2024."
    assert not any("RPC" in s.section for s in report.sentences)   # no heading of the report
    assert not any("RPC" in report.text[s.start:s.end] for s in report.sentences)



def _line(page: int, top: float, size: float, *pieces) -> Line:
    return Line(page=page, x0=57.0, x1=500.0, top=top, bottom=top + size, size=size, bold=False,
                pieces=[Piece(t, marker=m) for t, m in pieces])


def test_a_number_the_writer_typed_at_a_notes_start_is_its_text():
    """LibreOffice's page foot where note 1's writer typed a superscript "2" at its start: the
    label "1" is set on a line of its own, the text opens with the "2"; the real note 2, on the
    next page, is printed with its number only. Note 1 keeps "2 These costs…", note 2 stays
    empty: neither takes the other's place."""
    lines = [_line(2, 700, 7.0, ("1 ", False)),
             _line(2, 709, 10.0, ("2", True), (" These costs exclude the cost of registration.", False)),
             _line(3, 760, 7.0, ("2", False)),
             _line(4, 700, 10.0, ("3", True), (" See: https://bills.parliament.uk/bills/3339", False))]
    linked = {id(lines[k]) for k in (0, 2, 3)}          # LibreOffice links each marker to its note's label
    notes = numbered_notes(lines, Edges.of(lines, 11.0), vocabulary(lines), starts=linked)
    assert [(n.number, n.text, n.redacted) for n in notes] == [
        ("1", "2 These costs exclude the cost of registration.", False), ("2", "", True),
        ("3", "See: https://bills.parliament.uk/bills/3339", False)]
    # a note printed with its number only, then the next note: stays empty (Mueller's redactions)
    notes = numbered_notes([lines[0], lines[1], lines[3]], Edges.of(lines, 11.0), vocabulary(lines), starts=linked)
    assert [(n.number, n.redacted) for n in notes] == [("1", True), ("2", False), ("3", False)]


def test_a_sentence_wrapped_in_a_narrow_table_cell_stays_one_paragraph():
    """A table cell's text wraps at the cell's edge, far from the page's margin: a line without
    a sentence's end, then one in lower case at the same left edge, goes on; a line that ends a
    sentence, a line in capitals after it, or one after a blank line starts anew."""
    body = [_line(1, 100 + 14 * k, 10.0, ("The ministry confirmed the transfer of the battalion to the border.", False))
            for k in range(6)]
    for ln in body:
        ln.x1 = 500.0
    edges = Edges.of(body, 10.0)

    def cell(top: float, text: str) -> Line:
        ln = _line(1, top, 10.0, (text, False))
        ln.x1 = 57.0 + 5.0 * len(text)
        return ln

    a, b = cell(300, "the following categories: Large"), cell(314, "entities and largest entities that")
    assert not breaks_paragraph(a, b, edges)
    assert breaks_paragraph(cell(300, "the employee size bands."), cell(314, "more than 250"), edges)
    assert breaks_paragraph(cell(300, "Corporate Body Size"), cell(314, "Large 11,008"), edges)
    assert breaks_paragraph(a, cell(330, "entities and largest entities that"), edges)   # a blank line between


QUOTED = ("I know that the units will stay for as long as they are needed. We will not announce when they leave, "
          "and nobody should expect us to. The exercises go on as planned and the border stays open. ")


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
@pytest.mark.parametrize("inset", [(30.0, 30.0), (30.0, 0.0)])
def test_a_block_quotation_set_in_and_introduced_is_in_quotation_marks(tmp_path, writer, inset):
    """Set in from both margins (LaTeX's quote, Word's Quote style) or from the left only (APA and Chicago block
    quotations), after a paragraph that introduces it with a colon: someone's words, in marks, its marker after
    the closing mark. Set in alike but introduced by nothing (a box), or opening in lower case after a colon (the
    report's own clauses), it stays the report's."""
    paras = [fx.Para([("Border Forces After the Exercise", False)], size=15, bold=True, space_before=0),
             fx.Para([(BODY + "Asked about the withdrawal, the minister told reporters:", False)]),
             fx.Para([(QUOTED, False), ("1", True)], inset=inset),
             fx.Para([(BODY + "The statement was published in full the next day.", False), ("2", True)]),
             fx.Para([(QUOTED.replace("I know", "We know"), False)], inset=inset),
             fx.Para([(BODY + "Under the agreement the ministry would:", False)]),
             fx.Para([("notify the neighbouring states of every movement of troops within thirty kilometres of the "
                       "border, and publish the numbers of the units concerned each month.", False)], inset=inset),
             fx.Para([(BODY * 2, False)])]
    notes = [("1", "Press conference of the minister, 4 April 2021."), ("2", "Ministry statement, 5 April 2021.")]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=notes), writer)
    doc = read_document(path, path.name)
    texts = [b.text for b in doc.blocks if b.kind == PARAGRAPH]
    quote = next(b for b in doc.blocks if "units will stay" in b.text and b.text.startswith("\u201cI know"))
    assert quote.text == "\u201c" + QUOTED.strip() + "\u201d"
    assert [(m.label, m.pos) for m in quote.marks] == [("1", len(quote.text))]
    assert any(t.startswith("We know that the units will stay") for t in texts)          # a box: introduced by nothing
    assert any(t.startswith("notify the neighbouring states") for t in texts)            # the report's own clauses
    assert sum(t.startswith("\u201c") for t in texts) == 1


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_tables_caption_heads_its_rows_and_notes_not_the_text_after_it(tmp_path, writer):
    """A table's caption (bold, like a heading) is the section of its rows and source line, set smaller
    than the body; the report's text after them is under the section the table stands in again."""
    paras = [fx.Para([("Border Forces After the Exercise", False)], size=15, bold=True, space_before=0),
             fx.Para([("Deployments", False)], size=13, bold=True),
             fx.Para([(BODY + "The districts received the units shown in Table 1.", False)]),
             fx.Para([("Table 1. Units by District, 2021", False)], bold=True),
             fx.Para([("Brest 1,200 1,400 1,650", False)], size=8, space_before=2),
             fx.Para([("Grodno 900 950 1,100", False)], size=8, space_before=2),
             fx.Para([("Source: Ministry of Defence annual statements, 2019-2021.", False)], size=8),
             fx.Para([(BODY + "The third battalion returned to its garrison in May.", False), ("1", True)]),
             fx.Para([("Exercises", False)], size=13, bold=True),
             fx.Para([(BODY + "Joint drills resumed in the autumn.", False)])]
    notes = [("1", "Ministry of Defence statement, 3 June 2021.")]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=notes), writer)
    (report,), _ = read_pdf(path, path.name)
    section = {report.text[s.start:s.end]: s.section for s in report.sentences}
    assert section["Brest 1,200 1,400 1,650"] == "Deployments > Table 1. Units by District, 2021"
    assert section["Source: Ministry of Defence annual statements, 2019-2021."] == (
        "Deployments > Table 1. Units by District, 2021")
    assert section["The third battalion returned to its garrison in May."] == "Deployments"
    assert section["Joint drills resumed in the autumn."] == "Exercises"


def _one_page(tmp_path, writer: str, title: str, lines: list[list[tuple]], extra: list[tuple] = (),
              page: tuple[float, float] = (420.0, 500.0)):
    """The one report of a page: the title in 16-point bold, then each of `lines` (runs of (text, size, rise,
    bold)) 16 points apart, then the `extra` runs at their own places ((x, y, runs), or (x0, x1, y) for a rule)."""
    w = fx.WRITERS[writer](page)
    w.draw(40.0, 50.0, [(title, 16.0, 0.0, True)])
    for k, runs in enumerate(lines):
        w.draw(40.0, 80.0 + 16.0 * k, runs)
    for item in extra:
        if isinstance(item[2], list):
            w.draw(*item)
        else:
            w.rule(*item)
    path = tmp_path / "page.pdf"
    path.write_bytes(w.save())
    (r,), _ = read_pdf(path, path.name)
    return r


def _prose(text: str) -> list[tuple]:
    return [(text, 10.0, 0.0, False)]


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_endnotes_whose_number_hangs_before_their_text(tmp_path, writer):
    """Word's endnotes as the European Parliament's briefings print them: the small raised number at the
    margin, a tab, the note's text a quarter inch in. The number touched nothing, so it was a line of its
    own and every note was missing (11 of 11 in a real briefing)."""
    sentences = ["Houthi attacks diverted shipping from the Red Sea.", "Freight rates tripled within weeks.",
                 "Insurers raised war-risk premiums."]
    lines = [_prose("Ships rerouted around the Cape of Good Hope added ten days to each voyage.")] * 9
    for k, sentence in enumerate(sentences):
        lines[3 * k + 1] = _prose(sentence) + [(str(k + 1), 6.0, 4.0, False)]
    notes = [(40.0, 250.0, [("ENDNOTES", 14.0, 0.0, True)])]
    for k in range(1, 4):
        notes += [(40.0, 267.0 + 13 * k, [(str(k), 5.6, 3.2, False)]),
                  (56.8, 267.0 + 13 * k, [(f"Shipping industry source number {k}, January 2024.", 8.8, 0.0, False)])]
    r = _one_page(tmp_path, writer, "Recent threats in the Red Sea", lines, notes)
    assert {m: (n.status, n.text) for m, n in r.notes.items()} == {
        str(k): ("resolved", f"Shipping industry source number {k}, January 2024.") for k in range(1, 4)}
    assert [r.text[s.start:s.end] for s in r.sentences if s.markers] == sentences


def test_a_gutter_clear_of_the_note_numbers_hung_in_the_right_column():
    """Brookings' endnotes in two columns, each note's number hung in the right column's margin: the x that
    cross fewest words were both sides of the numbers, and the gutter at the middle of the two sides fell on
    them; every row with a number was read across both columns (40 of 189 notes missing)."""
    from ingest.pdf.layout import find_gutter

    def run(x: float, text: str) -> list[dict]:
        return [{"text": ch, "x0": x + 5.0 * i, "x1": x + 5.0 * (i + 1), "size": 10.0, "sz1": 10.0}
                for i, ch in enumerate(text)]

    rows = []
    for k in range(30):
        left = run(60.0, "x" * 46)                               # 60-290
        right = run(347.0, "y" * 40)                             # 347-547
        number = run(317.0, str(10 + k)) if k % 3 == 0 else []   # 317-327, a note's first line
        rows.append(left + number + right)
    assert 290.0 < find_gutter(rows, 612.0) < 317.0


def test_a_web_address_broken_over_lines_is_one_address():
    """Addresses in narrow note columns (Brookings, CRS): after a "/" or an escaped character the next line's
    path goes on; a hyphen the typesetter added inside an address (InDesign hyphenates them: the document
    writes "fentanyl" whole) goes, the address's own ("sources-illicit") stays."""
    from ingest.pdf.text import join

    texts = ["2023, https://www.dea.gov/", "stories/2023/dea-and-dhs-issue-joint-update-sources-",
             "illicit-xylazine; https://www.nytimes.com/health/fentan-", "yl-xylazine-drug.html#:~:text=ATLANTA%2C%20",
             "GA%20Today. Fentanyl is a synthetic opioid and fentanyl deaths rose."]
    lines = [_line(1, 100 + 12 * k, 10.0, (t, False)) for k, t in enumerate(texts)]
    for ln in lines[:4]:
        ln.x1 = 300.0                                            # ragged: each ends well before the margin
    edges, vocab = Edges.of(lines, 10.0), vocabulary(lines)
    text = texts[0]
    for a, b in zip(lines, lines[1:]):
        text = join(text, b.plain, a, b, edges, vocab)
    assert ("https://www.dea.gov/stories/2023/dea-and-dhs-issue-joint-update-sources-illicit-xylazine; "
            "https://www.nytimes.com/health/fentanyl-xylazine-drug.html#:~:text=ATLANTA%2C%20GA%20Today.") in text


def test_a_typesetters_hyphen_inside_an_address_goes_where_the_text_shows_it():
    """Brookings' endnotes (InDesign): a hash's "2976fe-" + "b5ac6b41e528e" is a hyphen the typesetter added
    (both parts mix letters and figures), and so is "mexi-" + "cos" in the slug of a title the note prints
    ("Mexico’s Role": slugs drop apostrophes) or "hori-" + "zon" ("on-the-Horizon"); numbers, a UUID's groups and
    a slug's words keep theirs, in another language too (ISW's transliterated Russian, which no vocabulary
    holds). A host name cut after its dot ("https://www.cnn." + "com/…") goes on with its top-level domain
    although the line ended short. An English word the document never writes, broken into parts that are no
    words ("docu-" + "ments"), is joined; two words ("e-" + "mail") keep their hyphen."""
    from ingest.pdf.text import join

    notes = [["“Addressing Mexico’s Role,” https://www.brookings.edu/articles/addressing-mexi-", "cos-role/."],
             ["“Supercoke & on-the-Horizon Issues,” https://www.brookings.edu/articles/on-the-hori-", "zon-issues/."],
             ["https://apnews.com/article/trade-surplus-3010e6368545e2976fe-", "b5ac6b41e528e."],
             ["https://www.reuters.com/world/americas/cartel-2025-", "02-27/."],
             ["https://www.washingtonpost.com/2024/01/19/f47ac10b-", "58cc-4372-a567-0e02b2c3d479_story.html"],
             ["https://sputnik.by/defense_safety/20200916/1045696519/ne-prosil-o-postavkakh-",
              "vooruzheniya-2020/."],
             ["CNN, November 21, 2024, https://www.cnn.", "com/2024/11/21/health/fentanyl-pills-",
              "less-potent-dea/index.html."],
             ["https://www.dea.gov/docu-", "ments/2023/statement.pdf"],
             ["https://www.example.com/newsroom/e-", "mail-alerts/"]]
    prose = [_line(1, 100.0 + 12 * k, 10.0, (t, False)) for k, t in enumerate([
        "Investigators said the cartels' pills were less potent, and the investi-", "gation found that the sources",
        "of the illicit drug had moved.", "The investigation went on."])]
    note_lines = [[_line(9, 100 + 12 * k, 10.0, (t, False)) for k, t in enumerate(n)] for n in notes]
    for ln in (ln for n in note_lines for ln in n):
        ln.x1 = 300.0                                            # ragged: each ends well before the margin
    every = prose + [ln for n in note_lines for ln in n]
    edges, vocab = Edges.of(every, 10.0), vocabulary(every)
    assert not vocab.typed_hyphens                               # the document hyphenates words

    def joined(n):
        text = n[0].plain
        for a, b in zip(n, n[1:]):
            text = join(text, b.plain, a, b, edges, vocab)
        return text
    assert [joined(n) for n in note_lines] == [
        "“Addressing Mexico’s Role,” https://www.brookings.edu/articles/addressing-mexicos-role/.",
        "“Supercoke & on-the-Horizon Issues,” https://www.brookings.edu/articles/on-the-horizon-issues/.",
        "https://apnews.com/article/trade-surplus-3010e6368545e2976feb5ac6b41e528e.",
        "https://www.reuters.com/world/americas/cartel-2025-02-27/.",
        "https://www.washingtonpost.com/2024/01/19/f47ac10b-58cc-4372-a567-0e02b2c3d479_story.html",
        "https://sputnik.by/defense_safety/20200916/1045696519/ne-prosil-o-postavkakh-vooruzheniya-2020/.",
        "CNN, November 21, 2024, https://www.cnn.com/2024/11/21/health/fentanyl-pills-less-potent-dea/index.html.",
        "https://www.dea.gov/documents/2023/statement.pdf",
        "https://www.example.com/newsroom/e-mail-alerts/"]


def _briefing_cover_title(tmp_path, writer: str, stated: str, under: list[tuple[str, float, float]]) -> str:
    """The title read from a European Parliament briefing's cover: its series' name "BRIEFING" in 20 points (not
    bold) over the title in 28, then the `under` runs ((text, size, y)), then the summary's prose in 11.2."""
    w = fx.WRITERS[writer]((595.0, 842.0), title=stated)
    w.draw(72.0, 50.0, [("BRIEFING", 20.0, 0.0, False)])
    w.draw(128.0, 131.0, [("Recent threats in the Red Sea", 28.0, 0.0, False)])
    for text, size, y in under:
        w.draw(86.0 if size > 20 else 72.0, y, [(text, size, 0.0, False)])
    for k in range(8):
        w.draw(72.0, 233.0 + 13.0 * k, [("Ships rerouted around the Cape of Good Hope added ten days to a voyage.",
                                         11.2, 0.0, False)])
    path = tmp_path / "cover.pdf"
    path.write_bytes(w.save())
    (r,), _ = read_pdf(path, path.name)
    return r.title


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
@pytest.mark.parametrize("stated", ["Recent threats in the Red Sea", ""])
def test_a_series_name_in_capitals_over_the_title_keeps_the_title(tmp_path, writer, stated):
    # without the file's Title field the title under "BRIEFING" was lost ("" before)
    assert _briefing_cover_title(tmp_path, writer, stated, [("SUMMARY", 14.4, 210.0)]) == "Recent threats in the Red Sea"


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
@pytest.mark.parametrize("under, then, title", [
    ("Economic impact on the region and on the EU", "SUMMARY",
     "Recent threats in the Red Sea: Economic impact on the region and on the EU"),
    ("Angelos Delivorias", "SUMMARY", "Recent threats in the Red Sea"),
    ("Version 2.2020 — July 15, 2020", "SUMMARY", "Recent threats in the Red Sea"),
    ("Economic impact on the region", "", "Recent threats in the Red Sea")])
def test_a_covers_subtitle_in_smaller_display_type_joins_its_title(tmp_path, writer, under, then, title):
    # the title in 28 points over its subtitle in 22.4, cited with a colon; names, a version line and a heading
    # the text follows at once are no subtitle
    runs = [(under, 22.4, 166.0)] + ([(then, 14.4, 210.0)] if then else [])
    assert _briefing_cover_title(tmp_path, writer, "Recent threats in the Red Sea", runs) == title


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_covers_reference_and_month_at_its_foot_date_it(tmp_path, writer):
    # every European Parliament briefing closes its cover with "PE 760.390 – March 2024": the only date it prints
    r = _one_page(tmp_path, writer, "Recent threats in the Red Sea",
                  [_prose("Ships rerouted around the Cape of Good Hope added ten days to each voyage.")] * 8,
                  [(40.0, 460.0, _prose("PE 760.390 – March 2024"))])
    assert r.date == "2024-03"


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_raised_circled_number_is_text_not_a_stack_trace(tmp_path, writer):
    # a Chinese journal article's "①" set small and raised after a phrase: "①".isdigit() is true, int("①") fails,
    # and reading the file stopped with a ValueError (a Brookings-cited article in a hearings database)
    lines = [_prose("Beijing expanded its maritime patrols across the region that year.")] * 8
    lines[2] = lines[2] + [("\u2460", 6.0, 4.0, False)]
    r = _one_page(tmp_path, writer, "The Security Environment Around China", lines)
    assert "Beijing expanded its maritime patrols" in r.text and not r.notes


def test_old_style_figures_in_the_private_use_area_are_digits(tmp_path):
    # a Cambridge history set in Baskerville's old-style figures, which Adobe's fonts map to U+F730-F739:
    # "in \uf731\uf738\uf733\uf739 they occupied Aden" (a year no question could find). The font here is
    # DejaVu with its digits' glyphs mapped at those code points too, as such a font's are.
    from fontTools.ttLib import TTFont
    from fpdf import FPDF

    font = TTFont(str(fx.REGULAR))
    for table in font["cmap"].tables:
        if table.isUnicode():
            for d in range(10):
                table.cmap[0xF730 + d] = table.cmap[ord(str(d))]
    oldstyle = tmp_path / "oldstyle.ttf"
    font.save(str(oldstyle))
    pdf = FPDF(unit="pt", format=(420.0, 500.0))
    pdf.add_font("Old", "", str(oldstyle))
    pdf.add_page()
    pdf.set_font("Old", "", 16)
    pdf.text(40.0, 50.0, "A History of Modern Yemen")
    pdf.set_font("Old", "", 10)
    for k in range(8):
        pdf.text(40.0, 80.0 + 16 * k, "The British warned him off and in \uf731\uf738\uf733\uf739 they occupied Aden by force.")
    path = tmp_path / "oldstyle.pdf"
    path.write_bytes(bytes(pdf.output()))
    (r,), _ = read_pdf(path, path.name)
    assert "in 1839 they occupied Aden" in r.text


def _cover_and_text(w, cover) -> None:
    for x, y, text, size, bold in cover:
        w.draw(x, y, [(text, size, 0.0, bold)])
    w.new_page()
    for k in range(10):
        w.draw(40.0, 60.0 + 16 * k, [("Agencies reviewed their existing regulations to see whether they still worked.", 10.0, 0.0, False)])


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_cover_with_a_wordmark_a_bold_agency_line_and_a_side_column(tmp_path, writer):
    # a GAO cover: "United States Government Accountability Office" in bold body type (read as running text, so no
    # cover), "GAO" in the title's type, the date in the column beside the title: the title was empty
    w = fx.WRITERS[writer]((420.0, 600.0))
    _cover_and_text(w, [(150.0, 40.0, "United States Government Accountability Office", 10.0, True),
                        (20.0, 60.0, "GAO", 30.0, False), (150.0, 70.0, "Report to Congressional Requesters", 16.0, False),
                        (150.0, 160.0, "REEXAMINING", 30.0, False), (20.0, 162.0, "July 2007", 10.0, True),
                        (150.0, 196.0, "REGULATIONS", 30.0, False), (150.0, 232.0, "Opportunities Exist", 30.0, False)])
    path = tmp_path / "gao.pdf"
    path.write_bytes(w.save())
    (r,), _ = read_pdf(path, path.name)
    # the topic in capitals over the subtitle is cited with a colon: "REEXAMINING REGULATIONS: Opportunities Exist"
    assert (r.title, r.date) == ("REEXAMINING REGULATIONS: Opportunities Exist", "2007-07")
    # a GAO testimony: the wordmark larger than the title ("GAO" at 36 points, the title at 30): it was titled "GAO"
    w = fx.WRITERS[writer]((420.0, 600.0))
    _cover_and_text(w, [(150.0, 40.0, "United States Government Accountability Office", 10.0, True),
                        (20.0, 60.0, "GAO", 30.0, False), (150.0, 70.0, "Testimony", 16.0, False),
                        (150.0, 160.0, "The Government Accountability", 24.0, False),
                        (20.0, 162.0, "For Release on Delivery", 8.0, False),
                        (150.0, 190.0, "Office Act of 2007", 24.0, False)])
    path.write_bytes(w.save())
    (r,), _ = read_pdf(path, path.name)
    assert r.title == "The Government Accountability Office Act of 2007"


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_the_stated_title_printed_under_a_series_name_in_larger_type(tmp_path, writer):
    # an old CRS report's cover: "CRS Report for Congress" in the largest type, the report's own title (the file's
    # Title) below it, smaller and bold: the title was empty (and would have been the series' name)
    w = fx.WRITERS[writer]((420.0, 600.0), title="Military Housing Privatization Initiative: Background and Issues")
    _cover_and_text(w, [(120.0, 60.0, "CRS Report for Congress", 26.0, False),
                        (140.0, 90.0, "Received through the CRS Web", 13.0, False),
                        (60.0, 130.0, "Military Housing Privatization Initiative:", 18.0, True),
                        (120.0, 152.0, "Background and Issues", 18.0, True), (300.0, 190.0, "July 2, 2001", 14.0, True)])
    path = tmp_path / "crs.pdf"
    path.write_bytes(w.save())
    (r,), _ = read_pdf(path, path.name)
    assert r.title == "Military Housing Privatization Initiative: Background and Issues"


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_figures_raised_label_does_not_make_plain_numbered_footnotes_text(tmp_path, writer):
    # an IPCC summary: markers raised in the text, the footnotes' numbers plain at the page foot, and one figure label
    # with a raised number set before its text. Once such a hung number counted as the notes' own numbering, plain
    # numbers opening small type were text: 48 of its 49 notes were lost
    lines = [_prose("Climate hazards increase the risks to people and ecosystems across regions.")] * 12
    for k in (3, 7):
        lines[k] = lines[k] + [(str(k // 4 + 1), 6.0, 4.0, False)]
    r = _one_page(tmp_path, writer, "Summary for Policymakers", lines, [
        (40.0, 282.0, [("1", 5.0, 3.0, False)]), (52.0, 282.0, [("0 Tree  Kelp  Salt marsh", 7.0, 0.0, False)]),
        (40.0, 160.0, 500.0),
        (40.0, 515.0, [("1 Hazard is defined as the potential occurrence of a physical event.", 7.0, 0.0, False)]),
        (40.0, 527.0, [("2 Exposure is defined as the presence of people in places that could be affected.", 7.0, 0.0, False)])],
        page=(420.0, 600.0))
    assert {m: (n.status, n.text[:20]) for m, n in r.notes.items()} == {
        "1": ("resolved", "Hazard is defined as"), "2": ("resolved", "Exposure is defined ")}


def _word_paper(writer: str) -> bytes:
    """A staff paper as Word prints one (the shape of a U.S.-China Commission backgrounder): a cover with
    the publisher's and the series' names in bold over the title, its authors a line each under a "by" on a
    line of its own, each followed by a role, and a disclaimer at its foot; footnotes
    numbered i, ii under a two-inch rule; endnotes 1-8 after the body, under the same rule at the top of a
    page of their own, with no heading, going on over the next page; more characters of notes than of text."""
    body = "Officials in Beijing described the dispute in the usual terms at the daily press conference. "
    w = fx.WRITERS[writer]((612.0, 792.0))
    for k, (text, size) in enumerate([("U.S.-China Economic and Security Review Commission", 11.0),
                                      ("Staff Research Backgrounder", 11.0), ("May 10, 2013", 11.0)]):
        w.draw(72.0, 120.0 + 15.0 * k, [(text, size, 0.0, True)])
    w.draw(72.0, 220.0, [("Core Interests and the Island Dispute", 16.0, 0.0, True)])
    for k, line in enumerate(["by", "Caitlin Campbell,", "Research Director and Policy Analyst, Foreign Affairs",
                              "and", "Craig Murray,", "Senior Policy Analyst, Military and Security Affairs"]):
        w.draw(72.0, 260.0 + 16.0 * k, [(line, 11.0 if k in (0, 3) else 12.0, 0.0, True)])
    for k in range(6):
        w.draw(72.0, 620.0 + 13.0 * k, [("Disclaimer: this paper is the product of professional research by "
                                         "the staff of the Commission.", 11.0, 0.0, False)])
    w.new_page()
    cited = {3: ("The spokesperson called the islands a core interest.", [("1", 0), (" i", 1)]),
             5: ("The ministry repeated the phrase a week later.", [("2", 0)]),
             7: ("Earlier statements named only Taiwan, Tibet and Xinjiang.", [("3", 0), (" ii", 1)]),
             9: ("Japanese broadcasters translated the remark differently.", [("4", 0)]),
             11: ("The transcript left the phrase out.", [("5", 0)]),
             13: ("Analysts read the omission as deliberate.", [("6", 0)]),
             15: ("Tokyo protested the same evening.", [("7", 0)]),
             17: ("Beijing did not withdraw the statement.", [("8", 0)])}
    for k in range(19):
        text, marks = cited.get(k, (body, []))
        w.draw(72.0, 80.0 + 14.0 * k, [(text, 11.0, 0.0, False)] + [(m, 6.0 if roman else 7.0, 3.5, False)
                                                                     for m, roman in marks])
    w.rule(72.0, 216.0, 600.0)
    for k, label in enumerate(["i", "ii"]):
        w.draw(72.0, 614.0 + 24.0 * k, [(label, 6.0, 2.5, False),
                                        (f" Footnote {label}: the commission's own translation of the remark.", 9.0, 0.0, False)])
    w.new_page()
    w.rule(72.0, 216.0, 80.0)
    y = 94.0
    source = "Kyodo (Tokyo), China says the islands are its core interest, April 26, 2013, open source "
    for n in range(1, 9):
        if n == 5:                       # note 5 opens at the foot of this page and goes on over the next
            y = 700.0
        w.draw(72.0, y, [(str(n), 7.0, 2.5, False), (f" Endnote {n}: " + source + f"centre item {n}.", 9.0, 0.0, False)])
        for k in range(3):
            w.draw(72.0, y + 11.0 * (k + 1), [(source + "centre, translated by the staff.", 9.0, 0.0, False)])
        y += 48.0
        if n == 5:
            w.new_page()
            for k in range(2):
                w.draw(72.0, 80.0 + 11.0 * k, [("continued: " + source + "centre.", 9.0, 0.0, False)])
            y = 110.0
    return w.save()


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_word_papers_roman_footnotes_and_unheaded_endnotes(tmp_path, writer):
    """A real staff paper read 0 of its 26 endnotes: they stand under Word's separator at the top of a page
    with no heading, so they were taken for footnotes of their page (and of the markers there, none); with
    more characters of notes than of text the notes' 9 points were read as the body's size. Its footnotes,
    numbered i to ix, were body text: a raised "i" was not a note number. It was untitled (a disclaimer in the
    body's type at the cover's foot made page 1 no cover, and the publisher's name in bold stood over the
    title), and its authors were sentences."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(_word_paper(writer))
    (r,), _ = read_pdf(path, path.name)
    assert r.title == "Core Interests and the Island Dispute" and r.date == "2013-05-10"
    assert r.authors == ["Caitlin Campbell", "Craig Murray"]
    assert {m: n.status for m, n in r.notes.items()} == {m: "resolved" for m in [str(n) for n in range(1, 9)] + ["i", "ii"]}
    assert r.notes["i"].text == "Footnote i: the commission's own translation of the remark."
    assert r.notes["1"].text.startswith("Endnote 1: Kyodo (Tokyo)") and r.notes["1"].text.endswith("by the staff.")
    assert r.notes["5"].text.endswith("continued: Kyodo (Tokyo), China says the islands are its core interest, "
                                      "April 26, 2013, open source centre.")
    cited = {r.text[s.start:s.end]: s.markers for s in r.sentences if s.markers}
    assert cited["The spokesperson called the islands a core interest."] == ["1", "i"]
    assert cited["Earlier statements named only Taiwan, Tibet and Xinjiang."] == ["3", "ii"]
    body = r.text[:r.body_end]
    assert "Endnote" not in body and "Footnote" not in body and "continued:" not in body
    assert not any(r.text[s.start:s.end].startswith(("Caitlin", "Research Director", "Staff Research")) for s in r.sentences)


def _chapter_with_notes_page(writer: str) -> bytes:
    """A chapter as an edited volume sets one (INSS's "Not a Flood, but a Rising Current", InDesign): a chart
    framed by rules, its axis years at its foot, over the text; the notes on pages of their own under "Notes",
    pages after their markers, each opening with its plain number, its later lines hung in."""
    w = fx.WRITERS[writer]((482.0, 680.0))
    w.draw(60.0, 60.0, [("Chinese Weapons Sales to the Middle East", 16.0, 0.0, True)])
    facts = ["China exported its first weapons to Egypt in the mid-1970s.", "Sales peaked in the 1980s.",
             "Today they are small beside Russian sales.", "Drones are the exception.",
             "Saudi Arabia bought armed drones in 2017.", "Iraq flies Chinese drones too."]
    y = 90.0
    for k, fact in enumerate(facts[:3]):
        w.draw(60.0, y, [("Arms transfers to the region are tracked in the SIPRI database every year.", 11.5, 0.0, False)])
        w.draw(60.0, y + 15.0, [(fact, 11.5, 0.0, False), (str(k + 1), 7.0, 4.0, False)])
        y += 30.0
    w.rule(60.0, 420.0, 200.0)
    w.rule(60.0, 420.0, 330.0)
    w.draw(70.0, 320.0, [("1975    1980    1985    1990    1995    2000", 8.0, 0.0, False)])
    w.draw(60.0, 345.0, [("Figure 1: Chinese military exports, 1975-2000", 10.0, 0.0, False)])
    y = 375.0
    for k, fact in enumerate(facts[3:], start=3):
        w.draw(60.0, y, [("Arms transfers to the region are tracked in the SIPRI database every year.", 11.5, 0.0, False)])
        w.draw(60.0, y + 15.0, [(fact, 11.5, 0.0, False), (str(k + 1), 7.0, 4.0, False)])
        y += 30.0
    for _ in range(3):                   # the chapter goes on: its notes are pages away from its markers
        w.new_page()
        for k in range(30):
            w.draw(60.0, 60.0 + 16.0 * k, [("Arms transfers to the region are tracked in the SIPRI database.", 11.5,
                                            0.0, False)])
    w.new_page()
    w.draw(60.0, 60.0, [("Notes", 13.0, 0.0, False)])
    y = 80.0
    for n in range(1, 7):
        w.draw(60.0, y, [(f"{n} Source {n}: Stockholm International Peace Research Institute, arms transfers", 10.0, 0.0, False)])
        if n == 4:                       # note 4 goes on over the page
            w.new_page()
            y = 47.0
        w.draw(74.0, y + 13.0, [("database, March 11, 2019, https://bit.ly/2XMfLxP.", 10.0, 0.0, False)])
        y += 26.0
    return w.save()


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_notes_under_a_notes_heading_atop_a_page_and_a_charts_axis_over_the_text(tmp_path, writer):
    """The notes of a page that opens with "Notes" were taken for that page's footnotes, so notes 1-16 of a
    real chapter were missing; its chart's axis years ("1975 1980 1985") under the chart's frame opened a note
    "1975" that took the text below the chart with it."""
    path = tmp_path / "chapter.pdf"
    path.write_bytes(_chapter_with_notes_page(writer))
    (r,), _ = read_pdf(path, path.name)
    assert {m: n.status for m, n in r.notes.items()} == {str(n): "resolved" for n in range(1, 7)}
    assert r.notes["4"].text == ("Source 4: Stockholm International Peace Research Institute, arms transfers database, "
                                 "March 11, 2019, https://bit.ly/2XMfLxP.")
    cited = {r.text[s.start:s.end]: s.markers for s in r.sentences if s.markers}
    assert cited["Iraq flies Chinese drones too."] == ["6"] and cited["Drones are the exception."] == ["4"]


def test_a_date_that_opens_a_notes_line_goes_on_with_the_note():
    """The Munich Security Conference's endnotes: "8 Giorgia Meloni's Speech …," then "22.02.2025, https://…" on
    the next line opened a note 22, and notes 9-13 after it were read as its text (five missing)."""
    lines = [_line(54, 320 + 10 * k, 7.5, (t, False)) for k, t in enumerate([
        "8 Giorgia Meloni’s Speech at the Conservative Political Action Conference,",
        "22.02.2025, https://youtu.be/l1GGSPp_Md0",
        "9 Tobias Bunde and Sophie Eisentraut, “Westlessness Reloaded?”, February 2025.",
        "10 Tobias Bunde et al., “Munich Security Report 2020: Westlessness.”"])]
    notes = numbered_notes(lines, Edges.of(lines, 9.4), vocabulary(lines))
    assert [(n.number, n.text) for n in notes] == [
        ("8", "Giorgia Meloni’s Speech at the Conservative Political Action Conference, 22.02.2025, "
              "https://youtu.be/l1GGSPp_Md0"),
        ("9", "Tobias Bunde and Sophie Eisentraut, “Westlessness Reloaded?”, February 2025."),
        ("10", "Tobias Bunde et al., “Munich Security Report 2020: Westlessness.”")]


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_papers_references_under_its_footnotes_are_its_text(tmp_path, writer):
    """A Brookings paper numbers its footnotes at the page foot and closes with "References": the
    bibliography was taken for unnumbered endnotes, which sent the whole file to the text parser, and the
    paper was titled by its date ("April 2015")."""
    w = fx.WRITERS[writer]((612.0, 792.0))
    w.draw(40.0, 60.0, [("April 2015", 16.0, 0.0, True)])
    w.draw(40.0, 100.0, [("Job Market Polarization and Worker Skills", 22.0, 0.0, True)])
    words = ("employment in production and clerical jobs declined during the decade while jobs in health care "
             "and skilled trades grew in most regions of the country").split()
    for k in range(12):
        text = " ".join(words[k:] + words[:k]).capitalize() + "."
        runs = [(text, 10.0, 0.0, False)] + ([("1", 6.0, 3.5, False)] if k == 5 else [])
        w.draw(40.0, 150.0 + 14.0 * k, runs)
    w.draw(40.0, 640.0, [("1. Holzer (2010) also shows that the declines account for the polarization.", 8.0, 0.0, False)])
    w.new_page()
    w.draw(40.0, 60.0, [("References", 13.0, 0.0, True)])
    for k, entry in enumerate(["Autor, David. 2010. The Polarization of Job Opportunities in the U.S. Labor Market.",
                               "Holzer, Harry. 2010. Is the Middle of the U.S. Job Market Really Disappearing?"]):
        w.draw(40.0, 84.0 + 14.0 * k, [(entry, 10.0, 0.0, False)])
    path = tmp_path / "paper.pdf"
    path.write_bytes(w.save())
    (r,), _ = read_pdf(path, path.name)
    assert (r.title, r.date) == ("Job Market Polarization and Worker Skills", "2015-04")
    assert {m: (n.status, n.text) for m, n in r.notes.items()} == {
        "1": ("resolved", "Holzer (2010) also shows that the declines account for the polarization.")}
    assert any(r.text[s.start:s.end].startswith("Autor, David.") and s.section == "References" for s in r.sentences)


def test_a_link_box_over_the_full_stop_before_an_address_keeps_their_space():
    """Word drew a note's link box from the full stop before its address ("p. 8. http://…"): the space inside
    the box was squeezed out as a justified address's stretch, and the note read "p. 8.http://…"."""
    from ingest.pdf.text import line_text

    url = "http://www.hoover.org/publications/china-leadership-monitor/article/67966"
    line = Line(page=6, x0=72.0, x1=500.0, top=380.0, bottom=389.0, size=9.0, bold=False,
                pieces=[Piece("22, 2011), p. 8"), Piece(". " + url, uri=url), Piece(".")])
    assert line_text(line, links=True) == "22, 2011), p. 8. " + url + "."


@pytest.mark.parametrize("listed, names", [
    (["by", "Caitlin Campbell,", "Research Director and Policy Analyst", "and", "Craig Murray,", "Senior Policy Analyst"],
     ["Caitlin Campbell", "Craig Murray"]),
    (["by", "Caitlin Campbell and Craig Murray"], ["Caitlin Campbell", "Craig Murray"]),
    (["by", "Caitlin Campbell, Ethan Meick, and Craig Murray", "May 10, 2013"],
     ["Caitlin Campbell", "Ethan Meick", "Craig Murray"]),
])
def test_a_covers_names_under_a_by_line(listed, names):
    from ingest.pdf.front import _names_under_by

    lines = [_line(1, 300 + 16 * k, 12.0, (t, False)) for k, t in enumerate(listed)]
    found, used = _names_under_by(lines + [_line(1, 600, 11.0, ("Disclaimer: this paper is the product of research.", False))])
    assert found == names and len(used) == len(listed) - (1 if listed[-1].startswith("May") else 0)


def test_a_running_foot_with_its_page_number_on_either_side_and_a_number_in_its_title():
    """A WTO brief's foot: "2 Trade and Climate Change – Information brief no 4" on a left page, "Trade and Climate
    Change – Information brief no 4 1" on a right one. With only one number cut from either end the two sides read
    apart, half the pages each, and stayed: as text, and as notes "2", "4", "6" (their page numbers)."""
    from ingest.pdf.layout import drop_running_lines

    pages = [[_line(1, 300.0, 16.0, ("Trade and Climate Change", False))]]          # a cover without the foot
    for k in range(2, 8):
        foot = (f"{k} Trade and Climate Change – Information brief no 4" if k % 2 == 0
                else f"Trade and Climate Change – Information brief no 4 {k}")
        pages.append([_line(k, 300.0, 9.0, (f"Embodied emissions in trade rose on page {k}.", False)),
                      _line(k, 807.0, 7.0, (foot, False))])
    kept = drop_running_lines(pages, [842.0] * 7)
    assert [[ln.plain for ln in p] for p in kept][1:] == [[f"Embodied emissions in trade rose on page {k}."]
                                                         for k in range(2, 8)]


def test_a_running_foot_set_a_little_higher_on_one_page_is_running_too():
    """GAO-06-282 prints "Page 1 GAO-06-282 Breastfeeding" 4.4 points higher than its other pages' feet: it was
    kept, read as a heading, and every sentence of the letter's first page cited "Section Page 1 GAO-06-282
    Breastfeeding". A foot within 0.6 of its size of where the others stand is in the same place; a line two
    lines away is not."""
    from ingest.pdf.layout import drop_running_lines

    def pages(first_top: float) -> list:
        return [[_line(k, 300.0, 11.0, (f"Breastfeeding rates rose on page {k}.", False)),
                 _line(k, first_top if k == 2 else 750.8, 8.0, (f"Page {k - 1} GAO-06-282 Breastfeeding", False))]
                for k in range(1, 9)]
    kept = drop_running_lines(pages(746.4), [792.0] * 8)
    assert [[ln.plain for ln in p] for p in kept] == [[f"Breastfeeding rates rose on page {k}."] for k in range(1, 9)]
    kept = drop_running_lines(pages(730.0), [792.0] * 8)
    assert [ln.plain for ln in kept[1]] == ["Breastfeeding rates rose on page 2.", "Page 1 GAO-06-282 Breastfeeding"]


def test_a_books_running_heads_that_carry_the_page_number_are_running():
    """An edited volume's running heads change with each chapter ("14 Good and Strong" on its left pages,
    "Reimagining Workforce Policy 15" on its right ones), so no head's words recur on enough pages; every
    head carries the page number at its outer end, running with the pages. 241 sentences of a 670-page
    Brookings volume were cut by them. A line at the top that opens with another number stays."""
    from ingest.pdf.layout import drop_running_lines

    chapters = [("Van Horn, Greene, and Edwards", "Introduction"), ("Good and Strong", "Reimagining Workforce Policy"),
                ("Holzer", "Raising Job Quality")]
    pages = []
    for k in range(12):
        left, right = chapters[k // 4]
        head = f"{k + 12} {left}" if k % 2 == 0 else f"{right} {k + 12}"
        opening = [_line(k + 1, 60.0, 11.0, ("17 percent of workers left the program.", False))] if k == 5 else []
        pages.append([_line(k + 1, 20.0, 10.0, (head, False)), *opening,
                      _line(k + 1, 300.0, 11.0, (f"Training rose on page {k}.", False))])
    kept = drop_running_lines(pages, [792.0] * 12)
    assert [[ln.plain for ln in p] for p in kept] == [
        (["17 percent of workers left the program."] if k == 5 else []) + [f"Training rose on page {k}."]
        for k in range(12)]


def test_a_trimmed_books_page_is_read_in_its_crop_box(tmp_path):
    """A book exported with its printer's marks: a 6 by 9 inch page trimmed out of a letter sheet (crop box
    90-522 by 72-720). Its characters stand on the sheet; read against the trimmed page's height, its page
    numbers fell outside the band where running lines are looked for and stood in the sentences running over
    the page, and the printer's slug under the trim ("Workforce.indb 2 7/30/2014") was read. Now the page is
    read as a viewer shows it: the slug is not on it, the page number is, at its foot."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DV", str(fx.REGULAR)))
    path = tmp_path / "trimmed.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    words = " ".join(f"Battalion {k} moved to the border region in March and stayed there until the autumn."
                     for k in range(1, 120)).split()
    per_line = 9
    for page in range(1, 4):
        c.setCropBox((90, 72, 522, 720))
        c.setFont("DV", 10)
        for row in range(36):
            start = ((page - 1) * 36 + row) * per_line
            c.drawString(126, 684 - 14 * row, " ".join(words[start:start + per_line]))
        c.drawString(300, 90, str(page))                                  # the page number, in the trimmed page
        if page == 1:
            c.linkRect("", "later", (126, 684, 180, 694))                 # a link to a place on page 3
        if page == 3:
            c.bookmarkPage("later", fit="XYZ", top=200)
        c.setFont("DV", 7)
        c.drawString(40, 40, f"Workforce.indb {page} 7/30/2014 10:15:0{page} AM")   # the slug, under the trim
        c.showPage()
    c.save()
    doc = read_document(path, path.name)
    text = " ".join(b.text for b in doc.blocks)
    assert text == " ".join(words[:3 * 36 * per_line])      # no page number among the words, no slug
    _pages, lines, _info, _toc = read_pages(path)
    targets = {p.target for ln in lines[0] for p in ln.pieces if p.target}
    assert targets == {(3, 520.0)}                          # 200 points over the sheet's foot: 720 - 200 on the page


def test_a_year_opening_a_charts_label_opens_no_note():
    # under a chart's axis rule in the same brief, "2004 Global Embodied Emissions in Trade (Gt CO2)" opened a note
    # 2004 that took the page's text under the chart with it
    from ingest.pdf.notes import opens_note

    label = _line(8, 304.0, 8.0, ("2004 Global Embodied Emissions in Trade (Gt CO2)", False))
    assert opens_note(label, None) is None
    assert opens_note(_line(8, 700.0, 8.0, ("12 Ministry of Trade statement, 2004.", False)), None) == "12"


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_slides_bulleted_items_are_its_text_and_their_lead_in_no_quotation(tmp_path, writer):
    """A briefing slide bound into a report (GAO's appendices): its lines set larger than the body, a list under
    a lead-in set in and ending with a colon. Each bulleted item is text, not a heading however large it is
    set, and the lead-in is the report's own words, not a quotation in marks."""
    big = 13.5
    paras = [fx.Para([("Border Forces After the Exercise", False)], size=15, bold=True, space_before=0),
             fx.Para([(BODY * 6, False)]),
             fx.Para([(BODY * 6, False)]),
             fx.Para([("Conscripts were most likely to stay on if:", False)], size=big),
             fx.Para([("Their units were:", False)], size=big, inset=(27.0, 0.0), space_before=4),
             fx.Para([("\u2022 Based near the border", False)], size=big, inset=(27.0, 0.0), space_before=2),
             fx.Para([("\u2022 Equipped with new tanks", False), ("1", True)], size=big, inset=(27.0, 0.0),
                     space_before=2),
             fx.Para([("\u2022 Commanded by a career officer", False)], size=big, inset=(27.0, 0.0), space_before=2),
             fx.Para([(BODY * 2, False)])]
    notes = [("1", "Ministry of Defence survey of conscripts, 2021.")]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=notes), writer)
    (report,), _ = read_pdf(path, path.name)
    said = {report.text[s.start:s.end]: s.markers for s in report.sentences}
    assert said.get("Based near the border") == [] and said.get("Commanded by a career officer") == []
    assert said.get("Equipped with new tanks") == ["1"]
    assert "Their units were:" in said and "\u201cTheir units were:\u201d" not in report.text


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_slides_ragged_title_is_one_heading_and_the_next_slides_title_no_part_of_its_text(tmp_path, writer):
    """Briefing slides after a report's letter: each slide's title set ragged over two lines a little larger
    than the slide's text (14.9 against 13.5 pt, both above the letter's 11 pt). The title is one heading, its
    first line breaking after a comma; the next slide's title, at the top of the next page, does not go on
    the last line of the slide before."""
    w = fx.WRITERS[writer]((612.0, 792.0))
    prose = ("The ministry confirmed the transfer of the battalion to the border region in March and said that "
             "officials described the move as routine and temporary, pending the review of the garrison.")
    words, line, y = prose.split() * 3, [], 60.0
    for word in words:
        if w.width(" ".join(line + [word]), 11.0, False) > 520.0:
            w.draw(46.0, y, [(" ".join(line), 11.0, 0.0, False)])
            line, y = [], y + 14.0
        line.append(word)
    w.draw(46.0, y, [(" ".join(line), 11.0, 0.0, False)])
    slides = [("Conscription Rates: Associated with Age,", "Education, and Region",
               ["Conscripts were least likely to stay on if:", "\u2022 Their units were based far from home.",
                "\u2022 Their units were based in the north and east, far from their homes."]),
              ("Conscription Rates: Did Not Meet the", "Targets Set in 2019",
               ["Rates fell short in every region.", "\u2022 The south came closest to its target."])]
    for first, second, text in slides:
        w.new_page()
        w.draw(85.0, 100.0, [(first, 14.9, 0.0, False)])
        w.draw(85.0, 118.0, [(second, 14.9, 0.0, False)])
        for k, t in enumerate(text):
            w.draw(85.0, 170.0 + 30.0 * k, [(t, 13.5, 0.0, False)])
    path = tmp_path / "slides.pdf"
    path.write_bytes(w.save())
    (report,), _ = read_pdf(path, path.name)
    section = {report.text[s.start:s.end]: s.section for s in report.sentences}
    assert section["Conscripts were least likely to stay on if:"] == (
        "Conscription Rates: Associated with Age, Education, and Region")
    assert section["Their units were based far from home."] == (
        "Conscription Rates: Associated with Age, Education, and Region")
    # the slide's last line reaches its right edge, so only the change of size ends its paragraph at the page turn
    assert section["Their units were based in the north and east, far from their homes."] == (
        "Conscription Rates: Associated with Age, Education, and Region")
    assert section["Rates fell short in every region."] == "Conscription Rates: Did Not Meet the Targets Set in 2019"
    assert not any("Conscription" in s for s in section)


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_word_spaces_a_justified_line_draws_as_moves_part_its_words(tmp_path, writer):
    """An EPRS briefing (InDesign, justified) squeezes its word spaces: the space glyphs overlap the next word,
    and some spaces are no glyph at all but a move of 0.09-0.18 em, below the fifth of an em that parts words
    elsewhere: "The Economistarguesthat …", "halts orslowdownsin", "the Red Sea'in solidarity" (before an opening
    quote). On a line whose space glyphs leave gaps of 0.16 em, a move of 0.12 em parts two words too, as does one
    before "%" that the EU's style sets ("17 %")."""
    w = fx.WRITERS[writer]((595.0, 842.0), title="Recent threats in the Red Sea")      # as the briefing states it
    size = 11.0

    def line(y: float, text: str) -> None:
        """Words parted by " " (a space glyph, squeezed to a 1.8 pt gap) or "|" (no glyph: a 1.3 pt move)."""
        x = 72.0
        for word, sep in re.findall(r"([^ |]+)([ |]?)", text):
            w.draw(x, y, [(word + (" " if sep == " " else ""), size, 0.0, False)])
            x += w.width(word, size, False) + (1.8 if sep == " " else 1.3)

    line(100.0, "However, as of the time of writing, such an increase has yet to materialise. The Economist|argues|that "
                "this is due to the crude oil of Russian origin.")
    line(114.0, "In January, car makers announced brief production halts|or|slowdowns|in their factories.")
    line(128.0, "Across the bed of the Red Sea, 16 fibre-optic lines carry approximately 17|% of all data traffic.")
    line(156.0, "The Houthis attack ships in the Red Sea|'in solidarity with the Palestinians'.")
    # a line set with its spaces as they are, and a narrow space before "%"
    w.draw(72.0, 142.0, [("Over 95", size, 0.0, False)])
    w.draw(72.0 + w.width("Over 95", size, False) + 1.2, 142.0, [("% of international data runs through cables.", size, 0.0, False)])
    path = tmp_path / "justified.pdf"
    path.write_bytes(w.save())
    (report,), _ = read_pdf(path, path.name)
    assert "Over 95 % of international data" in report.text
    assert "The Economist argues that this is due" in report.text
    assert "production halts or slowdowns in their factories" in report.text
    assert "approximately 17 % of all data traffic" in report.text
    assert "in the Red Sea 'in solidarity with the Palestinians'." in report.text, "a move before an opening quote"


def test_a_narrow_gap_parts_words_only_where_a_word_space_can_be():
    from ingest.pdf.layout import _parts_words

    assert _parts_words("t", "a") and _parts_words(",", "s") and _parts_words("2", "o") and _parts_words("7", "%")
    assert not _parts_words(".", "S")                   # "U.|S."
    assert not _parts_words("A", "R") and not _parts_words("I", "C")      # "SA|RAH", "(I|CE)": capitals kerned
    assert not _parts_words("0", "5")                   # a number's figures
    assert not _parts_words("fi", "r")                  # "fi|rst": a ligature's box ends short
    assert not _parts_words("e", "—") and not _parts_words("s", ")")
    assert not _parts_words("总", "第")                  # Chinese takes no spaces
    assert _parts_words("a", "'") and _parts_words("a", "(") and _parts_words(",", "“")   # an opening quote or bracket
    assert not _parts_words("'", "'") and not _parts_words(".", "(")


def test_a_books_running_heads_on_its_left_and_right_pages_are_running_heads():
    """A Brookings report's feet alternate: "FOREIGN POLICY AT BROOKINGS 1" on the right pages, "2 THE FENTANYL
    CRISIS: FROM NALOXONE TO TARIFFS" on the left ones; a cover, full-page figures and the back page have none.
    Each foot is on fewer than half of the pages, so both were text inside the sentence they cut ("…resetting
    the diplomatic clock FOREIGN POLICY AT BROOKINGS 1 back to the bargaining of 2018")."""
    from ingest.pdf.layout import drop_running_lines

    pages = [[_line(1, 300.0, 24.0, ("THE FENTANYL CRISIS: FROM NALOXONE TO TARIFFS", False))]]
    for k in range(2, 10):
        foot = (f"FOREIGN POLICY AT BROOKINGS {k - 1}" if k % 2 == 0
                else f"{k - 1} THE FENTANYL CRISIS: FROM NALOXONE TO TARIFFS")
        pages.append([_line(k, 300.0, 10.0, (f"Overdose deaths fell in the states on page {k}.", False)),
                      _line(k, 765.0, 9.0, (foot, False))])
    pages += [[_line(k, 300.0, 10.0, (f"Figure {k}: overdose deaths by state.", False))] for k in (10, 11, 12)]
    kept = drop_running_lines(pages, [792.0] * 12)
    assert [[ln.plain for ln in p] for p in kept][1:9] == [[f"Overdose deaths fell in the states on page {k}."]
                                                          for k in range(2, 10)]
    # a line at the foot of only two pages of one side stays
    few = [[_line(k, 300.0, 10.0, (f"Text on page {k}.", False))] + (
        [_line(k, 765.0, 9.0, ("Source: the CDC's provisional counts.", False))] if k in (2, 4) else [])
        for k in range(1, 13)]
    assert sum(len(p) for p in drop_running_lines(few, [792.0] * 12)) == 14


def test_a_suspended_hyphen_at_a_lines_end_keeps_its_hyphen_and_space():
    # "which domestic-" + "or foreign-policy interventions" read "domesticor foreign-policy"
    from ingest.pdf.text import Vocabulary, join

    a, b = _line(2, 460.0, 10.0, ("x", False)), _line(2, 474.0, 10.0, ("x", False))
    vocab = Vocabulary({"interactively", "domestic"}, {"foreign-policy"})
    assert join("which domestic-", "or foreign-policy interventions", a, b, None, vocab) == (
        "which domestic- or foreign-policy interventions")
    assert join("short-", "to medium-term loans", a, b, None, vocab) == "short- to medium-term loans"
    assert join("interac-", "tively reducing mortality", a, b, None, vocab) == "interactively reducing mortality"
    assert join("the col-", "or of the flag", a, b, None, Vocabulary({"color"}, set())) == "the color of the flag"


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_redaction_bars_among_words_read_redacted_as_the_html_edition_prints_them(tmp_path, writer):
    """A black bar over blanked words reads `[redacted]`, once per stretch of bars, as the HTML
    edition's redacted elements do, a marker after it too; a note with nothing but a bar is a
    redacted note, and a bar inside a note's text stays in it."""
    bar = fx.BAR * 9
    paras = [fx.Para([("Redacted Passages of a Legal Report", False)], size=15, bold=True, space_before=0),
             fx.Para([(BODY + f"His false statements violated federal criminal law, {bar} {bar} and led to "
                       "his prosecution in December.", False), ("1", True)]),
             fx.Para([(BODY + f"The witness then met {bar} at the hotel.", False), ("2", True)]),
             fx.Para([(BODY + "The meeting lasted twenty minutes.", False), ("3", True)]),
             fx.Para([(bar, False), ("5", True), (f" {bar} {bar}", False), ("6", True)]),     # redacted whole
             fx.Para([(f"{bar} {bar} {bar}", False)]),
             fx.Para([(bar, False), ("1004", True), (" met the deputy in the lobby of the hotel. " + BODY, False)])]
    notes = [("1", "Interview of the deputy, 12 May 2021."), ("2", bar + " " + bar),
             ("3", f"Interview of {bar} at 4, 3 June 2021."), ("5", "Interview of the deputy, 13 May 2021."),
             ("6", bar), ("1004", "Interview of the deputy, 14 May 2021.")]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=notes), writer)
    (report,), _ = read_pdf(path, path.name)
    text = re.sub(r"\s+", " ", report.text)
    assert "violated federal criminal law, [redacted] and led to his prosecution" in text
    assert "The witness then met [redacted] at the hotel." in text
    assert "[redacted] met the deputy in the lobby of the hotel." in text     # a line's bar with only a marker beside it
    assert text.split(" Notes [1] ")[0].count("[redacted]") == 6
    cited = {m: report.text[s.start:s.end] for s in report.sentences for m in s.markers}
    assert cited["1004"] == "[redacted] met the deputy in the lobby of the hotel."
    # a paragraph redacted whole (a line of bars with nothing printed but markers, or nothing at all) reads
    # [redacted] and keeps its own markers: they are not handed to the sentence before it
    assert cited["3"] == "The meeting lasted twenty minutes."
    assert cited["5"] == cited["6"] == "[redacted] [redacted]"
    assert "\n\n[redacted]\n\n" in report.text
    assert report.notes["2"].status == "redacted" and not report.notes["2"].text
    assert report.notes["3"].status == "resolved"
    assert re.sub(r"\s+", " ", report.notes["3"].text) == "Interview of [redacted] at 4, 3 June 2021."
    assert report.notes["1"].text == "Interview of the deputy, 12 May 2021."


def _ch(text: str, x0: float, x1: float, size: float = 10.0, **kw) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": 100 - 0.8 * size, "bottom": 100.0, "size": size,
            "sz1": size, "fontname": "", "bold": False, "hyphen": False, **kw}


def _read_line(*chars: dict) -> str:
    return "".join(p.text for p in _make_line(1, sorted(chars, key=lambda c: c["x0"]), set(), 0, []).pieces)


def test_dark_boxes_that_are_no_redaction_stay_blank():
    """A band behind words, a bar a column away from them, a bullet square, a box taller than the
    type and a logo's letters drawn as outlines are not redactions: they read as the blanks they were;
    so do a lone box, bars of two heights or cells with words printed on them, on a line with nothing
    printed."""
    words = [_ch(c, 60 + 6 * i, 65 + 6 * i) for i, c in enumerate("Exports")]

    def box(x0, x1, size=10.0, rect=True):
        return _ch("\u2588", x0, x1, size=size, ink=True, rect=rect)
    assert "[redacted]" in _read_line(*words, box(104, 140))                          # touches the words: redacted
    assert "[redacted]" not in _read_line(*words, box(55, 110))                       # a band behind them
    assert "[redacted]" not in _read_line(*words, box(160, 260))                      # a chart's bar, apart
    assert "[redacted]" not in _read_line(box(50, 54, size=4.5), *words)              # a bullet square
    assert "[redacted]" not in _read_line(*words, box(104, 140, size=22))             # taller than the type
    assert "[redacted]" not in _read_line(*words, box(104, 112, rect=False), box(113, 121, rect=False))   # a logo
    assert _read_line(*words, box(160, 260)).strip() == "Exports"
    # a line with nothing printed: a lone box, or bars of two heights, are no redacted words
    assert "[redacted]" not in _read_line(box(50, 150))
    assert "[redacted]" not in _read_line(box(50, 80), box(84, 120, size=14))
    cells = [_ch("\u2588", x0, x1, ink=True, rect=True, covered=True) for x0, x1 in ((50, 80), (84, 120))]
    assert "[redacted]" not in _read_line(*cells)        # a table's dark header cells, white words printed on them


def test_a_line_redacted_whole_reads_redacted_with_its_markers():
    """A line of bars with nothing printed but footnote markers (the Mueller PDF's "Harm to Ongoing
    Matter" paragraphs: 12-point bars, 8-point markers, justified word spaces wider than an em) is
    set in the bars' size and reads [redacted] before each marker; bars of two words with no marker
    read [redacted] too."""
    def box(x0, x1):
        return _ch("\u2588", x0, x1, size=12.0, ink=True, rect=True)
    marks = [_ch(d, 121 + 4 * i, 125 + 4 * i, size=8.0) for i, d in enumerate("891")]
    bars = [box(50, 80), box(94, 120), box(140, 170), box(185, 230)]
    line = _make_line(1, bars[:2] + marks + bars[2:], {id(c) for c in marks}, 0, [])
    assert line.size == 12.0
    assert [(p.text.strip(), p.marker) for p in line.pieces if p.text.strip()] == \
        [("[redacted]", False), ("891", True), ("[redacted]", False)]
    assert _read_line(box(50, 80), box(84, 120)).strip() == "[redacted]"


def _letter_report(tmp_path, writer: str, dateline: str, signer: list[str]):
    paras = [fx.Para([("BREASTFEEDING: Strategies Used to Market Infant Formula", False)], size=16, bold=True,
                     space_before=0),
             fx.Para([("February 2006", False)], size=12),
             fx.Para([(BODY * 4, False)]),
             fx.Para([(dateline, False)]),
             fx.Para([("The Honorable Robert Bennett", False)]),
             fx.Para([("Director, Office of Management and Budget", False)], space_before=2),
             fx.Para([(BODY * 6, False), ("1", True)]),
             fx.Para([(BODY * 3 + "We are sending copies of this report to the Secretary of Agriculture.", False)])]
    paras += [fx.Para([(line, False)], space_before=2) for line in signer]
    paras += [fx.Para([("Appendix I: Scope and Methodology", False)], size=13, bold=True),
              fx.Para([(BODY * 3, False)])]
    path = _pdf(tmp_path, fx.Spec(paras=paras, notes=[("1", "Interview of a state official, 12 May 2005.")]), writer)
    (report,), _ = read_pdf(path, path.name)
    return report


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_letter_reports_date_line_and_signer(tmp_path, writer):
    """A GAO report's cover prints the month; its letter inside, the day ("February 8, 2006"), and it is
    signed with a name over the signer's office: the day is the report's date, the signer its author."""
    r = _letter_report(tmp_path, writer, "February 8, 2006",
                       ["David D. Bellis", "Director, Education, Workforce, and Income Security Issues"])
    assert (r.date, r.authors) == ("2006-02-08", ["David D. Bellis"])
    # a full date of another month is no date line of this report; a name over no office signs nothing, and
    # the addressee under the date line ("The Honorable …" over "Director, …") is no signer
    r = _letter_report(tmp_path, writer, "March 8, 2006", ["David D. Bellis", "Education and Income Security Issues"])
    assert (r.date, r.authors) == ("2006-02", [])


def _wrapped(w, x: float, y: float, text: str, size: float, measure: float, lead: float, hang: float = 0.0) -> float:
    """Draws `text` with writer `w` from x, wrapped in `measure` points, its lines `lead` apart and its wrapped
    lines hung `hang` further right (and as much shorter); returns the y of the line after its last."""
    line: list[str] = []
    first = True
    for word in text.split():
        if line and w.width(" ".join(line + [word]), size, False) > measure - (0 if first else hang):
            w.draw(x + (0 if first else hang), y, [(" ".join(line), size, 0.0, False)])
            y, line, first = y + lead, [], False
        line.append(word)
    w.draw(x + (0 if first else hang), y, [(" ".join(line), size, 0.0, False)])
    return y + lead


def _gao_page(tmp_path, writer: str):
    """A GAO report's page: side headings in a wide left margin (14-point) beside 11-point body text
    that starts at 216 points, each heading's first line level with its paragraph's."""
    w = fx.WRITERS[writer]((612.0, 792.0))
    w.draw(36.0, 60.0, [("Reexamining Regulations", 18.0, 0.0, True)])
    heads = [["The Level of", "Documentation in", "Agencies’ Reviews", "Varied"],
             ["Agencies Employed", "Standards-Based", "Approaches More", "Often"]]
    paras = [BODY * 2 + "Agencies did not always document how they selected regulations for review.",
             "Officials said that mandatory reviews followed written standards more often. " + BODY * 2]
    y = 100.0
    for head, para in zip(heads, paras):
        for k, text in enumerate(head):
            w.draw(36.0, y + 15.0 * k, [(text, 14.0, 0.0, False)])
        y = _wrapped(w, 216.0, y, para, 11.0, 340.0, 13.0) + 17.0
    path = tmp_path / "gao.pdf"
    path.write_bytes(w.save())
    (report,), _ = read_pdf(path, path.name)
    return report, [" ".join(h) for h in heads], [p.strip() for p in paras]


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_side_headings_in_the_left_margin_are_read_before_their_paragraph(tmp_path, writer):
    """GAO sets its headings in a wide left margin, 14-point beside 11-point text: read line by line, a
    heading's lines fell between its paragraph's (263 sentences cut across paragraphs in GAO-07-791). Now
    each heading is read whole before the paragraph beside it, and the paragraph is whole."""
    report, heads, paras = _gao_page(tmp_path, writer)
    text = re.sub(r"\s+", " ", report.text)
    for head, para in zip(heads, paras):
        assert f"{head} {para}" in text
    assert text.index(paras[0]) < text.index(heads[1])


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_side_heading_level_with_its_paragraph_is_read_before_it_whatever_its_type(tmp_path, writer):
    """GAO's side headings beside 11-point text: a 17-point one whose first line tops out 1.6 points under the
    body line level with it (read after that line: GAO-07-791), a 13.9-point one on the body line's baseline
    that ends a word space short of the body (its row was one line across the page: GAO-05-927's
    "Demonstrating Management The commitment of …"), and a 12-point one (no side heading at all: GAO-07-791's
    "… a major barrier Statutory Provisions to modifying …"). Each is read whole before its paragraph, and
    the paragraph is whole."""
    w = fx.WRITERS[writer]((612.0, 792.0))
    w.draw(36.0, 60.0, [("Reexamining Regulations", 18.0, 0.0, True)])
    # (lines, size, leading, left edge, baseline under the body's): a 17-point heading topping out 1.6 points
    # under the body line level with it; a 13.9-point one on the body line's baseline, ending 5 points short
    # of the body; a 12-point one
    heads = [(["Agencies Reviewed", "Existing", "Regulations"], 17.0, 19.3, 36.0, 0.8 * 6.0 + 1.6),
             (["Managing for Results", "in Agencies"], 13.9, 15.0, 64.0, 0.0),
             (["Statutory Provisions"], 12.0, 13.0, 36.0, 0.8 + 1.6)]
    paras = [BODY * 2 + "Agencies reviewed their existing regulations for many purposes.",
             "The commitment of agency managers is critical to the use of performance information. " + BODY * 2,
             "Officials reported that statutory requirements are a major barrier to changing rules. " + BODY]
    y = 100.0
    for (head, size, lead, x, drop), para in zip(heads, paras):
        for k, text in enumerate(head):
            w.draw(x, y + drop + lead * k, [(text, size, 0.0, False)])
        y = max(_wrapped(w, 216.0, y, para, 11.0, 340.0, 13.0), y + lead * len(head)) + 17.0
    path = tmp_path / "gao.pdf"
    path.write_bytes(w.save())
    (report,), _ = read_pdf(path, path.name)
    text = re.sub(r"\s+", " ", report.text)
    for (head, *_), para in zip(heads, paras):
        assert f"{' '.join(head)} {para.strip()}" in text


def _slide_pdf(tmp_path, writer: str) -> tuple:
    """Two pages of a report's 11-point text set from 72 to 540 points, then a briefing slide: 13.5-point
    items whose wrapped lines hang under their text, ragged in a measure well short of the report's margin
    (GAO-06-282's slides)."""
    w = fx.WRITERS[writer]((612.0, 792.0))
    for _ in range(2):
        y = 72.0
        for _ in range(3):
            y = _wrapped(w, 72.0, y, BODY * 4, 11.0, 468.0, 12.1) + 12.1
        w.new_page()
    w.draw(85.0, 90.0, [("Breastfeeding Rates: Fell Short of Most Recommendations", 14.9, 0.0, False)])
    items = ["• Breastfeeding rates did not meet most Healthy People goals and were lower for WIC infants.",
             "• WIC and non-WIC breastfeeding rates were lower among infants of mothers who were young.",
             "– If legal revision is necessary, a bill must be presented to the legislature for consideration."]
    y = 130.0
    for item in items:
        y = _wrapped(w, 85.0, y, item, 13.5, 340.0, 1.1 * 13.5, hang=17.0) + 1.1 * 13.5
    path = tmp_path / "slides.pdf"
    path.write_bytes(w.save())
    (report,), _ = read_pdf(path, path.name)
    return report, [item.removeprefix("• ") for item in items]


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_slides_wrapped_items_read_whole_in_its_own_measure(tmp_path, writer):
    """A briefing slide sets its items in a ragged measure well short of the report's right margin: its
    wrapped lines, hung under the item's text, were taken for new paragraphs ("… and were" / "lower for WIC
    infants.") because the item's line seemed to stop short of the report's margin. The slide's own measure
    (its widest line in that type) tells that the line wrapped; a dash opens an item as a bullet does."""
    report, items = _slide_pdf(tmp_path, writer)
    paras = [" ".join(p.split()) for p in report.text.split("\n\n")]
    for item in items:
        assert item in paras


def test_a_wrapped_line_in_a_slides_own_measure_goes_on():
    """GAO-06-282's slide: a paragraph's wrapped lines hang 13.4 points in from the slide's own left edge,
    which stands two points right of the report's. Measured from the report's edges, "… for WIC and non-"
    seemed to stop short of the hung block's margin, and "WIC infants, 2004." became a paragraph of its own
    ("non- WIC"). The slide's own edges (its lines in that type) tell that the line wrapped; a line that
    stops short of them still ends its paragraph."""
    from dataclasses import replace

    text = [(87.5, 551.4, "Breastfeeding rates: We analyzed data from the Centers for Disease Control"),
            (100.9, 524.5, "and Prevention’s National Immunization Survey (NIS) for WIC and non-"),
            (100.9, 211.7, "WIC infants, 2004."),
            (100.9, 376.6, "Infant formula marketing: we analyzed data on advertising")]
    lines = [replace(_line(9, 250.0 + 13.0 * k, 13.5, (t, False)), x0=x0, x1=x1, first_word=6.75 * len(t.split()[0]))
             for k, (x0, x1, t) in enumerate(text)]
    body = [replace(_line(p, 100.0 + 13.0 * k, 11.0, (BODY, False)), x0=85.3, x1=571.6) for p in (3, 4) for k in range(20)]
    edges = Edges.of(body + lines, 11.0)
    assert [breaks_paragraph(a, b, edges) for a, b in zip(lines, lines[1:])] == [False, False, True]


def test_a_sentences_own_enumeration_at_a_line_start_goes_on():
    """GAO-06-1046 (ragged right): "… These options include" stops a few points short of the margin and the
    next line opens "(1) relying on state processes …". The sentence goes on: a lettered or numbered
    enumeration in brackets after a word is the sentence's own. After a colon it opens a list item."""
    from dataclasses import replace

    def line(top: float, x1: float, text: str) -> Line:
        return replace(_line(17, top, 11.0, (text, False)), x0=216.0, x1=x1, first_word=5.5 * len(text.split()[0]))
    body = [line(100.0 + 13.0 * k, 574.0, BODY) for k in range(20)]
    edges = Edges.of(body, 11.0)
    item = line(400.0, 554.6, "(1) relying on state processes both to manage block grant funds and to")
    assert not breaks_paragraph(line(387.0, 551.9, "with accountability for achieving that outcome. These options include"),
                                item, edges)
    assert breaks_paragraph(line(387.0, 551.9, "with accountability for achieving that outcome. The options are:"),
                            item, edges)


def _pull_quote_page(tmp_path, writer: str, quote: list[str], note: str = "") -> tuple:
    """A think tank's page (the WTO's trade and climate brief): a paragraph across the page, then a
    paragraph set in the left part beside `quote`'s lines in larger type on the right, their baselines
    between the paragraph's, then a paragraph across the page again; with `note`, no paragraph after the
    quote, whose last line cites note 1, printed across the page's foot in small type."""
    w = fx.WRITERS[writer]((595.0, 842.0))
    across = [BODY * 3, "Carbon emissions embedded in trade tend to fluctuate over the years. " + BODY * 2]
    beside = ("Carbon emission accounting studies suggest that about a quarter of total carbon dioxide emissions "
              "are associated with international trade. " + BODY * 2).strip()
    y = _wrapped(w, 71.0, 100.0, across[0], 9.0, 453.0, 12.0) + 8.0
    top = y
    _wrapped(w, 71.0, y, beside, 9.0, 286.0, 12.0)
    for k, text in enumerate(quote):
        w.draw(374.0, top + 7.0 + 12.0 * k, [(text, 11.0, 0.0, False)] + ([("1", 7.0, 4.0, False)] if note and k == len(quote) - 1 else []))
    if note:
        w.draw(71.0, 780.0, [("1", 5.0, 2.5, False), (" " + note, 7.5, 0.0, False)])
    else:
        _wrapped(w, 71.0, top + 12.0 * 20, across[1], 9.0, 453.0, 12.0)
    path = tmp_path / "brief.pdf"
    path.write_bytes(w.save())
    (report,), _ = read_pdf(path, path.name)
    return report, [a.strip() for a in across] + [beside]


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_pull_quote_beside_a_paragraph_reads_after_it(tmp_path, writer):
    """A pull quote set in larger type beside part of the body, between paragraphs set across the page: read
    row by row, its lines fell between the paragraph's ("… international trade (Peters et al." / "total CO2
    emissions, which" / "Zhang et al., 2020) …"), cutting both. The gutter that parts those rows only is
    found; the paragraph reads whole, then the quote."""
    quote = ["About a quarter of total", "carbon dioxide emissions,", "which account for most", "greenhouse gas emissions,",
             "are estimated to be tied", "to international trade."]
    report, paras = _pull_quote_page(tmp_path, writer, quote)
    text = [" ".join(p.split()) for p in report.text.split("\n\n")]
    for para in paras:
        assert para in text
    assert " ".join(quote) in text
    assert text.index(paras[2]) < text.index(" ".join(quote)) < text.index(paras[1])


@pytest.mark.parametrize("writer", ["reportlab", "fpdf2"])
def test_a_note_across_the_foot_of_a_page_set_in_part_columns_is_a_note(tmp_path, writer):
    """GAO-06-282's slide: bullets beside a table, note 1 printed across the page's foot under both. The page's
    last lines (the note's) follow the columns: they are its notes, not text (notes 1 and 5 went missing)."""
    quote = ["About a quarter of total", "carbon dioxide emissions,", "which account for most", "greenhouse gas emissions,",
             "are estimated to be tied", "to international trade."]
    note = "World Trade Organization, Trade and Climate Change, Information brief no 4 (2021)."
    report, paras = _pull_quote_page(tmp_path, writer, quote, note)
    assert report.notes["1"].status == "resolved" and report.notes["1"].text == note
    assert report.text.count(note) == 1              # in the notes only, not read as text
    cited = [s for s in report.sentences if "1" in s.markers]
    assert [report.text[s.start:s.end] for s in cited] == [" ".join(quote)]


def test_a_column_of_figures_beside_a_paragraph_is_no_pull_quote():
    """Rows parted by a clear band with figures on one side (a chart's axis labels) have no second column of
    running text: no gutter parts them."""
    from ingest.pdf.layout import Coverage, _baseline_clusters, find_part_gutter

    def row(y: float, x: float, text: str, size: float) -> list[dict]:
        return [{**_ch(ch, x + 0.55 * size * i, x + 0.55 * size * (i + 1) - 0.3, size=size), "top": y - size, "bottom": y}
                for i, ch in enumerate(text)]
    words = "documentation of the selection process for regulations in the agencies"

    def page(right: list[str]) -> Coverage:
        chars = row(60.0, 71.0, words + " " + words, 9.0)
        for k in range(10):
            chars += row(80.0 + 12.0 * k, 71.0, words[:50], 9.0)
        for k, text in enumerate(right):
            chars += row(86.0 + 12.0 * k, 374.0, text, 11.0)
        return Coverage.of(_baseline_clusters(chars))
    assert find_part_gutter(page(["About a quarter of the", "carbon dioxide emissions", "which account for most",
                                  "greenhouse gas emissions"]), 595.0) is not None
    assert find_part_gutter(page(["140,000", "120,000", "100,000", "80,000", "60,000"]), 595.0) is None


def test_a_side_margin_holds_headings_only():
    """A wide left margin is read as side headings only when its text is larger than the body's, in words,
    and ends short of the body: a column of labels in the body's size is no margin of headings."""
    from ingest.pdf.layout import Coverage, _baseline_clusters, find_side_margin

    def row(y: float, *parts: tuple[float, str, float]) -> list[dict]:
        return [{**_ch(ch, x + 5.5 * i, x + 5.5 * i + 5.0, size=size), "top": y - size, "bottom": y}
                for x, text, size in parts for i, ch in enumerate(text)]
    body = "documentation of the selection process for regulations"

    def page(label_size: float) -> Coverage:
        chars = []
        for k in range(8):
            chars += row(100 + 13 * k, (216.0, body, 11.0), *([(36.0, "Side heading", label_size)] if k < 2 else []))
        return Coverage.of(_baseline_clusters(chars))
    assert find_side_margin(page(14.0), 612.0) == pytest.approx(210.5)
    assert find_side_margin(page(12.0), 612.0) == pytest.approx(210.5)     # GAO's lowest side heads, 12 beside 11
    assert find_side_margin(page(11.0), 612.0) is None
    assert find_side_margin(page(11.5), 612.0) is None


def test_a_bookmark_cut_short_inside_a_word_is_no_run_in_heading():
    """GAO's bookmarks stop at 60 characters, inside a word ("… between Accountabil"): the heading's lines
    are all heading ("… between Accountability" / "and Flexibility"), not a title run into a paragraph
    "ity"; one of a paragraph marks nothing; a bookmark whose title ends where a word does still marks a
    run-in heading."""
    from ingest.pdf.chars import Outline
    from ingest.pdf.structure import outline_headings

    lines = [_line(3, 100.0, 14.0, ("Grant Design Features Affect the", False)),
             _line(3, 115.0, 14.0, ("Balance between Accountability", False)),
             _line(3, 130.0, 14.0, ("and Flexibility", False)),
             _line(3, 160.0, 11.0, ("Although there are various ways to design grants to encourage it.", False))]
    cut_short = Outline("Grant Design Features Affect the Balance between Accountabil", 1, 3, None)
    found = outline_headings(lines, [cut_short])
    assert [found.get(id(ln)) for ln in lines] == [(0, 1, None)] * 3 + [None]
    # a bookmark of a paragraph (a sentence's end inside its title), cut short, marks no heading
    para = [_line(3, 100.0, 11.0, ("Most respondents agree. In effect, the survey raised the aspect", False))]
    assert outline_headings(para, [Outline("Most respondents agree. In effect, the survey raised the asp", 1, 3,
                                           None)]) == {}
    run_in = [_line(3, 100.0, 11.0, ("Scope and Methodology We reviewed the agencies' files.", False))]
    assert outline_headings(run_in, [Outline("Scope and Methodology", 1, 3, None)])[id(run_in[0])][2] == 19
