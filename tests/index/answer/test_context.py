"""What a passage is read with: its title, headings and the sentence before it."""
from __future__ import annotations

from index.answer.context import MAX_PREV, embedded, embedded_texts, prefix
from ingest.model import Passage, Report, Sentence


def test_the_prefix_names_title_section_and_the_sentence_before():
    p = prefix(title="Zapad 2017 Update", section="II. Exercises > A. Scenario", prev="Zapad-2017 began on Thursday.")
    assert p == "Zapad 2017 Update. II. Exercises. A. Scenario. Zapad-2017 began on Thursday. "
    text, at = embedded("Its enemy was Veyshnoriya.", title="T", prev="", parts=("title", "prev"))
    assert text[at:] == "Its enemy was Veyshnoriya." and text[:at] == "T. "
    assert prefix() == "" and embedded("x", parts=())[1] == 0


def test_a_long_previous_sentence_keeps_its_end():
    prev = "word " * 200 + "the exercise called Zapad-2017."
    p = prefix(prev=prev, parts=("prev",))
    assert len(p) <= MAX_PREV + 2 and p.rstrip().endswith("Zapad-2017.")


def test_ingest_embeds_each_passage_with_its_context_when_asked():
    text = "Zapad-2017 began. Its enemy was Veyshnoriya.[1]\n\n[1] A fictional state in the scenario, west of Belarus."
    report = Report(id="r", title="Zapad", date="", time="", authors=[], publisher="", sources=[], text=text,
                    body_end=44, sentences=[Sentence(0, 17), Sentence(18, 44, ["1"])], notes={})
    passages = [Passage("r-0000", "r", "body", 0, 17, "Zapad-2017 began.", [], 0),
                Passage("r-0001", "r", "body", 18, 44, "Its enemy was Veyshnoriya.", ["1"], 1),
                Passage("r-n1", "r", "note", 50, 102, "A fictional state in the scenario, west of Belarus.", ["1"], 2)]
    plain = embedded_texts(report, passages, parts=())
    assert plain == [p.text for p in passages]
    ctx = embedded_texts(report, passages, parts=("title", "prev"))
    assert ctx[1] == "Zapad. Zapad-2017 began. Its enemy was Veyshnoriya."
    assert ctx[2] == "Zapad. Its enemy was Veyshnoriya. A fictional state in the scenario, west of Belarus."
