"""The Slack settings: read once from the environment at the edge, then passed down.

    slack = SlackSettings.from_env(os.environ)
    slack.connects       # a bot token and a way in (app token or signing secret)
    slack.socket_mode    # an app token is set: Socket Mode, else HTTP

Tokens and the signing secret are left out of repr, so a logged settings object shows none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str = field(default="", repr=False)       # SLACK_BOT_TOKEN, xoxb-…
    app_token: str = field(default="", repr=False)       # SLACK_APP_TOKEN, xapp-… (Socket Mode)
    signing_secret: str = field(default="", repr=False)  # SLACK_SIGNING_SECRET (HTTP mode)
    api_url: str | None = None                           # SLACK_API_URL: a proxy or a test fake
    digest_channel: str = ""                             # DOSSIER_DIGEST_CHANNEL: where new reports are announced

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SlackSettings:
        def get(name: str) -> str:
            return (environ.get(name) or "").strip()

        return cls(bot_token=get("SLACK_BOT_TOKEN"), app_token=get("SLACK_APP_TOKEN"),
                   signing_secret=get("SLACK_SIGNING_SECRET"), api_url=get("SLACK_API_URL") or None,
                   digest_channel=get("DOSSIER_DIGEST_CHANNEL"))

    @property
    def connects(self) -> bool:
        """Enough to start the bot: a bot token, and an app token or a signing secret."""
        return bool(self.bot_token and (self.app_token or self.signing_secret))

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def secrets(self) -> list[str]:
        """Every secret, for the log's redaction filter."""
        return [self.bot_token, self.app_token, self.signing_secret]
