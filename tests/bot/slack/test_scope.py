"""Scope in Slack, in words people type, shown back on the answer; "Copy with sources" replies
with the paste-ready Markdown, only to the person who clicked."""
from __future__ import annotations

import re

import pytest

from bot.slack.text import date_label

from bot.slack.blocks import ACTION_COPY
from tests.bot.slack.harness import button_value, shown_text

QUESTION = "Which Russian unit has performed exercises with Belarusian forces since September 17?"


@pytest.mark.parametrize("typed,shown,dates", [
    ("until:2020-09-02 Which Russian units exercised with Belarusian forces?", "Searched reports up to 2020-09-02",
     {"2020-08-15", "2020-09-02"}),
    ("Which Russian units exercised with Belarusian forces in the September 17 update?", "Searched 1 report",
     {"2020-09-17"}),
    ("Which Russian units exercised with Belarusian forces in the latest report?", "(2020-09-19)", {"2020-09-19"}),
    ('report:"Vie for Control" Which Russian units exercised with Belarusian forces?', "Searched 1 report",
     {"2020-09-16"}),
    ("since:2020-09-18 Which Russian units exercised with Belarusian forces?", "Searched reports from 2020-09-18 on",
     {"2020-09-18", "2020-09-19"}),
    ("Which Russian units exercised with Belarusian forces since September 18?", "Searched reports from 2020-09-18 on",
     {"2020-09-18", "2020-09-19"}),
    ("publisher:ISW Which Russian units exercised with Belarusian forces?", "by ISW",
     {"2020-08-15", "2020-09-02", "2020-09-16", "2020-09-17", "2020-09-18", "2020-09-19"}),
])
def test_scope_words_restrict_and_are_shown(slack, slack_bot, typed, shown, dates):
    channel = f"C0SCOPE{abs(hash(typed)) % 10_000}"
    slack_bot.mention(typed, channel=channel)
    post = slack.wait_for("chat.postMessage", channel=channel)[0]
    text = shown_text(post.args)
    assert shown in text
    cited = set(re.findall(r"\b\d{1,2} (?:Aug|Sep) 2020\b", text))           # each citation's date, as shown
    assert cited and cited <= {date_label(d) for d in dates}


def test_copy_with_sources_is_ephemeral_markdown(slack, slack_bot):
    slack_bot.mention("What did Lukashenko request from Putin?", channel="C0COPY")
    post = slack.wait_for("chat.postMessage", channel="C0COPY")[0]
    key, reply = slack_bot.click(ACTION_COPY, button_value(post.args, ACTION_COPY), channel="C0COPY")
    assert reply.status == 200
    copied = slack.wait_for("response_url", _key=key)[0]
    assert copied.args.get("response_type") == "ephemeral"
    body = shown_text(copied.args)
    assert "```" in body and "[^" in body and "]: “" in body
    assert not slack.posts(channel="C0COPY")[1:]                # nothing new in the channel
