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
- sentence: markers attached to the sentence that holds the gold's text just before the marker;
- reports per file, and whether the first report's title, date and authors are those of the
  title page (META: {"title", "date", "authors"}; default: meta.json beside the gold);
- seconds to read the file, and pages/s for a PDF.

The gold's shape (data/realworld/*/gold.json): {"notes": [{"n", "note_visible",
"redacted_fully", "context_before"}, ...]}. Nothing here fits a reader to a file: it only reads
and counts.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
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


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).lower())


def read_file(path: Path) -> tuple[list, float, int]:
    """(reports, seconds, pages) of one file, read as `dossier ingest` reads it."""
    from ingest.read import read_report_file
    from ingest.report import parse_text

    t0 = time.perf_counter()
    reports, _ = parse_text(read_report_file(path), str(path))
    seconds = time.perf_counter() - t0
    pages = 0
    if path.suffix.lower() == ".pdf":
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(path))
        pages = len(doc)
        doc.close()
    return reports, seconds, pages


def score(reports: list, gold: dict, meta: dict | None = None) -> dict[str, Any]:
    notes = gold["notes"]
    true = {str(g["n"]): g for g in notes}
    ours: dict[str, Any] = {}
    sentence_of: dict[str, str] = {}
    body_words: set[str] = set()
    for r in reports:
        body_words.update(words(r.text[:r.body_end]))
        for s in r.sentences:
            for m in s.markers:
                sentence_of.setdefault(m, r.text[s.start:s.end])
        for m, n in r.notes.items():
            ours.setdefault(m, n)
    found_markers = {m for r in reports for m in r.markers}
    by_text: dict[str, list[str]] = {}
    for g in notes:
        if not g.get("redacted_fully"):
            by_text.setdefault(squash(g["note_visible"]), []).append(str(g["n"]))
    right = shifted = wrong = 0
    note_words = broken_note = 0
    wrong_examples: list[dict] = []
    for key, g in true.items():
        n = ours.get(key)
        text = n.text if n is not None else ""
        if g.get("redacted_fully"):
            ok = n is not None and n.status in ("redacted", "missing") and not squash(text)
        else:
            ok = n is not None and squash(text) == squash(g["note_visible"])
        if ok:
            right += 1
        elif squash(text) and any(o != key for o in by_text.get(squash(text), [])):
            shifted += 1
        else:
            wrong += 1
            if len(wrong_examples) < 20:
                wrong_examples.append({"n": key, "status": n.status if n else "absent", "ours": text[:200],
                                       "gold": g.get("note_visible", "")[:200]})
        if squash(text) and not g.get("redacted_fully"):
            have = set(words(text))
            gw = words(g["note_visible"])
            note_words += len(gw)
            broken_note += sum(1 for w in gw if w not in have)
    ctx_words = broken_body = 0
    right_sentence = sentence_total = 0
    for key, g in true.items():
        ctx = g.get("context_before") or ""
        if key in found_markers:
            gw = words(ctx)[1:]                  # the gold's window of text may start inside a word
            ctx_words += len(gw)
            broken_body += sum(1 for w in gw if w not in body_words)
            s, c = squash(sentence_of.get(key, "")), squash(ctx)
            sentence_total += bool(c)            # a marker with no text before it (all redacted): not counted
            if c and (c[-30:] in s or (len(s) >= 8 and c.endswith(s))):   # the text just before the marker
                right_sentence += 1
    out = {
        "gold_notes": len(notes), "reports": len(reports),
        "markers_found": sum(1 for k in true if k in found_markers),
        "extra_markers": sorted((m for m in found_markers if m not in true), key=lambda m: (len(m), m))[:50],
        "right_notes": right, "shifted": shifted, "wrong": wrong,
        "note_words": note_words, "broken_note_words": broken_note,
        "body_words": ctx_words, "broken_body_words": broken_body,
        "right_sentence": right_sentence, "sentence_total": sentence_total,
        "statuses": _statuses(reports), "wrong_examples": wrong_examples,
    }
    out["markers"] = out["markers_found"] / len(notes) if notes else 0.0
    out["right"] = right / len(notes) if notes else 0.0
    if reports:
        r = reports[0]
        out["title"], out["date"], out["authors"] = r.title, r.date, list(r.authors)
    if meta:
        first = reports[0] if reports else None
        out["meta_ok"] = {k: bool(first) and _same(getattr(first, k), meta[k]) for k in ("title", "date", "authors")
                          if k in meta}
    return out


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
          "reports", "title/date/authors", "s", "pages/s")


def row(name: str, s: dict, seconds: float, pages: int) -> list[str]:
    n = s["gold_notes"]
    meta = s.get("meta_ok")
    meta_cell = "/".join("yes" if meta.get(k) else "NO" for k in ("title", "date", "authors")) if meta else "—"
    return [name, f"{s['markers_found']}/{n} ({s['markers']:.3f})", f"{s['right_notes']}/{n} ({s['right']:.3f})",
            str(s["shifted"]), f"{s['broken_note_words']}/{s['note_words']} + {s['broken_body_words']}/{s['body_words']}",
            f"{s['right_sentence']}/{s['sentence_total']}", str(s["reports"]), meta_cell, f"{seconds:.1f}",
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
