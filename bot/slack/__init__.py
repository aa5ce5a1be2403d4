"""The Slack bot on slack-bolt: start-up, listeners, policy, streaming, Block Kit messages, the digest.
May import index/, bot/render and bot/state; start.py and wiring.py are imported by nothing below them."""
