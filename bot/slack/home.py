"""The App Home tab: what Dossier knows (from `Dossier.stats()`) and how to ask it. Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from bot.render.report_title import report_title
from bot.slack.text import clip, date_label, escape

RECENT_REPORTS = 10

HOW_TO_ASK = "\n".join(
    [
        "*How to ask*",
        "• In a channel: `@Dossier your question`. I answer in the thread of your message.",
        "• Follow-ups: reply in my thread; I read the thread's earlier questions as context.",
        "• Here in *Messages*: just type the question.",
        "• Privately anywhere: `/dossier your question`. Only you see the answer, with a "
        "*Post to channel* button.",
        "",
        "Answers quote the reports word for word, with each passage's footnote sources. "
        "When the reports don't answer a question I say so and show the closest passages, "
        "marked as such. Sources the reports flag DNGTS carry :warning: *do not visit*; "
        "defanged links such as `example(.)com` are shown as written, never as links. "
        "Use :thumbsup: / :thumbsdown: under an answer to tell the maintainers how it went.",
    ]
)


def home_view(stats: Mapping[str, Any] | None, reports: Sequence[Mapping[str, Any]] = ()) -> dict:
    """The `views.publish` view. `stats` None means the index could not be read."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Dossier", "emoji": False}},
    ]
    if stats is None:
        blocks.append(_section(
            ":warning: I can't read my index right now, so I can't answer questions. "
            "A maintainer can find the reason in the bot's log."
        ))
    elif not stats.get("reports"):
        blocks.append(_section(
            "No reports are ingested yet, so I have nothing to answer from. "
            "A maintainer can add some with `dossier ingest PATH`."
        ))
    else:
        blocks.append(_section(_knows(stats)))
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": _last_ingest(stats), "verbatim": True}
        ]})
    blocks.append({"type": "divider"})
    blocks.append(_section(HOW_TO_ASK))
    recent = _recent(reports)
    if recent:
        blocks.append({"type": "divider"})
        blocks.append(_section(recent))
    return {"type": "home", "blocks": blocks}


def _knows(stats: Mapping[str, Any]) -> str:
    n = int(stats.get("reports") or 0)
    passages = int(stats.get("passages") or 0)
    first, last = stats.get("first_date"), stats.get("last_date")
    span = ""
    if first and last:
        span = (f", dated *{date_label(first)}* to *{date_label(last)}*" if first != last
                else f", dated *{date_label(first)}*")
    noun = "report" if n == 1 else "reports"
    return (
        f"I answer questions about *{n} analytical {noun}*{span} "
        f"({passages:,} passages), quoting the passages and the footnote sources behind them."
    )


def _last_ingest(stats: Mapping[str, Any]) -> str:
    when = stats.get("last_ingest")
    shown = "unknown"
    if isinstance(when, (int, float)):
        shown = dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    elif when:
        shown = escape(str(when))
    model = stats.get("model")
    return f"Last ingest: {shown}" + (f" · model: {escape(str(model))}" if model else "")


def _recent(reports: Sequence[Mapping[str, Any]]) -> str:
    dated = sorted(reports, key=lambda r: str(r.get("date") or ""), reverse=True)
    lines = []
    for report in dated[:RECENT_REPORTS]:
        title = clip(escape(report_title(report)), 150)
        lines.append(f"• {title} · {date_label(report.get('date'))}")
    if not lines:
        return ""
    more = len(reports) - len(lines)
    head = "*Newest reports*"
    return "\n".join([head] + lines + ([f"_…and {more} more_"] if more > 0 else []))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000), "verbatim": True}}
