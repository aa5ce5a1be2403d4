"""An answer as people read it outside Slack: the terminal, paste-ready Markdown, and the small labels
(page, title, mode, unanswered parts) Slack shares. Imports index/ only, never bot/slack, bot/state or the CLI."""
