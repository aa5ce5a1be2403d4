"""The Markdown export: footnote labels distinct between answers, report details, the notes as
written (defanged links stay defanged), DNGTS marked and never a live link."""
from __future__ import annotations

import re

from bot.render.markdown import answer_markdown, label_prefix
from index.answer.scope import Scope


def _answer(marker_text: dict, question: str = "What happened?") -> dict:
    return {"question": question, "abstained": False,
            "answer": [{"text": "Russia did a thing.", "citations": [1], "markers": ["4"]}],
            "citations": [{"n": 1, "passage_id": "r1-0001", "kind": "body", "score": 0.5, "pages": [12],
                           "text": "Russia did a thing.[4]",
                           "report": {"id": "r1", "title": "An Update", "date": "2020-09-17", "authors": [],
                                      "sources": []},
                           "footnotes": [marker_text]}]}


def test_labels_defanging_and_dngts():
    note = {"marker": "4", "status": "resolved", "text": "https://www.fontanka(.)ru/2020/09/17/1.html; DNGTS: https://bad.example/x",
            "urls": ["https://www.fontanka(.)ru/2020/09/17/1.html", "https://bad.example/x"], "dngts": True,
            "dngts_urls": ["https://bad.example/x"]}
    md = answer_markdown(_answer(note), publishers={"r1": "Institute for the Study of War (ISW)"})
    prefix = label_prefix(_answer(note))
    assert f"Russia did a thing.[^{prefix}-1]" in md
    foot = next(line for line in md.splitlines() if line.startswith(f"[^{prefix}-1]:"))
    assert "“An Update”, Institute for the Study of War (ISW), 2020-09-17, p. 12." in foot
    assert "fontanka(.)ru/2020/09/17/1.html" in foot            # as the report wrote it
    assert "DNGTS: do not visit" in foot and "`https://bad.example/x`" in foot   # in code: never a live link
    assert not re.search(r"(?<!`)https://bad\.example/x(?!`)", foot)


def test_two_answers_pasted_together_keep_distinct_labels(dossier):
    a = dossier.ask("Which Russian unit trained with Belarusian forces?")
    b = dossier.ask("What did Belarus sign with Almaz-Antey?")
    pasted = answer_markdown(a) + "\n" + answer_markdown(b)
    definitions = re.findall(r"^\[\^([\w-]+)\]:", pasted, re.M)
    assert len(definitions) == len(a["citations"]) + len(b["citations"])
    assert len(set(definitions)) == len(definitions)
    for label in re.findall(r"\[\^([\w-]+)\](?!:)", pasted):
        assert label in definitions


def test_real_notes_exactly_as_written(dossier):
    """A sample citation with a defanged source shows it unchanged; a missing note says so."""
    answer = dossier.ask("Where did Lukashenko meet Shoigu?", scope=Scope(reports=("Vie for Control",)))
    md = answer_markdown(answer)
    for c in answer["citations"]:
        for f in c["footnotes"]:
            if f["status"] == "resolved" and not f["dngts_urls"]:
                assert " ".join(f["text"].split()) in md
            if f["status"] == "missing":
                assert f"[{f['marker']}] note not available in the ingested copy." in md
    assert "Searched 1 report" in md


def test_a_note_of_a_restarted_numbering_shows_the_printed_label():
    from bot.render.markdown import note_source
    line = note_source({"marker": "2#2", "status": "resolved", "text": "Ofgem, Heat networks regulation.", "urls": []})
    assert line.startswith("[2] Ofgem") and "#" not in line
