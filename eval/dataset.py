"""Loading the gold data: questions (JSON lines) and footnote maps (eval/gold/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from index.errors import UserInputError

GOLD_DIR = Path(__file__).resolve().parent / "gold"
DEFAULT_QUESTIONS = GOLD_DIR / "questions.jsonl"
FOOTNOTES_DIR = GOLD_DIR / "footnotes"

_KINDS = {"date", "number", "note", "multi", "name"}
SPLITS = ("tune", "test")
# Why a question cannot be answered: the four near-miss kinds (it names something the reports
# mention but asks what they do not hold) and the plain off-corpus question.
UNANSWERABLE_CATEGORIES = ("attribute_absent", "relation_absent", "time_outside", "type_absent", "not_in_reports")
NEAR_MISS_CATEGORIES = UNANSWERABLE_CATEGORIES[:4]
# How an answerable question was written: the first 85, worded away from the evidence, or two-part
# with one part answered.
ANSWERABLE_CATEGORIES = ("original", "reworded", "partial")
CATEGORIES = ANSWERABLE_CATEGORIES + UNANSWERABLE_CATEGORIES
DEFAULT_SPLIT = "test"


def json_lines(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSON-lines file; UserInputError naming
    the file and line when it cannot be read or a line is not JSON."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise UserInputError(f"{path}: cannot read {what} ({e.strerror or e})") from None
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield no, json.loads(line)
        except json.JSONDecodeError as e:
            raise UserInputError(f"{path}:{no}: not JSON ({e.msg})") from None


def load_questions(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """The questions of a JSON-lines file, checked for the fields the metrics read; with `split`
    ("tune" or "test") only that split's questions, with None all of them.

    A question without `split` is a test question; one without `category` gets "original" if
    answerable, else "not_in_reports" (eval/gold/README.md). Raises UserInputError naming the
    file and line for anything unusable."""
    if split is not None and split not in SPLITS:
        raise UserInputError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    path = Path(path)
    questions, seen, lines = [], set(), {}
    for no, q in json_lines(path, "questions"):
        problem = _question_problem(q)
        if problem:
            raise UserInputError(f"{path}:{no}: {problem}")
        if q["id"] in seen:
            raise UserInputError(f"{path}:{no}: duplicate id {q['id']!r}")
        seen.add(q["id"])
        lines[q["id"]] = no
        q.setdefault("kinds", [])
        q.setdefault("evidence", [])
        q.setdefault("key_facts", [])
        q.setdefault("split", DEFAULT_SPLIT)
        q.setdefault("category", "original" if q["answerable"] else "not_in_reports")
        questions.append(q)
    if not questions:
        raise UserInputError(f"{path}: no questions")
    for q in questions:
        if "twin" in q and q["twin"] not in seen:
            raise UserInputError(f"{path}:{lines[q['id']]}: {q['id']}: 'twin' {q['twin']!r} is not a question id")
    return [q for q in questions if split is None or q["split"] == split]


def categories(questions: list[dict[str, Any]]) -> list[str]:
    """The categories the questions use, in the fixed order of CATEGORIES."""
    used = {q.get("category") for q in questions}
    return [c for c in CATEGORIES if c in used]


def _question_problem(q: Any) -> str | None:
    if not isinstance(q, dict):
        return "a line must be a JSON object"
    if not isinstance(q.get("id"), str) or not isinstance(q.get("question"), str) or not q["question"].strip():
        return "needs a string 'id' and a non-empty 'question'"
    if not isinstance(q.get("answerable"), bool):
        return f"{q['id']}: 'answerable' must be true or false"
    for ev in q.get("evidence") or []:
        if not isinstance(ev, dict) or not isinstance(ev.get("text"), str) or not ev["text"].strip():
            return f"{q['id']}: every evidence needs a non-empty 'text'"
        if not isinstance(ev.get("markers", []), list):
            return f"{q['id']}: evidence 'markers' must be a list"
    for facts in q.get("key_facts") or []:
        if not isinstance(facts, list) or not facts or not all(isinstance(a, str) for a in facts):
            return f"{q['id']}: each key fact is a non-empty list of alias strings"
    if q["answerable"] and not q.get("evidence"):
        return f"{q['id']}: an answerable question needs evidence"
    unknown = set(q.get("kinds") or []) - _KINDS
    if unknown:
        return f"{q['id']}: unknown kinds {sorted(unknown)}"
    if "split" in q and q["split"] not in SPLITS:
        return f"{q['id']}: 'split' must be one of {', '.join(SPLITS)}, not {q['split']!r}"
    if "category" in q:
        allowed = ANSWERABLE_CATEGORIES if q["answerable"] else UNANSWERABLE_CATEGORIES
        if q["category"] not in allowed:
            what = "an answerable" if q["answerable"] else "an unanswerable"
            return f"{q['id']}: 'category' of {what} question must be one of {', '.join(allowed)}, not {q['category']!r}"
    if "unanswered_part" in q and (not isinstance(q["unanswered_part"], str) or not q["unanswered_part"].strip()
                                   or not q["answerable"]):
        return f"{q['id']}: 'unanswered_part' must be a non-empty string on an answerable question"
    if "twin" in q and (not isinstance(q["twin"], str) or q["twin"] == q["id"]):
        return f"{q['id']}: 'twin' must be the id of another question"
    return None


def load_gold_maps(directory: Path = FOOTNOTES_DIR) -> dict[str, dict[str, Any]]:
    """{key: footnote map} for every footnotes/<key>.json."""
    maps = {}
    for f in sorted(Path(directory).glob("*.json")):
        try:
            gm = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise UserInputError(f"{f}: unreadable gold footnote map ({e})") from e
        gm.setdefault("markers", {})
        maps[f.stem] = gm
    return maps


# ---------------------------------------------------------------------------- corpora

ROOT = GOLD_DIR.parent.parent
SAMPLE_REPORTS = ROOT / "data" / "reports"
REALWORLD_DATA = ROOT / "data" / "realworld"
REALWORLD_QUESTIONS = GOLD_DIR / "realworld"
# A real-world report kept in more than one format is read from one: the PDF (what the
# report was published as) when the folder has it, else its HTML.
REPORT_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".txt", ".md")


@dataclass(frozen=True)
class Corpus:
    """Report files, the gold questions on them and the gold of their footnotes."""

    name: str
    reports: tuple[Path, ...]           # the files (or one folder) to ingest
    questions: Path
    gold_json: Path | None = None       # a real-world report's gold.json; None: eval/gold/footnotes

    def gold_maps(self) -> dict[str, dict[str, Any]]:
        if self.gold_json is None:
            return load_gold_maps()
        return realworld_gold_maps(self.gold_key, self.gold_json, list(self.reports))

    @property
    def gold_key(self) -> str:
        """The report key its questions' evidence names (a corpus read from another format of
        the same report, "mueller-vol-2.html", keeps its questions' key)."""
        return self.name.split(".")[0]

    def load_questions(self, split: str | None = None) -> list[dict[str, Any]]:
        return load_questions(self.questions, split)


SAMPLES = Corpus("samples", (SAMPLE_REPORTS,), DEFAULT_QUESTIONS)


def corpus_home(home: Path, name: str) -> Path:
    """Where a corpus beside the samples keeps its index: next to the samples' home."""
    home = Path(home)
    return home.with_name(f"{home.name}.{name}")


def report_files(folder: Path, prefer: tuple[str, ...] = REPORT_SUFFIXES) -> tuple[Path, ...]:
    """The report of a folder that may hold it in several formats: every file of the first
    suffix of `prefer` that it has (a report over several HTML pages is all of them)."""
    for suffix in prefer:
        found = tuple(sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() == suffix))
        if found:
            return found
    return ()


def realworld_corpora(data: Path = REALWORLD_DATA, questions: Path = REALWORLD_QUESTIONS) -> list[Corpus]:
    """Each real-world report in the repository with gold questions: data/realworld/<name>/
    (the report, gold.json) and eval/gold/realworld/<name>.questions.jsonl. The report as
    published (its PDF, `name`), and when the folder also holds it in HTML, that too
    (`name.html`): the same questions on another reader's text."""
    out = []
    for qfile in sorted(Path(questions).glob("*.questions.jsonl")) if Path(questions).is_dir() else []:
        name = qfile.name.removesuffix(".questions.jsonl")
        folder = Path(data) / name
        if not folder.is_dir():
            continue
        gold = folder / "gold.json"
        files = report_files(folder)
        if files:
            out.append(Corpus(name, files, qfile, gold if gold.is_file() else None))
        html = report_files(folder, (".html", ".htm"))
        if html and html != files:
            out.append(Corpus(f"{name}.html", html, qfile, gold if gold.is_file() else None))
    return out


# Corpora outside the repository are read from their HTML when they have it (the format the
# answer path was tuned on; their PDFs and Word files are the readers' material).
EXTRA_PREFER = (".html", ".htm", ".pdf", ".docx", ".txt", ".md")


def extra_corpora(root: Path) -> list[Corpus]:
    """Corpora kept outside the repository: <root>/<name>/questions.jsonl beside the report
    files (and a gold.json in the real-world shape, if any)."""
    root = Path(root)
    if not root.is_dir():
        raise UserInputError(f"{root}: not a folder of corpora (<name>/questions.jsonl and report files)")
    out = []
    for folder in sorted(p for p in root.iterdir() if (p / "questions.jsonl").is_file()):
        files = report_files(folder, EXTRA_PREFER)
        if files:
            gold = folder / "gold.json"
            out.append(Corpus(folder.name, files, folder / "questions.jsonl", gold if gold.is_file() else None))
    return out


def pdf_link_targets(path: Path) -> set[str]:
    """The web addresses of a PDF's link annotations, read with pdfminer (not with the PDFium
    reader Dossier ingests with, so the gold does not share the reader's mistakes)."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    out: set[str] = set()
    with open(path, "rb") as fp:
        for page in PDFPage.get_pages(fp):
            for annot in resolve1(page.annots) or []:
                action = resolve1((resolve1(annot) or {}).get("A"))
                uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
                if isinstance(uri, bytes):
                    uri = uri.decode("utf-8", errors="replace")
                if isinstance(uri, str) and uri:
                    out.add(uri)
    return out


def realworld_gold_maps(name: str, gold_json: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
    """A real-world report's gold.json as a footnote map (eval/gold/README.md's shape): every
    note by its printed label, "redacted" when the file prints only its label, else "resolved"
    with its visible `text`. The gold has no URL lists: a URL shown for a note must be written
    in the note's text or be a link target in the file (an HTML file's href values, a PDF's link
    annotations' web addresses), squashed as eval.metrics.squash does."""
    try:
        gold = json.loads(Path(gold_json).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise UserInputError(f"{gold_json}: unreadable gold ({e})") from e
    targets: set[str] = set()
    for f in files:
        if Path(f).suffix.lower() in (".html", ".htm"):
            import html
            import re

            raw = Path(f).read_bytes().decode("utf-8", errors="replace")
            targets |= {html.unescape(h) for h in re.findall(r"""href\s*=\s*["']([^"']+)["']""", raw, re.I)}
        elif Path(f).suffix.lower() == ".pdf":
            targets |= pdf_link_targets(Path(f))
    markers: dict[str, dict[str, Any]] = {}
    notes = gold.get("notes") or []
    from eval.formats import marker_keys        # labels as ingest keys markers ("n 8" -> n8, "1#2")

    for n, label in zip(notes, marker_keys(notes)):
        if n.get("redacted_fully") or not (n.get("note_visible") or "").strip():
            markers[label] = {"status": "redacted"}
        else:
            markers[label] = {"status": "resolved", "text": n["note_visible"]}
    from eval.metrics import squash

    links = frozenset(squash(t) for t in targets if "://" in t)
    for entry in markers.values():
        if entry["status"] == "resolved":
            entry["links"] = links              # one set shared by every note of the file
    return {name: {"title": "", "date": "", "files": [Path(f).name for f in files], "markers": markers}}
