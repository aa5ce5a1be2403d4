"""The bot end to end over HTTP: signed requests to the real bolt App served by wsgiref on
127.0.0.1, a real Dossier on the sample reports, a fake Slack Web API that records every call."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from bot.state.feedback import export
from bot.slack.blocks import ACTION_HELPFUL, ACTION_NOT_HELPFUL, ACTION_SHARE, answer_messages
from tests.bot.slack.harness import OTHER_USER, SIGNING_SECRET, USER, button_value, new_ts, shown_text
from tests.bot.slack.fake_slack import APP_TOKEN, BOT_TOKEN, BOT_USER

GOLD = Path(__file__).resolve().parents[3] / "eval" / "gold" / "footnotes"
REGIMENT_Q = "Which Russian regiment has been drilling with Belarusian troops to build interoperability?"


def gold_urls(report_key: str, marker: str) -> list[str]:
    return json.loads((GOLD / f"{report_key}.json").read_text())["markers"][marker]["urls"]


def test_mention_gets_one_threaded_answer_with_citation_passage_and_footnote_url(slack, slack_bot):
    ts, reply = slack_bot.mention(REGIMENT_Q, channel="C0MENTION")
    assert reply.status == 200 and reply.seconds < 3.0  # acknowledged inside Slack's 3 s
    post = slack.wait_for("chat.postMessage", channel="C0MENTION")[0]
    assert post.ok and post.args["thread_ts"] == ts
    shown = shown_text(post.args)
    assert "234th Guards Airborne Assault Regiment" in shown
    assert "*[1]* *Belarus Warning Update: Multiple Russian Military Exercises" in shown
    assert "19 Sep 2020" in shown
    assert "> Russia’s 234th Guards Airborne Assault Regiment" in shown  # the quoted passage
    fontanka = gold_urls("2020-09-19-belarus-exercises", "1")[0]
    assert fontanka == "https://www.fontanka(.)ru/2014/08/26/030/"
    assert f"`{fontanka}`" in shown and f"<{fontanka}" not in shown  # shown defanged, not a link
    assert "Note 2: note not available in the ingested copy" in shown
    assert post.args["unfurl_links"] is False and post.args["unfurl_media"] is False
    assert "link_names" not in post.args and "parse" not in post.args
    assert "234th" in post.args["text"]  # the plain-text fallback
    assert button_value(post.args, ACTION_HELPFUL) == button_value(post.args, ACTION_NOT_HELPFUL)
    slack.quiet()
    assert len(slack.posts(channel="C0MENTION")) == 1


def test_retry_and_message_twin_produce_no_second_post(slack, slack_bot):
    ts, _ = slack_bot.mention(REGIMENT_Q, channel="C0RETRY")
    slack.wait_for("chat.postMessage", channel="C0RETRY")
    mention = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}> {REGIMENT_Q}", "ts": ts,
               "channel": "C0RETRY", "event_ts": ts}
    assert slack_bot.event(mention, retry_num=1).status == 200
    _, twin = slack_bot.message(f"<@{BOT_USER}> {REGIMENT_Q}", channel="C0RETRY", ts=ts)
    assert twin.status == 200
    slack_bot.settle()
    assert len(slack.posts(channel="C0RETRY")) == 1


def test_simultaneous_mention_and_twin_answer_once(slack, slack_bot):
    ts = new_ts()
    text = f"<@{BOT_USER}> {REGIMENT_Q}"
    events = [
        {"type": "app_mention", "user": USER, "text": text, "ts": ts, "channel": "C0RACE", "event_ts": ts},
        {"type": "message", "user": USER, "text": text, "ts": ts, "channel": "C0RACE", "event_ts": ts,
         "channel_type": "channel"},
    ]
    threads = [threading.Thread(target=slack_bot.event, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slack.wait_for("chat.postMessage", channel="C0RACE")
    slack_bot.settle()
    assert len(slack.posts(channel="C0RACE")) == 1


def test_bad_or_stale_signature_gets_401_and_runs_nothing(slack, slack_bot):
    ts = new_ts()
    event = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}> {REGIMENT_Q}", "ts": ts,
             "channel": "C0SIG", "event_ts": ts}
    assert slack_bot.event(event, secret="not-the-signing-secret").status == 401
    assert slack_bot.event(event, timestamp=int(time.time()) - 6 * 60).status == 401
    slack_bot.settle()
    assert slack.calls_to("chat.postMessage", channel="C0SIG") == []
    assert slack.calls_to("reactions.add", channel="C0SIG") == []


def test_url_verification_challenge(slack_bot):
    body = json.dumps({"token": "x", "challenge": "chal-123", "type": "url_verification"})
    reply = slack_bot.post(body, "application/json")
    assert reply.status == 200 and "chal-123" in reply.body


def test_direct_message_is_answered_in_the_dm(slack, slack_bot):
    slack_bot.message("How many Belarusian personnel and tanks were sent to Kapustin Yar for Kavkaz 2020?",
                      channel="D0ALICE", channel_type="im")
    post = slack.wait_for("chat.postMessage", channel="D0ALICE")[0]
    assert "thread_ts" not in post.args  # a DM is a conversation, not a thread
    shown = shown_text(post.args)
    assert "350" in shown and "Kapustin Yar" in shown


def test_follow_up_in_the_bots_thread_uses_earlier_questions_as_context(slack, slack_bot, dossier):
    root_q = "Which Russian regiment has been drilling with Belarusian troops?"
    root, _ = slack_bot.mention(root_q, channel="C0THREAD")
    slack.wait_for("chat.postMessage", channel="C0THREAD")
    follow_up = "Since when?"  # meaningless alone: Dossier abstains on it without the thread
    slack_bot.message(follow_up, channel="C0THREAD", thread_ts=root)  # no mention needed
    posts = slack.wait_for("chat.postMessage", 2, channel="C0THREAD")
    replies = slack.calls_to("conversations.replies", channel="C0THREAD")
    assert [c.args["ts"] for c in replies] == [root]
    assert posts[1].args["thread_ts"] == root
    shown = shown_text(posts[1].args)
    assert "don't answer" not in shown and "since September 17" in shown
    # What Slack shows is what Dossier answers with the thread's earlier question as context.
    expected = answer_messages(dossier.ask(follow_up, context=[root_q]))[0]
    assert shown.split("\n")[0] == shown_text(expected).split("\n")[0]


def test_messages_the_bot_must_not_answer(slack, slack_bot):
    q = "Which brigade is based in Grodno?"
    root, _ = slack_bot.message(q, channel="C0QUIET")  # no mention, not in a bot thread
    slack_bot.message(q, channel="C0QUIET", thread_ts=root)  # a thread that is not the bot's
    slack_bot.message(q, channel="C0QUIET", user=BOT_USER)  # its own message
    slack_bot.message(q, channel="D0QUIET", channel_type="im", user=None, bot_id="B0OTHER")  # another bot
    slack_bot.message(q, channel="D0QUIET", channel_type="im", subtype="bot_message", user=None, bot_id="B0X")
    for subtype in ("message_changed", "message_deleted", "channel_join"):
        slack_bot.message(f"<@{BOT_USER}> {q}", channel="C0QUIET", subtype=subtype)
    slack_bot.message("   ", channel="D0QUIET", channel_type="im")  # empty text
    slack_bot.mention("", channel="C0QUIET")  # a bare mention
    slack_bot.settle()
    assert [c.args["channel"] for c in slack.calls if c.method.startswith(("chat.", "reactions."))
            and not c.args["channel"].startswith("D0SETTLE")] == []


def test_slash_command_answers_privately_and_the_button_shares_it(slack, slack_bot):
    key, reply = slack_bot.command("How many Belarusian personnel and tanks went to Kapustin Yar?",
                                   channel="C0SLASH")
    assert reply.status == 200 and reply.seconds < 3.0
    assert "Looking through the reports for" in reply.body  # the immediate ack, only for the user
    private = slack.wait_for("response_url", _key=key)[0]
    assert private.args["response_type"] == "ephemeral"
    assert private.args["unfurl_links"] is False
    assert "*Question:* How many Belarusian personnel" in shown_text(private.args)
    assert "350" in shown_text(private.args)
    assert slack.posts(channel="C0SLASH") == []  # nothing public yet

    click_key, reply = slack_bot.click(ACTION_SHARE, button_value(private.args, ACTION_SHARE),
                                       channel="C0SLASH", ephemeral=True)
    assert reply.status == 200
    shared = slack.wait_for("chat.postMessage", channel="C0SLASH")[0]
    assert "thread_ts" not in shared.args
    shown = shown_text(shared.args)
    assert f"<@{USER}> shared this answer" in shown and "350" in shown
    assert button_value(shared.args, ACTION_HELPFUL)  # feedback buttons travel with it
    deleted = slack.wait_for("response_url", _key=click_key)[0]
    assert deleted.args.get("delete_original") is True
    # a reply under the shared answer is a follow-up, answered in that thread without a mention
    shared_ts = shared.result["ts"]
    slack_bot.message("When did Kavkaz-2020 begin?", channel="C0SLASH", thread_ts=shared_ts)
    follow = slack.wait_for("chat.postMessage", 2, channel="C0SLASH")[1]
    assert follow.args["thread_ts"] == shared_ts and "Kavkaz" in shown_text(follow.args)


def test_share_where_the_bot_is_not_a_member_falls_back_to_the_response_url(slack, slack_bot):
    key, _ = slack_bot.command("When did Kavkaz-2020 begin?", channel="C0NOTMEMBER")
    private = slack.wait_for("response_url", _key=key)[0]
    slack.fail("chat.postMessage", "not_in_channel", channel="C0NOTMEMBER")
    click_key, _ = slack_bot.click(ACTION_SHARE, button_value(private.args, ACTION_SHARE), channel="C0NOTMEMBER")
    posted = slack.wait_for("response_url", 2, _key=click_key)
    assert posted[0].args["response_type"] == "in_channel" and "shared this answer" in shown_text(posted[0].args)
    assert posted[-1].args.get("delete_original") is True


def test_feedback_clicks_are_recorded_with_question_answer_and_citations(slack, slack_bot):
    slack_bot.mention(REGIMENT_Q, channel="C0FEEDBACK")
    post = slack.wait_for("chat.postMessage", channel="C0FEEDBACK")[0]
    before = len(export(SimpleNamespace(home=slack_bot.home)))
    key, reply = slack_bot.click(ACTION_HELPFUL, button_value(post.args, ACTION_HELPFUL),
                                 channel="C0FEEDBACK", user=OTHER_USER)
    assert reply.status == 200
    thanks = slack.wait_for("response_url", _key=key)[0]
    assert thanks.args["response_type"] == "ephemeral" and "Thanks" in thanks.args["text"]
    key, _ = slack_bot.click(ACTION_NOT_HELPFUL, button_value(post.args, ACTION_NOT_HELPFUL), channel="C0FEEDBACK")
    slack.wait_for("response_url", _key=key)
    rows = export(SimpleNamespace(home=slack_bot.home))[before:]
    assert [(r["helpful"], r["user"]) for r in rows] == [(True, OTHER_USER), (False, USER)]
    assert rows[0]["question"] == REGIMENT_Q
    assert any("234th" in s["text"] for s in rows[0]["answer"])
    assert rows[0]["citations"][0]["report"]["date"] == "2020-09-19"
    assert rows[0]["channel"] == "C0FEEDBACK"


def test_app_home_says_what_the_bot_knows(slack, slack_bot, dossier):
    slack_bot.event({"type": "app_home_opened", "user": USER, "channel": "D0HOME", "tab": "home",
                     "event_ts": new_ts()})
    view = slack.wait_for("views.publish")[0].args
    assert view["user_id"] == USER
    shown = shown_text(view["view"])
    stats = dossier.stats()
    assert f"*{stats['reports']} analytical reports*" in shown
    assert "15 Aug 2020" in shown and "19 Sep 2020" in shown  # the sample reports' date range
    assert f"Last ingest: {stats['last_ingest']}" in shown
    assert "/dossier" in shown and "@Dossier" in shown


def test_slow_answers_get_an_hourglass_that_is_removed_after(slack, make_bot, dossier):
    hasty = make_bot(dossier, hourglass_after=0)
    ts, _ = hasty.mention(REGIMENT_Q, channel="C0HOURGLASS")
    slack.wait_for("reactions.remove")
    methods = [c.method for c in slack.calls if c.method in ("reactions.add", "chat.postMessage", "reactions.remove")]
    assert methods == ["reactions.add", "chat.postMessage", "reactions.remove"]
    add, remove = slack.calls_to("reactions.add")[0], slack.calls_to("reactions.remove")[0]
    assert add.args["timestamp"] == ts == remove.args["timestamp"]
    assert add.args["name"].startswith("hourglass")


def test_rate_limited_post_waits_retry_after_and_posts_once(slack, slack_bot):
    slack.rate_limit("chat.postMessage", retry_after=1)
    slack_bot.mention(REGIMENT_Q, channel="C0RATE")
    slack.wait_for("chat.postMessage", ok=True, channel="C0RATE")
    calls = slack.calls_to("chat.postMessage", channel="C0RATE")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0  # waited Retry-After
    slack.quiet()
    assert len(slack.posts(channel="C0RATE")) == 1


def test_auth_and_scope_errors_log_one_line_with_the_fix_and_the_bot_keeps_serving(slack, make_bot, dossier, caplog):
    caplog.set_level(logging.DEBUG)
    hasty = make_bot(dossier, hourglass_after=0)
    slack.fail("reactions.add", "missing_scope", needed="reactions:write", provided="chat:write")
    slack.fail("chat.postMessage", "not_in_channel", channel="C0LOCKED", times=10)
    hasty.mention(REGIMENT_Q, channel="C0LOCKED")
    slack.wait_for("chat.postMessage", channel="C0LOCKED")
    hasty.mention(REGIMENT_Q, channel="C0OPEN")
    slack.wait_for("chat.postMessage", ok=True, channel="C0OPEN")
    slack.quiet()
    assert len(slack.calls_to("chat.postMessage", channel="C0LOCKED")) == 1  # no retry, no apology storm
    assert len(slack.calls_to("reactions.add")) == 1  # turned off after missing_scope
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("missing_scope" in m and "reactions:write" in m for m in errors)
    assert sum("not_in_channel" in m for m in errors) == 1
    assert any("not_in_channel" in m and "/invite @Dossier" in m and "C0LOCKED" in m for m in errors)

    slack.fail("chat.postMessage", "token_revoked", times=5)
    hasty.mention(REGIMENT_Q, channel="C0REVOKED")
    slack.wait_for("chat.postMessage", channel="C0REVOKED")
    slack.quiet()
    assert len(slack.calls_to("chat.postMessage", channel="C0REVOKED")) == 1
    assert any("token_revoked" in m and "reinstall" in m for m in
               (r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR))
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text


def test_an_error_while_answering_gets_an_apology_in_the_thread_and_detail_in_the_log(slack, make_bot, dossier, tmp_path, caplog):
    home = tmp_path / "home"
    broken = make_bot(dossier, home=home)
    (home / "feedback.sqlite3").unlink()
    (home / "feedback.sqlite3").mkdir()  # the store can no longer be written: answering fails
    ts, _ = broken.mention(REGIMENT_Q, channel="C0BROKEN")
    post = slack.wait_for("chat.postMessage", channel="C0BROKEN")[0]
    assert post.args["thread_ts"] == ts
    assert "Sorry, something went wrong" in post.args["text"]
    assert "sqlite" not in post.args["text"].lower() and "Traceback" not in post.args["text"]
    assert "answering in C0BROKEN failed" in caplog.text and "sqlite3" in caplog.text  # the detail


def test_refused_question_gets_the_reason(slack, slack_bot):
    slack_bot.message("x" * 2500, channel="D0LONG", channel_type="im")
    post = slack.wait_for("chat.postMessage", channel="D0LONG")[0]
    assert "at most 2,000" in post.args["text"]


def test_a_restarted_bot_still_does_not_answer_a_retry(slack, slack_bot, make_bot, dossier):
    ts, _ = slack_bot.mention(REGIMENT_Q, channel="C0RESTART")
    slack.wait_for("chat.postMessage", channel="C0RESTART")
    restarted = make_bot(dossier, home=slack_bot.home)  # a new process on the same home
    event = {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}> {REGIMENT_Q}", "ts": ts,
             "channel": "C0RESTART", "event_ts": ts}
    assert restarted.event(event, retry_num=2).status == 200
    restarted.settle()
    assert len(slack.posts(channel="C0RESTART")) == 1


def test_empty_slash_command_shows_how_to_ask(slack, slack_bot):
    key, reply = slack_bot.command("   ")
    assert reply.status == 200 and "/dossier which units" in reply.body
    slack_bot.settle()
    assert slack.calls_to("response_url", _key=key) == []
