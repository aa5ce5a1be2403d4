"""What goes wrong talking to Slack, said in one log line that names the fix; secrets kept out.

Auth and scope errors are not retried (a retry cannot fix a missing scope, and a loop of them is
a retry storm); the bot logs one line and carries on serving other channels. Rate limits are
retried by slack_sdk's RateLimitErrorRetryHandler before they ever reach this module.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable

from slack_sdk.errors import SlackApiError

FIXES = {
    "invalid_auth": "the bot token is not valid: set SLACK_BOT_TOKEN to the app's Bot User "
    "OAuth Token (xoxb-…) from OAuth & Permissions",
    "not_authed": "no token was sent: set SLACK_BOT_TOKEN",
    "token_revoked": "the token was revoked: reinstall the app to the workspace and update "
    "SLACK_BOT_TOKEN",
    "token_expired": "the token expired: turn off token rotation or refresh it, then update "
    "SLACK_BOT_TOKEN",
    "account_inactive": "the bot user is deactivated or the app uninstalled: reinstall the app "
    "and update SLACK_BOT_TOKEN",
    "missing_scope": "add the scope {needed} under OAuth & Permissions (bot/slack/manifest.yaml lists "
    "it) and reinstall the app",
    "not_in_channel": "invite the bot to channel {channel} (`/invite @Dossier`)",
    "channel_not_found": "channel {channel} does not exist or the bot cannot see it; for a "
    "private channel, invite the bot",
    "is_archived": "channel {channel} is archived",
    "msg_too_long": "a message passed Slack's size limit; this is a bug in bot/slack/blocks.py "
    "(please report it with the question)",
    "invalid_blocks": "Slack rejected the message layout; this is a bug in bot/slack/blocks.py "
    "(please report it with the question)",
    "ratelimited": "still rate limited after waiting Retry-After; Slack is throttling this "
    "workspace, answers will resume when it stops",
}

# Errors after which the same call in another channel would fail too.
FATAL = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}


def api_error_code(error: SlackApiError) -> str:
    data = _data(error)
    return str(data.get("error") or "unknown_error")


def describe(method: str, error: SlackApiError, *, channel: str | None = None) -> str:
    """One line: which call failed, Slack's error code, and what to do about it."""
    data = _data(error)
    code = api_error_code(error)
    where = f" in channel {channel}" if channel else ""
    fix = FIXES.get(code)
    if fix is None:
        return f"Slack {method} failed{where}: {code}"
    needed = data.get("needed") or "(Slack did not say which)"
    return f"Slack {method} failed{where}: {code}: " + fix.format(
        needed=needed, channel=channel or "(unknown)"
    )


def _data(error: SlackApiError) -> dict[str, Any]:
    response = getattr(error, "response", None)
    data = getattr(response, "data", None)
    return data if isinstance(data, dict) else {}


# --- secrets out of logs -----------------------------------------------------------------------

_TOKEN = re.compile(r"\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Scrubs Slack tokens and the given secrets from every record a handler emits."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKEN.sub("[redacted-token]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_redaction(secrets: Iterable[str | None], logger: logging.Logger | None = None) -> RedactSecrets:
    """Attach the filter to every handler of `logger` (root by default), where it sees all records."""
    target = logger or logging.getLogger()
    redactor = RedactSecrets(secrets)
    for handler in target.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(redactor)
    return redactor
