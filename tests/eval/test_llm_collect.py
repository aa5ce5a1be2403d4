"""The collector of a real model's sentences (eval/llm_collect.py): each question is asked once per
seed, back to back, and every sentence comes with the product's verdict and the passages it cites.
The model server is what is faked: a stand-in that answers from the passages it was shown."""
from __future__ import annotations

from eval.dataset import DEFAULT_QUESTIONS, load_questions
from eval.llm_collect import sentences


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
