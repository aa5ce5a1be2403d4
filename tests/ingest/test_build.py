"""The one builder of structured formats: a Document to reports (ingest/build.py).

Documents are written here as a reader would build them, so each rule is checked alone:
sentences from paragraphs only, markers by offset, notes by the format's link, redacted and
empty notes never taking a neighbour's text, sections and page labels on sentences and passages.
"""
from __future__ import annotations

from ingest.build import reports_from_document
from ingest.chunk import chunk_report
from ingest.document import CONTENTS, FRONT, HEADING, PARAGRAPH, TITLE, Block, DocNote, Document, Mark


def para(text: str, *marks: tuple[str, str, str | None], pages=()) -> Block:
    """A paragraph; each mark is (text it follows, label, note key), placed after the first
    occurrence of that text."""
    out = []
    for after, label, key in marks:
        out.append(Mark(pos=text.index(after) + len(after), label=label, note=key))
    return Block(PARAGRAPH, text, marks=out, pages=list(pages))


def one(doc: Document):
    (r,), skipped = reports_from_document(doc)
    assert skipped == []
    return r


def sentence_texts(r):
    return [r.text[s.start:s.end] for s in r.sentences]


def test_only_paragraphs_are_sentences_and_headings_are_sections():
    doc = Document("a.html", blocks=[
        Block(TITLE, "The Campaign Report"),
        Block(CONTENTS, "I. Background .......... 3"),
        Block(HEADING, "I. Background", level=1),
        para("Moscow moved troops. Minsk agreed."),
        Block(HEADING, "A. The Drills", level=2),
        para("The drills began on Monday."),
        Block(HEADING, "II. Findings", level=1),
        Block(FRONT, "Page 3"),
        para("Nothing else is known."),
    ])
    r = one(doc)
    assert r.title == "The Campaign Report" and r.structured
    assert sentence_texts(r) == ["Moscow moved troops.", "Minsk agreed.", "The drills began on Monday.",
                                 "Nothing else is known."]
    assert [s.section for s in r.sentences] == ["I. Background", "I. Background", "I. Background > A. The Drills",
                                                "II. Findings"]
    body = r.text[:r.body_end]
    assert "A. The Drills" in body and "Background ....." not in body and "Page 3" not in body
    passages = chunk_report(r)
    assert [p.text for p in passages] == ["Moscow moved troops. Minsk agreed.", "The drills began on Monday.",
                                          "Nothing else is known."]           # no heading glued on
    assert [p.section for p in passages] == ["I. Background", "I. Background > A. The Drills", "II. Findings"]


def test_markers_go_to_the_sentence_they_end_by_offset():
    doc = Document("a.html", blocks=[
        para("Russia moved troops.The Kremlin denied it. Nobody knows why, officials said.",
             ("troops.", "1", "n1"), ("denied", "2", "n2"), ("said.", "1156", "n3")),
    ], notes={"n1": DocNote("n1", "1", "First note."), "n2": DocNote("n2", "2", "Second note."),
              "n3": DocNote("n3", "1156", "A four-digit note.")})
    r = one(doc)
    assert sentence_texts(r) == ["Russia moved troops.", "The Kremlin denied it.", "Nobody knows why, officials said."]
    assert [s.markers for s in r.sentences] == [["1"], ["2"], ["1156"]]
    assert r.notes["1156"].text == "A four-digit note." and r.notes["1156"].status == "resolved"


def test_redacted_and_empty_notes_never_take_the_next_notes_text():
    doc = Document("a.pdf", blocks=[
        para("One claim. Two claim. Three claim. Four claim.",
             ("One claim.", "731", "a"), ("Two claim.", "732", "b"), ("Three claim.", "733", "c"),
             ("Four claim.", "734", "gone")),
    ], notes={"a": DocNote("a", "731", "Interview of X."), "b": DocNote("b", "732", "", redacted=True),
              "c": DocNote("c", "733", "")})
    r = one(doc)
    assert {m: (n.status, n.text) for m, n in r.notes.items()} == {
        "731": ("resolved", "Interview of X."), "732": ("redacted", ""), "733": ("missing", ""), "734": ("missing", "")}
    assert r.footnote_counts() == {"markers": 4, "resolved": 1, "missing": 2, "unplaced": 0, "redacted": 1}
    assert "[732]" not in r.text[r.body_end:] and "[731] Interview of X." in r.text[r.body_end:]


def test_numbering_that_restarts_keeps_both_notes_apart():
    doc = Document("book.html", blocks=[
        Block(HEADING, "Chapter 1", level=1), para("Alpha happened.", ("happened.", "1", "c1n1")),
        Block(HEADING, "Chapter 2", level=1), para("Beta happened. Gamma too.", ("happened.", "1", "c2n1"),
                                                   ("too.", "1", "c2n1")),
    ], notes={"c1n1": DocNote("c1n1", "1", "Chapter one's note, long enough to be a passage."),
              "c2n1": DocNote("c2n1", "1", "Chapter two's note, long enough to be a passage.")})
    r = one(doc)
    assert [s.markers for s in r.sentences] == [["1"], ["1#2"], ["1#2"]]
    assert r.notes["1"].text.startswith("Chapter one's") and r.notes["1#2"].text.startswith("Chapter two's")
    ids = [p.id for p in chunk_report(r) if p.kind == "note"]
    assert ids == [f"{r.id}-n1", f"{r.id}-n1#2"]


def test_without_links_notes_match_by_label_and_the_rest_are_unplaced():
    doc = Document("a.html", blocks=[
        para("Alpha happened. Beta happened. Alpha again.", ("Alpha happened.", "1", None),
             ("Beta happened.", "†", None), ("again.", "1", None)),
    ], notes={"x": DocNote("x", "1", "See https://a.example.org/1 and DNGTS: https://b(.)ru/2"),
              "y": DocNote("y", "†", "The dagger's note, a prose note of enough words."),
              "z": DocNote("z", "9", "A note nothing refers to, with several words in it.")})
    r = one(doc)
    assert [s.markers for s in r.sentences] == [["1"], ["†"], ["1"]]
    assert r.notes["1"].urls == ["https://a.example.org/1", "https://b(.)ru/2"]
    assert r.notes["1"].dngts_urls == ["https://b(.)ru/2"]
    assert r.notes["†"].status == "resolved"
    (u,) = r.unplaced_notes
    assert (u.status, u.marker) == ("unplaced", "9") and "nothing refers" in u.text
    assert any(p.kind == "note" and "nothing refers" in p.text for p in chunk_report(r))


def test_a_heading_marker_backs_the_first_sentence_under_it_and_a_title_marker_stays_a_note():
    doc = Document("a.html", blocks=[
        Block(TITLE, "Report", marks=[Mark(6, "*", "t")]),
        Block(HEADING, "Background", level=2, marks=[Mark(10, "1", "h")]),
        para("First sentence here. Second one."),
    ], notes={"t": DocNote("t", "*", "The author thanks the reviewers."), "h": DocNote("h", "1", "Based on interviews.")})
    r = one(doc)
    assert [s.markers for s in r.sentences] == [["1"], []]
    assert r.notes["*"].text == "The author thanks the reviewers." and "*" not in r.markers


def test_pages_and_printed_labels_reach_sentences_and_passages():
    doc = Document("a.pdf", blocks=[
        Block(HEADING, "IV. Analysis", level=1, pages=[(0, 12)]),
        para("The first sentence is on one page. The second starts there and ends on the next.",
             ("next.", "7", "n7"), pages=[(0, 12), (50, 13)]),
    ], notes={"n7": DocNote("n7", "7", "A source of the second sentence, printed on page 13.", pages=[13])},
        page_labels={12: "10", 13: "11"})
    r = one(doc)
    assert [s.pages for s in r.sentences] == [[12], [12, 13]]
    assert r.page_labels == {12: "10", 13: "11"}
    body, note = chunk_report(r)
    assert (body.pages, body.page_labels, body.section) == ([12, 13], ["10", "11"], "IV. Analysis")
    assert (note.kind, note.pages, note.page_labels, note.section) == ("note", [13], ["11"], "IV. Analysis")


def test_a_title_page_is_front_matter_with_title_date_and_authors():
    doc = Document("a.html", blocks=[
        para("Open Source Edition of the Report On The Investigation"),
        para("Volume II of II"),
        para("Special Counsel Robert S. Mueller, III"),
        para("Washington, D.C."),
        para("March 2019"),
        Block(CONTENTS, "Introduction"),
        Block(HEADING, "Introduction", level=1),
        para("This report is submitted to the Attorney General. It explains the decisions."),
    ])
    r = one(doc)
    assert (r.title, r.date, r.authors) == ("Open Source Edition of the Report On The Investigation", "2019-03",
                                            ["Robert S. Mueller, III"])
    assert sentence_texts(r) == ["This report is submitted to the Attorney General.", "It explains the decisions."]


def test_header_lines_give_date_time_and_authors_and_body_stays():
    doc = Document("a.docx", blocks=[
        Block(TITLE, "Belarus Warning Update"),
        para("September 2, 2020, 5:00 pm EDT"),
        para("By George Barros"),
        para("By 2020, Russia had moved two battalions to the border. Minsk agreed to host them."),
    ])
    r = one(doc)
    assert (r.date, r.time, r.authors) == ("2020-09-02", "5:00 pm EDT", ["George Barros"])
    assert sentence_texts(r)[0] == "By 2020, Russia had moved two battalions to the border."


def test_a_web_pages_header_lines_a_labelled_date_a_bare_name_list_and_a_time_without_its_year():
    # a site's article head: "Dec 13, 2022 - Press ISW", a link's label, the authors in bold without "By"
    # (a heading to the reader), the time on that day without the year; none of them is a sentence or a section
    names = "Karolina Hird, George Barros, Grace Mappes, and Frederick W. Kagan"
    doc = Document("a.html", blocks=[
        Block(TITLE, "Russian Offensive Campaign Assessment, December 13"),
        para("Dec 13, 2022 - Press ISW"), para("Download the PDF"),
        Block(HEADING, names, level=3), Block(HEADING, "December 13, 6:30pm ET", level=3),
        para("Belarusian forces remain unlikely to attack Ukraine. Lukashenko ordered a readiness check."),
    ])
    r = one(doc)
    assert (r.date, r.time, r.authors) == ("2022-12-13", "6:30 pm ET", names.replace(", and", ",").split(", "))
    assert sentence_texts(r)[0] == "Belarusian forces remain unlikely to attack Ukraine."
    assert all(s.section == "" for s in r.sentences)
    # a period is no date, a short line with no header line after it stays text; two names, or a list of places,
    # are no byline
    doc = Document("a.html", blocks=[
        Block(TITLE, "Update"), para("07/01/2015 - 03/25/2016"), para("Russia, Belarus, and Poland"),
        para("Jane Doe and John Roe"), para("Russia moved. Minsk agreed."),
    ])
    r = one(doc)
    assert (r.date, r.authors) == ("", []) and sentence_texts(r)[:2] == ["07/01/2015 - 03/25/2016",
                                                                          "Russia, Belarus, and Poland"]


def test_a_short_lead_paragraph_is_not_a_title_page():
    doc = Document("a.html", title="Stated Title", blocks=[
        para("Key takeaways follow."),
        Block(HEADING, "Takeaways", level=1),
        para("Russia moved. Minsk agreed."),
    ])
    r = one(doc)
    assert r.title == "Stated Title" and sentence_texts(r)[0] == "Key takeaways follow."


def test_parts_are_reports_of_their_own_and_an_empty_part_is_skipped():
    doc = Document("blog.html", title="The Blog", parts=[3, 5], blocks=[
        Block(TITLE, "First Post"), para("Saturday, September 19, 2020"), para("Alpha happened. Then beta.",
                                                                               ("Alpha happened.", "1", "p1")),
        Block(TITLE, "Teaser"), Block(FRONT, "Click here to download"),
        Block(TITLE, "Second Post"), para("Gamma happened. Then delta.", ("Gamma happened.", "1", "p2")),
    ], notes={"p1": DocNote("p1", "1", "First post's note."), "p2": DocNote("p2", "1", "Second post's note."),
              "stray": DocNote("stray", "2", "Unreferenced, after the second post's note.")})
    reports, skipped = reports_from_document(doc)
    assert [(r.title, r.date) for r in reports] == [("First Post", "2020-09-19"), ("Second Post", "")]
    assert skipped == ["Teaser"]
    assert reports[0].notes["1"].text == "First post's note." and reports[1].notes["1"].text == "Second post's note."
    assert reports[0].unplaced_notes == [] and len(reports[1].unplaced_notes) == 1


def test_two_copies_of_a_structured_report_merge_into_one_that_stays_structured():
    from ingest.merge import merge_reports

    def copy(source: str, with_note: bool) -> Document:
        return Document(source, title="Same Report", date="2021-01-02", page_labels={3: "1"}, blocks=[
            Block(HEADING, "Findings", level=1),
            para("Alpha happened here. Beta followed.", ("here.", "1", "n1"), pages=[(0, 3)])],
            notes={"n1": DocNote("n1", "1", "The note of alpha." if with_note else "")})

    (a,), _ = reports_from_document(copy("a.html", False))
    (b,), _ = reports_from_document(copy("b.html", True))
    (merged,) = merge_reports([a, b])
    assert merged.sources == ["a.html", "b.html"] and merged.notes["1"].text == "The note of alpha."
    assert merged.structured and merged.page_labels == {3: "1"} and merged.sentences[0].section == "Findings"


def test_a_bullet_typed_before_a_list_item_is_not_quoted_with_its_sentence():
    r = one(Document("a.docx", blocks=[
        para("The market is small."),
        para("\u2022 Heat networks provide around 3% of heat demand.", ("demand.", "1", "n1")),
        para("\u25aa\tZoning could raise it."),
    ], notes={"n1": DocNote("n1", "1", "CCC, Heat and Buildings Strategy.")}))
    assert sentence_texts(r) == ["The market is small.", "Heat networks provide around 3% of heat demand.",
                                 "Zoning could raise it."]
    assert r.sentences[1].markers == ["1"] and "\u2022 Heat networks" in r.text
