"""The terminal view of the three answer shapes of the `ask --json` contract (docs/json.md)."""
from __future__ import annotations

from bot.render.terminal import format_answer


def _citation(n: int, text: str) -> dict:
    return {"n": n, "passage_id": f"2020-09-19-9486f78c2d-000{n}", "kind": "body", "score": 0.03, "text": text,
            "report": {"id": "2020-09-19-9486f78c2d", "title": "Belarus Warning Update", "date": "2020-09-19",
                       "authors": ["George Barros"], "sources": ["/r/000.txt"]},
            "footnotes": [{"marker": str(n), "status": "resolved", "text": f"Source {n}.", "urls": [],
                           "dngts": False, "dngts_urls": []}]}


def test_an_answer_lists_its_sentences_then_each_citation_with_its_sources():
    result = {"question": "q", "abstained": False,
              "answer": [{"text": "Troops arrived in Brest.", "citations": [1], "markers": ["1"]}],
              "citations": [_citation(1, "Troops arrived in Brest.")]}
    lines = format_answer(result, width=80).splitlines()
    assert lines[:3] == ["Troops arrived in Brest. [1]", "", "[1] Belarus Warning Update (2020-09-19)"]
    assert lines[-2:] == ["    Sources:", "      [1] Source 1."]


def test_a_declined_answer_says_so_and_marks_the_closest_material_as_no_answer():
    result = {"question": "q", "abstained": True, "answer": [], "citations": [_citation(2, "Nearby text.")]}
    text = format_answer(result, width=80)
    assert text.startswith("The reports don't say. Closest material (not an answer):")
    assert "  ~ [2]" in text and "Nearby text." in text


def test_a_summary_groups_sentences_under_their_report():
    result = {"question": "q", "abstained": False,
              "summary": [{"title": "First", "date": "2020-09-19", "sentences": 1},
                          {"title": None, "sentences": 1}],
              "answer": [{"text": "One.", "citations": [1]}, {"text": "Two.", "citations": [2]}],
              "citations": [_citation(1, "One."), _citation(2, "Two.")]}
    lines = format_answer(result, width=80).splitlines()
    assert lines[:4] == ["First (2020-09-19)", "  - One. [1]", "Untitled report", "  - Two. [2]"]
    assert sum(1 for line in lines if line.startswith("[")) == 2


def test_a_url_written_in_angle_brackets_leaves_no_empty_brackets_behind():
    url = "https://www.gov.uk/cma-cases/heat-networks-market-study"
    note = {"marker": "7", "status": "resolved", "text": f"CMA Market Study on Heat Networks <{url}>",
            "urls": [url], "dngts": False, "dngts_urls": []}
    result = {"question": "q", "abstained": False, "answer": [{"text": "Prices vary.", "citations": [1]}],
              "citations": [dict(_citation(1, "Prices vary."), footnotes=[note])]}
    text = format_answer(result, width=120)
    assert f"[7] CMA Market Study on Heat Networks; {url}" in text
    assert "<>" not in text


def test_a_note_of_a_restarted_numbering_shows_the_label_the_report_prints():
    note = {"marker": "1#3", "status": "resolved", "text": "Climate Change Committee, Heat and Buildings Strategy.",
            "urls": [], "dngts": False, "dngts_urls": []}
    result = {"question": "q", "abstained": False, "answer": [{"text": "Prices vary.", "citations": [1]}],
              "citations": [dict(_citation(1, "Prices vary."), footnotes=[note])]}
    text = format_answer(result, width=120)
    assert "[1] Climate Change Committee" in text and "1#3" not in text


def test_a_passage_that_opens_a_quotation_shows_its_own_mark_once():
    text = "\u201cIf you told the truth, you go to jail.\u201d The President said so."
    result = {"question": "q", "abstained": False,
              "answer": [{"text": "The President said so.", "citations": [1], "markers": ["1"]}],
              "citations": [_citation(1, text)]}
    lines = format_answer(result, width=100).splitlines()
    assert f"    > {text}" in lines
    assert "\u201c\u201c" not in "\n".join(lines)


def test_a_notes_url_is_shown_whole_and_the_comma_before_it_goes_with_it():
    """The URL is shown after the note's words, whole on its line however it wraps (a terminal
    copy of a URL broken at a hyphen is a dead link), and its comma does not stay behind (", .")."""
    url = "https://www.reuters.com/world/trade-wars-erupt-trump-hits-canada-mexico-china-with-steep-tariffs-2025-03-04/"
    note = {"marker": "85", "status": "resolved", "urls": [url], "dngts": False, "dngts_urls": [],
            "text": f"David Lawder and Andrea Shalal, “Trump triggers trade war with tariffs on Canada, China and "
                    f"Mexico,” Reuters, March 4, 2025, {url}."}
    result = {"question": "q", "abstained": False, "answer": [{"text": "Tariffs rose.", "citations": [1]}],
              "citations": [dict(_citation(1, "Tariffs rose."), footnotes=[note])]}
    for width in (60, 80, 100):
        text = format_answer(result, width=width)
        assert any(line.strip() == url or line.strip().endswith(f"; {url}") for line in text.splitlines()), width
        assert "2025, ." not in " ".join(text.split()) and "Reuters, March 4, 2025; " in " ".join(text.split())
    two = dict(note, text=f"Reuters, October 3, 2023, {url}; Parker Asmann, InSight Crime, 2024, {url}x.",
               urls=[url, url + "x"])
    text = format_answer(dict(result, citations=[dict(_citation(1, "Tariffs rose."), footnotes=[two])]), width=80)
    assert "[85] Reuters, October 3, 2023; Parker Asmann, InSight Crime, 2024." in text
    shown = [line.strip() for line in text.splitlines()]
    assert url in shown and url + "x" in shown
