"""Reports that fight the Slack layer, ingested for real into their own home: one whose text
carries Slack markup (`<!channel>`, `<@U…>`) and a DNGTS note, one whose footnotes are too big
for one message. The fake Slack rejects what real Slack would (invalid_blocks, msg_too_long)."""

from __future__ import annotations

import json

import pytest

from bot.slack.blocks import ACTION_HELPFUL
from tests.bot.slack.harness import button_value, shown_text
from tests.bot.slack.fake_slack import MAX_BLOCKS, MAX_SECTION, message_error

MARKUP_REPORT = """Monday, October 5, 2020

Zorvania Warning Update: <!channel> Alert Issued by the Garrison at <@U123ABC> Fort

October 5, 2020, 5:00 pm EDT

By Test Author

The Zorvanian garrison commander told <!channel> and <@U123ABC> that the Quillfeather drills will begin on October 9 near the Tarnow crossing.[1] Observers counted 14 armored vehicles at the crossing on October 4.[2]

The Quillfeather drills are expected to last eleven days according to the garrison's statement.[3]

[1] https://zorvania(.)example/news/garrison-statement
[2] https://tarnow.example.org/crossing/vehicles
[3] DNGTS: https://garrison.example.net/statement
"""


def big_notes_report() -> str:
    """Nine footnotes of eight long URLs each on one passage: ~21,000 characters of sources."""
    def urls(m: int) -> str:
        return "; ".join(f"https://archive-{m}-{i}(.)example/{'velmor-convoy-' * 18}{m}-{i}.html" for i in range(8))

    return (
        "Tuesday, October 6, 2020\n\n"
        "Marrakand Logistics Update: Supply Convoys Along the Velmor Corridor\n\n"
        "October 6, 2020, 6:00 pm EDT\n\nBy Test Author\n\n"
        "The Marrakand logistics command moved sixty fuel trucks along the Velmor corridor toward "
        "the Ostrava depot.[1][2][3][4][5][6][7][8] The convoy was escorted by two companies of the "
        "Velmor guard.[9]\n\n" + "\n".join(f"[{m}] {urls(m)}" for m in range(1, 10)) + "\n"
    )


@pytest.fixture(scope="module")
def hostile_bot(tmp_path_factory, st_model, make_bot):
    from index.config import Settings
    from index.engine import Dossier
    from ingest.pipeline import ingest

    reports = tmp_path_factory.mktemp("hostile-reports")
    (reports / "zorvania.txt").write_text(MARKUP_REPORT, encoding="utf-8")
    (reports / "marrakand.txt").write_text(big_notes_report(), encoding="utf-8")
    settings = Settings(home=tmp_path_factory.mktemp("hostile-home"))
    summary = ingest([reports], settings, embedder=st_model)
    assert summary.reports == 2 and not summary.failed
    dossier = Dossier.open(settings)
    yield make_bot(dossier)
    dossier.close()


def test_slack_markup_in_a_report_is_shown_not_executed(slack, hostile_bot):
    hostile_bot.mention("When will the Quillfeather drills begin?", channel="C0MARKUP")
    post = slack.wait_for("chat.postMessage", channel="C0MARKUP")[0]
    payload = json.dumps(post.args)
    assert "<!channel>" not in payload and "<@U123ABC>" not in payload  # nobody is pinged
    assert "<!channel>" not in post.args["text"]
    shown = shown_text(post.args)
    assert "told &lt;!channel&gt; and &lt;@U123ABC&gt; that the Quillfeather drills" in shown
    assert "Zorvania Warning Update: &lt;!channel&gt; Alert" in shown
    assert "`https://zorvania(.)example/news/garrison-statement`" in shown
    assert "<https://tarnow.example.org/crossing/vehicles|tarnow.example.org/crossing/vehicles>" in shown


def test_dngts_source_is_flagged_do_not_visit(slack, hostile_bot):
    hostile_bot.mention("How long are the Quillfeather drills expected to last?", channel="C0DNGTS")
    shown = shown_text(slack.wait_for("chat.postMessage", channel="C0DNGTS")[0].args)
    line = next(line for line in shown.splitlines() if "garrison.example.net" in line)
    assert ":warning: *do not visit*" in line
    assert "<https://garrison.example.net" not in shown


def test_an_answer_too_big_for_one_message_is_split_and_accepted(slack, hostile_bot):
    ts, _ = hostile_bot.mention(
        "How many fuel trucks did the Marrakand logistics command move along the Velmor corridor?",
        channel="C0BIG")
    slack.wait_for("chat.postMessage", channel="C0BIG")
    slack.quiet(0.5)
    posts = slack.calls_to("chat.postMessage", channel="C0BIG")
    assert len(posts) >= 2 and all(p.ok for p in posts)  # nothing rejected by the limits
    for p in posts:
        assert message_error(p.args) is None and len(p.args["blocks"]) <= MAX_BLOCKS
        assert all(len(b["text"]["text"]) <= MAX_SECTION for b in p.args["blocks"] if b["type"] == "section")
        assert p.args["thread_ts"] == ts
    shown = "\n".join(shown_text(p.args) for p in posts)
    assert "sixty fuel trucks" in shown
    for m in range(1, 9):  # every footnote of the passage made it, in order
        assert f"Note {m}: `https://archive-{m}-0(.)example/" in shown
    assert shown.index("Note 1:") < shown.index("Note 8:")
    assert "Answer, part 1 of" in shown_text(posts[0].args)
    assert button_value(posts[-1].args, ACTION_HELPFUL)
    assert all("feedback_helpful" not in json.dumps(p.args) for p in posts[:-1])
