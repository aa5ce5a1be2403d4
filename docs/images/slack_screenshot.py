"""Render the bot's real Block Kit messages for one answer as a Slack-like HTML page.

    dossier ask --home H --json "QUESTION" > answer.json
    .venv/bin/python docs/images/slack_screenshot.py answer.json > page.html
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
        --user-data-dir=$(mktemp -d) --window-size=760,600 --screenshot=docs/images/slack-answer.png page.html

The messages come from bot/slack/blocks.py `answer_messages`, as the bot posts them; only the
mrkdwn-to-HTML step below is ours (bold, code, quotes, links, a few emoji).
"""
from __future__ import annotations

import json
import re
import sys
from html import escape

from bot.slack.blocks import answer_messages

EMOJI = {":thumbsup:": "👍", ":thumbsdown:": "👎", ":warning:": "⚠️", ":mag:": "🔍", ":grey_question:": "❔"}


def mrkdwn(text: str) -> str:
    """Slack mrkdwn to HTML (the bot already escaped report text: &amp; &lt; &gt;; a quote is a raw "> ")."""
    codes: list[str] = []
    text = re.sub(r"`([^`]+)`", lambda m: codes.append(m.group(1)) or f"\0{len(codes) - 1}\0", text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r'<a href="\1">\2</a>', text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", text)
    text = re.sub(r"(?<!\w)_([^_\n]+)_(?!\w)", r"<i>\1</i>", text)
    for name, char in EMOJI.items():
        text = text.replace(name, char)
    lines = [f"<blockquote>{ln[2:]}</blockquote>" if ln.startswith("> ") else ln + "<br>"
             for ln in text.split("\n")]
    html = "".join(lines)
    return re.sub(r"\0(\d+)\0", lambda m: f"<code>{codes[int(m.group(1))]}</code>", html)


def block(b: dict) -> str:
    if b["type"] == "section":
        return f'<div class="section">{mrkdwn(b["text"]["text"])}</div>'
    if b["type"] == "context":
        return '<div class="context">' + " ".join(mrkdwn(e.get("text", "")) for e in b["elements"]) + "</div>"
    if b["type"] == "divider":
        return "<hr>"
    if b["type"] == "actions":
        return '<div class="actions">' + "".join(
            f'<span class="button">{mrkdwn(e["text"]["text"])}</span>' for e in b["elements"]) + "</div>"
    return ""


CSS = """body{font:15px/1.46 Lato,'Liberation Sans','DejaVu Sans',sans-serif;color:#1d1c1d;margin:0;background:#fff}
.msg{display:flex;padding:10px 20px}.avatar{width:36px;height:36px;border-radius:6px;margin-right:10px;flex:none;
color:#fff;font-weight:bold;text-align:center;line-height:36px}.name{font-weight:900}.app{font-size:10px;background:#e8e8e8;
color:#616061;padding:1px 3px;border-radius:2px;margin-left:4px}.time{color:#616061;font-size:12px;margin-left:6px}
.section{margin:4px 0}hr{border:0;border-top:1px solid #ddd;margin:8px 0}blockquote{border-left:4px solid #ddd;
margin:4px 0;padding-left:10px}code{font:12px monospace;color:#e01e5a;background:#f6f6f6;border:1px solid #ddd;
border-radius:3px;padding:1px 3px}.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;
margin:6px 8px 0 0;font-weight:bold;font-size:13px}.context{color:#616061;font-size:12px}.mention{color:#1264a3;
background:#e8f5fa}.thread{color:#616061;font-size:13px;padding:4px 20px;border-bottom:1px solid #ddd}"""


def page(answer: dict) -> str:
    question = escape(answer["question"])
    asked = (f'<div class="msg"><div class="avatar" style="background:#4a7c59">A</div><div><span class="name">'
             f'Analyst</span><span class="time">9:41 AM</span><div class="section"><span class="mention">@Dossier'
             f'</span> {question}</div></div></div><div class="thread">Thread reply</div>')
    replies = "".join(
        f'<div class="msg"><div class="avatar" style="background:#2b4a6f">D</div><div><span class="name">Dossier'
        f'</span><span class="app">APP</span><span class="time">9:41 AM</span>{"".join(map(block, m["blocks"]))}'
        f"</div></div>" for m in answer_messages(answer, answer_id="example"))
    return f'<!doctype html><meta charset="utf-8"><style>{CSS}</style>{asked}{replies}'


if __name__ == "__main__":
    sys.stdout.write(page(json.load(open(sys.argv[1], encoding="utf-8"))))
