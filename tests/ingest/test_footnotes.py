"""Marker styles, note-block shapes and sources: one small fixture per quirk."""
from __future__ import annotations

from ingest.footnotes import make_note, note_sources, parse_note_block, take_markers
from ingest.report import parse_text


def one_report(body: str, notes: str, header: str = "Title Of A Test Report\n\nSeptember 19, 2020, 7:00 pm EDT\n\nBy A Writer\n\n"):
    reports, _ = parse_text(header + body + "\n\n" + notes + "\n", "fixture.txt")
    assert len(reports) == 1
    return reports[0]


def sentence_markers(r):
    return [(r.text[s.start:s.end], s.markers) for s in r.sentences if s.markers]


BODY3 = ("The first claim is here and it is long enough.{a} The second claim follows it closely.{b} "
         "A third sentence has no marker at all. The fourth claim closes the paragraph.{c}")


def test_bracketed_markers_attach_to_the_sentence_they_end():
    r = one_report(BODY3.format(a="[1]", b="[2]", c="[3]"), "[1] https://a.org/1\n[2] https://b.org/2\n[3] https://c.org/3")
    got = sentence_markers(r)
    assert got == [("The first claim is here and it is long enough.", ["1"]),
                   ("The second claim follows it closely.", ["2"]),
                   ("The fourth claim closes the paragraph.", ["3"])]
    assert "[1]" not in r.text[:r.body_end]


def test_bracketed_marker_glued_to_next_sentence_still_splits():
    m = take_markers("until September 25.[8]The exercises did not begin on time.")
    assert m.text == "until September 25. The exercises did not begin on time."
    assert m.markers == [(len("until September 25."), "8")]


def test_unicode_superscript_markers_including_two_digits():
    r = one_report(BODY3.format(a="¹", b="¹¹", c="¹²"), "¹ https://a.org/1\n\n¹¹ https://b.org/11\n\n¹² https://c.org/12")
    assert [m for _, m in sentence_markers(r)] == [["1"], ["11"], ["12"]]
    assert r.notes["11"].urls == ["https://b.org/11"]


def test_html_sup_markers_in_markdown_with_bold():
    body = ("**The first claim is here, said in bold.**<sup>1</sup> The second claim follows it closely.<sup>2</sup> "
            "A third sentence without a marker. Fourth one.")
    notes = "- \n- <sup>1</sup> <https://a.org/1>; <https://a.org/2>.\n- <sup>2</sup> [https://t.co/A\\\\_B](https://t.co/A_B)"
    r = one_report(body, notes)
    assert sentence_markers(r)[0] == ("The first claim is here, said in bold.", ["1"])
    assert r.notes["1"].urls == ["https://a.org/1", "https://a.org/2"]
    assert r.notes["2"].urls == ["https://t.co/A_B"]
    assert "**" not in r.text


def test_bracketed_markers_that_do_not_start_at_one_and_mid_sentence_markers():
    body = ("In 2018 Russia adopted a doctrine that Belarus has not agreed to.[35] Cooperation covers the use of "
            "facilities[36], the stationing of troops and many exercises. Nothing else here at all.")
    r, _ = parse_text(body + "\n\nA. Author, “A Doctrine Paper,” 2020.\nThese concern the Vileika signal centre facilities.\n", "c.txt")
    r = r[0]
    assert [m for _, m in sentence_markers(r)] == [["35"], ["36"]]
    assert r.notes["35"].status == "resolved" and r.notes["36"].status == "resolved"
    assert "Vileika" in r.notes["36"].text


def test_bracketed_words_and_markers_inside_urls_are_not_markers():
    m = take_markers("“the build-up of [NATO] infrastructure” and https://x.org/page[3] stay.[4]")
    assert [n for _, n in m.markers] == ["4"]
    assert "[NATO]" in m.text and "page[3]" in m.text


def test_note_shapes_missing_separator_only_and_dngts_only_notes():
    lines = ["[1];; https://www.fontanka(.)ru/2014/08/26/030/; https://novayagazeta(.)ru/news/x",
             "[3]\u00a0;\u00a0;", "[4]\u00a0DNGTS:", "[6] ; DNGTS:\u00a0; DNGTS:", "[7] https://a.org/x", "Next report title"]
    notes, rest = parse_note_block(lines)
    by = {n.marker: n for n in notes}
    assert by["1"].status == "resolved" and by["1"].urls == ["https://www.fontanka(.)ru/2014/08/26/030/",
                                                              "https://novayagazeta(.)ru/news/x"]
    assert by["3"].status == by["4"].status == by["6"].status == "missing"
    assert by["3"].urls == [] and by["4"].text == ""
    assert rest == ["Next report title"]


def test_superscript_note_continues_on_following_link_lines():
    lines = ["² https://a.ru/1; <https://b.ru/2>;", "", "<https://c.ru/3>; https://www.youtube.com/watch?v=zG_b3kGVxAA",
             "³ Kremlin spokesman said “no.” <https://tass.ru/politika/9475065>"]
    notes, rest = parse_note_block(lines)
    assert notes[0].urls == ["https://a.ru/1", "https://b.ru/2", "https://c.ru/3",
                             "https://www.youtube.com/watch?v=zG_b3kGVxAA"]
    assert notes[1].urls == ["https://tass.ru/politika/9475065"] and "Kremlin spokesman" in notes[1].text


def test_a_notes_own_line_of_prose_between_numbered_notes_does_not_end_the_notes():
    # ISW, December 27, 2022: under note 46's links, "Geolocated to 44.640452, 34.382704", then [47]-[85]; the
    # notes ended at that line, and 39 notes stood in the report's text as body paragraphs
    lines = ["[46] https://twitter.com/GeoConfirmed/status/1607712306829447170", "Geolocated to 44.640452, 34.382704",
             "[47] https://www.youtube.com/watch?v=R5vvrb1YsqU", "[48] https://t.me/a/1", "Tags", "[2] a list item"]
    notes, rest = parse_note_block(lines)
    assert [n.marker for n in notes] == ["46", "47", "48"]
    assert notes[0].text.endswith("Geolocated to 44.640452, 34.382704")
    assert rest == ["Tags", "[2] a list item"]                 # a line not followed by the next number ends them


def test_a_host_defanged_with_spaced_words_is_one_address():
    text, urls, _ = note_sources("https://www.president dot gov.ua/news/vid-105145; https://riafan dot ru/2385; "
                                 "https://t.me/x/1")
    assert urls == ["https://www.president dot gov.ua/news/vid-105145", "https://riafan dot ru/2385", "https://t.me/x/1"]
    assert note_sources("https://a.org/x dot y")[1] == ["https://a.org/x"]      # a path's word "dot" is text


def test_defanged_links_are_kept_as_written_and_markdown_escapes_resolved():
    text, urls, dngts = note_sources("[https://meduza\\(.\\)io/news/2020/09/02/x](https://meduza(.)io/news/2020/09/02/x); "
                                     "[https://lenta\\(.\\)ru/news/](https://lenta(.)ru/news/)")
    assert urls == ["https://meduza(.)io/news/2020/09/02/x", "https://lenta(.)ru/news/"]
    assert "\\(" not in text and dngts == []


def test_dngts_flags_only_the_link_after_the_label():
    n = make_note("6", "<https://twitter.com/a/status/1>, DNGTS: <https://www.alo.rs/vesti/x/329519/vest>")
    assert n.urls == ["https://twitter.com/a/status/1", "https://www.alo.rs/vesti/x/329519/vest"]
    assert n.dngts_urls == ["https://www.alo.rs/vesti/x/329519/vest"] and n.dngts


def test_prose_note_keeps_its_text():
    n = make_note("4", "The Belarusian Defense Ministry reportedly signed a deal with the Kremlin-owned Almaz-Antey "
                       "defense company on August 24. <https://www.iswresearch.org/2020/08/x.html>")
    assert n.status == "resolved" and "Almaz-Antey" in n.text
    assert n.urls == ["https://www.iswresearch.org/2020/08/x.html"]


def test_marker_without_note_is_missing_and_never_borrows_another_note():
    r = one_report(BODY3.format(a="[1]", b="[2]", c="[3]"), "[1] https://a.org/1\n[3] https://c.org/3")
    assert r.notes["2"].status == "missing" and r.notes["2"].urls == []
    assert r.footnote_counts() == {"markers": 3, "resolved": 2, "missing": 1, "unplaced": 0, "redacted": 0}


def test_non_breaking_spaces_and_curly_quotes_survive():
    body = ("Russia’s\u00a0234th regiment said it was “ready”.[1]  Double  spaces\u00a0 are folded here too. "
            "A third sentence. A fourth one.")
    r = one_report(body, "[1]\u00a0https://a.org/1")
    first = r.text[r.sentences[0].start:r.sentences[0].end]
    assert first == "Russia’s 234th regiment said it was “ready”."
    assert "  " not in r.text[:r.body_end] and "\u00a0" not in r.text
