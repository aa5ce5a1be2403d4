"""Extractive summaries: a report's own key judgments, at most five sentences, in report order,
each quoted verbatim with its footnote markers. Computed at ingest (the Writer stores them) so
asking for a summary is a read.

ISW updates state their key judgments as the bold lead sentence of each paragraph, after an
opening paragraph that says what the update is about (data/reports/002_… shows the bold in
Markdown). Ingest keeps the clean text without the emphasis, so the lead sentence of each
paragraph stands in for the bold one (in the samples they coincide). Other reports (a study
chapter) get the sentences they themselves stress: "key", "therefore", "clearly", "it should
be noted", a paragraph's opening sentence.

    summarize(report)   # report: ingest.model.Report or its to_dict() shape
    -> [{"start", "end", "markers", "text"}, ...]
"""
from __future__ import annotations

import re
from typing import Any

MAX_SENTENCES = 5
MIN_CHARS = 40               # shorter is a heading or a fragment, not a judgment
MAX_CHARS = 600
_STRESS = re.compile(r"\b(key|crucial|critical|important(?:ly)?|significant(?:ly)?|therefore|thus|clearly|in short|"
                     r"above all|in conclusion|it should be noted|it is to be expected|most (?:likely|important|"
                     r"pressing)|main|central|likely|will likely|must|decisive)\b", re.I)
_ISW = re.compile(r"\bISW\b|Institute for the Study of War|Critical Threats", re.I)
_NOT_A_JUDGMENT = re.compile(r"^\s*(click here|download|note:|the following|see also|\[|\(|source)", re.I)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def _sentences(report: Any) -> list[tuple[int, int, list[str], int]]:
    body_end = _get(report, "body_end", None)
    out = []
    for s in _get(report, "sentences", []) or []:
        start, end = _get(s, "start"), _get(s, "end")
        if body_end is not None and end > body_end:
            continue                     # the notes section is sources, not the report's judgments
        out.append((start, end, list(_get(s, "markers", []) or []), int(_get(s, "paragraph", 0) or 0)))
    return out


def is_isw(report: Any) -> bool:
    return bool(_ISW.search(str(_get(report, "publisher", "") or ""))) or "Warning Update" in str(
        _get(report, "title", "") or "")


def summarize(report: Any, limit: int = MAX_SENTENCES) -> list[dict]:
    """The report's key judgments, verbatim, in report order."""
    text = str(_get(report, "text", "") or "")
    sents = [s for s in _sentences(report) if MIN_CHARS <= s[1] - s[0] <= MAX_CHARS
             and not _NOT_A_JUDGMENT.match(text[s[0]:s[1]])]
    if not sents:
        return []
    first_of: dict[int, int] = {}
    for i, s in enumerate(sents):
        first_of.setdefault(s[3], i)
    opening = sents[0][3]
    if is_isw(report):
        # each paragraph's lead (the opening one's first), then the rest of the opening paragraph
        chosen = list(first_of.values())
        chosen += [i for i, s in enumerate(sents) if s[3] == opening and i not in chosen]
    else:
        def weight(i: int) -> float:
            s = sents[i]
            cues = len(_STRESS.findall(text[s[0]:s[1]]))
            return cues + (0.75 if first_of.get(s[3]) == i else 0) + (0.5 if s[3] == opening else 0)

        ranked = sorted(range(len(sents)), key=lambda i: (-weight(i), i))
        chosen = [i for i in ranked if weight(i) > 0] or ranked
    picked = sorted(chosen[:limit])
    return [{"start": sents[i][0], "end": sents[i][1], "markers": sents[i][2], "text": text[sents[i][0]:sents[i][1]]}
            for i in picked]
