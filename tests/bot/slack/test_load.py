"""Load through the Slack HTTP path: 200 questions from 20 concurrent senders, on loopback.

Bounded in count (200) and time (180 s). Every question is answered exactly once, with no
error reply, and every acknowledgement is inside Slack's 3 s. Run with -s for the figures.
"""
from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path

import pytest

from tests.bot.slack.harness import new_ts

pytestmark = pytest.mark.slow

QUESTIONS = Path(__file__).resolve().parents[3] / "eval" / "gold" / "questions.jsonl"
SENDERS = 20
PER_SENDER = 10


def test_200_questions_from_20_concurrent_senders(slack, slack_bot):
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    questions = [r["question"] for r in rows]
    sent: dict[tuple[str, str], float] = {}
    acks: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def sender(k: int) -> None:
        channel = f"C0LOAD{k:02d}"
        for i in range(PER_SENDER):
            ts = new_ts()
            start = time.perf_counter()
            try:
                _, reply = slack_bot.mention(questions[(k * PER_SENDER + i) % len(questions)], channel=channel, ts=ts)
            except Exception as e:  # noqa: BLE001 - recorded and asserted below
                with lock:
                    errors.append(f"{channel}/{ts}: {e}")
                continue
            with lock:
                sent[(channel, ts)] = start
                acks.append(reply.seconds)

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(sent) == SENDERS * PER_SENDER
    slack.wait_for("chat.postMessage", count=SENDERS * PER_SENDER, timeout=180)
    time.sleep(0.5)                                         # any duplicate would arrive now
    posts = [p for p in slack.posts() if p.args.get("channel", "").startswith("C0LOAD")]
    keys = [(p.args["channel"], p.args.get("thread_ts")) for p in posts]
    assert sorted(keys) == sorted(sent)                      # exactly one answer per question
    assert not [p for p in posts if "sorry" in json.dumps(p.args).lower()]
    latency = sorted(p.at - sent[(p.args["channel"], p.args["thread_ts"])] for p in posts)
    p95 = latency[max(0, math.ceil(0.95 * len(latency)) - 1)]
    print(f"\n200 questions, 20 senders: event -> post p50 {latency[len(latency) // 2] * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {latency[-1] * 1000:.0f} ms; ack max {max(acks) * 1000:.0f} ms")
    assert max(acks) < 3.0
