"""How well a real report file is read, against a gold of its footnotes built from its sources.

`python -m eval.formats FILE GOLD [FILE GOLD ...] [--meta META.json] [--json OUT]` reads each
file the way `dossier ingest` does (ingest.read + ingest.report) and prints one table row per
file:

- markers: gold footnote numbers found as markers in the body ÷ the gold's count (extra: markers
  found that the gold does not have);
- right: notes with the right text on the right marker ÷ the gold's count. Texts are compared
  after Unicode NFKC normalisation, curly and straight quotes folded, white space removed, and
  redactions (`[redacted]`, bars of `_` or `█`) dropped, as the gold drops them; a fully
  redacted note is right when it is `redacted` (or `missing`) with no text;
- shifted: notes whose text is another gold note's (a marker that took its neighbour's note);
- broken words: gold words (of the note texts, and of the body text before each marker) not
  found intact where the file's reading put them, among notes read with some text: ligatures
  dropped ("testi ed"), symbols misread;
- sentence: markers attached to the sentence that holds the gold's text just before the marker
  (a marker printed inside a note, the gold's `in_note`: kept as a note of the report, and a
  note of the report holds that text); a marker after nothing but redactions, to a sentence of
  nothing but redactions (not to the sentence before the redacted paragraph);
- cut: sentences cut at a line end, as a reader's paragraphs show them: a paragraph whose last
  sentence ends in a lower-case word or a comma, followed by one opening in lower case (no
  gold needed; a list or a verse may count too); "+ M": those followed by one opening otherwise
  (a capital, a figure, "$") whose last word is one no paragraph ends on, an article, a
  preposition or a conjunction ("… who had been sought by" / "U.S. law enforcement …"; not a
  list's "…; and" before its next item);
- reports per file, and whether the first report's title, date and authors are those of the
  title page (META: {"title", "date", "authors"}; default: meta.json beside the gold, else the
  gold's own top-level keys);
- seconds to read the file, and pages/s for a PDF.

The gold's shape (data/realworld/*/gold.json): {"notes": [{"n", "note_visible",
"redacted_fully", "context_before"}, ...]}, one entry per marker (a note cited twice is there
twice), optionally "title", "date", "authors", "reports_in_file". FILE may be a folder: its
report files are read as one site. Nothing here fits a reader to a file: it only reads and
counts.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                         "‟": '"', "″": '"'})
_REDACTION = re.compile(r"\[redacted\]|_{2,}|[█▇■]+", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")


def fold(text: str) -> str:
    """NFKC, quotes folded, redactions dropped: the form texts are compared in. Two remnants of
    LaTeX that a gold built from LaTeX sources may keep are read as LaTeX prints them: `\\@`
    prints nothing, a lone backtick is an opening single quote."""
    text = (text or "").replace("\\@", "").replace("`", "'")
    return _REDACTION.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def _row_holds(before: str, sentence: str) -> bool:
    """A table row the reader writes as one line ("Water (%): 1.6", ingest/tables.py row_joins) holds
    the marker when the row begins with the text the gold has just before the marker (at least 8
    characters), both without the punctuation the reader joins cells with (":", ";"): the gold's
    text runs the rows together, so no sentence start is found in it."""
    if ":" not in sentence and ";" not in sentence:
        return False
    row, gold = sentence.translate(_JOINS), before.translate(_JOINS)
    return any(gold.endswith(row[:k]) for k in range(len(row), 7, -1))


_JOINS = str.maketrans("", "", ":;")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).lower())


READABLE = (".html", ".htm", ".pdf", ".docx")        # a folder's pages (its README is no page)


def read_file(path: Path) -> tuple[list, float, int]:
    """(reports, seconds, pages) of one file, or of every report file of a folder (one report
    over several pages of a site), read and merged as `dossier ingest` does."""
    from ingest.merge import merge_reports
    from ingest.read import read_report_file
    from ingest.report import parse_text

    files = sorted(p for p in path.iterdir() if p.suffix.lower() in READABLE) if path.is_dir() else [path]
    t0 = time.perf_counter()
    reports: list = []
    for f in files:
        reports += parse_text(read_report_file(f), str(f))[0]
    reports = merge_reports(reports)
    seconds = time.perf_counter() - t0
    pages = 0
    for f in files:
        if f.suffix.lower() == ".pdf":
            import pypdfium2

            doc = pypdfium2.PdfDocument(str(f))
            pages += len(doc)
            doc.close()
    return reports, seconds, pages


def expected_meta(gold: dict, meta: dict | None) -> dict:
    """Title, date and authors the file prints: META if given, else the gold's own top-level
    keys. A gold date that is no date ("Copyright © 2005-2015") is not checked; a null one
    means none is printed (the reading must leave it empty)."""
    from ingest.metadata import parse_date_text

    src = meta if meta is not None else gold
    out: dict = {}
    if "title" in src and src["title"]:
        out["title"] = src["title"]
    if "date" in src:
        raw = src["date"] or ""
        uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw.strip())
        date = f"{uk.group(3)}-{int(uk.group(2)):02d}-{int(uk.group(1)):02d}" if uk else parse_date_text(raw)
        if date or not raw:
            out["date"] = date
    if "authors" in src and src["authors"] is not None:
        out["authors"] = list(src["authors"])
    return out


def marker_keys(entries: list[dict], label: Callable[[str], str] | None = None) -> list[str]:
    """The marker each gold entry is known by in a report, as ingest/build.py names markers:
    the printed label as ingest.footnotes.marker_label keys it ("[n 8]" -> "n8", "07" -> "7";
    `label` keys it otherwise), and for numbering that restarts (per section, per chapter) the
    k-th different note printed with the same label is "label#k". A gold keyed by printed labels
    alone maps a restarted "1" onto the wrong note; use this to key it as reports are."""
    from ingest.footnotes import marker_label

    label = label or marker_label
    texts: dict[str, list[str]] = {}
    out = []
    for g in entries:
        base = label(str(g["n"]))
        seen = texts.setdefault(base, [])
        t = squash(g.get("note_visible") or "")
        if t not in seen:
            seen.append(t)
        k = seen.index(t)
        out.append(base if k == 0 else f"{base}#{k + 1}")
    return out


def score(reports: list, gold: dict, meta: dict | None = None) -> dict[str, Any]:
    """Figures of one file's reports against its gold; `meta` overrides the gold's title,
    date and authors. Gold entries are markers: a note cited twice is there twice."""
    entries = gold["notes"]
    keys = dict(enumerate(marker_keys(entries)))
    label = lambda g: keys[id_of[id(g)]]  # noqa: E731
    id_of = {id(g): i for i, g in enumerate(entries)}
    ours: dict[str, Any] = {}
    sentences_of: dict[str, list[str]] = {}
    text_words: set[str] = set()                 # a marker's context may be in a note (a note citing another)
    for r in reports:
        text_words.update(words(r.text))
        for s in r.sentences:
            for m in s.markers:
                sentences_of.setdefault(m, []).append(squash(r.text[s.start:s.end]))
        for m, n in r.notes.items():
            ours.setdefault(m, n)
    found_markers = {m for r in reports for m in r.markers}
    # a marker printed inside a note (the gold's `in_note`) backs that note: found when the
    # report keeps its note, not on a body sentence
    found_markers |= {label(g) for g in entries if g.get("in_note")
                      and any(label(g) in r.notes and r.notes[label(g)].status != "missing" for r in reports)}
    by_text: dict[str, set[str]] = {}
    for g in entries:
        if not g.get("redacted_fully"):
            by_text.setdefault(squash(g["note_visible"]), set()).add(label(g))
    right = shifted = wrong = 0
    note_words = broken_note = 0
    wrong_examples: list[dict] = []
    broken_examples: list[tuple[str, str]] = []
    for g in entries:
        key = label(g)
        n = ours.get(key)
        text = n.text if n is not None else ""
        if g.get("redacted_fully") or not squash(g["note_visible"]):
            ok = n is not None and n.status in ("redacted", "missing") and not squash(text)
        else:
            ok = n is not None and squash(text) == squash(g["note_visible"])
        if ok:
            right += 1
        elif squash(text) and by_text.get(squash(text), set()) - {key}:
            shifted += 1
        else:
            wrong += 1
            if len(wrong_examples) < 30:
                wrong_examples.append({"n": key, "status": n.status if n else "absent", "ours": text[:300],
                                       "gold": g.get("note_visible", "")[:300]})
        if squash(text) and not g.get("redacted_fully"):
            have = set(words(text))
            gw = words(g["note_visible"])
            note_words += len(gw)
            for w in gw:
                if w not in have:
                    broken_note += 1
                    broken_examples.append((key, w))
    ctx_words = broken_body = 0
    right_sentence = sentence_total = 0
    sentence_examples: list[dict] = []
    note_texts = [squash(n.text) for r in reports for n in r.notes.values() if n.text]
    for g in entries:
        key, ctx = label(g), g.get("context_before") or ""
        if key in found_markers:
            gw = words(ctx)[1:]                  # the gold's window of text may start inside a word
            ctx_words += len(gw)
            for w in gw:
                if w not in text_words:
                    broken_body += 1
                    broken_examples.append(("body " + key, w))
            c = squash(ctx)
            if not c and g.get("in_note"):
                continue                         # a marker in a note with no text before it: not counted
            sentence_total += 1
            # the gold's text before the marker, from the start of its sentence (at most 30 characters)
            tail = squash(re.split(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])", ctx.strip())[-1])[-30:]
            # a marker printed inside a note: the text before it is in a note of the report
            places = note_texts if g.get("in_note") else sentences_of.get(key, [])
            if c and any((tail and tail in s) or (len(s) >= 8 and c.endswith(s)) or _row_holds(c, s) for s in places):
                right_sentence += 1              # a sentence with this marker holds the text just before it
            elif not c and any(not re.sub(r"\W", "", s) for s in places):
                right_sentence += 1              # all redacted before it: a sentence of nothing but redactions
            else:
                sentence_examples.append({"marker": key, "gold_before": tail,
                                          "sentences": [s[-120:] for s in places][:3]})
    out = {
        "gold_markers": len(entries), "reports": len(reports),
        "markers_found": sum(1 for g in entries if label(g) in found_markers),
        "extra_markers": sorted(found_markers - {label(g) for g in entries}, key=lambda m: (len(m), m))[:50],
        "right_notes": right, "shifted": shifted, "wrong": wrong,
        "note_words": note_words, "broken_note_words": broken_note,
        "body_words": ctx_words, "broken_body_words": broken_body,
        "right_sentence": right_sentence, "sentence_total": sentence_total,
        "statuses": _statuses(reports), "wrong_examples": wrong_examples, "broken_examples": broken_examples[:100],
        "wrong_sentence_examples": sentence_examples[:50],
    }
    out["cut_sentences"], out["cut_before_capitals"] = cut_sentences(reports)
    out["markers"] = out["markers_found"] / len(entries) if entries else 0.0
    out["right"] = right / len(entries) if entries else 0.0
    if reports:
        r = reports[0]
        out["title"], out["date"], out["authors"] = r.title, r.date, list(r.authors)
    want = expected_meta(gold, meta)
    first = reports[0] if reports else None
    out["meta_ok"] = {k: bool(first) and _same(getattr(first, k), v) for k, v in want.items()}
    out["expected_reports"] = gold.get("reports_in_file", 1)
    return out


# words no paragraph ends on: a paragraph that does is cut, whatever the next one opens with
_NEVER_LAST = frozenset("a an the of to in on at by for from with into onto upon about between through during "
                        "within without against among than and or nor but as that whose".split())


def cut_sentences(reports: list) -> tuple[int, int]:
    """Paragraphs that end mid-sentence and go on in the next one (see the module docstring): those
    whose next opens in lower case, and those ending on a word no paragraph ends on ("sought by")
    whose next opens otherwise ("U.S. law enforcement …")."""
    lower = other = 0
    for r in reports:
        for a, b in zip(r.sentences, r.sentences[1:]):
            end, start = r.text[a.start:a.end].strip(), r.text[b.start:b.end]
            if a.paragraph == b.paragraph or not re.search(r"[a-z,]$", end):
                continue
            if re.match(r"[a-z]", start):
                lower += 1
            elif end.rsplit(None, 1)[-1] in _NEVER_LAST and not re.search(r"[,;]\s+(?:and|or|nor)$", end):
                other += 1              # "…; and" / "(2) …" is a list's item, not a cut
    return lower, other


def _same(ours: Any, want: Any) -> bool:
    if isinstance(want, list):
        return [squash(x).lower() for x in ours] == [squash(x).lower() for x in want]
    return squash(str(ours)).lower() == squash(str(want)).lower()


def _statuses(reports: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in reports:
        for k, v in r.footnote_counts().items():
            counts[k] = counts.get(k, 0) + v
    return counts


HEADER = ("file", "markers found/true", "right notes", "shifted", "broken words (note+body)", "right sentence",
          "cut", "reports", "title/date/authors", "s", "pages/s")


def row(name: str, s: dict, seconds: float, pages: int) -> list[str]:
    n = s["gold_markers"]
    meta = s.get("meta_ok") or {}
    meta_cell = "/".join(("yes" if meta[k] else "NO") if k in meta else "—" for k in ("title", "date", "authors"))
    return [name, f"{s['markers_found']}/{n} ({s['markers']:.3f})", f"{s['right_notes']}/{n} ({s['right']:.3f})",
            str(s["shifted"]), f"{s['broken_note_words']}/{s['note_words']} + {s['broken_body_words']}/{s['body_words']}",
            f"{s['right_sentence']}/{s['sentence_total']}",
            f"{s.get('cut_sentences', 0)} + {s.get('cut_before_capitals', 0)}", str(s["reports"]), meta_cell,
            f"{seconds:.1f}",
            f"{pages / seconds:.1f}" if pages and seconds else "—"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.formats", description=__doc__.split("\n\n")[0],
                                 epilog="example:\n  python -m eval.formats data/realworld/mueller-vol-2/"
                                        "mueller-report-vol-2.html data/realworld/mueller-vol-2/gold.json",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pairs", nargs="+", metavar="FILE GOLD")
    ap.add_argument("--meta", type=Path, help="title/date/authors the title page prints (default: meta.json beside GOLD)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write every figure, with examples of wrong notes")
    args = ap.parse_args(argv)
    if len(args.pairs) % 2:
        ap.error("give FILE GOLD pairs")
    rows, results = [list(HEADER)], {}
    for path, gold_path in zip(args.pairs[::2], args.pairs[1::2]):
        path, gold_path = Path(path), Path(gold_path)
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"eval.formats: error: {gold_path}: {e}", file=sys.stderr)
            return 2
        meta_path = args.meta or gold_path.with_name("meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
        path = Path(path)
        try:
            reports, seconds, pages = read_file(path)
        except Exception as e:  # noqa: BLE001 - one line per file, never a trace
            print(f"eval.formats: error: {path}: {getattr(e, 'reason', e)}", file=sys.stderr)
            return 2
        s = score(reports, gold, meta)
        s.update(seconds=round(seconds, 2), pages=pages)
        results[str(path)] = s
        rows.append(row(path.name, s, seconds, pages))
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
