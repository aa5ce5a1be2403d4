"""Two bot processes, one shared state database: every question answered exactly once.

Two real `dossier slack --http` processes (each with its own copy of the index home, so they
share nothing but DOSSIER_STATE_URL's PostgreSQL, a real server started here) behind the fake
Slack. 200 questions from 20 senders: each is delivered to one process and, at the same
moment, Slack's retry of it (X-Slack-Retry-Num) to the other; channel mentions also arrive as
their `message` twin. Each question must get exactly one answer in its thread; a follow-up
in a thread one process answered is recognised by the other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.slack.server import EVENTS_PATH
from tests.bot.slack.fake_slack import BOT_TOKEN, BOT_USER
from tests.bot.slack.harness import SIGNING_SECRET, SlackSender, new_ts, wait_listening
from tests.chroma_server import free_port
from tests.postgres_server import postgres_server

ROOT = Path(__file__).resolve().parents[3]
QUESTIONS = [
    "Which Russian unit has trained with Belarusian forces since September 17?",
    "How many Belarusian tanks arrived in Kapustin Yar?",
    "When did this year's Kavkaz strategic exercise get underway?",
    "What did Lukashenko say about Russia and Belarus?",
    "Which air defense deal did Almaz-Antey sign?",
]
SENDERS = [f"U0SENDER{i:02d}" for i in range(20)]
PER_SENDER = 10                                # 20 x 10 = 200 questions


@pytest.fixture(scope="module")
def state_url():
    with postgres_server() as url:
        yield url


def _start(home: Path, port: int, state_url: str, api_url: str) -> subprocess.Popen:
    env = dict(os.environ, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api_url,
               DOSSIER_HOME=str(home), DOSSIER_STATE_URL=state_url, PYTHONUNBUFFERED="1")
    env.pop("SLACK_APP_TOKEN", None)
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "slack", "--http", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _wait_listening(process: subprocess.Popen, port: int) -> None:
    wait_listening(process, port)
    threading.Thread(target=process.stdout.read, daemon=True).start()   # keep the pipe drained


def test_two_processes_answer_each_question_exactly_once(tmp_path, slack, sample_settings, state_url):
    homes = [tmp_path / "home-1", tmp_path / "home-2"]
    for home in homes:
        shutil.copytree(sample_settings.home, home)
    ports = [free_port(), free_port()]
    processes = [_start(h, p, state_url, slack.api_url) for h, p in zip(homes, ports)]
    try:
        for process, port in zip(processes, ports):
            _wait_listening(process, port)
        bots = [SlackSender(f"http://127.0.0.1:{p}{EVENTS_PATH}", slack) for p in ports]
        started = time.monotonic()

        def deliver(i: int, sender: str, question: str) -> tuple[str, str]:
            """One question: the first delivery to one process, its retry to the other at once."""
            channel, ts = f"C0TEAM{i % 4}", new_ts()
            text = f"<@{BOT_USER}> {question}"
            slack.add_message(channel, ts, text, user=sender)
            mention = {"type": "app_mention", "user": sender, "text": text, "ts": ts, "channel": channel,
                       "event_ts": ts}
            twin = dict(mention, type="message", channel_type="channel")
            first, other = bots[i % 2], bots[(i + 1) % 2]
            event_id = f"EvQ{i:05d}"
            with ThreadPoolExecutor(3) as pool:
                replies = [pool.submit(first.event, mention, event_id=event_id),
                           pool.submit(other.event, mention, event_id=event_id, retry_num=1),
                           pool.submit(other.event, twin, event_id=f"EvT{i:05d}")]
                assert all(r.result().status == 200 for r in replies)
            return channel, ts

        work = [(n * len(SENDERS) + k, sender, QUESTIONS[(n + k) % len(QUESTIONS)])
                for n in range(PER_SENDER) for k, sender in enumerate(SENDERS)]
        with ThreadPoolExecutor(8) as pool:
            asked = list(pool.map(lambda w: deliver(*w), work))
        assert len(set(asked)) == 200

        # every question answered: wait for 200 threads with a reply, then for silence
        deadline = time.monotonic() + 50
        while time.monotonic() < deadline:
            answered = {(c.args.get("channel"), c.args.get("thread_ts")) for c in slack.posts()}
            if len(answered & set(asked)) == len(asked):
                break
            time.sleep(0.2)
        slack.quiet(1.0)
        per_question = {q: 0 for q in asked}
        for call in slack.posts():
            key = (call.args.get("channel"), call.args.get("thread_ts"))
            if key in per_question:
                per_question[key] += 1
        missing = [q for q, n in per_question.items() if n == 0]
        doubled = [q for q, n in per_question.items() if n > 1]
        assert not missing and not doubled, (len(missing), len(doubled))
        seconds = time.monotonic() - started
        print(f"200 questions, 600 deliveries, two processes: all answered once in {seconds:.1f} s")

        # a follow-up without a mention in a thread process 1 answered reaches process 2: still ours
        channel, ts = asked[0]
        follow = new_ts()
        slack.add_message(channel, follow, "And when did it start?", user=SENDERS[0], thread_ts=ts)
        bots[1].event({"type": "message", "user": SENDERS[0], "text": "And when did it start?", "ts": follow,
                       "channel": channel, "event_ts": follow, "thread_ts": ts, "channel_type": "channel"})
        replies = slack.wait_for("chat.postMessage", 2, timeout=20, channel=channel, thread_ts=ts)
        assert len(replies) == 2
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                assert process.wait(timeout=15) == 0
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
