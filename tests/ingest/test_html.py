"""HTML pages to reports (ingest/html.py through ingest/build.py), one small page per producer,
written in that producer's own footnote markup: tex4ht, pandoc (HTML5 and the older HTML4),
Word's "Save as HTML" (`_ftn`, and the `_edn` endnotes ISW's pages carry), MediaWiki
`cite_note`, `<aside>` notes, and a hand-written page with bare `<sup>` numbers."""
from __future__ import annotations

import pytest

from index.errors import ReportReadError
from ingest.build import reports_from_document
from ingest.chunk import chunk_report
from ingest.html import read_html
from ingest.read import read_report_file
from ingest.report import parse_text


def reports_of(html: str):
    reports, _ = reports_from_document(read_html(html, "page.html"))
    return reports


def one(html: str):
    (r,) = reports_of(html)
    return r


def notes(r) -> dict[str, tuple[str, str]]:
    return {m: (n.status, n.text) for m, n in r.notes.items()}


def sentences(r) -> list[tuple[str, list[str]]]:
    return [(r.text[s.start:s.end], s.markers) for s in r.sentences]


TEX4HT = """<?xml version="1.0" encoding="utf-8" ?>
<html xmlns="http://www.w3.org/1999/xhtml"><head> <title></title>
<meta name="generator" content="TeX4ht (http://www.tug.org/tex4ht/)" /></head><body>
<div class="center"><!--l. 5--><p class="noindent" ><span class="cmr-17x-x-143">Report On The Drills</span><br />
<span class="cmr-17x-x-143">Near Brest</span></p>
<!--l. 16--><p class="noindent" ><span class="cmr-12x-x-120">Special Counsel Jane Q. Roe, Jr.</span></p>
<!--l. 30--><p class="noindent" >March 2019</p></div>
<h3 class="likesectionHead"><a id="x1-1000"></a>Table of Contents</h3>
<div class="tableofcontents"><span class="sectionToc" >I. <a href="#x1-20001" id="QQ2-1-2">Background</a></span><br /></div>
<h3 class="sectionHead"><span class="titlemark">I.   </span> <a id="x1-20001"></a>Background</h3>
<h4 class="subsectionHead"><span class="titlemark">A.   </span> <a id="x1-30001"></a>The Drills</h4>
<!--l. 6--><p class="indent" >   Russian units arrived in Brest on Monday, officials
said.<span class="footnote-mark"><a
href="#fn1x0" id="fn1x0-bk"><sup class="textsuperscript">1</sup></a></span><a
 id="x1-2001f1"></a> The ministry denied it<span class="footnote-mark"><a
href="#fn2x0" id="fn2x0-bk"><sup class="textsuperscript">2</sup></a></span><a id="x1-2002f2"></a>
and <span class="redacted">______ __ ____</span> said nothing.<span class="footnote-mark"><a
href="#fn999x0" id="fn999x0-bk"><sup class="textsuperscript">999</sup></a></span>
More units came later.<span class="footnote-mark"><a
href="#fn1000x0" id="fn1000x0-bk"><sup class="textsuperscript">1000</sup></a></span></p>
<div class="footnotes"><!--l. 17--><p class="indent" >     <span class="footnote-mark"><a
href="#fn1x0-bk" id="fn1x0"><sup class="textsuperscript">1</sup></a></span><span
class="cmti-10">Interview of a Ministry Official</span><span class="cmr-10">, Mar. 3, 2019.</span></p>
<!--l. 20--><p class="indent" >     <span class="footnote-mark"><a
href="#fn2x0-bk" id="fn2x0"><sup class="textsuperscript">2</sup></a></span><span class="redacted">________ _____</span></p>
<!--l. 22--><p class="indent" >     <span class="footnote-mark"><a
href="#fn999x0-bk" id="fn999x0"><sup class="textsuperscript">999</sup></a></span><span
class="cmr-10">Section 1503 provides:</span></p>
<div class="quote"><!--l. 23--><p class="noindent" ><span class="cmr-10">Whoever corruptly obstructs shall be fined.</span></p></div>
<!--l. 25--><p class="indent" >     <span class="footnote-mark"><a
href="#fn1000x0-bk" id="fn1000x0"><sup class="textsuperscript">1000</sup></a></span><span
class="cmr-10">A note numbered one thousand, in full.</span></p>
</div></body></html>
"""


def test_tex4ht_markers_link_to_their_notes_by_id():
    r = one(TEX4HT)
    assert notes(r) == {
        "1": ("resolved", "Interview of a Ministry Official, Mar. 3, 2019."),
        "2": ("redacted", ""),                            # the next note never slides onto it
        "999": ("resolved", "Section 1503 provides: Whoever corruptly obstructs shall be fined."),
        "1000": ("resolved", "A note numbered one thousand, in full."),
    }
    assert sentences(r) == [
        ("Russian units arrived in Brest on Monday, officials said.", ["1"]),
        ("The ministry denied it and [redacted] said nothing.", ["2", "999"]),
        ("More units came later.", ["1000"]),
    ]
    assert (r.title, r.date, r.authors) == ("Report On The Drills Near Brest", "2019-03", ["Jane Q. Roe, Jr."])
    assert {s.section for s in r.sentences} == {"I. Background > A. The Drills"}
    body = r.text[:r.body_end]
    assert "Whoever corruptly" not in body and "Interview of" not in body     # notes are not body text
    assert "Table of Contents" in body and "QQ2" not in body


PANDOC = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
<head><meta charset="utf-8" /><meta name="generator" content="pandoc" />
<meta name="author" content="Jane Doe" /><meta name="author" content="John Roe" />
<meta name="dcterms.date" content="2021-02-03" /><title>Belarus and the Union State</title></head>
<body>
<header id="title-block-header"><h1 class="title">Belarus and the Union State</h1>
<p class="author">Jane Doe</p><p class="author">John Roe</p><p class="date">2021-02-03</p></header>
<nav id="TOC" role="doc-toc"><ul><li><a href="#integration">Integration</a></li></ul></nav>
<h1 id="integration">Integration</h1>
<p>Minsk signed the roadmaps in 2021.<a href="#fn1" class="footnote-ref" id="fnref1"
role="doc-noteref"><sup>1</sup></a> Moscow <em>welcomed</em> it.<a href="#fn2" class="footnote-ref"
id="fnref2" role="doc-noteref"><sup>2</sup></a></p>
<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">
<hr />
<ol>
<li id="fn1"><p>Kremlin readout, <a href="http://kremlin.ru/events/president/news/66">kremlin.ru</a>.<a
href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn2"><p>First paragraph of a long note.</p>
<p>Its second paragraph.<a href="#fnref2" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol>
</section>
</body>
</html>
"""

PANDOC_HTML4 = """<html><head><title>A Report</title></head><body>
<p>Minsk signed the roadmaps in 2021.<a href="#fn1" class="footnoteRef" id="fnref1"><sup>1</sup></a></p>
<div class="footnotes"><hr /><ol><li id="fn1"><p>Kremlin readout.<a href="#fnref1">↩</a></p></li></ol></div>
</body></html>"""


def test_pandoc_notes_without_their_back_links():
    r = one(PANDOC)
    assert (r.title, r.date, r.authors) == ("Belarus and the Union State", "2021-02-03", ["Jane Doe", "John Roe"])
    assert notes(r) == {"1": ("resolved", "Kremlin readout, kremlin.ru."),               # the text as printed,
                        "2": ("resolved", "First paragraph of a long note. Its second paragraph.")}
    assert r.notes["1"].urls == ["http://kremlin.ru/events/president/news/66"]            # the link's target a source
    assert sentences(r) == [("Minsk signed the roadmaps in 2021.", ["1"]), ("Moscow welcomed it.", ["2"])]
    assert [s.section for s in r.sentences] == ["Integration", "Integration"]
    assert notes(one(PANDOC_HTML4)) == {"1": ("resolved", "Kremlin readout.")}


WORD = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15 (filtered)"><title>Warning Update</title></head>
<body lang=EN-US><div class=WordSection1>
<p class=MsoTitle>Warning Update</p>
<p class=MsoNormal>September 19, 2020, 7:00 pm EDT</p>
<p class=MsoNormal>By George Barros</p>
<h2>Exercises</h2>
<p class=MsoNormal>Belarus began drills near Grodno.<a style='mso-footnote-id:ftn1' href="#_ftn1"
name="_ftnref1" title=""><span class=MsoFootnoteReference><span style='mso-special-character:footnote'><![if
!supportFootnotes]><span class=MsoFootnoteReference><span style='font-size:11.0pt'>[1]</span></span><![endif]></span></span></a>
Russia sent paratroopers.<a style='mso-footnote-id:ftn2' href="#_ftn2" name="_ftnref2" title=""><span
class=MsoFootnoteReference>[2]</span></a></p>
</div>
<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all>
<hr align=left size=1 width="33%"><![endif]>
<div style='mso-element:footnote' id=ftn1>
<p class=MsoFootnoteText><a style='mso-footnote-id:ftn1' href="#_ftnref1" name="_ftn1" title=""><span
class=MsoFootnoteReference><span style='font-size:10.0pt'>[1]</span></span></a> Belarusian MoD,
<a href="https://t.me/modmilby/1">https://t.me/modmilby/1</a></p>
<p class=MsoFootnoteText>Continued on a second line of the same note.</p>
</div>
<div style='mso-element:footnote' id=ftn2>
<p class=MsoFootnoteText><a style='mso-footnote-id:ftn2' href="#_ftnref2" name="_ftn2" title=""><span
class=MsoFootnoteReference>[2]</span></a> DNGTS: https://ria(.)ru/20200919/x.html</p>
</div></div>
</body></html>"""


def test_word_save_as_html_notes_by_name_with_header_lines():
    r = one(WORD)
    assert (r.title, r.date, r.time, r.authors) == ("Warning Update", "2020-09-19", "7:00 pm EDT", ["George Barros"])
    assert notes(r) == {"1": ("resolved", "Belarusian MoD, https://t.me/modmilby/1 Continued on a second line of "
                                          "the same note."),
                        "2": ("resolved", "DNGTS: https://ria(.)ru/20200919/x.html")}
    assert r.notes["2"].dngts_urls == ["https://ria(.)ru/20200919/x.html"]      # defanging kept
    assert sentences(r) == [("Belarus began drills near Grodno.", ["1"]), ("Russia sent paratroopers.", ["2"])]


ISW = """<html><head><title>Russia in Review | Institute for the Study of War</title>
<meta property="og:site_name" content="Institute for the Study of War" />
<meta property="og:title" content="Russia in Review: The Kremlin Prepares" />
<meta property="article:published_time" content="2020-09-02T17:00:00-04:00" /></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="#main">Skip</a></li></ul></nav>
<main id="main"><article><h1>Russia in Review: The Kremlin Prepares</h1>
<p>By George Barros</p>
<p>The Kremlin is preparing to integrate Belarus.<a href="#_edn1" name="_ednref1" title="">[1]</a>
Putin met Lukashenko in Sochi.<a href="#_edn2" name="_ednref2" title="">[2]</a></p>
<hr>
<div id="edn1"><p><a href="#_ednref1" name="_edn1" title="">[1]</a> http://kremlin.ru/events/president/news/63966</p></div>
<div id="edn2"><p><a href="#_ednref2" name="_edn2" title="">[2]</a> </p></div>
</article></main>
<footer><p>Copyright ISW. All rights reserved.</p></footer></body></html>"""


def test_isw_page_endnote_links_and_metadata():
    r = one(ISW)
    assert (r.title, r.date, r.authors, r.publisher) == (
        "Russia in Review: The Kremlin Prepares", "2020-09-02", ["George Barros"], "Institute for the Study of War")
    assert notes(r) == {"1": ("resolved", "http://kremlin.ru/events/president/news/63966"), "2": ("missing", "")}
    body = r.text[:r.body_end]
    assert "Copyright" not in body and "Home" not in body and "Russia in Review" not in body


# The Institute's older site (Drupal), as its daily assessments were published in 2022: og:title is the
# site's name on every page, the markers are typed "[1]", the notes are "[1] <a>url</a>" paragraphs under
# a rule, and the date, a link's label, the authors and the time stand in lines of their own.
ISW_DRUPAL = """<!DOCTYPE html><html lang="en"><head>
<meta property="og:title" content="Institute for the Study of War" />
<meta property="og:site_name" content="Institute for the Study of War" />
<title>Russian Offensive Campaign Assessment, December 13 | Institute for the Study of War</title></head><body>
<h1 class="title">Russian Offensive Campaign Assessment, December 13</h1>
<div class="field-item"><p>Dec 13, 2022 - Press ISW</p>
<p><a href="/sites/default/files/assessment.pdf">Download the PDF</a></p>
<p><strong>Karolina Hird, George Barros, Grace Mappes, and Frederick W. Kagan</strong></p>
<p><strong>December 13, 6:30pm ET</strong></p>
<p>Belarusian forces remain unlikely to attack Ukraine despite a snap readiness check on December 13.[1]
Lukashenko ordered the check of the whole army the same day.[2]</p>
<div><hr align="left" size="1" width="33%" /></div>
<p style="text-align: left;">[1] <a href="https://t.me/modmilby/20635">https://t.me/modmilby/20635</a></p>
<p style="text-align: left;">[2] <a href="https://twitter.com/charter_97/status/1602653962489962496?s=20&amp;t=ugpibJSGu-y70HcB76hbyw">https://twitter.com/charter_97/status/1602653962489962496?s=20&amp;t=ugpibJS...</a></p>
</div><h3 id="tagtitle"><span>Tags</span></h3>
<div class="field field-name-field-project field-type-taxonomy-term-reference"><div class="field-items">
<div class="field-item even"><a href="/project/ukraine-project">Ukraine Project</a></div></div></div>
<div class="field field-name-field-file-attacments field-type-file field-label-above">
<div class="field-label">File Attachments:&nbsp;</div><div class="field-items"><div class="field-item even">
<span class="file"><a href="/sites/default/files/map.png">BelarusianReferenceMapDecember13,2022.png</a></span></div></div></div>
</body></html>"""


def test_isw_drupal_page_typed_markers_notes_under_a_rule_and_header_lines():
    # before: titled with the site's name, no date, no authors, and all its notes missing (the "[1]" opening
    # each note line was taken for a marker, so no note line was left after the last marker)
    r = one(ISW_DRUPAL)
    assert (r.title, r.date, r.time, r.authors) == (
        "Russian Offensive Campaign Assessment, December 13", "2022-12-13", "6:30 pm ET",
        ["Karolina Hird", "George Barros", "Grace Mappes", "Frederick W. Kagan"])
    assert [m for _, m in sentences(r)] == [["1"], ["2"]]
    assert notes(r) == {"1": ("resolved", "https://t.me/modmilby/20635"),
                        "2": ("resolved", "https://twitter.com/charter_97/status/1602653962489962496?s=20&t=ugpibJSGu-y70HcB76hbyw")}
    # a label that cuts its address short ("…&t=ugpibJS...") shows the address itself, not a stump of it
    assert r.notes["2"].urls == ["https://twitter.com/charter_97/status/1602653962489962496?s=20&t=ugpibJSGu-y70HcB76hbyw"]
    body = r.text[:r.body_end]
    assert "Press ISW" not in body and "Kagan" not in body and "6:30" not in body
    # the site's furniture beside the article: its tags and attached files (Drupal's field types)
    assert "Ukraine Project" not in r.text and "File Attachments" not in r.text and ".png" not in r.text


# The Institute's current site (WordPress, since 2025): the post's "Previous" and "Next" links above and
# below the article, "[1]" typed in the text, and every note in one paragraph of the endnotes, a line
# each ("[1] https://…<br>[2] …"), hosts of hostile media defanged with spaced words ("president dot gov.ua").
ISW_WORDPRESS = """<!DOCTYPE html><html lang="en-US"><head>
<meta property="og:title" content="Russian Offensive Campaign Assessment, June 30, 2026" />
<meta property="og:site_name" content="Institute for the Study of War" />
<meta property="article:published_time" content="2026-06-30T23:35:12+00:00" />
<title>Russian Offensive Campaign Assessment, June 30, 2026 | ISW</title></head><body>
<main class="site-main" id="main"><article id="post-149592" class="post type-post">
<div class="gb-container nav-posts" id="nav-posts">
<div class="post-navigation-link-previous wp-block-post-navigation-link"><a href="https://understandingwar.org/research/middle-east/iran-update-june-30-2026/" rel="prev">Previous</a></div>
<div class="post-navigation-link-next wp-block-post-navigation-link"><a href="https://understandingwar.org/research/china-taiwan/update-june-30-2026/" rel="next">Next</a></div></div>
<h1 class="gb-headline">Russian Offensive Campaign Assessment, June 30, 2026</h1>
<div id="printable-area"><h2 class="wp-block-heading">Toplines</h2>
<p class="wp-block-paragraph">Zelensky stated on June 29 that the Kremlin has issued 15 deadlines to seize Donetsk Oblast.[1]
Russian forces advanced 1.03 square kilometers per day in June 2026.[2] Russian strikes damaged a fuel depot in Kharkiv.[3]</p>
<div class="gb-container" title="Endnotes" data-id="endnotes"><div class="gb-accordion">
<button class="gb-accordion__toggle endnote-accordion-btn"><span class="gb-button-text">Endnotes</span></button>
<div class="gb-accordion__content"><div class="endnote-accordion-content">
<p class="wp-block-paragraph">[1] https://www.president dot gov.ua/news/vid-pochatku-105145<br>[2] https://understandingwar.org/research/russia-ukraine/russian-offensive-campaign-assessment-june-29-2026/ ; https://t.me/kpszsu/66892<br>[3] https://suspilne dot media/kharkiv/1343562-pid-udari/</p>
</div></div></div></div></div>
<div class="gb-container nav-posts" id="nav-posts">
<div class="post-navigation-link-previous wp-block-post-navigation-link"><a href="https://understandingwar.org/research/middle-east/iran-update-june-30-2026/" rel="prev">Previous</a></div>
<div class="post-navigation-link-next wp-block-post-navigation-link"><a href="https://understandingwar.org/research/china-taiwan/update-june-30-2026/" rel="next">Next</a></div></div>
</article></main></body></html>"""


def test_isw_wordpress_page_notes_a_line_each_in_one_paragraph():
    # before: note 1 held every note's text, notes 2 and 3 were missing, "https://www.president" was a source,
    # and "Previous" and "Next" opened the text
    r = one(ISW_WORDPRESS)
    assert (r.title, r.date) == ("Russian Offensive Campaign Assessment, June 30, 2026", "2026-06-30")
    assert [m for _, m in sentences(r)] == [["1"], ["2"], ["3"]]
    assert notes(r) == {
        "1": ("resolved", "https://www.president dot gov.ua/news/vid-pochatku-105145"),
        "2": ("resolved", "https://understandingwar.org/research/russia-ukraine/russian-offensive-campaign-assessment-june-29-2026/"
                          " ; https://t.me/kpszsu/66892"),
        "3": ("resolved", "https://suspilne dot media/kharkiv/1343562-pid-udari/")}
    # a host defanged with spaced words is one address, kept as written
    assert r.notes["1"].urls == ["https://www.president dot gov.ua/news/vid-pochatku-105145"]
    assert r.notes["2"].urls == ["https://understandingwar.org/research/russia-ukraine/russian-offensive-campaign-assessment-june-29-2026/",
                                 "https://t.me/kpszsu/66892"]
    assert "Previous" not in r.text and "Next" not in r.text


def test_isw_note_links_pasted_from_word_and_cut_short_over_several_addresses():
    # ISW's older pages as pasted from the drafts: a note's "[3]" links back to the draft on the author's
    # SharePoint ("…docx#_ednref3": no source), a link holds several addresses and its label cuts the last one
    # short ("…; https://www.k...", with no-break spaces), a host is defanged across a link's end ("<a>https://www.rbc
    # dot</a> ru/…"). Before: the draft's address was note 3's first source, "https://www.k" one of note 4's.
    draft = "https://understandingwar-my.sharepoint.com/personal/x/Documents/Russian%20Operations%20Assessments.docx"
    r = one(f"""<html><head><title>Russian Offensive Campaign Assessment, April 6</title></head><body>
<h1>Russian Offensive Campaign Assessment, April 6</h1>
<p>Russian forces shelled Kozyatyn.[3] Mobilisation continued in Moscow.[4]</p>
<p><a href="{draft}#_ednref3">[3]</a> <a href="https://hromadske">https://hromadske</a> dot ua/posts/obstril-kozyatina.</p>
<p>[4] <a href="https://twitter.com/CITeam_ru/status/16165;&nbsp;https://www.kommersant&nbsp;dot">https://twitter.com/CITeam_ru/status/16165;&nbsp;https://www.k...</a> ru/doc/5774925; <a href="https://www.rbc dot">https://www.rbc dot</a> ru/politics/63ca67</p>
</body></html>""")
    assert [m for _, m in sentences(r)] == [["3"], ["4"]]
    assert r.notes["3"].urls == ["https://hromadske dot ua/posts/obstril-kozyatina"]
    assert r.notes["4"].urls == ["https://twitter.com/CITeam_ru/status/16165", "https://www.kommersant dot ru/doc/5774925",
                                 "https://www.rbc dot ru/politics/63ca67"]
    assert "sharepoint" not in r.text


@pytest.mark.parametrize("posted, byline, printed, want", [
    # the post's date over a byline with "By", its time on a line of its own (August 7, 2022): no date before
    ("Aug 7, 2022 - Press ISW", "By Kateryna Stepanenko, Katherine Lawlor, Karolina Hird, George Barros, and Frederick W. Kagan",
     "August 7, 8:00 pm ET", ("2022-08-07", ["Kateryna Stepanenko", "Katherine Lawlor", "Karolina Hird", "George Barros",
                                             "Frederick W. Kagan"])),
    # posted the day after the report: the report's own day (August 11, 2022: dated the 12th before)
    ("Aug 12, 2022 - Press ISW", "Kateryna Stepanenko, Layne Philipson, and George Barros", "August 11, 9:00 pm ET",
     ("2022-08-11", ["Kateryna Stepanenko", "Layne Philipson", "George Barros"])),
    # one or two names without "By" over the report's time of day (March 27, May 13, 2022: no authors before)
    ("Mar 27, 2022 - Press ISW", "Mason Clark", "March 27, 4:30 pm ET", ("2022-03-27", ["Mason Clark"])),
    ("May 13, 2022 - Press ISW", "Kateryna Stepanenko and Frederick W. Kagan", "May 13, 7:00 pm ET",
     ("2022-05-13", ["Kateryna Stepanenko", "Frederick W. Kagan"])),
])
def test_isw_drupal_header_lines_of_every_shape(posted, byline, printed, want):
    r = one(f"""<html><head><title>Russian Offensive Campaign Assessment | ISW</title></head><body>
<h1>Russian Offensive Campaign Assessment</h1><div class="field-item"><p>{posted}</p>
<p><strong>{byline}</strong></p><p><strong>{printed}</strong></p>
<p>Russian forces continued ground attacks near Bakhmut on the day.[1]</p>
<p>[1] <a href="https://t.me/a/1">https://t.me/a/1</a></p></div></body></html>""")
    assert (r.date, r.authors) == want
    assert byline.removeprefix("By ") not in r.text[:r.body_end]


def test_a_blogs_name_over_its_date_is_no_author():
    r = one("""<html><head><title>Open Verilog flow</title></head><body><h1>Open Verilog flow</h1>
<p>Silicon Exposed</p><p>May 8, 2016</p><p>I have written a couple of posts in the past few months.</p></body></html>""")
    assert r.authors == [] and r.date == "2016-05-08"


def test_a_list_numbered_from_a_superscript_digit_reads():
    # "²".isdigit() is true and int("²") fails: an <ol start="²"> stopped the page with a ValueError
    r = one("""<html><head><title>Steps</title></head><body><h1>Steps</h1><p>The ministry set out its plan.</p>
<ol start="²"><li>Move the battalion to the border.</li><li>Hold the exercise in March.</li></ol></body></html>""")
    assert "Move the battalion to the border." in r.text

def test_a_teasers_byline_is_not_the_pages_author_and_a_byline_over_its_reading_time_is():
    # Brookings' articles: the byline (no "By", no author class) over the date and "16 min read"; a teaser of
    # another piece inside the article has class "byline": its author was the page's ("Arun Sundararajan")
    long = "Biometrics saw a boom after 9/11 as government money poured into identity recognition systems. " * 3
    r = one(f"""<html><head><title>11 Body Parts Researchers Will Use to Track You</title></head><body><article>
<h1>11 Body Parts Researchers Will Use to Track You</h1><h5><a href="">Noah Shachtman</a> and <a href="">Robert
Beckhusen</a></h5><p>January 25, 2013</p><p>16 min read</p><p>{long}</p>
<div class="article-insert"><span class="article-title">Workforce capacity development</span>
<span class="meta"><p class="byline">Arun Sundararajan</p><p class="date">April 2, 2025</p></span></div>
<p>{long}</p></article></body></html>""")
    assert (r.authors, r.date) == (["Noah Shachtman", "Robert Beckhusen"], "2013-01-25")
    assert "min read" not in r.text


def test_a_posts_previous_and_next_links_are_no_text():
    r = one("""<html><head><title>Plugin review</title></head><body><article>
<h1>Plugin review</h1><p>The plugin adds a field to every form.</p>
<div class="loop-nav"><div class="prev">Previous Post: <a href="https://example.org/a" rel="prev">Google Launches reCAPTCHA</a></div>
<div class="next">Next Post: <a href="https://example.org/b" rel="next">WeFoster Launches Hosting</a></div></div>
<div class="prev-next-links"><a href="https://example.org/a" rel="prev">&larr; Previous story</a>
<a href="https://example.org/b" rel="next">Next story &rarr;</a></div>
<p>Read <a href="https://example.org/c" rel="nofollow">the changelog</a> for more.</p></article></body></html>""")
    body = r.text[:r.body_end]
    assert "The plugin adds a field to every form." in body and "the changelog" in body
    assert "Previous" not in body and "Next" not in body and "Launches" not in body

MEDIAWIKI = """<!DOCTYPE html><html lang="en"><head><title>Red fox - Wikipedia</title></head><body>
<h1 id="firstHeading" class="firstHeading mw-first-heading">Red fox</h1>
<div id="mw-content-text"><div class="mw-parser-output">
<p>The red fox is the largest of the true foxes.<sup id="cite_ref-msw3_1-0" class="reference"><a
href="#cite_note-msw3-1"><span class="cite-bracket">&#91;</span>1<span class="cite-bracket">&#93;</span></a></sup>
It lives across the Northern Hemisphere.<sup id="cite_ref-2" class="reference"><a href="#cite_note-2"><span
class="cite-bracket">&#91;</span>2<span class="cite-bracket">&#93;</span></a></sup> It eats rodents.<sup
id="cite_ref-msw3_1-1" class="reference"><a href="#cite_note-msw3-1"><span class="cite-bracket">&#91;</span>1<span
class="cite-bracket">&#93;</span></a></sup><sup id="cite_ref-lit_3-0" class="reference"><a href="#cite_note-lit-3">[a]</a></sup></p>
<h2 id="References">References</h2>
<div class="reflist"><div class="mw-references-wrap"><ol class="references">
<li id="cite_note-msw3-1"><span class="mw-cite-backlink">^ <a href="#cite_ref-msw3_1-0"><sup><i><b>a</b></i></sup></a>
<a href="#cite_ref-msw3_1-1"><sup><i><b>b</b></i></sup></a></span> <span class="reference-text">Wozencraft, W. C.
(2005). <i>Mammal Species of the World</i>.</span></li>
<li id="cite_note-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-2">^</a></b></span> <span
class="reference-text"><style>.mw-parser-output cite{font-style:inherit}</style>Hoffmann, M. (2016).
<a rel="nofollow" class="external text" href="https://www.iucnredlist.org/species/23062">Vulpes vulpes</a>.</span></li>
<li id="cite_note-lit-3"><span class="mw-cite-backlink"><b><a href="#cite_ref-lit_3-0">^</a></b></span>
<span class="reference-text">A lettered note.</span></li>
</ol></div></div></div></div>
<div role="navigation" class="navbox">Carnivora: Felidae · Canidae</div></body></html>"""


def test_mediawiki_cite_notes_and_their_lettered_back_links():
    r = one(MEDIAWIKI)
    assert r.title == "Red fox"
    assert notes(r) == {
        "1": ("resolved", "Wozencraft, W. C. (2005). Mammal Species of the World."),
        "2": ("resolved", "Hoffmann, M. (2016). Vulpes vulpes."),
        "a": ("resolved", "A lettered note."),
    }
    assert r.notes["2"].urls == ["https://www.iucnredlist.org/species/23062"]
    assert sentences(r) == [("The red fox is the largest of the true foxes.", ["1"]),
                            ("It lives across the Northern Hemisphere.", ["2"]), ("It eats rodents.", ["1", "a"])]
    assert "Carnivora" not in r.text


ASIDE = """<html><head><title>Notes in asides</title></head><body><article>
<p>Claim one is made here.<a href="#n1" id="r1">*</a> Claim two is made here.<a href="#n2" id="r2">†</a>
Claim three has a note the page lost.<a href="#n3" id="r3"><sup>3</sup></a></p>
<aside id="n1"><a href="#r1">*</a> A starred note.</aside>
<aside id="n2"><a href="#r2">†</a> A dagger note.</aside>
</article></body></html>"""


def test_aside_notes_symbol_markers_and_a_lost_note():
    r = one(ASIDE)
    assert notes(r) == {"*": ("resolved", "A starred note."), "†": ("resolved", "A dagger note."),
                        "3": ("missing", "")}
    assert [m for _, m in sentences(r)] == [["*"], ["†"], ["3"]]


def test_a_range_of_linked_markers_leaves_no_comma_behind():
    html = ("<p>Both claims are here.<sup><a href='#f1'>1</a>,<a href='#f2'>2</a></sup> Next one.</p>"
            "<ol class='footnotes'><li id='f1'>One.</li><li id='f2'>Two.</li></ol>")
    r = one(html)
    assert sentences(r) == [("Both claims are here.", ["1", "2"]), ("Next one.", [])]


BARE = """<html><head><title>Hand-written</title></head><body>
<h2>Belarus &amp; Russia: drills &#8211; update</h2>
<p>Russian forces moved to the border near Brest on Monday.<sup>1</sup> The Kremlin denied it.<sup>[2]</sup>
Analysts expect more drills.&sup3;</p>
<ol><li><a href="https://one.example.org/a">https://one.example.org/a</a></li>
<li>A prose note about the columns seen near Brest on Monday.</li>
<li><a href="https://three.example.org/c">Source three</a></li></ol></body></html>"""


def test_without_links_sup_numbers_match_the_numbered_list_after_the_last_marker():
    r = one(BARE)
    assert [m for _, m in sentences(r)] == [["1"], ["2"], ["3"]]
    assert r.notes["1"].urls == ["https://one.example.org/a"]
    assert r.notes["2"].text == "A prose note about the columns seen near Brest on Monday."
    assert r.notes["3"].urls == ["https://three.example.org/c"]
    assert "Source three" not in r.text[:r.body_end]                  # the list left the body


def test_json_ld_metadata_and_several_articles_are_several_reports():
    html = """<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
    {"@type": "WebSite", "name": "Blog"}, {"@type": "NewsArticle", "headline": "Ignored for several articles",
    "datePublished": "2021-05-01T10:00:00Z", "author": [{"@type": "Person", "name": "Ann Lee"}],
    "publisher": {"@type": "Organization", "name": "Think Tank"}}]}</script></head><body>
    <article><h2>First Post</h2><p>Saturday, September 19, 2020</p><p>Alpha happened. Then beta happened.<a
    href="#a1" id="ra1">1</a></p><ol class="notes"><li id="a1">Alpha's source.</li></ol></article>
    <article><h2>Second Post</h2><p>Gamma happened. Then delta happened.<a href="#b1" id="rb1">1</a></p>
    <ol class="notes"><li id="b1">Gamma's source.</li></ol></article></body></html>"""
    first, second = reports_of(html)
    assert (first.title, first.date, second.title) == ("First Post", "2020-09-19", "Second Post")
    assert first.notes["1"].text == "Alpha's source." and second.notes["1"].text == "Gamma's source."
    single = one(html.replace("<article><h2>Second Post", "<div><h2>Second Post").replace(
        "</ol></article></body>", "</ol></div></body>").replace("<article>", "<div>").replace("</article>", "</div>"))
    assert (single.date, single.authors, single.publisher) == ("2021-05-01", ["Ann Lee"], "Think Tank")


def test_a_wikipedia_pages_json_ld_headline_is_its_description_not_its_title():
    # a Wikipedia page saved today carries JSON-LD whose "headline" is the article's short description
    html = """<html><head><title>List of films featuring time loops - Wikipedia</title>
    <script type="application/ld+json">{"@context":"https://schema.org","@type":"Article",
    "name":"List of films featuring time loops","headline":"Wikimedia list article"}</script></head><body>
    <h1>List of films featuring time loops</h1><p>Groundhog Day is the best known. Others followed it.</p></body></html>"""
    assert one(html).title == "List of films featuring time loops"


def test_a_page_saved_with_its_own_links_written_in_full_keeps_its_notes():
    # a tool that saves a page may write its links into the page with the page's full address; the markers
    # then pointed nowhere, and 78 of a Wikipedia list's 80 references were missing, their text quoted as the body's
    page = "https://en.wikipedia.org/wiki/Time_loop"
    refs = "".join(f'<li id="cite_note-{k}"><span class="mw-cite-backlink"><b><a href="{page}#cite_ref-{k}">^</a>'
                   f'</b></span> <span class="reference-text">Source number {k}, 2021.</span></li>' for k in (1, 2, 3))
    body = "".join(f'<p>Film {k} repeats one day.<sup id="cite_ref-{k}" class="reference"><a href="{page}#cite_note-{k}">'
                   f'[{k}]</a></sup> It ends well.</p>' for k in (1, 2, 3))
    html = f"""<html><head><title>Time loop - Wikipedia</title></head><body><h1>Time loop</h1>
    <div id="mw-content-text"><div class="mw-parser-output">{body}<h2>References</h2>
    <ol class="references">{refs}</ol></div></div>
    <p><a href="https://example.org/other#cite_note-1">another page's note</a></p></body></html>"""
    r = one(html)
    assert notes(r) == {str(k): ("resolved", f"Source number {k}, 2021.") for k in (1, 2, 3)}
    assert "Source number" not in r.text[:r.body_end]


def test_teasers_of_other_stories_and_readers_comments_are_not_reports():
    # a news page sets its story, the teasers of other stories and its readers' comments each in an <article>:
    # before, every one was a report of its own ("Africa", "THE FOOD CHAIN", a commenter's name as a title)
    story = " ".join(["The United States will lift most sanctions on Sudan, officials said on Friday."] * 12)
    html = f"""<html><head><title>United States to Lift Sudan Sanctions - The New York Times</title></head><body><nav>Home</nav>
    <article class="story theme-main"><h1>United States to Lift Sudan Sanctions</h1><p>{story}</p></article>
    <article class="story theme-summary"><h2>Africa</h2><p>Kenya holds a vote on Tuesday.</p></article>
    <article class="story theme-summary"><h2>THE FOOD CHAIN</h2><p>Farmers turn to drones.</p></article>
    <article class="js_reply reply"><p>jnovo22</p><p>Sanctions never work, as everyone knows.</p></article>
    <div id="comments"><article class="comment-body"><p>Rick</p><p>Good news for Khartoum at last.</p></article></div>
    </body></html>"""
    r = one(html)
    assert r.title == "United States to Lift Sudan Sanctions"
    assert all(w not in r.text for w in ("Kenya", "drones", "never work", "Khartoum"))


def test_passages_carry_sections_and_no_heading_is_quoted():
    r = one(PANDOC)
    body = [p for p in chunk_report(r) if p.kind == "body"]
    assert [(p.text, p.section) for p in body] == [("Minsk signed the roadmaps in 2021. Moscow welcomed it.",
                                                    "Integration")]


def test_html_files_are_read_through_the_document(tmp_path):
    page = tmp_path / "word.htm"
    page.write_text(WORD, encoding="utf-8")
    (r,), _ = parse_text(read_report_file(page), str(page))
    assert r.structured and r.notes["1"].status == "resolved"
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Only a title</title><script>var x = 'text';</script></head><body></body></html>")
    with pytest.raises(ReportReadError, match="no body text"):
        read_report_file(empty)


GOOGLE_DOCS = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Bridges - Final Draft</title></head>
<body class="c14">
    <p class="c9"><span class="c11">Bridges: The Labor Behind Our Infrastructure</span></p>
    <p class="c3"><span class="c1"><a class="c4" href="#h.gjdgxs">Preface</a></span></p>
    <p class="c3"><span class="c1"><a class="c4" href="#h.30j0zll">Introduction</a></span></p>
    <h1 class="c7" id="h.30j0zll"><span>Introduction</span></h1>
    <p class="c0">
      <span>Digital infrastructure needs regular upkeep and maintenance.</span>
      <sup>
        <a href="#ftnt1" id="ftnt_ref1">[1]</a>
      </sup>
      <span> But support for it is harder to come by.</span>
    </p>
    <hr class="c12"/>
    <div>
      <p class="c2">
        <a href="#ftnt_ref1" id="ftnt1">[1]</a>
        <span class="c5"> https://www.cbo.gov/publication/49910</span>
      </p>
    </div>
</body></html>"""


def test_google_docs_endnotes_contents_lines_and_the_printed_title():
    r = one(GOOGLE_DOCS)
    assert r.title == "Bridges: The Labor Behind Our Infrastructure"    # printed, not <title>'s "Final Draft"
    assert notes(r) == {"1": ("resolved", "https://www.cbo.gov/publication/49910")}
    assert sentences(r) == [("Digital infrastructure needs regular upkeep and maintenance.", ["1"]),
                            ("But support for it is harder to come by.", [])]
    assert "Preface" not in r.text                                     # a line that only links into the page


WIKI_NESTED = """<html><head><title>Island - Wikipedia</title>
<style>.mw-parser-output .cs1-hidden-error{display:none;font-size:100%}.closed .later{display:none}</style></head><body>
<h1>Island</h1><div class="mw-parser-output">
<p>The anthem is sung on state occasions.<sup id="cite_ref-2" class="reference"><a href="#cite_note-2">[n 1]</a></sup>
The island has two official languages.<sup id="cite_ref-3" class="reference"><a href="#cite_note-3">[3]</a></sup></p>
<p class="later">This paragraph is shown: no ancestor of class closed.</p>
<ol class="references">
<li id="cite_note-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-2">^</a></b></span> <span class="reference-text">It is
used only on regal occasions.<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">[1]</a></sup></span></li>
<li id="cite_note-3"><span class="mw-cite-backlink"><b><a href="#cite_ref-3">^</a></b></span> <span class="reference-text">
"Languages Act". Retrieved 2019. <span class="cs1-visible-error error">Cite journal requires |journal= (help)</span><span
class="cs1-hidden-error error">Hidden error text</span></span></li>
<li id="cite_note-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-1">^</a></b></span> <span class="reference-text">A
source of the note about the anthem.</span></li>
</ol></div>
<div id="footer"><ul><li id="footer-info-lastmod"> This page was last edited on 26 September 2019, at 09:22</li></ul></div>
</body></html>"""


def test_a_marker_inside_a_note_backs_the_note_not_the_sentence_that_cites_the_note():
    r = one(WIKI_NESTED)
    assert sentences(r)[0] == ("The anthem is sung on state occasions.", ["n1"])   # [1] is printed in note n 1
    assert notes(r)["n1"] == ("resolved", "It is used only on regal occasions.")   # its marker out of the text
    assert notes(r)["1"] == ("resolved", "A source of the note about the anthem.")  # a note of the report
    assert notes(r)["3"][1] == '"Languages Act". Retrieved 2019. Cite journal requires |journal= (help)'
    assert "This paragraph is shown" in r.text and r.date == "2019-09-26" and r.unplaced_notes == []


# MediaWiki's two reference groups ({{efn}} notes "[n 2]" under Footnotes, <ref> citations under
# Citations): a census sentence cites a citation and an explanatory note, and the note cites
# its own source (a <ref> inside the {{efn}}), which the article also cites elsewhere once.
WIKI_GROUPS = """<html><head><title>Atoll - Wikipedia</title></head><body>
<h1 id="firstHeading">Atoll</h1><div id="mw-content-text"><div class="mw-parser-output">
<h2><span class="mw-headline" id="People">People</span></h2>
<p>The 2018 census counted 1,501 residents.<sup id="cite_ref-census_4-0" class="reference"><a
href="#cite_note-census-4">&#91;4&#93;</a></sup><sup id="cite_ref-growth_5-0" class="reference"><a
href="#cite_note-growth-5">&#91;n 2&#93;</a></sup> Most live on the main islet.</p>
<p>Fishing employs a third of them.<sup id="cite_ref-fao_6-1" class="reference"><a href="#cite_note-fao-6">&#91;6&#93;</a></sup></p>
<h2><span class="mw-headline" id="Footnotes">Footnotes</span></h2>
<div class="reflist"><ol class="references" style="list-style-type: lower-alpha;">
<li id="cite_note-growth-5"><span class="mw-cite-backlink"><b><a href="#cite_ref-growth_5-0">^</a></b></span>
<span class="reference-text">The count grew by 2% a year since 2008.<sup id="cite_ref-fao_6-0" class="reference"><a
href="#cite_note-fao-6">&#91;6&#93;</a></sup></span></li></ol></div>
<h2><span class="mw-headline" id="Citations">Citations</span></h2>
<div class="reflist"><ol class="references">
<li id="cite_note-census-4"><span class="mw-cite-backlink"><b><a href="#cite_ref-census_4-0">^</a></b></span>
<span class="reference-text"><cite class="citation web"><a rel="nofollow" class="external text"
href="https://stats.example.org/census-2018">"Census 2018"</a>. Statistics Office.</cite></span></li>
<li id="cite_note-fao-6"><span class="mw-cite-backlink">^ <a href="#cite_ref-fao_6-0"><sup><i><b>a</b></i></sup></a>
<a href="#cite_ref-fao_6-1"><sup><i><b>b</b></i></sup></a></span> <span class="reference-text"><cite class="citation
report"><a rel="nofollow" class="external text" href="https://fao.example.org/atoll-fisheries.pdf">"Atoll
fisheries"</a> (PDF). FAO. 2017.</cite></span></li></ol></div>
</div></div></body></html>"""


def test_mediawiki_reference_inside_a_note_is_a_source_of_the_note():
    r = one(WIKI_GROUPS)
    census = next(s for s in r.sentences if "census" in r.text[s.start:s.end])
    assert census.markers == ["4", "n2"]                     # as printed: not [6], which is in note n 2
    fishing = next(s for s in r.sentences if "Fishing" in r.text[s.start:s.end])
    assert fishing.markers == ["6"]                          # [6] cited again from the body: its own sentence
    assert r.notes["n2"].text == "The count grew by 2% a year since 2008."
    assert r.notes["n2"].urls == ["https://fao.example.org/atoll-fisheries.pdf"]     # its source, through [6]
    assert r.notes["6"].text == '"Atoll fisheries" (PDF). FAO. 2017.'
    assert r.notes["6"].urls == ["https://fao.example.org/atoll-fisheries.pdf"]
    assert r.notes["4"].urls == ["https://stats.example.org/census-2018"]
    assert r.unplaced_notes == [] and all(n.status == "resolved" for n in r.notes.values())


def test_a_reference_cited_only_inside_a_note_is_a_note_of_the_report_without_a_sentence():
    page = WIKI_GROUPS.replace('<p>Fishing employs a third of them.<sup id="cite_ref-fao_6-1" class="reference"><a '
                               'href="#cite_note-fao-6">&#91;6&#93;</a></sup></p>', "")
    r = one(page)
    assert [m for s in r.sentences for m in s.markers] == ["4", "n2"]
    assert notes(r)["6"] == ("resolved", '"Atoll fisheries" (PDF). FAO. 2017.')   # kept, not unplaced
    assert r.footnote_counts() == {"markers": 2, "resolved": 2, "missing": 0, "unplaced": 0, "redacted": 0}


JEKYLL = """<html><head><title>Source Code Policy | Introduction</title></head><body>
<div class="usa-grid"><h2>M-16-21 MEMORANDUM FOR THE HEADS OF DEPARTMENTS AND AGENCIES</h2>
<h3>SUBJECT: Source Code Policy: Achieving Efficiency through Reusable Software</h3>
<p>Each year, the Government spends more than $6 billion on software.<sup id="fnr1"><a href="#fn1">1</a></sup></p>
<h3>Footnotes</h3>
<ul style="list-style-type:none">
<li id="fn1"><sup>1</sup> 18 U.S.C. 1001, cited in full. <a href="#fnr1">&#8617;</a></li>
</ul></div></body></html>"""


def test_a_note_without_its_printed_number_and_a_labelled_subject_as_title():
    r = one(JEKYLL)
    assert notes(r) == {"1": ("resolved", "18 U.S.C. 1001, cited in full.")}   # "18" stays: it is text
    assert r.title == "Source Code Policy: Achieving Efficiency through Reusable Software"


FORM = """<html><head><meta name="author" content="Saver, Anne (Team)"><title>ukia_20240096_en</title></head><body>
<table><tr><td><p>Title: The Registrar Regulations 2024</p><p>IA No: DBT-009</p></td>
<td><p>Impact Assessment (IA)</p><p>Date: 28/02/2024</p></td></tr></table>
<p>The regulations introduce identity checks for all directors.<a class="sdfootnoteanc" name="sdfootnote1anc"
href="#sdfootnote1sym"><sup>1</sup></a> Companies House will run them.</p>
<div id="sdfootnote1"><p class="sdfootnote-western"><a class="sdfootnotesym-western" name="sdfootnote1sym"
href="#sdfootnote1anc">1</a>All outputs feed into both outcomes.</p>
<p class="sdfootnote-western"><br/></p></div>
<div title="footer"><p align="center"><sdfield type=PAGE subtype=RANDOM format=PAGE>5</sdfield></p></div>
</body></html>"""


def test_libreoffice_notes_by_name_a_forms_labelled_fields_and_an_author_the_page_does_not_print():
    r = one(FORM)
    assert (r.title, r.date, r.authors) == ("The Registrar Regulations 2024", "2024-02-28", [])
    assert notes(r) == {"1": ("resolved", "All outputs feed into both outcomes.")}     # no page number "5"
    assert all(r.text[s.start:s.end] != "5" for s in r.sentences)


def test_a_link_to_a_figure_is_no_marker():
    html = ("<p>The map shows the border, see Figure <a href='#fig1'>1</a> for the units.</p>"
            "<figure id='fig1'><figcaption>Units near Brest.</figcaption></figure>")
    r = one(html)
    assert r.notes == {} and "see Figure 1 for the units." in r.text


def test_endnotes_in_one_paragraph_and_under_a_heading_of_their_own():
    blog = """<div class="post-body"><p>Russia moved troops to Brest.<a href="#_edn1" name="_ednref1">[1]</a>
    Belarus agreed to it.<a href="#_edn2" name="_ednref2">[2]</a></p>
    <p><a href="#_ednref1" name="_edn1">[1]</a> https://www.mil.by/ru/news/1/<br>
    <a href="#_ednref2" name="_edn2">[2]</a> DNGTS: https://ria(.)ru/2020/x.html<br></p></div>"""
    r = one(blog)
    assert notes(r) == {"1": ("resolved", "https://www.mil.by/ru/news/1/"),
                        "2": ("resolved", "DNGTS: https://ria(.)ru/2020/x.html")}
    assert "mil.by" not in r.text[:r.body_end]
    word = """<p class=MsoNormal>Corrosion was measured.<a href="#_edn1" name="_ednref1" title="">[1]</a></p>
    <div><div id=edn1><h3>References</h3><p><a href="#_ednref1" name="_edn1" title="">[1]</a>. Pope, R.,
    <i>Corrosion</i>, <b>7</b>, 212 (1951).</p></div></div>"""
    assert notes(one(word)) == {"1": ("resolved", "Pope, R., Corrosion, 7, 212 (1951).")}


# Headings typed as bold lines: tex4ht names spans after the TeX font (cmbx = Computer Modern
# bold, the style sheet is a separate main.css), Google Docs sets bold by a class in its <style>,
# a hand-made page uses <b>. A short bold line is a heading: the section of what follows, never
# an answer sentence; a bold lead-in that is a sentence, a bold table cell, a bold word in a
# paragraph stay text.
BOLD_HEADS = """<html><head><title>Drills</title><meta name="generator" content="TeX4ht (http://www.tug.org/tex4ht/)" />
<style type="text/css">.c7{font-weight:700;color:#000000}.c2{font-weight:400}</style></head><body>
<h3 class="sectionHead"><span class="titlemark">I.   </span> <a id="x1-20001"></a>The Drills</h3>
<!--l. 253--><p class="noindent" ><span
class="cmbx-12">Overview</span></p>
<!--l. 256--><p class="noindent" >Russian units arrived in Brest on Monday, officials said.</p>
<p class="c2"><span class="c7">Evidence</span></p>
<p>The ministry <b>denied</b> it on Tuesday in a short statement.</p>
<p><strong>The ministry later confirmed the arrival of two battalions.</strong></p>
<table><tr><td><b>Total units</b></td><td>12</td></tr></table>
<p><b>Analysis</b></p>
<p>The drills were larger than announced, by every count available.</p>
</body></html>"""


def test_a_short_bold_line_is_a_heading_not_an_answer_sentence():
    r = one(BOLD_HEADS)
    quoted = [t for t, _ in sentences(r)]
    assert not {"Overview", "Evidence", "Analysis"} & set(quoted)
    sections = {t: s.section for (t, _), s in zip(sentences(r), r.sentences)}
    assert sections["Russian units arrived in Brest on Monday, officials said."] == "I. The Drills > Overview"
    assert sections["The ministry denied it on Tuesday in a short statement."] == "I. The Drills > Evidence"
    assert sections["The drills were larger than announced, by every count available."] == "I. The Drills > Analysis"
    assert "The ministry later confirmed the arrival of two battalions." in quoted     # a bold sentence is text
    assert any("Total units" in t for t in quoted)                                      # a table cell is text


# Subheadings typed as italic lines, under a bold one (a Google Docs export: the italic is a class
# of its <style>; a hand-made page uses <i> or <em>). A short italic line is a heading under the
# bold one; an italic sentence, an italic word in a paragraph, an italic line set in after a colon
# (a quotation) stay text.
ITALIC_HEADS = """<html><head><style type="text/css">.c1{font-weight:700}.c6{font-style:italic}
.c9{margin-left:36pt}</style></head><body>
<p><span class="c1">How projects are supported</span></p>
<p><span class="c6">Within a company</span></p>
<p><span>Sometimes a project starts within a company and is released later.</span></p>
<p><span class="c6">Stack Overflow as a standardized place to get help with code</span></p>
<p><span>Answers there are written by volunteers, most of them <i>unpaid</i>.</span></p>
<p><em>Open source is cheaper to build.</em></p>
<p><span>One maintainer wrote:</span></p>
<p class="c9"><span class="c6">Nobody pays for this work</span></p>
<p><i>Crowdfunding</i></p>
<p><span>Campaigns raised small sums for a year of work.</span></p>
</body></html>"""


def test_a_short_italic_line_is_a_heading_under_the_bold_one():
    r = one(ITALIC_HEADS)
    quoted = [t for t, _ in sentences(r)]
    assert not {"Within a company", "Stack Overflow as a standardized place to get help with code",
                "Crowdfunding"} & set(quoted)
    sections = {t: s.section for (t, _), s in zip(sentences(r), r.sentences)}
    assert sections["Sometimes a project starts within a company and is released later."] == (
        "How projects are supported > Within a company")
    assert sections["Answers there are written by volunteers, most of them unpaid."] == (
        "How projects are supported > Stack Overflow as a standardized place to get help with code")
    assert sections["Campaigns raised small sums for a year of work."] == "How projects are supported > Crowdfunding"
    assert "Open source is cheaper to build." in quoted                       # an italic sentence is text
    assert any("Nobody pays for this work" in t for t in quoted)             # a quotation set in is text


# A Google Docs export's table of contents typed by hand: a bold "Table of Contents", bold part
# titles and list items, no links into the page. Its lines are contents, never answers; the
# first part's own bold title, right before its first paragraph, heads that part.
GDOCS_TOC = """<html><head><style type="text/css">.c4{font-weight:700}.c1{font-size:11pt}</style></head><body>
<p class="c1"><span class="c4">Table of Contents</span></p>
<p class="c1"><span class="c4">Preface</span></p>
<ul><li class="c1"><span>Foreword</span></li><li class="c1"><span>Why do maintainers quit?</span></li></ul>
<p class="c1"><span class="c4">Foreword</span></p>
<p class="c1"><span>I stumbled upon the problem described in this report on a hunch, years ago.</span></p>
<p class="c1"><span class="c4">Why do maintainers quit?</span></p>
<p class="c1"><span>Most maintainers quit because nobody pays for the upkeep of the code.</span></p>
</body></html>"""


def test_a_table_of_contents_typed_as_bold_lines_and_a_list_is_contents():
    r = one(GDOCS_TOC)
    assert sentences(r) == [("I stumbled upon the problem described in this report on a hunch, years ago.", []),
                            ("Most maintainers quit because nobody pays for the upkeep of the code.", [])]
    assert [s.section for s in r.sentences] == ["Foreword", "Why do maintainers quit?"]


# A federal memorandum as a web page (kramdown/Jekyll): the FROM field names the senders, each
# above their office, on lines split by <br>.
MEMO = """<html><head><title>Data Policy | Introduction</title></head><body>
<div class="usa-grid"><h2>M-99-01 MEMORANDUM FOR THE HEADS OF DEPARTMENTS AND AGENCIES</h2>
<h3> FROM: <br />Jane Q. Roe<br />United States Chief Data Officer<br /><br />John Doe<br />Director, Office of
Management and Budget</h3>
<h3>SUBJECT: Open Data by Default</h3>
<p>Each agency shall publish its data in open formats within a year.<sup id="fnr1"><a href="#fn1">1</a></sup></p>
<ul><li id="fn1"><sup>1</sup> 44 U.S.C. 3506, as amended. <a href="#fnr1">&#8617;</a></li></ul></div></body></html>"""


def test_a_memos_from_field_names_its_senders_not_their_offices():
    r = one(MEMO)
    assert r.authors == ["Jane Q. Roe", "John Doe"]
    assert r.title == "Open Data by Default"
    assert notes(r) == {"1": ("resolved", "44 U.S.C. 3506, as amended.")}


# A saved MediaWiki page's furniture around the article: the tagline, a disambiguation
# hatnote, section edit links, a template's "v t e" links, the printed footer and the
# category links (hidden categories too). None of it is the article; a data table styled as
# a navigation box (the largest cities) is.
WIKI_FURNITURE = """<html><head><title>Atoll - Wikipedia</title></head><body>
<a class="mw-jump-link" href="#mw-head">Jump to navigation</a>
<h1 id="firstHeading">Atoll</h1><div id="bodyContent"><div id="siteSub" class="noprint">From Wikipedia, the free encyclopedia</div>
<div id="mw-content-text"><div class="mw-parser-output">
<div role="note" class="hatnote navigation-not-searchable">For other uses, see Atoll (disambiguation).</div>
<p>The atoll has a lagoon of forty square kilometres.<sup id="cite_ref-a_1-0" class="reference"><a href="#cite_note-a-1">[1]</a></sup></p>
<h2><span class="mw-headline" id="Towns">Towns</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a
href="/w/index.php?title=Atoll&amp;action=edit&amp;section=1">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<table class="navbox"><tr><th><div class="plainlinks hlist navbar mini"><ul><li class="nv-view"><a href="/wiki/T"><abbr>v</abbr></a></li>
<li class="nv-talk"><a href="/wiki/TT"><abbr>t</abbr></a></li></ul></div>Largest towns, 2018 estimate<sup id="cite_ref-b_2-0"
class="reference"><a href="#cite_note-b-2">[2]</a></sup></th></tr><tr><td>Eastport 1,200</td></tr></table>
<ol class="references">
<li id="cite_note-a-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-a_1-0">^</a></b></span> <span class="reference-text">Survey, 2017.</span></li>
<li id="cite_note-b-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-b_2-0">^</a></b></span> <span class="reference-text">Census office, 2018.</span></li>
</ol></div>
<div class="printfooter">Retrieved from "https://en.wikipedia.org/w/index.php?title=Atoll&amp;oldid=1"</div>
<div id="catlinks" class="catlinks"><div id="mw-normal-catlinks" class="mw-normal-catlinks"><a href="/wiki/Help:Category">Categories</a>:
<ul><li><a href="/wiki/Category:Atolls">Atolls</a></li></ul></div><div id="mw-hidden-catlinks" class="mw-hidden-catlinks mw-hidden-cats-hidden">Hidden
categories: <ul><li><a href="/wiki/Category:Articles_with_VIAF_identifiers">Wikipedia articles with VIAF identifiers</a></li></ul></div></div>
</div></div></body></html>"""


def test_a_wiki_pages_furniture_is_not_the_article():
    r = one(WIKI_FURNITURE)
    text = r.text[:r.body_end]
    for furniture in ("Jump to", "From Wikipedia", "For other uses", "edit", "Retrieved from", "Categories",
                      "VIAF", "v t"):
        assert furniture not in text, furniture
    assert "Eastport 1,200" in text and "Largest towns, 2018 estimate" in text
    assert notes(r) == {"1": ("resolved", "Survey, 2017."), "2": ("resolved", "Census office, 2018.")}
    assert r.title == "Atoll"


QUOTATIONS = """<html><head><title>Bridges</title>
<style>.c3{margin-left:36pt;orphans:2}.c4{orphans:2}</style></head><body>
<p class="c4">Maintainers are rarely paid for the work.</p>
<p class="c4">One maintainer described the reports he receives:</p>
<p class="c3">Many of them are a waste of time. I view them with dread.<sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p>
<p class="c3">[...]</p>
<p class="c3">The returns are low.</p>
<p class="c4">The report's own sentence follows the quotation. Of the retreat, a grantee wrote,</p>
<p class="c3">Which is fine, it is how open source has always worked.</p>
<h2>Glossary</h2>
<p class="c3">Source code: the code of a project, as this report uses the term.</p>
<p class="c3">Fork: a copy of a project that goes its own way.</p>
<blockquote><p>The foundation pledges to support the manifesto.</p></blockquote>
<div class="quote"><p class="noindent">“Already in its marks,” the speaker wrote.</p></div>
<div><p><a href="#ftnt_ref1" id="ftnt1">[1]</a> A blog post, 2015.</p></div>
</body></html>"""


def test_a_block_quotation_is_in_quotation_marks_and_keeps_its_markers():
    # a Google Docs export sets a quotation apart by indenting it (a class of the page's styles) after a paragraph
    # that introduces it with a colon; its glossary is indented too, after a heading, and stays the report's own
    # words; <blockquote> and tex4ht's `quote` environment are quotations as such. Shown or checked, a sentence of
    # a quotation without its marks reads as the report's own claim (the twelfth hand count: k510, k511, k522, k524)
    r = one(QUOTATIONS)
    text = r.text[:r.body_end]
    assert "“Many of them are a waste of time. I view them with dread.”" in text
    assert "“[...]”" in text and "“The returns are low.”" in text
    assert "\nThe report's own sentence follows the quotation." in "\n" + text.replace("\n\n", "\n")
    assert "“Which is fine, it is how open source has always worked.”" in text      # introduced with a comma
    assert "“Maintainers" not in text and "“One maintainer" not in text
    assert "Source code: the code of a project" in text and "“Source code" not in text and "“Fork" not in text
    assert "“The foundation pledges to support the manifesto.”" in text
    assert "““Already" not in text and "“Already in its marks,” the speaker wrote." in text
    # the marker stays on the sentence it closed, after the closing mark
    assert ("I view them with dread.”", ["1"]) in sentences(r)
    assert notes(r) == {"1": ("resolved", "A blog post, 2015.")}


def test_the_real_google_docs_reports_quotations_and_glossary():
    from tests.conftest import ROOT

    r, = parse_text(read_report_file(ROOT / "data" / "realworld" / "google-docs-roads-and-bridges" /
                                     "roads-and-bridges.html"), "roads-and-bridges.html")[0]
    # Jeff Atwood's words on choosing Ruby, introduced "… in 2013:", and the report's own glossary
    assert "“Getting up and running with a Microsoft stack is just plain too hard" in r.text
    assert "help us change the world.”" in r.text
    assert "Source code: For the purposes of this report" in r.text and "“Source code: For" not in r.text


def test_a_tooltip_a_marker_names_by_aria_describedby_is_its_note():
    # Brookings' article bodies link a citation to its note only by `aria-describedby` (a script shows the note on
    # hover): before, all 51 notes of a page read as missing and their texts as the body's last paragraphs
    def cite(k):
        return (f'<a aria-describedby="citation-tooltip-{k}" aria-haspopup="true" class="citation" '
                f'id="citation-{k}" tabindex="0"><sup>{k}</sup></a>')

    def tip(k, text):
        return (f'<div class="tooltip theme-black uk-drop" id="citation-tooltip-{k}" role="tooltip" '
                f'uk-drop="toggle: #citation-{k}; pos: top-center">\n {text}\n </div>')

    html = f"""<div class="byo-blocks article-content"><div class="byo-block wysiwyg">
    <p>Regulation has grown for decades.{cite(1)} Rescinding it will be slow.{cite(2)}</p>
    <p>Agencies must give reasons. <a aria-describedby="share-hint" href="/share">Share</a></p></div>
    <div id="share-hint" role="tooltip">Copy the link</div>
    {tip(1, "Regulatory Studies, “Total Pages,” 2022, "
            '<a href="https://rs.example.edu/pages.pdf">https://rs.example.edu/pages.pdf</a>.')}
    {tip(2, "West Virginia v. EPA, 597 U.S. 697 (2022).")}
    </div>"""
    r = one(html)
    assert notes(r) == {"1": ("resolved", "Regulatory Studies, “Total Pages,” 2022, https://rs.example.edu/pages.pdf."),
                        "2": ("resolved", "West Virginia v. EPA, 597 U.S. 697 (2022).")}
    assert sentences(r)[:2] == [("Regulation has grown for decades.", ["1"]), ("Rescinding it will be slow.", ["2"])]
    body = r.text[:r.body_end]
    assert "Regulatory Studies" not in body and "West Virginia" not in body
    assert "Copy the link" not in body                   # a hint no marker names: drawn on hover, not printed


def test_teasers_inside_the_pages_article_are_not_reports():
    # CRFB's Drupal page sets its "What's Next" teasers inside the paper's own <article>: before, each teaser
    # was a report of its own, as none of them held most of the teasers' text
    story = " ".join(["The national debt is on course to reach a record share of the economy."] * 10)
    site = "Committee for a Responsible Federal Budget"

    def teaser(title, day):
        return (f'<li><article class="node featured"><div class="dateline"><time>{day}</time></div>'
                f'<h3><a href="/p/{day}">{title}</a></h3><a class="read-more" href="/p/{day}">Read more</a></article></li>')

    html = f"""<html><head><title>Trump and Biden: The National Debt | {site}</title>
    <meta property="og:site_name" content="{site}" />
    <meta property="og:title" content="Trump and Biden: The National Debt | {site}" />
    <script type="application/ld+json">{{"@graph": [{{"@type": "NewsArticle",
    "datePublished": "2024-06-24T00:00:00-0400", "author": {{"@type": "Organization", "name": "{site}"}},
    "publisher": {{"@type": "Organization", "name": "{site}"}}}}]}}</script>
    </head><body><section id="main_content"><article class="node node--type--paper full">
    <h1>Trump and Biden: The National Debt</h1><div class="dateline"><time>Jun 24, 2024</time></div>
    <p>{story}<a href="#_edn1" name="_ednref1"><sup>1</sup></a></p>
    <p><a href="#_ednref1" name="_edn1">1</a> Our estimates compare ten-year estimates.</p>
    <h2>What's Next</h2><ul>{teaser("CBO Estimates $696 Billion Deficit", "Feb 9, 2026")}
    {teaser("Marc Goldwein Discusses Fiscal Crises", "Feb 3, 2026")}</ul>
    </article></section></body></html>"""
    r = one(html)
    assert (r.title, r.date, r.authors) == ("Trump and Biden: The National Debt", "2024-06-24", [])
    assert notes(r) == {"1": ("resolved", "Our estimates compare ten-year estimates.")}
    assert "CBO Estimates" not in r.text and "Goldwein" not in r.text


def test_word_endnotes_in_roman_numerals_and_a_scripts_tooltip_in_the_marker():
    # Heritage's pages carry Word's endnotes numbered i, ii, iii; a script puts a tooltip into (or, where the
    # marker ends a paragraph, after) each marker, holding "undefined" where it found no note: before, note i
    # was missing (its marker read "iundefinedundefined") and "undefinedundefined" stood in the body
    def bubble(k):
        return (f'<div class="tooltip__bubble" style="top: -74px;"><a href="#DOE_edn{k}" id="DOE_ednref{k}"></a>'
                f'<div class="tooltip__paragraph"><a href="#DOE_edn{k}" id="DOE_ednref{k}">undefined</a>'
                f'<a class="tooltip__jump-link" href="undefined">undefined</a></div>'
                f'<i aria-hidden="true" class="tooltip__arrow"></i></div>')

    def mark(k, n, inner=""):
        return f'<a href="#DOE_edn{k}" id="DOE_ednref{k}"><span class="annotation__highlight">{n}{inner}</span></a>'

    def note(k, n, text):
        return (f'<div id="edn{k}"><p><a href="#DOE_ednref{k}" id="DOE_edn{k}"><span>[{n}]</span></a>'
                f'<span style="color:red"> {text}</span></p></div>')

    html = f"""<article class="node article-generic"><div class="article-generic__body">
    <ol><li>The Department of Education is abolished.{mark(1, "i", bubble(1))}</li></ol>
    <p>Its functions are transferred to other agencies.{mark(2, "ii")}</p>{bubble(2)}
    <p>Orders stay in effect.{mark(3, "iii")}</p>{bubble(3)}
    <div class="Endnotes">{note(1, "i", "See sec. 101 of Public Law 104–88.")}
    {note(2, "ii", "Based on Chapter 48 of Title 20.")}
    {note(3, "iii", "Based on sec. 204 of Public Law 104–88.")}</div>
    </div></article>"""
    r = one(html)
    assert notes(r) == {"i": ("resolved", "See sec. 101 of Public Law 104–88."),
                        "ii": ("resolved", "Based on Chapter 48 of Title 20."),
                        "iii": ("resolved", "Based on sec. 204 of Public Law 104–88.")}
    assert [m for _, ms in sentences(r) for m in ms] == ["i", "ii", "iii"]
    assert "undefined" not in r.text
