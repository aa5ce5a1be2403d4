"""An answer as paste-ready Markdown: the quoted sentences with footnote references (`[^a1b2-1]`)
and one footnote per cited passage giving the report (title, publisher, date, pages where known)
and that passage's own note sources as the report wrote them.

    text = answer_markdown(answer, publishers={"2020-09-17-…": "Institute for the Study of War (ISW)"})

Labels carry a prefix derived from the answer itself, so two answers pasted one after the other
into the same document keep distinct footnotes. Links are never made live: a defanged link
(`fontanka(.)ru`) is left as written, and a source the report marks DNGTS is put in code and
labelled "DNGTS: do not visit".
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Mapping

from bot.render.marker import printed_marker
from bot.render.page_label import place_label
from bot.render.report_title import report_title
from bot.render.unanswered import unanswered_line

DNGTS_LABEL = "**DNGTS: do not visit**"


def label_prefix(answer: Mapping[str, Any]) -> str:
    """Four hex digits from the question and the quoted sentences: the same answer gets the
    same labels, another answer (almost surely) other ones."""
    key = "\n".join([str(answer.get("question") or "")] + [str(s.get("text") or "") for s in answer.get("answer") or []]
                    + [str(c.get("passage_id") or "") for c in answer.get("citations") or []])
    return hashlib.sha1(key.encode()).hexdigest()[:4]


def answer_markdown(answer: Mapping[str, Any], *, publishers: Mapping[str, str] | None = None) -> str:
    prefix = label_prefix(answer)
    ref = lambda n: f"[^{prefix}-{n}]"            # noqa: E731 - one-line helper
    out: list[str] = []
    question = str(answer.get("question") or "").strip()
    if question:
        out += [f"**Q:** {_inline(question)}", ""]
    if answer.get("scope", {}).get("searched"):
        out += [f"_{_inline(answer['scope']['searched'])}._", ""]
    citations = answer.get("citations") or []
    if answer.get("abstained") or not answer.get("answer"):
        out.append("The reports don't say.")
        if citations:
            out.append("Closest material (not an answer): " + " ".join(ref(c["n"]) for c in citations))
    elif answer.get("summary"):
        sentences = list(answer["answer"])
        for part in answer["summary"]:
            head = part.get("title") or "Untitled report"
            out.append(f"**{_inline(head)}**" + (f" ({part['date']})" if part.get("date") else ""))
            for s in sentences[:part["sentences"]]:
                out.append(f"- {_inline(s['text'])}" + "".join(ref(n) for n in s.get("citations") or []))
            sentences = sentences[part["sentences"]:]
            out.append("")
    else:
        out.append(" ".join(_inline(str(s["text"]).strip()) + "".join(ref(n) for n in s.get("citations") or [])
                            for s in answer["answer"]))
        if answer.get("unanswered"):
            out += ["", _inline(unanswered_line(answer["unanswered"]))]
    out.append("")
    for c in citations:
        out.append(f"{ref(c['n'])}: " + footnote(c, publishers or {}))
    return "\n".join(out).rstrip() + "\n"


def footnote(citation: Mapping[str, Any], publishers: Mapping[str, str]) -> str:
    report = citation.get("report") or {}
    parts = [f"“{_inline(report_title(report))}”"]
    publisher = publishers.get(str(report.get("id") or ""), "")
    for value in (publisher, report.get("date") or "", place_label(citation)):
        if value:
            parts.append(_inline(str(value)))
    line = ", ".join(parts) + "."
    if citation.get("kind") == "note":
        line += " (Quoted from the report's own footnote.)"
    notes = [note_source(f) for f in citation.get("footnotes") or []]
    if notes:
        line += " Sources: " + "; ".join(notes)
    return line


def note_source(note: Mapping[str, Any]) -> str:
    """One note as the report wrote it, marker first; DNGTS links in code and labelled."""
    marker = f"[{printed_marker(note.get('marker'))}]"
    status = note.get("status")
    if status == "missing":
        return f"{marker} note not available in the ingested copy."
    if status == "redacted":
        return f"{marker} note redacted in the report."
    text = " ".join(str(note.get("text") or "").split())
    dngts = [str(u) for u in note.get("dngts_urls") or []]
    for url in sorted(dngts, key=len, reverse=True):
        text = text.replace(url, f"`{url}`") if url in text else text + f" `{url}`"
    if dngts or note.get("dngts"):
        text = f"{DNGTS_LABEL}: {text}" if text else DNGTS_LABEL
    if not text:
        text = "; ".join(str(u) for u in note.get("urls") or []) or "(no sources)"
    if status == "unplaced":
        text = f"(unplaced: not tied to this marker with confidence) {text}"
    return f"{marker} {text}"


def _inline(text: str) -> str:
    """Report text in a Markdown line: a footnote-looking `[^…]` cannot start a reference."""
    return re.sub(r"\[\^", r"\\[^", " ".join(text.split()))
