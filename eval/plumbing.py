"""Generated plumbing checks: citing any footnoted sentence shows exactly its own notes.

For every marker occurrence in the body of every gold report, the sentence it ends is cut
from the report file (markers found by a small reader here, independent of Dossier's parser;
sentences cut by the project's one splitter, index/text/sentences.py), searched
with `Dossier.search`, and the passage holding it must show, for that marker, exactly the
note of the gold footnote map: same status, same URLs in order, same DNGTS URLs, the gold
prose fragment, and nothing attached to a note the report does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.metrics import _note_problems, normalize, report_key
from index.text.sentences import sentence_texts

Search = Callable[[str, int], Sequence[Mapping[str, Any]]]

_SUP_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUP = str.maketrans(_SUP_DIGITS, "0123456789")
MARKER = re.compile(rf"\[(\d{{1,3}})\]|<sup>\s*(\d{{1,3}})\s*</sup>|([{_SUP_DIGITS}]+)")
# a note definition: a line that starts with a marker, possibly as a Markdown list item
NOTE_LINE = re.compile(rf"^\s*(?:[-*]\s*)?(?:\[\d{{1,3}}\]|<sup>\s*\d{{1,3}}\s*</sup>|[{_SUP_DIGITS}]+)")
MIN_SENTENCE = 12
TAIL = 80


@dataclass(frozen=True)
class Occurrence:
    """One marker in a report body and the sentence (fragment) it ends."""

    report: str
    marker: str
    index: int  # n-th occurrence of this marker in this file's copy of the report
    file: str
    sentence: str


@dataclass
class PlumbingResult:
    checks: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    passed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"checks": self.checks, "failed": len(self.failures), "skipped": len(self.skipped),
                "failures": self.failures, "skipped_markers": self.skipped}


def read_report_file(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _title_line(text: str, title: str) -> int | None:
    """Offset of the line holding `title` (allowing Markdown heading marks), or None."""
    want = normalize(title)
    offset = 0
    for line in text.split("\n"):
        if normalize(line.lstrip("#").strip()) == want:
            return offset
        offset += len(line) + 1
    return None


def _regions(text: str, file: str, gold_maps: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, int, int]]:
    """(gold key, start, end) of each gold report inside one file, in file order."""
    starts = []
    for key, gm in gold_maps.items():
        if file not in (gm.get("files") or []):
            continue
        pos = _title_line(text, gm["title"]) if gm.get("title") else 0
        if pos is not None:
            starts.append((pos, key))
    starts.sort()
    return [(key, pos, starts[i + 1][0] if i + 1 < len(starts) else len(text)) for i, (pos, key) in enumerate(starts)]


def _sentence_before(line: str, end: int) -> str:
    """The sentence that the marker at `line[end]` closes (markers and emphasis dropped)."""
    prefix = MARKER.sub("", line[:end]).replace("**", "")
    parts = [p.strip() for p in sentence_texts(prefix) if p.strip()]
    if not parts:
        return ""
    sentence = parts.pop()
    while parts and len(sentence) < MIN_SENTENCE:
        sentence = parts.pop() + " " + sentence
    return sentence.lstrip("\u2022-* ").strip()


def occurrences(reports_dir: Path, gold_maps: Mapping[str, Mapping[str, Any]]) -> list[Occurrence]:
    """Every body marker of every gold report found in the files under `reports_dir`."""
    found: list[Occurrence] = []
    files = sorted({f for gm in gold_maps.values() for f in gm.get("files") or []})
    for file in files:
        path = Path(reports_dir) / file
        if not path.is_file():
            continue
        text = read_report_file(path)
        for key, start, end in _regions(text, file, gold_maps):
            seen: dict[str, int] = {}
            for line in text[start:end].split("\n"):
                if NOTE_LINE.match(line):
                    continue
                for mt in MARKER.finditer(line):
                    marker = next(g for g in mt.groups() if g).translate(_SUP)
                    sentence = _sentence_before(line, mt.start())
                    if not sentence:
                        continue
                    seen[marker] = seen.get(marker, 0) + 1
                    found.append(Occurrence(key, marker, seen[marker], file, sentence))
    return found


def _tail(sentence: str) -> str:
    """The end of a sentence, where its marker sits (cut at a word boundary)."""
    if len(sentence) <= TAIL:
        return sentence
    cut = sentence[-TAIL:]
    return cut[cut.find(" ") + 1:] if " " in cut else cut


def check_occurrence(occ: Occurrence, search: Search, gold_maps: Mapping[str, Mapping[str, Any]], k: int = 10) -> list[str]:
    """Why citing this sentence does not show exactly its own note ([] when it does)."""
    results = search(occ.sentence, k)
    tail = normalize(_tail(occ.sentence))
    holders = [p for p in results if tail in normalize(p.get("text") or "")]
    same = [p for p in holders if report_key(p.get("report") or {}, gold_maps) == occ.report]
    if not same:
        where = "in another report" if holders else f"in the top {k}"
        return [f"sentence found {where} only" if holders else f"sentence not found in the top {k}"]
    # A report can repeat a sentence word for word ("There is no evidence this exercise was
    # preplanned."): the copy that carries this marker is the one being cited.
    passage = next((p for p in same if any(str(fn.get("marker")) == occ.marker for fn in p.get("footnotes") or [])),
                   same[0])
    shown = [fn for fn in passage.get("footnotes") or [] if str(fn.get("marker")) == occ.marker]
    if not shown:
        return [f"[{occ.marker}] not among the passage's footnotes "
                f"({', '.join(str(fn.get('marker')) for fn in passage.get('footnotes') or []) or 'none'})"]
    if len(shown) > 1:
        return [f"[{occ.marker}] shown {len(shown)} times on one passage"]
    return _note_problems(shown[0], gold_maps[occ.report]["markers"].get(occ.marker))


def run_plumbing(search: Search, reports_dir: Path, gold_maps: Mapping[str, Mapping[str, Any]], k: int = 10) -> PlumbingResult:
    """One check per marker occurrence of each gold report. Copies of one report in two files
    are alternatives: the check passes when either copy's sentence shows the right note."""
    groups: dict[tuple[str, str, int], list[Occurrence]] = {}
    for occ in occurrences(reports_dir, gold_maps):
        groups.setdefault((occ.report, occ.marker, occ.index), []).append(occ)
    result = PlumbingResult()
    for (key, marker, index), occs in groups.items():
        result.checks += 1
        problems: list[str] = []
        for occ in occs:
            problems = check_occurrence(occ, search, gold_maps, k)
            if not problems:
                result.passed.append({"report": key, "marker": marker, "sentence": occ.sentence})
                break
        if problems:
            result.failures.append({"report": key, "marker": marker, "occurrence": index,
                                    "file": occs[-1].file, "sentence": occs[-1].sentence, "reasons": problems})
    found = {(k_, m_) for k_, m_, _ in groups}
    for key, gm in gold_maps.items():
        for marker in gm.get("markers") or {}:
            if (key, marker) not in found:
                result.skipped.append({"report": key, "marker": marker,
                                       "reason": "marker not found in the report text under " + str(reports_dir)})
    return result
