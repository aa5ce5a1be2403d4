"""bot/slack/manifest.yaml grants what the code uses: every Web API method the bot calls has its scope,
every event it listens to is subscribed, the slash command and interactivity are on."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

BOT = Path(__file__).resolve().parents[3] / "bot" / "slack"

# Web API method (slack_sdk name) -> the bot scopes that allow it (any one suffices; None: no scope).
SCOPES = {
    "auth_test": None,
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    "conversations_replies": {"channels:history", "groups:history", "im:history", "mpim:history"},
    "reactions_add": {"reactions:write"},
    "reactions_remove": {"reactions:write"},
    "views_publish": None,
}
EVENTS = {"app_mention": "app_mention", "message": "message.im", "app_home_opened": "app_home_opened"}


def manifest() -> dict:
    return yaml.safe_load((BOT / "manifest.yaml").read_text())


def slack_source() -> str:
    """Every Slack module of the bot, where the Web API calls and the listeners are."""
    return "\n".join(path.read_text() for path in sorted(BOT.glob("*.py")))


def methods_called() -> set[str]:
    source = slack_source()
    return set(re.findall(r"client\.(\w+)\(", source)) | set(re.findall(r'_react\("(\w+)"', source))


def test_every_method_the_bot_calls_has_its_scope():
    called = methods_called()
    assert {"chat_postMessage", "conversations_replies", "reactions_add", "views_publish"} <= called
    unknown = called - set(SCOPES)
    assert not unknown, f"add these methods (and their scopes) to the manifest and to SCOPES: {unknown}"
    granted = set(manifest()["oauth_config"]["scopes"]["bot"])
    for method in called:
        if SCOPES[method]:
            assert SCOPES[method] & granted, f"{method} needs one of {SCOPES[method]}"
    # Follow-ups are read in every kind of conversation the bot is in.
    assert {"channels:history", "groups:history", "im:history", "mpim:history", "app_mentions:read",
            "commands"} <= granted


def test_every_event_the_app_listens_to_is_subscribed():
    source = slack_source()
    listened = set(re.findall(r'app\.event\("(\w+)"\)', source))
    assert listened == set(EVENTS)
    subscribed = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert {EVENTS[e] for e in listened} <= subscribed
    assert {"message.channels", "message.groups", "message.mpim"} <= subscribed


def test_slash_command_interactivity_home_and_socket_mode():
    m = manifest()
    assert [c["command"] for c in m["features"]["slash_commands"]] == ["/dossier"]
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert m["settings"]["socket_mode_enabled"] is True
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["features"]["app_home"]["messages_tab_enabled"] is True
    assert m["features"]["bot_user"]["display_name"] == "Dossier"
