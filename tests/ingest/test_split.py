"""Files are not reports: blog dumps, teasers, headers, bylines, chapters without a title."""
from __future__ import annotations

from ingest.report import parse_text

BLOG = """Saturday, September 19, 2020

Second Report Title Here

September 19, 2020, 7:00 pm EDT

By George Barros and Mason Clark

The Kremlin did a thing on September 19.[1] It was a big thing for everyone. Analysts noticed it quickly.

ISW will continue monitoring the situation and providing updates.

[1] https://a.org/1

Syria Situation Report: September 2-15, 2020
\u00a0By Andrew Greco and Will Christou (Syria Direct)

Key Takeaway: ISIS is continuing to reconstitute in Syria.

Click here to download the PDF. Click the image below to expand it.

Friday, September 18, 2020

First Report Title Here

By Isabel Ivanescu with Andrew Greco

Turkey may have agreed to cede territory.[1] The deal is unconfirmed. Fighting may resume soon.

[1] https://b.org/1
"""


def test_blog_dump_splits_into_reports_and_skips_the_teaser():
    reports, skipped = parse_text(BLOG, "blog.txt")
    assert [r.title for r in reports] == ["Second Report Title Here", "First Report Title Here"]
    assert skipped == ["Syria Situation Report: September 2-15, 2020"]
    a, b = reports
    assert (a.date, a.time, a.authors) == ("2020-09-19", "7:00 pm EDT", ["George Barros", "Mason Clark"])
    assert (b.date, b.time, b.authors) == ("2020-09-18", "", ["Isabel Ivanescu", "Andrew Greco"])
    assert a.publisher.startswith("Institute for the Study of War") and b.publisher == ""
    assert a.notes["1"].urls == ["https://a.org/1"] and b.notes["1"].urls == ["https://b.org/1"]
    assert "Syria Situation" not in a.text and "Click here" not in a.text


def test_markdown_report_with_bare_byline():
    text = ("\n\n## A Markdown Report Title\n\nAugust 15, 2020, 4:00pm EDT  \nMason Clark\n\n"
            "**Bold claim one is made here.**<sup>1</sup> Claim two follows. Claim three ends.\n\n- <sup>1</sup> <https://a.org>\n")
    (r,), _ = parse_text(text, "m.md")
    assert (r.title, r.date, r.time, r.authors) == ("A Markdown Report Title", "2020-08-15", "4:00 pm EDT", ["Mason Clark"])


def test_chapter_without_title_date_or_byline_invents_nothing():
    text = ("As stated in chapter 2, cooperation grew.[35] More text follows here. And a third sentence.\n\n"
            "Anna Author, “A Paper,” 2020.\n")
    (r,), _ = parse_text(text, "c.txt")
    assert (r.title, r.date, r.time, r.authors, r.publisher) == ("", "", "", [], "")
    assert r.id.startswith("undated-")


def test_a_sentence_broken_by_a_blank_line_is_joined():
    text = ("Title Line For Report\n\nSeptember 16, 2020, 5:45 pm EDT\n\nBy A B\n\n"
            "The elements of Russia’s 76th Guards Air Assault Division currently in Belarus for\n\n"
            "Slavic Brotherhood 2020 exercises should return home. Another sentence. And one more.\n")
    (r,), _ = parse_text(text, "x.txt")
    first = r.text[r.sentences[0].start:r.sentences[0].end]
    assert first.endswith("in Belarus for Slavic Brotherhood 2020 exercises should return home.")


def test_a_markdown_files_level_one_heading_is_its_title():
    md = ("# Grain Corridor Assessment\n\nSome context on the corridor.\n\n## Shipping\n\n"
          "Ships left Odesa on Monday under escort, officials said.[1]\n\n[1] https://a.org/1\n")
    (r,), _ = parse_text(md, "notes.md")
    assert r.title == "Grain Corridor Assessment"
    assert "Grain Corridor Assessment" not in r.text[:r.body_end]
    assert r.notes["1"].urls == ["https://a.org/1"]
    (r,), _ = parse_text(md.replace("# Grain", "## Grain"), "notes.md")     # a section heading names nothing
    assert r.title == ""


def test_a_key_of_symbols_is_not_a_note_block():
    # a panel list whose names carry symbol keys, and the legend line "† ¶" under it: the legend is
    # body text, not a dagger note; before, it ended the report's body and what followed it became a
    # second, untitled report (pypdf's 137-page guideline resources/issue-604.pdf became two)
    text = ("Thyroid Carcinoma Guidelines\n\nBy Jane Doe and John Roe\n\nJane Doe, MD †\n\nJohn Roe, MD ¶\n\n† ¶\n\n"
            "Medical oncology Surgery\n\nThe panel reviewed the evidence in 2020.† It changed two recommendations. "
            "Both follow the new trial data.\n\n† The trial was reported in March 2020.\n")
    reports, _ = parse_text(text, "guideline.txt")
    (r,) = reports
    assert r.title == "Thyroid Carcinoma Guidelines" and "changed two recommendations" in r.text
    assert [n.text for n in r.notes.values()] == ["The trial was reported in March 2020."]
