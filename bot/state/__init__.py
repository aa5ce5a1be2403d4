"""The bot's state: Slack event deduplication, thread memory and feedback, in SQLite under the home or
PostgreSQL (DOSSIER_STATE_URL). May import index/ and bot/render; never bot/slack or the CLI."""
