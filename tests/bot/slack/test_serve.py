"""`serve()`, the `dossier slack` entry point: configuration errors say what to set, and a real
process serves Slack over HTTP against the fake Web API and stops cleanly on SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.slack.server import EVENTS_PATH
from bot.slack.settings import SlackSettings
from bot.slack.start import serve
from tests.bot.slack.fake_slack import APP_TOKEN, BOT_TOKEN
from tests.bot.slack.harness import SIGNING_SECRET, SlackSender, wait_listening
from tests.chroma_server import free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def slack_env(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "env, http, says",
    [
        ({}, False, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, True, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, False, "SLACK_APP_TOKEN is not set"),
    ],
)
def test_missing_configuration_is_one_clear_line_and_exit_2(slack_env, tmp_path, caplog, env, http, says):
    for name, value in env.items():
        slack_env.setenv(name, value)
    assert serve(SimpleNamespace(home=tmp_path), SlackSettings.from_env(os.environ), http=http, port=0) == 2
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and says in errors[0]


def test_a_rejected_token_names_the_fix_and_never_prints_the_token(slack_env, slack, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    slack.fail("auth.test", "invalid_auth")
    slack_env.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    slack_env.setenv("SLACK_APP_TOKEN", APP_TOKEN)
    slack_env.setenv("SLACK_API_URL", slack.api_url.rstrip("/"))  # with or without the slash
    assert serve(SimpleNamespace(home=tmp_path), SlackSettings.from_env(os.environ), http=False, port=0) == 2
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "invalid_auth" in errors[0] and "SLACK_BOT_TOKEN" in errors[0]
    assert BOT_TOKEN not in caplog.text and APP_TOKEN not in caplog.text
    assert slack.calls_to("auth.test")[0].token == BOT_TOKEN  # it did go to SLACK_API_URL


def test_a_busy_port_is_one_clear_line_and_exit_2(slack_env, slack, sample_settings, caplog):
    slack_env.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    slack_env.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    slack_env.setenv("SLACK_API_URL", slack.api_url)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert serve(sample_settings, SlackSettings.from_env(os.environ), http=True, port=port, host="127.0.0.1") == 2
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and f"cannot listen on 127.0.0.1:{port}" in errors[0], errors


def test_serve_http_in_a_real_process_answers_a_signed_event_and_stops_on_sigterm(slack, sample_settings):
    port = free_port()
    env = dict(os.environ, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=slack.api_url, DOSSIER_HOME=str(sample_settings.home), PYTHONUNBUFFERED="1")
    env.pop("SLACK_APP_TOKEN", None)
    code = ("import os, sys; from index.config import Settings; from bot.slack.settings import SlackSettings; "
            "from bot.slack.start import serve; "
            f"sys.exit(serve(Settings.from_env(), SlackSettings.from_env(os.environ), http=True, port={port}, "
            "host='127.0.0.1'))")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = wait_listening(process, port)
        sender = SlackSender(f"http://127.0.0.1:{port}{EVENTS_PATH}", slack)
        ts, reply = sender.mention("How many Belarusian tanks arrived in Kapustin Yar?", channel="C0SERVE")
        assert reply.status == 200
        post = slack.wait_for("chat.postMessage", channel="C0SERVE")[0]
        assert post.args["thread_ts"] == ts and post.token == BOT_TOKEN
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        output = "".join(lines) + process.stdout.read()
        assert BOT_TOKEN not in output and SIGNING_SECRET not in output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
