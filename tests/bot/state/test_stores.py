"""The bot's state: dedupe claims, bot threads, feedback. Each store test runs on real SQLite
files in a tmp home and on a real PostgreSQL server (tests/postgres_server.py; a fresh database
per test), the shared store two bot processes use."""

from __future__ import annotations

import itertools
import logging
import threading
from types import SimpleNamespace

import pytest

from bot.state.feedback import FeedbackStore, export
from bot.state.local_db import slack_db
from bot.state.dedupe import SeenMessages
from bot.slack.errors import RedactSecrets
from bot.slack.text import mentions_user, plain
from bot.state.threads import BotThreads
from bot.state.db import PostgresDB, SQLiteDB
from tests.postgres_server import postgres_server

_n = itertools.count(1)


@pytest.fixture(scope="module")
def pg_server():
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    """make() -> a new handle on the same database (as a restarted or second process opens it)."""
    if request.param == "sqlite":
        return SimpleNamespace(make=lambda: SQLiteDB(slack_db(tmp_path)), url=None)
    import psycopg

    server = request.getfixturevalue("pg_server")
    name = f"t{next(_n)}"
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + "/" + name
    return SimpleNamespace(make=lambda: PostgresDB(url), url=url)


def test_claim_is_true_once_per_channel_and_ts(backend):
    seen = SeenMessages(backend.make())
    assert seen.claim("C1", "100.1") is True
    assert seen.claim("C1", "100.1") is False
    assert seen.claim("C2", "100.1") is True
    assert seen.claim("C1", "100.2") is True


def test_claims_survive_a_restart(backend):
    assert SeenMessages(backend.make()).claim("C1", "1.0") is True
    assert SeenMessages(backend.make()).claim("C1", "1.0") is False


def test_concurrent_claims_have_exactly_one_winner(backend):
    stores = [SeenMessages(backend.make()) for _ in range(8)]     # as eight processes would hold them
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim(seen: SeenMessages) -> None:
        barrier.wait()
        results.append(seen.claim("C1", "5.5"))

    threads = [threading.Thread(target=claim, args=(seen,)) for seen in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_bot_threads(backend):
    threads = BotThreads(backend.make())
    assert ("C1", "1.0") not in threads
    threads.add("C1", "1.0")
    threads.add("C1", "1.0")                                     # answered in again: still one row
    assert ("C1", "1.0") in BotThreads(backend.make())
    assert ("C2", "1.0") not in threads


def test_feedback_export_holds_question_answer_and_citations(tmp_path, backend):
    store = FeedbackStore(backend.make()) if backend.url else FeedbackStore.at_home(tmp_path)
    answer = {"question": "Where?", "abstained": False,
              "answer": [{"text": "In Brest.", "citations": [1]}],
              "citations": [{"n": 1, "passage_id": "p1", "text": "In Brest.", "report": {"title": "T"}}]}
    answer_id = store.save_answer(answer, surface="channel", channel="C1", user="U1")
    assert store.answer(answer_id) == answer
    store.record(answer_id, helpful=True, user="U2", channel="C1")
    store.record(answer_id, helpful=False, user="U3", channel="C1")
    rows = export(SimpleNamespace(home=tmp_path, state_url=backend.url))
    assert [r["helpful"] for r in rows] == [True, False]
    assert rows[0]["question"] == "Where?"
    assert rows[0]["answer"] == answer["answer"] and rows[0]["citations"] == answer["citations"]
    assert rows[1]["user"] == "U3" and rows[1]["surface"] == "channel" and rows[1]["at"]


def test_export_of_an_empty_home_is_empty_and_creates_nothing(tmp_path):
    assert export(SimpleNamespace(home=tmp_path / "nothing")) == []
    assert not (tmp_path / "nothing").exists()


def test_plain_reads_what_the_person_typed():
    text = "<@U0BOT> what did <@U0ALICE|alice> say in <#C01|general> about <https://x.io|x.io> &amp; &lt;b&gt;?"
    assert plain(text, drop_user="U0BOT") == "what did @alice say in #general about x.io & <b>?"
    assert mentions_user(text, "U0BOT") and not mentions_user(text, "U0OTHER")
    assert plain("<@U0BOT>", drop_user="U0BOT") == ""


def test_redaction_filter_scrubs_tokens_and_secrets():
    redactor = RedactSecrets(["s3cr3t-signing-value"])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "token %s secret %s",
                               ("xoxb-123-456-abcdef", "s3cr3t-signing-value"), None)
    redactor.filter(record)
    assert record.getMessage() == "token [redacted-token] secret [redacted]"


def test_old_unrated_answers_are_pruned_and_rated_ones_kept(backend, monkeypatch):
    import bot.state.feedback as feedback

    store = FeedbackStore(backend.make())
    old_rated = store.save_answer({"question": "rated"}, surface="channel")
    old_unrated = store.save_answer({"question": "unrated"}, surface="channel")
    store.record(old_rated, helpful=True, user="U1", channel="C1")
    store.db.run("UPDATE answers SET created_at = '2000-01-01T00:00:00+00:00'")
    monkeypatch.setattr(feedback, "_PRUNE_EVERY", 1)
    fresh = store.save_answer({"question": "fresh"}, surface="channel")
    assert store.answer(old_unrated) is None
    assert store.answer(old_rated) == {"question": "rated"} and store.answer(fresh) == {"question": "fresh"}


def test_an_unreachable_state_database_is_one_line_without_the_password():
    from bot.state.stores import open_state
    from index.errors import UserInputError

    url = "postgresql://dossier:s3cret-pw@127.0.0.1:9/nothing"
    with pytest.raises(UserInputError) as e:
        open_state(SimpleNamespace(home=None, state_url=url))
    assert "DOSSIER_STATE_URL=postgresql://127.0.0.1:9/nothing" in str(e.value)
    assert "cannot reach the state database" in str(e.value) and "s3cret-pw" not in str(e.value)
    assert "\n" not in str(e.value)
