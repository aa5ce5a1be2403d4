"""slack_blocks is a pure function of the answer contract: hand-written answers in that shape."""

from __future__ import annotations

import json

import pytest

from bot.slack.blocks import (
    ACTION_COPY,
    ACTION_HELPFUL,
    ACTION_NOT_HELPFUL,
    ACTION_SHARE,
    answer_messages,
    copy_messages,
    digest_messages,
    error_message,
)
from tests.bot.slack.fake_slack import message_error

PASSAGE = (
    "Russia’s 234th Guards Airborne Assault Regiment – a subordinate unit of Russia’s 76th "
    "Guards Air Assault Division that fought and sustained losses in Donbas in August 2014 – "
    "has performed a series of exercises focusing on interoperability with Belarusian forces "
    "since September 17.[1]"
)
SENTENCE = (
    "Russia’s 234th Guards Airborne Assault Regiment has performed a series of exercises "
    "focusing on interoperability with Belarusian forces since September 17."
)
REPORT = {
    "id": "2020-09-19-belarus-exercises",
    "title": "Belarus Warning Update: Multiple Russian Military Exercises Occurring in the "
    "Western Military District, Belarus, and Moldova",
    "date": "2020-09-19",
    "authors": ["George Barros"],
    "sources": ["000_08cac09e5d9ef787.txt"],
}


def note(marker: str, status: str = "resolved", urls=(), dngts_urls=(), text: str = "") -> dict:
    return {"marker": marker, "status": status, "text": text, "urls": list(urls),
            "dngts": bool(dngts_urls), "dngts_urls": list(dngts_urls)}


def citation(n: int, text: str = PASSAGE, footnotes=(), report=REPORT) -> dict:
    return {"n": n, "passage_id": f"p{n}", "report": report, "text": text, "score": 0.8,
            "footnotes": list(footnotes)}


def answer(sentences=((SENTENCE, [1]),), citations=None, abstained=False, question="Who trained with Belarus?") -> dict:
    if citations is None:
        citations = [citation(1, footnotes=[note("1", urls=[
            "https://www.fontanka(.)ru/2014/08/26/030/",
            "https://informnapalm(.)org/47084-novaya-informaciya-ob-uchastii-234-go-desan/",
        ])])]
    return {"question": question, "abstained": abstained,
            "answer": [] if abstained else [{"text": t, "citations": c} for t, c in sentences],
            "citations": citations}


def all_text(messages) -> str:
    """Everything a reader sees in the blocks (section and context texts, buttons)."""
    out = []
    for m in messages:
        for b in m["blocks"]:
            if b["type"] == "section":
                out.append(b["text"]["text"])
            elif b["type"] == "context":
                out += [e["text"] for e in b["elements"]]
            elif b["type"] == "actions":
                out += [e["text"]["text"] for e in b["elements"]]
    return "\n".join(out)


def assert_slack_accepts(messages) -> None:
    for m in messages:
        assert message_error(m) is None, json.dumps(m)[:500]


def test_answer_shows_sentence_with_citation_number_title_date_and_quoted_passage():
    messages = answer_messages(answer())
    assert len(messages) == 1
    text = all_text(messages)
    assert f"{SENTENCE} [1]" in text
    assert "*[1]* *Belarus Warning Update: Multiple Russian" in text
    assert "19 Sep 2020" in text and "George Barros" in text
    assert "> Russia’s 234th Guards Airborne Assault Regiment" in text
    assert_slack_accepts(messages)


def test_a_report_without_a_title_is_named_by_its_file():
    untitled = {"id": "undated-1", "title": "", "date": "", "authors": [],
                "sources": ["/data/reports/004_aedf980035b4fcf6.txt"]}
    text = all_text(answer_messages(answer(citations=[citation(1, report=untitled)])))
    assert "Untitled report (004_aedf980035b4fcf6.txt)" in text and "/data/reports" not in text


def byline(cited: dict) -> str:
    """The line under a citation's title: date, pages, authors."""
    text = all_text(answer_messages(answer(citations=[cited])))
    return next(line for line in text.splitlines() if line.startswith("19 Sep 2020"))


@pytest.mark.parametrize("pages, shown", [([12], "p. 12"), ([13, 12], "pp. 12-13"), ([3, 4, 5, 9], "pp. 3-5, 9")])
def test_a_pdf_citation_shows_its_pages_next_to_the_title_and_date(pages, shown):
    assert byline(dict(citation(1), pages=pages)) == f"19 Sep 2020 · {shown} · By George Barros"


@pytest.mark.parametrize("pages", ["absent", []])
def test_a_text_report_citation_shows_no_pages(pages):
    cited = citation(1) if pages == "absent" else dict(citation(1), pages=pages)
    assert byline(cited) == "19 Sep 2020 · By George Barros"


def test_a_citation_shows_its_section_and_the_printed_page_numbers():
    cited = dict(citation(1), pages=[169, 170], page_labels=["157", "158"],
                 section="II. Factual Results > B. The Flynn Matter > 1. The Call")
    assert byline(cited) == "19 Sep 2020 · Section II.B.1, pp. 157-158 · By George Barros"


def test_a_redacted_note_says_so_and_shows_no_other_notes_text():
    a = answer(citations=[citation(1, footnotes=[note("891", status="redacted"), note("892", urls=["https://a.org/x"])])])
    text = all_text(answer_messages(a))
    assert "Note 891: note redacted in the report" in text and "a.org/x" in text.split("Note 892")[1]


def test_defanged_urls_stay_defanged_and_are_never_links():
    text = all_text(answer_messages(answer()))
    assert "`https://www.fontanka(.)ru/2014/08/26/030/`" in text
    assert "<https://www.fontanka" not in text
    assert "fontanka.ru" not in text


def test_a_host_defanged_with_spaced_words_is_shown_whole_and_never_a_link():
    # ISW's "https://www.president dot gov.ua/news/…": before session 21 the reader cut it to "https://www.president",
    # which Slack showed as a live link to another host
    url = "https://www.president dot gov.ua/news/vid-pochatku-105145"
    text = all_text(answer_messages(answer(citations=[citation(1, footnotes=[note("1", urls=[url], text=url)])])))
    assert f"`{url}`" in text
    assert "<https://www.president" not in text


def test_plain_urls_are_links_with_a_short_label():
    a = answer(citations=[citation(1, footnotes=[note("3", urls=["https://tass.ru/politika/9475065"])])])
    assert "<https://tass.ru/politika/9475065|tass.ru/politika/9475065>" in all_text(answer_messages(a))


def test_dngts_sources_carry_a_visible_warning_and_are_not_links():
    url = "https://www.alo.rs/vesti/politika/vojska-srbije/329519/vest"
    a = answer(citations=[citation(1, footnotes=[note("6", urls=[
        "https://twitter.com/franakviacorka/status/1294635081752031232", url], dngts_urls=[url])])])
    text = all_text(answer_messages(a))
    line = next(line for line in text.splitlines() if "alo.rs" in line)
    assert ":warning: *do not visit*" in line
    assert f"`{url}`" in line and f"<{url}" not in text
    assert "<https://twitter.com/franakviacorka/status/1294635081752031232|" in text


def test_dngts_flag_without_urls_still_warns():
    a = answer(citations=[citation(1, footnotes=[{"marker": "4", "status": "resolved", "text": "DNGTS:",
                                                  "urls": [], "dngts": True, "dngts_urls": []}])])
    assert "Note 4: :warning: *do not visit*" in all_text(answer_messages(a))


def test_missing_and_unplaced_notes_say_so():
    a = answer(citations=[citation(1, footnotes=[note("7", status="missing"), note("48", status="unplaced")])])
    text = all_text(answer_messages(a))
    assert "Note 7: note not available in the ingested copy" in text
    assert "Note 48: unplaced" in text


def test_passage_without_footnotes_says_so():
    text = all_text(answer_messages(answer(citations=[citation(1, text="No markers here.")])))
    assert "No footnote markers in this passage" in text


def test_prose_note_is_shown_without_linking_its_urls():
    a = answer(citations=[citation(1, footnotes=[note("3", urls=["https://tass(.)ru/x"],
        text="Kremlin spokesman Dmitry Peskov said the drills were planned; see https://tass(.)ru/x")])])
    text = all_text(answer_messages(a))
    assert "Kremlin spokesman Dmitry Peskov said the drills were planned" in text


def test_a_note_keeps_its_own_commas_where_its_urls_go():
    # the note's words as the report prints them: "737 MAX, AOA" is not "737 MAX AOA"
    url = "https://www.reuters.com/article/boeing-737max"
    a = answer(citations=[citation(1, footnotes=[
        note("4", urls=[], text="On the current 737 MAX, AOA is measured by two independent AOA sensors, which are "
                                "small vanes; see the manual."),
        note("5", urls=[url], text=f"Reuters, “Boeing fixes the sensors,” {url}, accessed May 1, 2020.")])])
    text = all_text(answer_messages(a))
    assert "On the current 737 MAX, AOA is measured by two independent AOA sensors, which are small vanes; see" in text
    assert "Reuters, “Boeing fixes the sensors,” accessed May 1, 2020" in text


def test_a_url_in_angle_brackets_leaves_no_empty_brackets_in_the_prose():
    url = "https://www.gov.uk/cma-cases/heat-networks-market-study"
    a = answer(citations=[citation(1, footnotes=[note("7", urls=[url],
        text=f"CMA Market Study on Heat Networks and the prices they charge <{url}>")])])
    text = all_text(answer_messages(a))
    assert "CMA Market Study on Heat Networks and the prices they charge" in text
    assert "&lt;&gt;" not in text and "&lt; &gt;" not in text

@pytest.mark.parametrize("hostile", ["<!channel>", "<!here>", "<@U123ABC>", "<https://evil.example|click me>", "a & b"])
def test_report_and_user_text_is_escaped(hostile):
    report = dict(REPORT, title=f"Title {hostile}")
    a = answer(sentences=[(f"Sentence {hostile}.", [1])], question=f"Q {hostile}?",
               citations=[citation(1, text=f"Passage {hostile}.", report=report,
                                   footnotes=[note("1", text=f"Note prose says {hostile} loudly", urls=[])])])
    messages = answer_messages(a, show_question=True)
    blob = json.dumps(messages)
    assert hostile not in blob
    escaped = hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in all_text(messages)
    for m in messages:
        assert hostile not in m["text"]


def test_abstention_says_so_plainly_and_labels_closest_material():
    messages = answer_messages(answer(abstained=True))
    text = all_text(messages)
    assert "The reports don't answer this." in text
    assert "closest material" in text and "*not* an answer" in text
    assert "*Closest passage 1*" in text
    assert "*[1]*" not in text
    assert_slack_accepts(messages)


def test_abstention_with_nothing_close():
    text = all_text(answer_messages(answer(abstained=True, citations=[])))
    assert "The reports don't answer this." in text and "Nothing in the ingested reports came close" in text


def test_feedback_buttons_on_the_last_message_carry_the_answer_id():
    messages = answer_messages(answer(), answer_id="abc123")
    actions = [b for b in messages[-1]["blocks"] if b["type"] == "actions"]
    assert len(actions) == 1
    ids = {e["action_id"]: e["value"] for e in actions[0]["elements"]}
    assert ids == {ACTION_COPY: "abc123", ACTION_HELPFUL: "abc123", ACTION_NOT_HELPFUL: "abc123"}


def test_shareable_answer_has_a_post_to_channel_button_and_the_question():
    messages = answer_messages(answer(), answer_id="abc", shareable=True, show_question=True)
    buttons = [e for b in messages[-1]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["action_id"] == ACTION_SHARE and buttons[0]["text"]["text"] == "Post to channel"
    assert "*Question:* Who trained with Belarus?" in all_text(messages)


def test_shared_answer_names_who_shared_it():
    text = all_text(answer_messages(answer(), shared_by="U0ALICE"))
    assert "<@U0ALICE> shared this answer" in text
    assert "<@not a user>" not in all_text(answer_messages(answer(), shared_by="<!channel>"))


def test_every_message_has_a_plain_text_fallback():
    for m in answer_messages(answer(), answer_id="x"):
        assert SENTENCE[:40] in m["text"]


def test_no_wide_layouts():
    blob = json.dumps(answer_messages(answer(), answer_id="x"))
    assert '"fields"' not in blob and '"table"' not in blob


def huge_answer(citations: int = 30, passage_chars: int = 5_000, notes: int = 40) -> dict:
    long_passage = ("The Kremlin extended the Slavic Brotherhood exercises on short notice. " * 200)[:passage_chars]
    cits = [citation(n, text=long_passage, footnotes=[
        note(str(i), urls=[f"https://example{i}(.)ru/{'x' * 120}/{n}"]) for i in range(notes)
    ]) for n in range(1, citations + 1)]
    sentences = [(f"Sentence number {i} about the exercises in Belarus and Moldova, quoted verbatim.", [1 + i % citations])
                 for i in range(120)]
    return answer(sentences=sentences, citations=cits)


def test_a_huge_answer_is_split_into_messages_slack_accepts():
    messages = answer_messages(huge_answer(), answer_id="big")
    assert len(messages) > 1
    assert_slack_accepts(messages)
    for i, m in enumerate(messages, start=1):
        assert len(m["blocks"]) <= 50
        assert f"Answer, part {i} of {len(messages)}" in m["blocks"][0]["elements"][0]["text"]
        assert len(m["text"]) <= 40_000
    # Nothing is lost: every citation's heading and every footnote of the last one is shown.
    text = all_text(messages)
    for n in range(1, 31):
        assert f"*[{n}]*" in text
    assert "example39(.)ru" in text
    # Feedback buttons only once, at the very end.
    assert sum(b["type"] == "actions" for m in messages for b in m["blocks"]) == 1
    assert messages[-1]["blocks"][-1]["type"] == "actions"


def test_one_enormous_passage_is_cut_at_sentence_boundaries_within_section_limits():
    sentence = "The Kremlin will likely intensify efforts to downplay its presence. "
    a = answer(citations=[citation(1, text=sentence * 400)])
    messages = answer_messages(a)
    assert_slack_accepts(messages)
    quoted = [line for line in all_text(messages).splitlines() if line.startswith("> ")]
    assert len(quoted) > 5
    assert all(line.endswith("presence.") for line in quoted)


def test_a_word_longer_than_a_section_is_hard_cut_not_rejected():
    a = answer(sentences=[("x" * 7_000 + " & y" * 10, [1])], citations=[citation(1, text="&" * 5_000)])
    assert_slack_accepts(answer_messages(a))


def test_error_message_is_escaped():
    m = error_message("bad <!channel> & co")
    assert m["text"] == "bad &lt;!channel&gt; &amp; co"
    assert message_error(m) is None


def test_scope_line_is_shown_back():
    scoped = dict(answer(), scope={"searched": "Searched reports from 2020-09-15 on", "reports": ["r1"]})
    assert "Searched reports from 2020-09-15 on." in all_text(answer_messages(scoped))
    assert "Searched" not in all_text(answer_messages(answer()))


def test_copy_messages_are_code_blocks_that_ping_nobody():
    messages = copy_messages("**Q:** <!channel> what?\n\nA sentence.[^ab12-1]\n\n[^ab12-1]: “T”, 2020-09-17.\n" * 40)
    for m in messages:
        assert message_error({"text": m["text"], "blocks": m["blocks"]}) is None
    shown = all_text(messages)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown and "```" in shown


def test_digest_messages_fit_and_say_what_changed():
    summary = dict(answer(), summary=[{"report_id": "r1", "title": "Belarus Warning Update", "date": "2020-09-19",
                                       "sentences": 1}])
    news = {"added": [{"report": {"id": "r1", "title": "Belarus Warning Update", "date": "2020-09-19",
                                  "authors": ["George Barros"], "publisher": "ISW"}, "summary": summary}],
            "updated": [{"report": {"id": "r0", "title": "Older <!here> update", "date": "2020-09-16"},
                         "passages_added": 2, "passages_removed": 1,
                         "notes_available": [{"marker": "7", "status": "resolved", "text": "https://x(.)ru/a",
                                              "urls": ["https://x(.)ru/a"], "dngts": False, "dngts_urls": []}]}],
            "removed": []}
    messages = digest_messages(news)
    for m in messages:
        assert message_error({"text": m["text"], "blocks": m["blocks"]}) is None
    shown = all_text(messages)
    assert "New:" in shown and "George Barros" in shown and "19 Sep 2020" in shown
    assert "2 passages added; 1 passage removed; 1 note now available: 7" in shown
    assert "x(.)ru" in shown and "<!here>" not in shown
    assert digest_messages({"added": [], "updated": [], "removed": []}) == []


def test_a_note_of_a_restarted_numbering_shows_the_printed_label():
    a = answer(citations=[citation(1, footnotes=[note("1#3", text="Climate Change Committee, Heat and Buildings Strategy.")])])
    text = all_text(answer_messages(a))
    assert "Note 1:" in text and "1#3" not in text
