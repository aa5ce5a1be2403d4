"""`dossier eval` end to end on the real sample index, plus its thresholds and inputs."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from eval.dataset import DEFAULT_QUESTIONS, load_questions
from eval.runner import THRESHOLDS, check_thresholds, load_thresholds, run_eval
from index.errors import UserInputError

# Five gold questions: a two-sentence one, a footnote-only one, one with numbers, and two
# the reports cannot answer (picked by content so that edits to the gold file keep working).
PICK = 5


def five_questions() -> list[dict]:
    qs = load_questions(DEFAULT_QUESTIONS)
    chosen = [next(q for q in qs if q["answerable"] and len(q["evidence"]) > 1),
              next(q for q in qs if any(e["in_note"] for e in q["evidence"])),
              next(q for q in qs if q["answerable"] and "number" in q["kinds"] and len(q["evidence"]) == 1)]
    chosen += [q for q in qs if not q["answerable"]][:2]
    assert len({q["id"] for q in chosen}) == PICK
    return [dict(q, split="test") for q in chosen]          # the split whose figures the eval reports


@pytest.fixture(scope="module")
def run(sample_settings, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eval")
    questions = tmp / "five.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in five_questions()), encoding="utf-8")
    out = io.StringIO()
    rc = run_eval(sample_settings, questions=questions, json_out=tmp / "eval.json", report=tmp / "out" / "eval.html",
                  check=False, stdout=out)
    return {"rc": rc, "stdout": out.getvalue(), "tmp": tmp, "questions": questions,
            "json": json.loads((tmp / "eval.json").read_text(encoding="utf-8"))}


def test_runs_every_question_through_dossier_and_the_baselines(run):
    data = run["json"]
    assert run["rc"] == 0
    assert {"metrics", "questions", "parse_accuracy", "plumbing", "thresholds", "baseline", "n_questions"} <= set(data)
    assert data["n_questions"] == PICK and len(data["questions"]) == PICK
    assert data["systems"] == ["dossier", "bm25", "dense", "llamaindex"]
    for key in ("hit_at_1", "hit_at_5", "mrr_at_10", "ndcg_at_10", "key_fact_recall", "citation_recall",
                "citation_precision", "marker_validity", "invented_sources", "attachment_accuracy",
                "abstention_recall", "false_abstention", "reading_cost"):
        assert set(data["metrics"]["dossier"][key]) >= {"value", "n"}, key
    assert data["metrics"]["dossier"]["hit_at_1"]["n"] == 3
    assert data["metrics"]["dossier"]["abstention_recall"]["n"] == 2
    for system in ("bm25", "dense", "llamaindex"):
        assert set(data["metrics"][system]) == {"hit_at_1", "hit_at_5", "mrr_at_10", "ndcg_at_10", "reading_cost"}
        assert data["metrics"][system]["hit_at_1"]["n"] == 3
    q = data["questions"][0]
    assert {"id", "question", "answer", "retrieved", "metrics"} <= set(q)
    assert set(q["answer"]) >= {"question", "abstained", "answer", "citations"}
    assert len(q["retrieved"]["dossier"]) <= 10 and q["retrieved"]["llamaindex"]
    assert data["parse_accuracy"]["n"] == 7 and len(data["parse_accuracy"]["reports"]) == 7
    assert data["plumbing"]["checks"] > 100 and data["plumbing"]["skipped"] == 0


def test_prints_the_table_with_each_metric_and_its_n(run):
    text = run["stdout"]
    header = text.splitlines()[0]
    assert re.match(r"metric\s+\|\s+Dossier\s+\|\s+BM25\s+\|\s+dense\s+\|\s+llama-index default\s+\|\s+n", header)
    for label in ("hit@1", "hit@5", "MRR@10", "nDCG@10", "key-fact recall", "citation recall", "marker validity",
                  "invented/misattached sources", "attachment accuracy", "abstention recall",
                  "false-abstention rate", "mean reading cost", "parse accuracy", "plumbing failures"):
        assert label in text, label


def test_writes_one_self_contained_html_page(run):
    page = (run["tmp"] / "out" / "eval.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "<svg" in page
    assert "<script" not in page and "<link" not in page and " src=" not in page and "<a " not in page
    for q in run["json"]["questions"]:
        assert q["id"] in page
    assert page.count("<details") == PICK


def test_check_exits_1_listing_each_missed_threshold(sample_settings, run, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[hit_at_1]\nmin = 1.01\n\n[reading_cost]\nmax = 1\n\n[abstention_recall]\nmin = 0\n")
    out = io.StringIO()
    rc = run_eval(sample_settings, questions=run["questions"], check=True, baselines=False, plumbing=False,
                  thresholds=strict, stdout=out)
    assert rc == 1
    text = out.getvalue()
    assert "2 threshold(s) missed" in text and "abstention recall:" not in text
    assert re.search(r"hit@1: [0-9.]+ \(n=3\), needs >= 1.01", text)
    assert re.search(r"mean reading cost \(chars\): \d+ \(n=5\), needs <= 1", text)


def test_thresholds_file_matches_the_product_targets():
    limits = load_thresholds(THRESHOLDS)
    # the product targets of the honest-answers issue (test split), printed as met / NOT MET on every run;
    # hit@1 "not lower than today's": 53/75 = 0.7067 on the test split before the checks
    assert limits["hit_at_1"]["target"] == 0.706 and limits["hit_at_5"]["target"] == 0.95
    assert limits["key_fact_recall"]["target"] == 0.90 and limits["abstention_recall"]["target"] == 0.90
    assert limits["false_abstention"]["target"] == 0.05
    # the footnote guarantees gate CI at the product targets themselves
    assert limits["invented_sources"] == {"max": 0} and limits["marker_validity"] == {"min": 1.0}
    assert limits["reading_cost"] == {"max": 1500, "target": 1200} and limits["attachment_accuracy"]["min"] >= 0.95
    # gate floors never sit above their targets
    for key, limit in limits.items():
        if "target" in limit and "min" in limit:
            assert limit["min"] <= limit["target"], key


def test_targets_are_reported_but_do_not_gate():
    result = {"metrics": {"dossier": {"hit_at_1": {"value": 0.8, "n": 10}}},
              "parse_accuracy": {"value": 1.0, "n": 7}, "plumbing": {"checks": 1, "failed": 0}}
    rows = check_thresholds(result, {"hit_at_1": {"min": 0.7, "target": 0.9}})
    assert [(r["gate"], r["ok"]) for r in rows] == [(True, True), (False, False)]


def test_a_threshold_with_no_question_behind_it_fails():
    result = {"metrics": {"dossier": {"hit_at_1": {"value": 1.0, "n": 4}, "abstention_recall": {"value": None, "n": 0},
                                      "reading_cost": {"value": 900.0, "n": 4}}},
              "parse_accuracy": {"value": 1.0, "n": 7}, "plumbing": {"checks": 0, "failed": 0}}
    rows = check_thresholds(result, {"hit_at_1": {"min": 0.9}, "abstention_recall": {"min": 0.75},
                                     "reading_cost": {"max": 800}, "plumbing_failures": {"max": 0}})
    assert [r["ok"] for r in rows] == [True, False, False, False]


@pytest.mark.parametrize("toml, message", [
    ("[hit_at_2]\nmin = 0.5\n", "unknown metric 'hit_at_2'"),
    ("[hit_at_1]\nat_least = 0.5\n", "needs min"),
    ("[hit_at_1\n", "unreadable"),
])
def test_bad_thresholds_file_is_one_clear_error(tmp_path, toml, message):
    path = tmp_path / "t.toml"
    path.write_text(toml)
    with pytest.raises(UserInputError, match=re.escape(message)):
        load_thresholds(path)


@pytest.mark.parametrize("line, message", [
    ("not json", ":1: not JSON"),
    ('{"id": "a", "question": "q?"}', "'answerable' must be true or false"),
    ('{"id": "a", "question": "q?", "answerable": true, "evidence": []}', "needs evidence"),
    ('{"id": "a", "question": "q?", "answerable": false, "key_facts": ["x"]}', "list of alias strings"),
])
def test_bad_questions_file_names_the_line(tmp_path, line, message):
    path = tmp_path / "q.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(UserInputError, match=re.escape(message)):
        load_questions(path)
    with pytest.raises(UserInputError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


def test_the_gold_questions_load():
    qs = load_questions(DEFAULT_QUESTIONS)
    assert any(q["answerable"] for q in qs) and any(not q["answerable"] for q in qs)
    assert Path(DEFAULT_QUESTIONS).is_file()


def test_declines_are_counted_per_split_and_category():
    from eval.runner import by_category
    from eval.table import format_splits

    questions = [{"answerable": False, "category": "time_outside", "split": "test"},
                 {"answerable": False, "category": "time_outside", "split": "test"},
                 {"answerable": True, "category": "reworded", "split": "tune"},
                 {"answerable": True, "split": "test"}]                 # no category: "original", as documented
    records = [{"answer": {"abstained": True}}, {"answer": {"abstained": False}},
               {"answer": {"abstained": True}}, {"answer": {"abstained": False}}]
    cats = by_category(questions, records)
    assert cats["test"]["time_outside"] == {"n": 2, "declined": 1, "answerable": False, "rate": 0.5}
    assert cats["tune"]["reworded"]["declined"] == 1 and cats["test"]["original"]["declined"] == 0
    text = format_splits({"metrics": {}, "by_category": cats})
    assert "time_outside" in text and "test  1/2" in text and "tune  1/1" in text


def test_another_corpus_is_scored_in_its_own_index_with_the_ablation(sample_settings, run, tmp_path):
    """A corpus beside the samples (an --extra folder: questions.jsonl beside its report file) is
    ingested into its own home next to the samples' and reported per split, each step of the
    answer path too; the samples' test split alone gates."""
    import shutil

    from eval.dataset import extra_corpora

    folder = tmp_path / "extra" / "belarus-sept"
    folder.mkdir(parents=True)
    shutil.copy(Path(__file__).resolve().parents[2] / "data" / "reports" / "000_08cac09e5d9ef787.txt", folder)
    qs = [dict(q, split="tune") for q in five_questions()]
    (folder / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in qs), encoding="utf-8")
    corpora = extra_corpora(tmp_path / "extra")
    assert [c.name for c in corpora] == ["belarus-sept"] and corpora[0].reports[0].suffix == ".txt"
    settings = sample_settings.with_(home=tmp_path / "home")
    shutil.copytree(sample_settings.home, settings.home)
    out = io.StringIO()
    rc = run_eval(settings, questions=run["questions"], json_out=tmp_path / "e.json", baselines=False,
                  plumbing=False, stdout=out, corpora=corpora, ablation=True)
    assert rc == 0
    data = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert list(data["corpora"]) == ["five", "belarus-sept"]
    assert set(data["corpora"]["belarus-sept"]["metrics"]) == {"tune"}
    assert data["corpora"]["belarus-sept"]["metrics"]["tune"]["abstention_recall"]["n"] == 2
    assert (tmp_path / "home.belarus-sept" / "CURRENT").is_file()
    assert set(data["ablation"]["belarus-sept"]) == {"lexical", "semantic", "learned", "context"}
    text = out.getvalue()
    assert "belarus-sept tune" in text and "ablation: belarus-sept tune" in text and "+ learned decision" in text
    # a corpus's index kept from an earlier run follows its files: a report added since is read
    from eval.runner import open_corpus

    shutil.copy(Path(__file__).resolve().parents[2] / "data" / "reports" / "001_2615153153a8a9b8.txt", folder)
    engine = open_corpus(settings, extra_corpora(tmp_path / "extra")[0])
    try:
        read = {str(src) for r in engine.reports() for src in r["sources"]}
        assert any("001_2615153153a8a9b8" in src for src in read) and any("000_08cac09e5d9ef787" in src for src in read)
    finally:
        engine.close()


def test_the_real_world_reports_in_the_repository_are_corpora():
    from eval.dataset import realworld_corpora

    corpora = {c.name: c for c in realworld_corpora()}
    assert corpora["mueller-vol-2"].reports[0].suffix == ".pdf"          # the report as published
    assert corpora["mueller-vol-2.html"].reports[0].suffix == ".html"
    gm = corpora["mueller-vol-2"].gold_maps()
    assert set(gm) == {"mueller-vol-2"} and len(gm["mueller-vol-2"]["markers"]) == 1092
    assert sum(1 for n in gm["mueller-vol-2"]["markers"].values() if n["status"] == "redacted") >= 19
    # a tune report kept only as HTML (a Google Docs export): one corpus, read from its HTML
    assert corpora["google-docs-roads-and-bridges"].reports[0].name == "roads-and-bridges.html"
    assert "google-docs-roads-and-bridges.html" not in corpora
    gm = corpora["google-docs-roads-and-bridges"].gold_maps()["google-docs-roads-and-bridges"]["markers"]
    assert len(gm) == 206 and all(n["status"] == "resolved" for n in gm.values())
    assert {q["split"] for q in corpora["google-docs-roads-and-bridges"].load_questions()} == {"tune"}
