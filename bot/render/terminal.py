"""An answer as a person reads it in a terminal."""
from __future__ import annotations

import re
import shutil
import textwrap

from bot.render.answer_mode import mode_line
from bot.render.marker import printed_marker
from bot.render.page_label import place_label
from bot.render.unanswered import unanswered_line
from bot.render.report_title import report_title


NOTE_REDACTED = "note redacted in the report (printed with its number only)"


def _wrap(text: str, indent: str, width: int) -> str:
    """Lines of at most `width`, broken at spaces only: a URL stays whole for copying (one longer
    than the line runs past it), and so does "Russian-Belarusian"."""
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False)


def footnote_lines(f: dict) -> list[str]:
    """The note as lines: its prose (if any), then one line per source URL."""
    head = footnote_line(f)
    if f["status"] != "resolved" or len(f.get("urls", [])) < 2:
        return [head]
    dngts = set(f.get("dngts_urls") or [])
    prose = _prose(f)
    lines = [f"[{printed_marker(f['marker'])}] " + (prose if prose else "")]
    for url in f["urls"]:
        lines.append(("    !! DNGTS, do not go to site: " if url in dngts else "    ") + url)
    return lines


def _prose(f: dict) -> str:
    prose = without_urls(f)
    return prose if len(prose) > 25 else ""


def without_urls(f: dict) -> str:
    """The note's words without its URLs (and the <> or () a URL was written in)."""
    prose = f.get("text", "")
    for url in sorted(f.get("urls", []), key=len, reverse=True):
        prose = prose.replace(f"<{url}>", "").replace(f"({url})", "").replace(url, "")
    # the comma that stood before a URL, left before the stop or semicolon after it ("2025, ." -> "2025.")
    prose = _LEFT_OVER.sub("", " ".join(prose.split()))
    return re.sub(r"\s+([.;,])", r"\1", prose).strip(" ;,")


_LEFT_OVER = re.compile(r"\s*[,;:](?=\s*(?:[.;,:]|$))")


def footnote_line(f: dict) -> str:
    marker = f"[{printed_marker(f['marker'])}]"
    if f["status"] == "missing":
        return f"{marker} note not available in the ingested copy"
    if f["status"] == "redacted":
        return f"{marker} {NOTE_REDACTED}"
    if f["status"] == "unplaced":
        return f"{marker} note could not be matched to this marker with confidence (unplaced)"
    parts = []
    dngts = set(f.get("dngts_urls") or [])
    for url in f.get("urls", []):
        parts.append(f"!! DNGTS, do not go to site: {url}" if url in dngts else url)
    prose = without_urls(f)
    if prose and (not parts or len(prose) > 25):
        # "Reuters, March 4, 2025; https://…": the stop that ended the note goes before its URLs (not "U.S.")
        parts.insert(0, prose[:-1] if parts and re.search(r"[^.A-Z]\.$", prose) else prose)
    if f.get("dngts") and not dngts:
        parts.append("(the note says DNGTS: do not go to site)")
    return f"{marker} " + "; ".join(parts) if parts else f"{marker} (no sources)"


def format_citation(c: dict, width: int, label: str) -> list[str]:
    r = c.get("report", {})
    title = report_title(r)
    place = place_label(c)
    lines = [f"{label} {title}" + (f" ({r['date']})" if r.get("date") else "") + (f", {place}" if place else "")]
    kind = " (from a footnote)" if c.get("kind") == "note" else ""
    # A block set off by "> " (as Slack and Markdown quote), not framed in quotation marks: a passage that
    # opens or closes a quotation of its own shows its marks as the report printed them, not doubled.
    lines.append(_wrap(f"{c.get('text', '')}{kind}", "    > ", width))
    if c.get("footnotes"):
        lines.append("    Sources:")
        for f in c["footnotes"]:
            if c.get("kind") == "note" and f.get("urls"):       # the prose is the quote above
                f = dict(f, text="")
            for line in footnote_lines(f):
                lines.append(("      " + line) if line.startswith("    ") else _wrap(line, "      ", width))
    return lines


def format_answer(result: dict, width: int | None = None) -> str:
    width = width or min(100, shutil.get_terminal_size((100, 20)).columns)
    out: list[str] = []
    line = mode_line(result)
    searched = (result.get("scope") or {}).get("searched")
    if searched:
        out.append(_wrap(f"({searched}.)", "", width))
    if result.get("summary") and not result.get("abstained"):
        sentences = list(result["answer"])
        for part in result["summary"]:
            out.append(f"{part.get('title') or 'Untitled report'}" + (f" ({part['date']})" if part.get("date") else ""))
            for s in sentences[:part["sentences"]]:
                out.append(_wrap(f"- {s['text']} " + "".join(f"[{n}]" for n in s["citations"]), "  ", width))
            sentences = sentences[part["sentences"]:]
        return _with_citations(out, result, width, "[{n}]")
    if result.get("abstained"):
        out.append("The reports don't say. Closest material (not an answer):")
        if line:
            out.append(_wrap(f"({line})", "", width))
        return _with_citations(out, result, width, "  ~ [{n}]")
    for s in result["answer"]:
        cites = "".join(f"[{n}]" for n in s["citations"])
        out.append(_wrap(f"{s['text']} {cites}", "", width))
    if result.get("unanswered"):
        out.append(_wrap(unanswered_line(result["unanswered"]), "", width))
    if line:
        out.append(_wrap(f"({line})", "", width))
    return _with_citations(out, result, width, "[{n}]")


def _with_citations(out: list[str], result: dict, width: int, label: str) -> str:
    """The answer's lines, a blank line, then each citation labelled `label` (with {n})."""
    out.append("")
    for c in result.get("citations", []):
        out.extend(format_citation(c, width, label.format(n=c["n"])))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def format_search(result: dict, width: int | None = None) -> str:
    width = width or min(100, shutil.get_terminal_size((100, 20)).columns)
    out: list[str] = []
    searched = (result.get("scope") or {}).get("searched")
    if searched:
        out += [_wrap(f"({searched}.)", "", width), ""]
    for i, c in enumerate(result["results"], 1):
        out.extend(format_citation(c, width, f"{i}. (score {c.get('score', 0):.3f})"))
        out.append("")
    return "\n".join(out).rstrip() + "\n" if out else "No passages found.\n"


def format_reports(reports: list[dict]) -> str:
    if not reports:
        return "No reports in the index. Run: dossier ingest PATH\n"
    out = []
    for r in reports:
        f = r["footnotes"]
        title = report_title(r)
        out.append(f"{r['date'] or '(undated)':10}  {title}")
        out.append(f"            {r['passages']} passages; footnotes: {f['markers']} markers, {f['resolved']} resolved, "
                   f"{f['missing']} missing, {f.get('redacted', 0)} redacted, {f['unplaced']} unplaced; "
                   f"{', '.join(r['authors']) or 'no byline'}")
    return "\n".join(out) + "\n"


def format_ingest(s: dict) -> str:
    lines = [f"Ingested in {s['seconds']:.1f} s: {s['added']} added, {s['updated']} updated, {s['removed']} removed, "
             f"{s['unchanged']} unchanged ({s['reports']} reports in the index); "
             f"{s['passages_embedded']} passages embedded."]
    for sk in s.get("skipped", []):
        title = f": \u201c{sk['title']}\u201d" if sk.get("title") else ""
        lines.append(f"  skipped: {sk['path']}{title} ({sk['reason']})")
    for f in s["failed"]:
        lines.append(f"  FAILED: {f['path']}: {f['error']}")
    for f in s.get("few_notes", []):
        lines.append(f"  WARNING: {f['path']}: {f['without_note']} of {f['markers']} footnote markers found no note "
                     f"({100 * f['share']:.0f} %): a reader failure, or notes the file lacks; check with: dossier notes "
                     f"{f['report']}")
    for d in s.get("different_copies", []):
        named = f"\u201c{d['title']}\u201d" if d.get("title") else "an untitled, undated report (the same opening words)"
        lines.append(f"  WARNING: {d['path']} is read as a copy of {named} in {d['kept']}, but only "
                     f"{100 * d['shared']:.0f} % of its text is there: it is not indexed on its own; give the two "
                     f"different titles or dates, or check with: dossier reports --json")
    return "\n".join(lines) + "\n"


class ProgressBar:
    """A one-line progress bar on stderr, shown only on a terminal and only after a moment."""

    def __init__(self, stream, delay: float = 0.7):
        import time

        self.stream = stream
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.t0 = time.monotonic()
        self.delay = delay
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        import time

        if not self.tty or total <= 0 or time.monotonic() - self.t0 < self.delay:
            return
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r{stage:6} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()
