"""An answer (the `dossier ask --json` contract) as Slack messages: Block Kit plus a text fallback.

Pure functions: no Slack client, no I/O. One answer becomes one or more messages, each within
Slack's limits (50 blocks, 3,000 characters per section text, 40,000 for `text`), so a long
answer is split, never rejected. Layout is one column (no fields, no tables) to read on a phone.

Every string that comes from a report or a user is escaped. Footnote URLs are shown as the
report wrote them: defanged ones (`fontanka(.)ru`) and DNGTS ones stay inline code, never links,
and DNGTS ones carry a visible warning.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, TypedDict
from urllib.parse import urlsplit

from bot.render.answer_mode import mode_line
from bot.render.marker import printed_marker
from bot.render.page_label import place_label
from bot.render.report_title import report_title
from bot.slack.text import clip, code, date_label, escape, mention, pack_lines
from bot.render.unanswered import unanswered_line

MAX_BLOCKS = 50
SECTION_CHARS = 3_000
TEXT_CHARS = 40_000
# Slack accepts up to 50 x 3,000 characters of blocks, but a message that long is unreadable
# on a phone and flirts with Slack's undocumented payload ceiling: keep each one much smaller.
MESSAGE_CHARS = 12_000
FALLBACK_CHARS = 3_000
URL_CHARS = 400

ACTION_HELPFUL = "feedback_helpful"
ACTION_NOT_HELPFUL = "feedback_not_helpful"
ACTION_SHARE = "share_answer"
ACTION_COPY = "copy_with_sources"

NOTE_MISSING = "note not available in the ingested copy"
NOTE_REDACTED = "note redacted in the report (printed with its number only)"
NOTE_UNPLACED = (
    "unplaced: the report's endnotes are unnumbered and none could be tied to this marker "
    "with confidence"
)
DNGTS_WARNING = ":warning: *do not visit* (marked DNGTS in the report)"

_DEFANGED = re.compile(r"\(\.\)|\[\.\]|\{\.\}|\[:\]|\(:\)|^hxxps?|\[dot\]|\(dot\)", re.IGNORECASE)
_LINKABLE = re.compile(r"^https?://[^\s<>|`\"]+$", re.IGNORECASE)
_URLISH = re.compile(r"\S*(?:://|\(\.\)|\[\.\])\S*")


class Message(TypedDict):
    text: str
    blocks: list[dict[str, Any]]


def answer_messages(
    answer: Mapping[str, Any],
    *,
    answer_id: str | None = None,
    shareable: bool = False,
    show_question: bool = False,
    shared_by: str | None = None,
) -> list[Message]:
    """The messages that show one answer, in posting order.

    answer_id: adds the feedback buttons (helpful / not helpful) to the last message.
    shareable: adds a "Post to channel" button (for ephemeral slash-command answers).
    show_question: repeats the question on top (where it is not already visible above).
    shared_by: a user id, shown as "<@U…> shared this answer".
    """
    groups: list[list[dict[str, Any]]] = [
        _intro_blocks(answer, show_question=show_question, shared_by=shared_by)
        + _scope_blocks(answer)
        + (_summary_blocks(answer) if answer.get("summary") and answer.get("answer") else _answer_blocks(answer))
        + _mode_blocks(answer)
    ]
    for citation in answer.get("citations") or []:
        groups.append(_citation_blocks(citation, closest=bool(answer.get("abstained"))))
    tail = _action_blocks(answer_id, shareable=shareable)
    return _pack(groups, tail)


def progress_message(model: str, sentences: Iterable[Mapping[str, Any]]) -> Message:
    """A generated answer while it is written: only sentences already checked against the
    reports are shown; the final update replaces all of it with the whole answer."""
    head = f":writing_hand: Writing an answer with {escape(model)}; each sentence shows once it is checked against the reports…"
    blocks = [_context(clip(head, SECTION_CHARS))]
    body = " ".join(
        f"{escape(str(s.get('text') or '').strip())} {''.join(f'[{n}]' for n in s.get('citations') or [])}".strip()
        for s in sentences
    )
    if body:
        blocks.insert(0, _section(clip(body, SECTION_CHARS)))
    return {"text": clip(body or head, FALLBACK_CHARS), "blocks": blocks}


def error_message(text: str) -> Message:
    """A short plain notice (apologies, hints): escaped, no blocks needed."""
    safe = escape(text)
    return {"text": safe, "blocks": [_section(safe)]}


# --- the parts of an answer -------------------------------------------------------------------


def _intro_blocks(
    answer: Mapping[str, Any], *, show_question: bool, shared_by: str | None
) -> list[dict[str, Any]]:
    lines = []
    who = mention(shared_by)
    if who:
        lines.append(f"{who} shared this answer from Dossier.")
    question = str(answer.get("question") or "").strip()
    if (show_question or who) and question:
        lines.append(f"*Question:* {escape(question)}")
    return [_section(chunk) for chunk in pack_lines(lines, SECTION_CHARS)] if lines else []


def _answer_blocks(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    if answer.get("abstained") or not answer.get("answer"):
        lines = [":grey_question: *The reports don't answer this.*"]
        if answer.get("citations"):
            lines.append(
                "Below is the closest material I found. It is *not* an answer: read it as context only."
            )
        else:
            lines.append("Nothing in the ingested reports came close.")
        return [_section("\n".join(lines))]
    sentences = []
    for sentence in answer.get("answer") or []:
        marks = "".join(f"[{n}]" for n in sentence.get("citations") or [])
        text = escape(str(sentence.get("text") or "").strip())
        sentences.append(f"{text} {marks}".strip())
    # One paragraph reads best; pack_lines only cuts it when it passes the section limit.
    blocks = [_section(chunk) for chunk in pack_lines([" ".join(sentences)], SECTION_CHARS)]
    if answer.get("unanswered"):
        blocks.append(_context(clip(escape(unanswered_line(answer["unanswered"])), SECTION_CHARS)))
    return blocks


def _scope_blocks(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the scope searched ("Searched reports from 2020-09-15 on"), shown back on top."""
    searched = (answer.get("scope") or {}).get("searched")
    return [_context(clip(":mag: " + escape(str(searched)) + ".", SECTION_CHARS))] if searched else []


def _summary_blocks(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A summary: each report's title, then its key judgments as bullets with their citations."""
    lines: list[str] = []
    sentences = list(answer.get("answer") or [])
    for part in answer.get("summary") or []:
        head = escape(str(part.get("title") or "Untitled report"))
        lines.append(_bold(head) + (f" ({escape(date_label(part.get('date')))})" if part.get("date") else ""))
        for sentence in sentences[: int(part.get("sentences") or 0)]:
            marks = "".join(f"[{n}]" for n in sentence.get("citations") or [])
            lines.append(f"• {escape(str(sentence.get('text') or '').strip())} {marks}".rstrip())
        sentences = sentences[int(part.get("sentences") or 0):]
    return [_section(chunk) for chunk in pack_lines(lines, SECTION_CHARS)]


def copy_messages(markdown: str) -> list[Message]:
    """The paste-ready Markdown of an answer (bot/render/markdown.py) as code blocks, for an ephemeral
    reply: code keeps every character (no links, no mentions) and is copied in one click."""
    chunks = pack_lines([escape(line) for line in markdown.splitlines()] or [" "], SECTION_CHARS - 10)
    blocks = [_context("Copy with sources: the answer as Markdown with footnotes, to paste into your document.")]
    blocks += [_section("```" + chunk + "```") for chunk in chunks]
    return [{"text": clip(escape(markdown), FALLBACK_CHARS), "blocks": blocks[i:i + MAX_BLOCKS]}
            for i in range(0, len(blocks), MAX_BLOCKS)]


def digest_messages(news: Mapping[str, Any]) -> list[Message]:
    """One ingest's news for the digest channel (index.engine.Dossier.news): each new report's
    title, date, authors and summary with its sources; for each updated report what changed;
    removed reports by title. [] when the ingest changed no report."""
    added, updated, removed = news.get("added") or [], news.get("updated") or [], news.get("removed") or []
    if not (added or updated or removed):
        return []
    counts = ", ".join(f"{n} {what}" for n, what in ((len(added), "new"), (len(updated), "updated"),
                                                       (len(removed), "removed")) if n)
    groups: list[list[dict[str, Any]]] = [[_section(f":newspaper: *New in Dossier:* {counts} report"
                                                    f"{'s' if len(added) + len(updated) + len(removed) != 1 else ''}")]]
    for item in added:
        report, summary = item.get("report") or {}, item.get("summary") or {}
        byline = " · ".join(p for p in (date_label(report.get("date")) or "undated", _authors(report.get("authors")),
                                        escape(str(report.get("publisher") or ""))) if p)
        head = [_section(f"*New:* {_bold(escape(report_title(report)))}\n{byline}")]
        body = _summary_blocks(summary) if summary.get("answer") else [_context("No key judgments found to quote.")]
        group = [{"type": "divider"}] + head + body
        for citation in summary.get("citations") or []:
            group += [_section(chunk) for chunk in pack_lines(
                [f"*[{citation.get('n', '?')}]* sources:"] + _source_lines(citation)[1:], SECTION_CHARS)]
        groups.append(group)
    for item in updated:
        report = item.get("report") or {}
        lines = [f"*Updated:* {_bold(escape(report_title(report)))}" + (f" ({date_label(report.get('date'))})"
                                                                          if report.get("date") else "")]
        changes = []
        if item.get("passages_added"):
            changes.append(f"{item['passages_added']} passage{'s' if item['passages_added'] != 1 else ''} added")
        if item.get("passages_removed"):
            changes.append(f"{item['passages_removed']} passage{'s' if item['passages_removed'] != 1 else ''} removed")
        notes = item.get("notes_available") or []
        if notes:
            changes.append(f"{len(notes)} note{'s' if len(notes) != 1 else ''} now available: "
                           + ", ".join(escape(printed_marker(n.get("marker"))) for n in notes))
        lines.append("; ".join(changes) or "re-read; no passage or note changed")
        group = [{"type": "divider"}, _section("\n".join(lines))]
        if notes:
            group += [_section(chunk) for chunk in pack_lines(_source_lines({"footnotes": notes})[1:], SECTION_CHARS)]
        groups.append(group)
    if removed:
        lines = ["*Removed:* " + "; ".join(escape(str(r.get("title") or r.get("id") or "untitled"))
                                           + (f" ({r['date']})" if r.get("date") else "") for r in removed)]
        groups.append([{"type": "divider"}, _section(clip(lines[0], SECTION_CHARS))])
    return _pack(groups, [])


def _mode_blocks(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    line = mode_line(answer)
    return [_context(clip(escape(line), SECTION_CHARS))] if line else []


def _citation_blocks(citation: Mapping[str, Any], *, closest: bool) -> list[dict[str, Any]]:
    report = citation.get("report") or {}
    n = citation.get("n", "?")
    label = f"Closest passage {n}" if closest else f"[{n}]"
    title = escape(report_title(report))
    byline = " · ".join(
        part
        for part in (date_label(report.get("date")), place_label(citation), _authors(report.get("authors")))
        if part
    )
    heading = f"*{label}* {_bold(title)}\n{byline}" if byline else f"*{label}* {_bold(title)}"
    quote = [
        "> " + piece
        for paragraph in str(citation.get("text") or "").splitlines()
        if paragraph.strip()
        for piece in pack_lines([escape(paragraph.strip())], SECTION_CHARS - 10)
    ]
    blocks = [{"type": "divider"}]
    blocks += [_section(chunk) for chunk in pack_lines([heading] + quote, SECTION_CHARS)]
    blocks += [_section(chunk) for chunk in pack_lines(_source_lines(citation), SECTION_CHARS)]
    return blocks


def _source_lines(citation: Mapping[str, Any]) -> list[str]:
    footnotes = citation.get("footnotes") or []
    if not footnotes:
        return ["_No footnote markers in this passage._"]
    lines = ["*Sources (the report's footnotes)*"]
    for note in footnotes:
        marker = escape(printed_marker(note.get("marker")))
        status = note.get("status")
        if status == "missing":
            lines.append(f"• Note {marker}: {NOTE_MISSING}")
            continue
        if status == "redacted":
            lines.append(f"• Note {marker}: {NOTE_REDACTED}")
            continue
        urls = [str(u) for u in note.get("urls") or []]
        dngts = {str(u) for u in note.get("dngts_urls") or []}
        if note.get("dngts") and not dngts:
            dngts = set(urls)  # flagged DNGTS without saying which URL: treat them all as such
        prefix = f"• Note {marker}: {NOTE_UNPLACED}" if status == "unplaced" else f"• Note {marker}:"
        parts = [_url(u, dangerous=u in dngts) for u in urls]
        if note.get("dngts") and not urls:
            parts.append(DNGTS_WARNING)
        prose = _prose(str(note.get("text") or ""), urls)
        if prose:
            parts.append(f"_{prose}_")
        if not parts and status != "unplaced":
            parts.append(NOTE_MISSING)
        if not parts:
            lines.append(prefix)
        elif status == "unplaced":
            lines.append(f"{prefix}. Possible sources: " + " · ".join(parts))
        else:
            lines.append(f"{prefix} " + " · ".join(parts))
    return lines


def _url(url: str, *, dangerous: bool) -> str:
    shown = clip(url, URL_CHARS)
    if dangerous:
        return f"{DNGTS_WARNING}: {code(shown)}"
    if _DEFANGED.search(url) or not _LINKABLE.match(url) or len(url) > URL_CHARS:
        return code(shown)
    href = escape(url)  # `|` cannot appear: _LINKABLE excludes it
    return f"<{href}|{escape(_link_label(url))}>"


def _link_label(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return clip(host + path, 60).replace("|", "¦")


def _prose(text: str, urls: Iterable[str]) -> str:
    """The note's words once its URLs and DNGTS labels are gone; "" when only punctuation is left."""
    rest = text
    for url in sorted(urls, key=len, reverse=True):
        # the URL and the separator after it go: "Reuters, “Title,” https://…, accessed May 1" keeps its commas
        rest = re.sub(re.escape(url) + r"\s*[,;]?", " ", rest.replace(f"<{url}>", " ").replace(f"({url})", " "))
    rest = re.sub(r"DNGTS:?", " ", rest)
    if len(re.findall(r"[^\W\d_]{2,}", rest)) < 3:
        return ""
    rest = re.sub(r"\s+([;,])", r"\1", re.sub(r"\s+", " ", rest)).strip(" ;,.")
    # Any URL-like token left in prose stays inline code, so Slack never auto-links it.
    pieces, last = [], 0
    for m in _URLISH.finditer(rest):
        pieces.append(escape(rest[last : m.start()]).replace("_", " "))
        pieces.append(code(m.group(0)))
        last = m.end()
    pieces.append(escape(rest[last:]).replace("_", " "))
    return clip("".join(pieces).strip(), 600)


def _action_blocks(answer_id: str | None, *, shareable: bool) -> list[dict[str, Any]]:
    if not answer_id:
        return []
    elements = []
    if shareable:
        elements.append(_button("Post to channel", ACTION_SHARE, answer_id, style="primary"))
    elements.append(_button("Copy with sources", ACTION_COPY, answer_id))
    elements.append(_button(":thumbsup: Helpful", ACTION_HELPFUL, answer_id))
    elements.append(_button(":thumbsdown: Not helpful", ACTION_NOT_HELPFUL, answer_id))
    return [{"type": "actions", "block_id": "dossier_actions", "elements": elements}]


# --- packing into messages ---------------------------------------------------------------------


def _pack(groups: list[list[dict[str, Any]]], tail: list[dict[str, Any]]) -> list[Message]:
    """Greedy packing: a citation stays in one message unless it alone is too big."""
    room = MAX_BLOCKS - 1 - len(tail)  # one block kept for the "part k of n" label
    messages: list[list[dict[str, Any]]] = [[]]
    size = 0

    def fits(blocks: list[dict[str, Any]], chars: int) -> bool:
        return len(messages[-1]) + len(blocks) <= room and size + chars <= MESSAGE_CHARS

    for group in groups:
        chars = sum(_chars(b) for b in group)
        if messages[-1] and not fits(group, chars):
            messages.append([])
            size = 0
        for block in group:
            if messages[-1] and not fits([block], _chars(block)):
                messages.append([])
                size = 0
            if not messages[-1] and block["type"] == "divider":
                continue  # a message never opens with a rule
            messages[-1].append(block)
            size += _chars(block)
    messages = [m for m in messages if m] or [[_section("(empty answer)")]]
    total = len(messages)
    out: list[Message] = []
    for i, blocks in enumerate(messages, start=1):
        if total > 1:
            blocks = [_context(f"Answer, part {i} of {total}")] + blocks
        if i == total:
            blocks = blocks + tail
        out.append({"text": _fallback(blocks, i, total), "blocks": blocks})
    return out


def _fallback(blocks: list[dict[str, Any]], part: int, total: int) -> str:
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    text = "\n".join(texts)
    if total > 1:
        text = f"(part {part} of {total})\n{text}"
    return clip(text, FALLBACK_CHARS)


def _chars(block: Mapping[str, Any]) -> int:
    if block["type"] == "section":
        return len(block["text"]["text"])
    if block["type"] == "context":
        return sum(len(e.get("text", "")) for e in block["elements"])
    return 0


# --- small builders ----------------------------------------------------------------------------


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]}


def _button(label: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _bold(text: str) -> str:
    # An asterisk inside the title would end the bold run early.
    return "*" + text.replace("*", "∗") + "*"


def _authors(value: Any) -> str:
    if isinstance(value, str):
        names = [value] if value.strip() else []
    else:
        names = [str(a) for a in value or [] if str(a).strip()]
    if not names:
        return ""
    shown = ", ".join(escape(a) for a in names[:3])
    return "By " + (shown + " et al." if len(names) > 3 else shown)
