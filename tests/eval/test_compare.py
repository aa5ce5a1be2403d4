"""eval/compare.py: two eval runs compared question by question, with a sign test."""
from __future__ import annotations

import json

import pytest

from eval.compare import compare, main, moved, pooled, sign_test


def _record(qid: str, split: str, answerable: bool, **values: float) -> dict:
    metrics = {k: {"value": v, "num": v, "den": 1} for k, v in values.items()}
    if answerable:
        metrics.setdefault("abstention_recall", None)
    return {"id": qid, "split": split, "answerable": answerable, "metrics": {"dossier": metrics}}


def _run(kf: list[float], declined: list[float], corpus_kf: list[float]) -> dict:
    questions = [_record(f"q{i}", "test", True, key_fact_recall=v, false_abstention=1.0 - v)
                 for i, v in enumerate(kf)]
    questions += [_record(f"u{i}", "tune", False, abstention_recall=v) for i, v in enumerate(declined)]
    corpus = [_record(f"c{i}", "test", True, key_fact_recall=v) for i, v in enumerate(corpus_kf)]
    return {"questions": questions, "corpora": {"crs": {"records": corpus}}}


def _row(rows: list[dict], corpus: str, split: str, metric: str) -> dict:
    return next(r for r in rows if (r["corpus"], r["split"], r["metric"]) == (corpus, split, metric))


def test_the_sign_test_is_exact_and_two_sided():
    assert sign_test(0, 5) == pytest.approx(2 / 32)
    assert sign_test(5, 0) == sign_test(0, 5)
    assert sign_test(0, 0) == 1.0 and sign_test(3, 3) == 1.0
    assert sign_test(0, 10) < 0.01


def test_each_corpus_and_split_counts_the_questions_that_moved():
    before = _run([1, 1, 1, 1, 1, 0], [1, 0], [0, 0, 1])
    after = _run([0, 0, 0, 0, 0, 1], [1, 1], [1, 1, 1])
    rows = compare(before, after)
    kf = _row(rows, "samples", "test", "key_fact_recall")
    assert (kf["n"], kf["better"], kf["worse"]) == (6, 1, 5)
    assert kf["before"] == pytest.approx(5 / 6) and kf["after"] == pytest.approx(1 / 6)
    assert kf["p"] == pytest.approx(sign_test(1, 5))
    fa = _row(rows, "samples", "test", "false_abstention")        # lower is better
    assert (fa["better"], fa["worse"]) == (1, 5)
    ar = _row(rows, "samples", "tune", "abstention_recall")       # the split each record carries
    assert (ar["n"], ar["better"], ar["worse"]) == (2, 1, 0)
    crs = _row(rows, "crs", "test", "key_fact_recall")
    assert (crs["better"], crs["worse"]) == (2, 0)
    assert {r["corpus"] for r in compare(before, after, only="crs")} == {"crs"}


def test_only_questions_both_runs_scored_are_paired():
    before = _run([1, 0], [], [])
    after = _run([1], [], [])
    kf = _row(compare(before, after), "samples", "test", "key_fact_recall")
    assert kf["n"] == 1 and kf["better"] == kf["worse"] == 0


def test_the_command_prints_a_table_or_one_line_errors(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(_run([1, 1], [], [])))
    b.write_text(json.dumps(_run([0, 1], [], [])))
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "key facts" in out and "sign test" in out
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main([str(bad), str(b)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err
    assert main([str(a), str(b), "--corpus", "nothing"]) == 2
    assert "no scored question" in capsys.readouterr().err


def test_questions_that_moved_are_listed_as_the_gates_read_them_on_one_split(tmp_path, capsys):
    before = _run([1, 0, 0.5], [1, 0], [0])
    after = _run([1, 1, 0], [0, 1], [1])
    tune = moved(before, after, split="tune")
    assert [(c["id"], c["change"]) for c in tune] == [("u0", -1), ("u1", 1)]     # near-misses answered / declined
    test = {c["id"]: c["change"] for c in moved(before, after, split="test")}
    assert test == {"q1": 1, "q2": -1, "c0": 1}           # key facts decide before the abstention
    figs = pooled(before, split="test")
    assert figs["false_abstentions"] == 2.5 - 1 and figs["key_facts"] == pytest.approx(1.5 / 4)
    assert pooled(after, split="tune")["answered_near_misses"] == 1
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(before))
    b.write_text(json.dumps(after))
    assert main([str(a), str(b), "--split", "tune", "--questions"]) == 0
    out = capsys.readouterr().out
    assert "u0" in out and "q1" not in out and "c0" not in out and "better 1, worse 1" in out
    assert main([str(a), str(b), "--split", "tune"]) == 0
    table = capsys.readouterr().out
    assert "| tune " in table and "| test " not in table
