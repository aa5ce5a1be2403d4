"""The gold questions file: its categories and tune/test split, and every evidence fragment and
marker checked against the report files themselves (read by eval/plumbing's small reader, not
by Dossier's parser)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import (ANSWERABLE_CATEGORIES, CATEGORIES, DEFAULT_QUESTIONS, NEAR_MISS_CATEGORIES, SPLITS,
                          UNANSWERABLE_CATEGORIES, categories, load_gold_maps, load_questions, realworld_gold_maps)
from eval.metrics import normalize
from eval.plumbing import MARKER, _regions, occurrences, read_report_file
from index.errors import UserInputError

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
KINDS = ("date", "number", "note", "multi", "name")
# a note line starts with its marker (the chapter's unnumbered endnotes have none)
_NOTE_START = re.compile(r"^\s*(?:[-*]\s*)?(" + MARKER.pattern + ")")
_SUP = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")


@pytest.fixture(scope="module")
def questions():
    return load_questions(DEFAULT_QUESTIONS)


@pytest.fixture(scope="module")
def gold_maps():
    return load_gold_maps()


@pytest.fixture(scope="module")
def report_texts(gold_maps):
    """{gold key: [(file, text of that report in the file)]}; the September 16 report has two copies."""
    texts: dict[str, list[tuple[str, str]]] = {}
    for file in sorted({f for gm in gold_maps.values() for f in gm["files"]}):
        text = read_report_file(REPORTS / file)
        for key, start, end in _regions(text, file, gold_maps):
            texts.setdefault(key, []).append((file, text[start:end]))
    return texts


@pytest.fixture(scope="module")
def marked_sentences(gold_maps, tmp_path_factory):
    """{gold key: [(marker, normalised sentence that the marker ends)]}. A marker glued to the
    next sentence ("September 25.[8]The exercises") gets a space first, so that the reader
    does not take the two sentences for one."""
    copies = tmp_path_factory.mktemp("reports")
    for file in {f for gm in gold_maps.values() for f in gm["files"]}:
        text = read_report_file(REPORTS / file)
        (copies / file).write_text(re.sub(f"({MARKER.pattern})(?=[A-Z])", r"\1 ", text), encoding="utf-8")
    out: dict[str, list[tuple[str, str]]] = {}
    for occ in occurrences(copies, gold_maps):
        out.setdefault(occ.report, []).append((occ.marker, normalize(occ.sentence)))
    return out


def test_every_line_states_its_category_and_split():
    text = Path(DEFAULT_QUESTIONS).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert [r["id"] for r in rows] == [f"q{i:03d}" for i in range(1, len(rows) + 1)]
    for r in rows:
        assert r.get("split") in SPLITS, r["id"]
        assert r.get("category") in (ANSWERABLE_CATEGORIES if r["answerable"] else UNANSWERABLE_CATEGORIES), r["id"]
    assert len({normalize(r["question"]) for r in rows}) == len(rows), "a question is written twice"


def test_counts_per_category(questions):
    cat = Counter(q["category"] for q in questions)
    assert cat["original"] == 85
    assert sum(cat[c] for c in NEAR_MISS_CATEGORIES) - sum(
        1 for q in questions if int(q["id"][1:]) <= 100 and q["category"] in NEAR_MISS_CATEGORIES) >= 50
    new = Counter(q["category"] for q in questions if int(q["id"][1:]) > 100)
    for c in NEAR_MISS_CATEGORIES:
        assert new[c] >= 10, c
    assert new["reworded"] >= 30
    assert 3 <= new["partial"] <= 8
    assert categories(questions) == list(CATEGORIES)


def test_every_category_and_kind_is_in_both_splits_about_half_each(questions):
    for split in SPLITS:
        part = load_questions(DEFAULT_QUESTIONS, split=split)
        assert {q["split"] for q in part} == {split}
        assert 0.4 <= len(part) / len(questions) <= 0.6, split
        assert categories(part) == list(CATEGORIES), split
        assert {k for q in part for k in q["kinds"]} == set(KINDS), split
        for c in CATEGORIES:
            total = sum(q["category"] == c for q in questions)
            here = sum(q["category"] == c for q in part)
            assert here >= total // 3, (split, c)
    assert len(load_questions(DEFAULT_QUESTIONS, split="tune")) + len(load_questions(DEFAULT_QUESTIONS, split="test")) \
        == len(questions)


def test_twins_pair_a_near_miss_with_an_answerable_question_in_the_same_split(questions):
    by_id = {q["id"]: q for q in questions}
    twinned = Counter()
    for q in questions:
        if "twin" not in q:
            continue
        twin = by_id[q["twin"]]
        assert q["category"] in NEAR_MISS_CATEGORIES and twin["answerable"], q["id"]
        assert q["split"] == twin["split"], (q["id"], twin["id"])
        twinned[q["category"]] += 1
    for c in NEAR_MISS_CATEGORIES:
        assert twinned[c] >= 5, c


def test_answer_fields_fit_the_category(questions):
    for q in questions:
        if q["answerable"]:
            assert q["evidence"] and q["key_facts"], q["id"]
            assert ("unanswered_part" in q) == (q["category"] == "partial"), q["id"]
        else:
            assert not q["evidence"] and not q["key_facts"] and "unanswered_part" not in q, q["id"]


def test_every_key_fact_is_in_the_evidence(questions):
    for q in questions:
        text = " ".join(normalize(ev["text"]) for ev in q["evidence"])
        for aliases in q["key_facts"]:
            assert any(normalize(a) in text for a in aliases), (q["id"], aliases)


def test_every_evidence_fragment_occurs_verbatim_in_its_report(questions, gold_maps, report_texts):
    missing = []
    for q in questions:
        for ev in q["evidence"]:
            assert ev["report"] in gold_maps, (q["id"], ev["report"])
            frag = normalize(ev["text"])
            if not any(frag in normalize(text) for _, text in report_texts[ev["report"]]):
                missing.append((q["id"], ev["text"]))
    assert not missing


def _note_lines(texts: list[tuple[str, str]], frag: str) -> list[str]:
    return [line for _, text in texts for line in text.split("\n") if frag in normalize(line)]


def _is_note_of(line: str, marker: str, gold_note: dict) -> bool:
    """True when `line` is the note of `marker`: it starts with that marker, or (the chapter's
    unnumbered endnotes) it holds the gold map's text for it."""
    start = _NOTE_START.match(line)
    if start:
        return re.sub(r"\D", "", start.group(1).translate(_SUP)) == marker
    return bool(gold_note.get("text_contains")) and gold_note["text_contains"] in line


def test_every_evidence_marker_matches_the_gold_footnote_map(questions, gold_maps, report_texts, marked_sentences):
    wrong = []
    for q in questions:
        for ev in q["evidence"]:
            gm = gold_maps[ev["report"]]["markers"]
            frag = normalize(ev["text"])
            if any(m not in gm for m in ev["markers"]):
                wrong.append((q["id"], ev["text"], "marker not in the gold map"))
                continue
            if ev["in_note"]:
                # a note's prose: the note line holding it is that marker's note
                (m,) = ev["markers"]
                own = [line for line in _note_lines(report_texts[ev["report"]], frag) if _is_note_of(line, m, gm[m])]
                if gm[m]["status"] != "resolved" or not own:
                    wrong.append((q["id"], ev["text"], f"not in the note of [{m}]"))
                continue
            ending = {m for m, sentence in marked_sentences.get(ev["report"], []) if frag in sentence}
            if ending != set(ev["markers"]):
                wrong.append((q["id"], ev["text"], f"the report ends it with {sorted(ending)}"))
    assert not wrong


@pytest.mark.parametrize("line, message", [
    ('{"id": "a", "question": "q?", "answerable": false, "split": "dev"}', "'split' must be one of tune, test"),
    ('{"id": "a", "question": "q?", "answerable": false, "category": "reworded"}', "'category' of an unanswerable"),
    ('{"id": "a", "question": "q?", "answerable": false, "unanswered_part": "x"}', "'unanswered_part'"),
    ('{"id": "a", "question": "q?", "answerable": false, "twin": "b"}', "'twin' 'b' is not a question id"),
])
def test_a_bad_new_field_is_one_line_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "z", "question": "fine?", "answerable": false}\n' + line + "\n")
    with pytest.raises(UserInputError) as e:
        load_questions(path)
    assert str(e.value).startswith(f"{path}:2: ") and message in str(e.value) and "\n" not in str(e.value)


def test_a_file_without_split_or_category_loads_as_test_questions(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"id": "a", "question": "Who?", "answerable": false}\n'
                    '{"id": "b", "question": "When?", "answerable": true, "evidence": [{"text": "on May 1"}]}\n')
    qs = load_questions(path)
    assert [(q["split"], q["category"]) for q in qs] == [("test", "not_in_reports"), ("test", "original")]
    assert load_questions(path, split="test") == qs and load_questions(path, split="tune") == []
    with pytest.raises(UserInputError, match="unknown split 'dev'"):
        load_questions(path, split="dev")


def test_gold_notes_are_keyed_as_ingest_keys_markers(tmp_path):
    """A Wikipedia note group ("n 8") and numbering that restarts per section ("1" three times,
    three notes) are keyed as a report keys its markers ("n8"; "1", "1#2", "1#3"); the same note
    cited twice keeps one label."""
    notes = [{"n": "1", "note_visible": "Costs include transfers."},
             {"n": "2", "note_visible": "2019 prices."},
             {"n": "1", "note_visible": "Includes  transfers, 2019 prices."},
             {"n": "1", "note_visible": "Independent Assessment."},
             {"n": "1", "note_visible": "Independent\nAssessment."},
             {"n": "n 8", "note_visible": "The population is increasing."},
             {"n": "9", "note_visible": "", "redacted_fully": True}]
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"notes": notes}), encoding="utf-8")
    markers = realworld_gold_maps("r", gold, [])["r"]["markers"]
    assert markers["1#3"]["text"] == "Independent\nAssessment."
    assert markers["n8"]["text"] == "The population is increasing."
    assert markers["9"] == {"status": "redacted"}
    assert "n 8" not in markers


def test_a_pdfs_link_targets_count_as_the_notes_own_sources():
    """A web address Dossier shows for a note of a PDF may be a link annotation of the file
    (the Commission's Green Deal links its notes' documents): the gold accepts those, not others."""
    from eval.metrics import squash

    folder = Path(__file__).resolve().parents[2] / "data" / "realworld" / "ec-pdf-european-green-deal"

    def links(files):
        markers = realworld_gold_maps("egd", folder / "gold.json", files)["egd"]["markers"]
        return next(m["links"] for m in markers.values() if m["status"] == "resolved")

    with_pdf = links([folder / "EuropeanGreenDeal.pdf"])
    assert squash("https://ec.europa.eu/commission/presscorner/detail/en/IP_19_6353") in with_pdf
    assert squash("https://example.org/not-in-the-file") not in with_pdf
    assert not links([])
