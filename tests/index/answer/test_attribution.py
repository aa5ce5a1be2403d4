"""Whose words an answer quotes (index/answer/attribution.py), on a real ingest and the real
answer path: a sentence inside a quotation opened in a sentence before it (here in the passage
before) comes after that sentence, and a sentence introducing a quotation with a colon comes
with the quotation's first sentence, and a block quotation's sentence with the one introducing it."""
from __future__ import annotations

import pytest

GOVERNOR = ("At a news conference on July 27, the governor of Tarvia said, \u201cWe will open the northern border "
            "crossing to freight next week.")
PRESS = "I think the press will reward us mightily for this decision.\u201d"
INTRO = "In a statement on August 3, the ministry of the interior wrote the following:"
STATEMENT = "\u201cThe crossing will stay closed to passenger traffic until the spring, and freight will be inspected.\u201d"
GUARD = "Asked why so many of her colleagues had resigned in July, the spokeswoman of the border guard explained:"
UNPAID = "\u201cNobody has paid the night shifts at the northern crossing since March."
FAMILIES = "Our families cannot live on promises from the capital.\u201d"
PAGE = f"""<html><head><title>Tarvia Border Update</title><meta name="date" content="2024-05-02"></head><body>
<h1>Tarvia Border Update</h1>
<p>{GOVERNOR} Trade must go on whatever the capital decides. Our farmers cannot wait any longer for their buyers.
{PRESS} Officials in the capital later denied any plan to open the crossing.</p>
<p>The army moved two battalions to the northern crossing on July 29, according to local reporting.</p>
<p>{INTRO}</p>
<p>{STATEMENT}</p>
<p>Freight traffic resumed on August 10 under inspection.</p>
<p>{GUARD}</p>
<blockquote><p>{UNPAID} {FAMILIES}</p></blockquote>
<p>The ministry promised to pay the arrears by October.</p>
</body></html>"""


@pytest.fixture(scope="module")
def tarvia(tmp_path_factory, st_model):
    from index.config import Settings
    from index.engine import Dossier
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("tarvia")
    (tmp / "reports").mkdir()
    (tmp / "reports" / "tarvia.html").write_text(PAGE, encoding="utf-8")
    settings = Settings(home=tmp / "home")
    assert not ingest([tmp / "reports"], settings, embedder=st_model).failed
    d = Dossier.open(settings, exact=True)         # as `dossier ask` opens it: the numpy pass scores sentences
    yield d
    d.close()


def _shown(answer: dict) -> list[str]:
    return [" ".join(s["text"].split()) for s in answer["answer"]]


def test_a_sentence_inside_a_quotation_comes_after_the_sentence_that_opens_it(tarvia):
    answer = tarvia.ask("What did the governor expect from the press?")
    shown = _shown(answer)
    assert PRESS in shown                                        # the quotation's last sentence answers
    assert shown.index(GOVERNOR) == shown.index(PRESS) - 1       # ...after the governor's words begin
    passages = {c["n"]: " ".join(c["text"].split()) for c in answer["citations"]}
    for s in answer["answer"]:                                   # each quoted from the passage it cites
        assert all(" ".join(s["text"].split()) in passages[n] for n in s["citations"])
    assert GOVERNOR not in passages[answer["answer"][shown.index(PRESS)]["citations"][0]]   # the passage before


def test_a_sentence_that_introduces_a_quotation_comes_with_its_first_sentence(tarvia):
    shown = _shown(tarvia.ask("What did the interior ministry say on August 3?"))
    assert INTRO in shown
    assert shown[shown.index(INTRO) + 1] == STATEMENT


def test_a_sentence_of_a_block_quotation_comes_after_the_sentence_introducing_it(tarvia):
    shown = _shown(tarvia.ask("Why did the border guards' families say they could not get by?"))
    assert FAMILIES in shown                                     # the quotation's second sentence answers
    assert shown[shown.index(FAMILIES) - 2:shown.index(FAMILIES)] == [GUARD, UNPAID]
