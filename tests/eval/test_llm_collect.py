"""The collector of a real model's sentences (eval/llm_collect.py): each question is asked once per
seed, back to back, and every sentence comes with the product's verdict and the passages it cites.
The model server is what is faked: a stand-in that answers from the passages it was shown."""
from __future__ import annotations

from eval.dataset import DEFAULT_QUESTIONS, load_questions
from eval.llm_collect import pool, sentences
from index.answer.verify import verify_sentence


class _Model:
    """Stands in for the server: seed 1 copies the first passage's first sentence, any other seed
    writes a sentence with a number the passages do not hold."""

    variant, temperature, seed = "cite", 0.5, 0

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    def reply(self, question, passages):
        self.asked.append((question, self.seed))
        if self.seed == 1:
            first = str(passages[0]["text"]).split(". ")[0].rstrip(".")
            return f"{first} [1]."
        return "Exactly 987654 soldiers arrived [1]."


def test_each_question_is_asked_once_per_seed_with_the_verdicts(dossier):
    question = next(q for q in load_questions(DEFAULT_QUESTIONS, split="tune") if q["id"] == "q001")   # not abstained
    model = _Model()
    rows = list(sentences(dossier, model, [question], corpus="samples", seeds=[1, 2]))
    assert [seed for _, seed in model.asked] == [1, 2]
    assert [r["seed"] for r in rows] == [1, 2] and {r["split"] for r in rows} == {"tune"}
    copied, invented = rows
    assert invented["verdict"]["supported"] is False
    assert any("987654" in reason for reason in invented["verdict"]["reasons"])
    assert copied["cites"] == [1] and copied["passages"][0]["text"]


def _collected(sentence, cites, passage_id="p-1", question="What did the regiment do?"):
    text = ("Russia's 234th Guards Airborne Assault Regiment has performed exercises with Belarusian forces since "
            "September 17. The 234th likely formed a joint battalion-sized unit.")
    return {"question_id": "q1", "question": question, "split": "test", "corpus": "samples", "variant": "cite",
            "temperature": 0.5, "seed": 11, "sentence": sentence, "cites": cites,
            "passages": [{"n": 1, "passage_id": passage_id, "report": {"title": "Update", "date": "2020-09-19"},
                          "text": text}, {"n": 2, "passage_id": "p-2", "report": {}, "text": "Unrelated."}]}


def test_the_pool_holds_what_the_verifier_keeps_and_nobody_judged():
    copy = "The 234th likely formed a joint battalion-sized unit."
    rows = [_collected(copy, [1]), _collected(copy, [1]),                     # the same sentence twice
            _collected(copy, [1], passage_id="p-9"),                          # the same words from another passage
            _collected("The 234th formed a joint unit with Polish forces.", [1]),   # not a copy: the verifier removes it
            _collected("Russia's 234th Guards Airborne Assault Regiment has performed exercises.", [1]),  # judged
            _collected(copy, [])]                                             # cites nothing
    judged = [_collected("Russia's 234th Guards Airborne Assault Regiment has performed exercises.", [1])]
    out = pool(rows, judged, collection=6, first_id=300, model="m")
    assert [(r["id"], r["sentence"], r["passages"][0]["passage_id"]) for r in out] == [
        ("k300", copy, "p-1"), ("k301", copy, "p-9")]
    assert all(r["label"] == "" and r["reason"] == "" and r["collection"] == 6 and r["blind"] for r in out)
    assert [p["n"] for p in out[0]["passages"]] == [1]                      # the cited passages only


def test_the_products_worked_examples_answer_with_what_the_verifier_keeps():
    from index.answer import llm as L
    from index.answer.generate import split_sentences

    prompt = L.completion_prompt("What happened?", [{"report": {"title": "T", "date": "2020-01-01"}, "text": "X."}])
    assert prompt.startswith(L.INSTRUCTIONS) and prompt.endswith("Question: What happened?\nAnswer (each sentence "
                                                                  "ending with [n]):")
    assert [m["content"] for m in L.messages("What happened?", [])][0] == L.system_prompt()
    for question, passages, answer in L.WORKED_EXAMPLES:
        shown = {n: {"text": text} for n, (_, _, text) in enumerate(passages, 1)}
        said = split_sentences(answer)
        assert len(said) >= 2
        for s in said:
            v = verify_sentence(s["text"], s["citations"], shown, question=question)
            assert v.supported, (s, v.reasons)
    # every example sentence is a whole sentence of its passage: what the instructions ask and rule 9 keeps
    from index.text.sentences import sentence_texts
    sentences = [(s["text"], text) for _, ps, a in L.WORKED_EXAMPLES for s in split_sentences(a)
                 for _, _, text in ps[s["citations"][0] - 1:s["citations"][0]]]
    assert all(said in sentence_texts(text) for said, text in sentences), sentences