"""A PDF reader's Document scored against an independent footnote gold (gold.json beside a
real report: every note's number, visible text, redaction, the text before its marker and
its PDF page).

    python -m tests.ingest.pdf.realworld FILE.pdf GOLD.json [--show N]

Markers: the gold's notes in order matched to the Document's markers in reading order by
label (a marker may be missed; none is matched twice). For each matched marker: its note's
text against the gold's after Unicode NFKC, curly/straight quotes folded and white space
collapsed (a redacted note is right when it is marked redacted and has no text); shifted when
it carries the text of another gold note instead; placed when the block text before the
marker ends like the gold's text before it. Words: every gold note word and body word (the
last 40 words before each marker) that appears whole in the extracted text. The gold's
LaTeX cleaning left `\\@`, `$ $` and `quote` in a few notes: `gold_text` takes them out.
"""
from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

from ingest.document import Document

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'", "´": "'", "\u00a0": " "})
_WORD = re.compile(r"[^\W\d_]{2,}")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\.(?: ?\.){2,}", lambda m: m.group(0).replace(" ", ""), text)    # ". . ." as "..."
    return re.sub(r"\s+", " ", text).strip()


def gold_text(text: str) -> str:
    """The gold's note text with what its LaTeX cleaning left behind taken out: `\\@` (prints
    nothing), `$ $` (an arrow in math mode, printed as "−→"), a `quote` environment's name."""
    text = text.replace("\\@", "").replace("$ $", "−→")
    return re.sub(r"(?<=: )quote (?=[A-Z])|(?<=\.) quote$", "", text)


def _words(text: str) -> list[str]:
    return _WORD.findall(norm(text).lower())


def _squash(text: str) -> str:
    return re.sub(r"[^\w]+", "", norm(text).lower())


def match_marks(doc: Document, gold_notes: list[dict]) -> list[tuple[dict, tuple[int, int] | None]]:
    """(gold note, (block index, mark index) or None) in gold order."""
    marks = [(b, k, m.label) for b, blk in enumerate(doc.blocks) for k, m in enumerate(blk.marks)]
    out = []
    j = 0
    for g in gold_notes:
        label = str(g["n"])
        hit = next((i for i in range(j, min(j + 60, len(marks))) if marks[i][2] == label), None)
        if hit is None:
            out.append((g, None))
        else:
            out.append((g, (marks[hit][0], marks[hit][1])))
            j = hit + 1
    return out


def score(doc: Document, gold: dict, show: int = 0) -> dict:
    notes = gold["notes"]
    pairs = match_marks(doc, notes)
    by_text = {}
    for g in notes:
        if g["note_visible"]:
            by_text.setdefault(norm(gold_text(g["note_visible"])), g["n"])
    found = right = shifted = unlinked = placed = page_ok = 0
    wrong: list[str] = []
    gw_total = gw_ok = bw_total = bw_ok = 0
    label_of = doc.page_labels
    for g, where in pairs:
        want = norm(gold_text(g["note_visible"]))
        if where is None:
            wrong.append(f"{g['n']}: marker not found")
            continue
        found += 1
        blk = doc.blocks[where[0]]
        mark = blk.marks[where[1]]
        before = blk.text[:mark.pos]
        ctx = g["context_before"]
        if ctx and _squash(before).endswith(_squash(ctx)[-40:]) or not ctx:
            placed += 1
        words = _words(ctx)[-40:]
        have = Counter(_words(before))
        bw_total += len(words)
        bw_ok += sum(1 for w in words if have[w] > 0)
        note = doc.notes.get(mark.note) if mark.note else None
        if note is None:
            unlinked += 1
            wrong.append(f"{g['n']}: no note linked")
            continue
        got = norm(note.text)
        if g["redacted_fully"]:
            ok = note.redacted and not note.text
        else:
            ok = got == want
        if ok:
            right += 1
        else:
            other = by_text.get(got)
            if got and other is not None and other != g["n"]:
                shifted += 1
                wrong.append(f"{g['n']}: SHIFTED, carries note {other}'s text")
            else:
                k = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
                k = max(0, k - 60)
                wrong.append(f"{g['n']}: text differs\n    want {want[k:k + 200]!r}\n    got  {got[k:k + 200]!r}")
        gwords = _words(gold_text(g["note_visible"]))
        have = Counter(_words(note.text))
        gw_total += len(gwords)
        gw_ok += sum(1 for w in gwords if have[w] > 0)
        pages = g.get("pdf_pages_found") or []
        if pages and note.pages and note.pages[0] == pages[0]:
            page_ok += 1
    n = len(notes)
    out = {
        "markers_true": n, "markers_found": found, "markers_found_share": round(found / n, 4),
        "notes_right": right, "notes_right_share": round(right / n, 4), "notes_shifted": shifted,
        "marks_without_note": unlinked, "markers_placed": placed,
        "note_words_intact": f"{gw_ok}/{gw_total}", "body_words_intact": f"{bw_ok}/{bw_total}",
        "note_first_page_right": page_ok, "extra_marks": sum(len(b.marks) for b in doc.blocks) - found,
        "title": doc.title, "date": doc.date, "authors": doc.authors,
        "page_labels": len(label_of), "blocks": dict(Counter(b.kind for b in doc.blocks)),
        "notes_in_document": len(doc.notes),
    }
    if show:
        out["wrong"] = wrong[:show]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print up to N wrong notes")
    args = ap.parse_args()
    from ingest.pdf.reader import read_document

    t0 = time.perf_counter()
    doc = read_document(args.pdf, str(args.pdf))
    dt = time.perf_counter() - t0
    result = score(doc, json.loads(args.gold.read_text()), show=args.show)
    wrong = result.pop("wrong", [])
    print(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"parsed in {dt:.2f} s")
    for w in wrong:
        print(w)


if __name__ == "__main__":
    main()
