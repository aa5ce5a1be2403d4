"""Training the answer decision: a deterministic fit, a threshold chosen from held-out scores,
near-misses made only from tune questions and the corpus."""
from __future__ import annotations

import numpy as np

from eval import train_decision as td


def test_the_fit_finds_the_weights_that_made_the_data_and_is_deterministic():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 3))
    true = np.array([2.0, -1.0, 0.0])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(x @ true + 0.5)))).astype(float)
    w, b = td.fit_logistic(x, y, np.ones(4000), l2=0.01)
    assert np.allclose(w, true, atol=0.2) and abs(b - 0.5) < 0.15
    w2, b2 = td.fit_logistic(x, y, np.ones(4000), l2=0.01)
    assert np.array_equal(w, w2) and b == b2
    heavy, _ = td.fit_logistic(x, y, np.ones(4000), l2=1000.0)
    assert np.abs(heavy).sum() < np.abs(w).sum(), "the penalty shrinks the weights"


def test_the_threshold_declines_the_unanswerable_for_the_fewest_answerable():
    scores = [(True, 0.9), (True, 0.8), (True, 0.35), (False, 0.4), (False, 0.2), (False, 0.1)]
    t, fig = td.choose_threshold(scores)
    # declining 0.35 too would decline one more unanswerable for one answerable: a tie, and the
    # tie goes to fewer false abstentions
    assert 0.2 < t < 0.35 and fig == {"false_abstention": 0.0, "abstention_recall": round(2 / 3, 4)}
    t, fig = td.choose_threshold(scores + [(False, 0.38)])
    assert 0.4 < t < 0.8 and fig == {"false_abstention": round(1 / 3, 4), "abstention_recall": 1.0}
    t, fig = td.choose_threshold([(True, 0.9), (False, 0.1)])
    assert 0.1 < t < 0.9 and fig == {"false_abstention": 0.0, "abstention_recall": 1.0}


def test_a_part_whose_topic_is_absent_is_declined_whatever_the_answerer_says():
    model = {"features": ["top_semantic"], "mean": [0.0], "scale": [1.0], "weights": [5.0], "bias": 0.0,
             "threshold": 0.5}
    said = {"top_semantic": 1.0, "topic_absent": 0.0}
    assert td.answer_probability(model, td.Case("q1", "q1", False, False, said)) > 0.99
    gated = td.Case("q1", "q1", False, False, {**said, "topic_absent": 1.0})
    assert td.answer_probability(model, gated) == 0.0        # as index/answer/choose.py learned_fits declines it


def test_near_misses_come_from_tune_questions_and_the_corpus_only():
    corpus = ["The 234th Guards Regiment trained with Belarusian forces near Brest in September 2020.",
              "Later, the Taman Division held drills near Moscow. Observers from Serbian units watched.",
              "The Taman Division and the Kantemir Division are based near Moscow; Serbian officers visited Grodno."]
    tune = {"id": "q1", "question": "Which regiment trained with Belarusian forces near Brest?", "answerable": True,
            "split": "tune", "key_facts": [["234th"]], "evidence": [{"text": "x"}]}
    test = dict(tune, id="q2", split="test")
    unanswerable = dict(tune, id="q3", answerable=False)
    made = td.near_misses([tune, test, unanswerable], corpus)
    assert made and all(m["id"].startswith("q1~") for m in made)
    assert all(not m["answerable"] and m["synthetic"] and m["split"] == "tune" for m in made)
    assert all(m["question"] != tune["question"] for m in made)
    assert made == td.near_misses([tune, test, unanswerable], corpus), "deterministic"
    kinds = {m["category"] for m in made}
    assert "synthetic_time" in kinds
    for m in made:
        if m["category"] == "synthetic_time":
            year = int(m["question"].rstrip("?").split()[-1])
            assert str(year) not in " ".join(corpus)


def test_the_gold_sentence_is_the_one_holding_the_evidence():
    from index.answer.evidence import Candidate

    q = {"evidence": [{"text": "arrived in Brest on September 14", "in_note": False},
                      {"text": "Almaz-Antey is the holding company", "in_note": True}]}
    assert td.gold_sentence(Candidate("300 troops arrived in Brest on September 14.", "p", "r", [], (0, 0)), q)
    assert not td.gold_sentence(Candidate("They left on September 25.", "p", "r", [], (0, 1)), q)
    assert td.gold_sentence(Candidate("The Kremlin seeks control.", "p", "r", ["4"], (0, 2),
                                      note="Almaz-Antey is the holding company for the makers."), q)


def test_the_committed_weights_are_refitted_from_the_committed_rows():
    """`python -m eval.train_decision --from-rows --check`: the rows file holds every training
    row's signals (no text), so the weights are reproduced without the corpora."""
    import json

    from index.answer.decision import WEIGHTS

    rows, counts, command = td.read_rows(td.ROWS)
    assert set(rows) == set(td.FEATURES) and counts["samples"]["questions"] == 126
    built = td.fit_all(rows, counts, command)
    assert td.compare(json.loads(WEIGHTS.read_text(encoding="utf-8")), built) == []
    assert all(not r.answerable for rs in rows.values() for r in rs if r.synthetic)


def test_the_curve_shows_the_chosen_threshold_as_the_best_trade_off():
    """`--curve`: what each threshold does to the held-out questions; no cut's averaged objective
    beats the threshold the committed weights chose, and a higher cut declines at least as many of each."""
    import json

    from index.answer.decision import WEIGHTS

    rows, _, _ = td.read_rows(td.ROWS)
    models = json.loads(WEIGHTS.read_text(encoding="utf-8"))["models"]
    for name in td.FEATURES:
        points = td.curve(rows[name], td.FEATURES[name])
        chosen = models[name]["answerer"]["threshold"]
        at = min(points, key=lambda p: abs(p["threshold"] - chosen))
        if td.THRESHOLD_WINDOW:
            assert max(p["averaged"] for p in points) <= at["averaged"] + 1e-4
        else:
            figures = models[name]["chosen"]["cross_validated"]
            assert max(p["objective"] for p in points) <= figures["abstention_recall"] - figures["false_abstention"] + 1e-4
        for a, b in zip(points, points[1:]):
            assert b["false_abstentions"] >= a["false_abstentions"]
            assert b["declined_unanswerable"] >= a["declined_unanswerable"]
        assert points[0]["objective"] < at["objective"] > points[-1]["objective"]


def test_the_threshold_is_the_middle_of_the_best_stretch_not_a_lone_best_cut():
    """One answerable question just above a lone best cut: the single best cut is there, but a
    question more either way moves it; the chosen threshold stands where a wide stretch is good."""
    scores = ([(True, 0.9)] * 52 + [(True, p) for p in (0.55, 0.58, 0.61, 0.64, 0.67)] + [(True, 0.71)] * 3
              + [(False, 0.05)] * 27 + [(False, 0.70)] * 3)
    lone, _ = td.choose_threshold(scores, window=0.0)
    middle, fig = td.choose_threshold(scores, window=0.05)
    assert 0.70 < lone <= 0.71, "declining the three at 0.70 beats the stretch below by one question's worth"
    assert middle <= 0.55 and fig == {"false_abstention": 0.0, "abstention_recall": 0.9}


def test_the_committed_rows_are_what_the_answer_path_gives_on_the_samples(dossier):
    """Rows extracted again from the sample index (a few tune questions and a near-miss) equal
    the committed ones: the rows, and so the weights, belong to this code."""
    from eval.dataset import DEFAULT_QUESTIONS, load_questions

    tune = load_questions(DEFAULT_QUESTIONS, split="tune")
    picked = [q for q in tune if q["answerable"]][:6] + [q for q in tune if not q["answerable"]][:3]
    near = [m for m in td.near_misses(tune, list(dossier.snapshot.passage_texts())) if m["id"].startswith(picked[0]["id"])]
    qs = picked + near[:1]
    for q in qs:
        q.setdefault("group", q.get("twin") and min(q["id"], q["twin"]) or q["id"])
    fresh = td.question_rows(dossier, qs, context=False)
    committed, _, _ = td.read_rows(td.ROWS)
    want = {}
    for r in committed["semantic"]:
        want.setdefault((r.qid, r.part), []).append(r)
    got = {}
    for r in fresh:
        got.setdefault((r.qid, r.part), []).append(r)
    assert set(got) <= set(want) and len(got) >= len(qs)
    for key, rs in got.items():
        old = want[key]
        assert len(rs) == len(old), key
        for a, b in zip(rs, old):
            assert a.gold == b.gold, key
            for name in td.FEATURES["semantic"]:
                assert abs(a.signals.get(name, 0.0) - b.signals.get(name, 0.0)) < 2e-3, (key, name)


def test_keep_rows_keeps_only_the_corpora_not_collected_again(tmp_path):
    def row(qid):
        return td.Row(qid=qid, group=qid, answerable=True, synthetic=False, signals={"lexical": 0.5}, gold=True)
    stored = {"context": [row("q1"), row("lost:q1"), row("rb:old1")]}
    path = tmp_path / "rows.jsonl.gz"
    td.write_rows(path, stored, {"samples": {"questions": 1}, "lost": {"questions": 1}, "rb": {"questions": 1}}, "x")
    fresh = {"context": [row("q2"), row("rb:new1")]}
    merged, counts = td.keep_rows(fresh, {"samples": {"questions": 1}, "rb": {"questions": 1}}, path)
    assert sorted(r.qid for r in merged["context"]) == ["lost:q1", "q2", "rb:new1"]
    assert set(counts) == {"samples", "lost", "rb"}


def test_same_questions_reads_the_written_questions_of_the_rows_not_their_near_misses(tmp_path):
    def row(qid, synthetic=False):
        return td.Row(qid=qid, group=qid.split("~")[0], answerable=not synthetic, synthetic=synthetic,
                      signals={"lexical": 0.5}, gold=not synthetic)
    path = tmp_path / "rows.jsonl.gz"
    td.write_rows(path, {"context": [row("q1"), row("q1~time", True), row("rb:q7")], "semantic": [row("q2")]},
                  {"samples": {"questions": 2}, "rb": {"questions": 1}}, "x")
    assert td.row_questions(path) == {"q1", "q2", "rb:q7"}


def test_the_committed_rows_hold_the_samples_tune_questions_written_before_session_32():
    """A refit with --same-questions collects these again; the 30 written in session 32 (q252-q281)
    wait for a refit of their own (docs/quality.md)."""
    from eval.dataset import DEFAULT_QUESTIONS, load_questions

    tune = {q["id"] for q in load_questions(DEFAULT_QUESTIONS, split="tune")}
    held = {qid for qid in td.row_questions(td.ROWS) if ":" not in qid}
    assert held <= tune and len(held) == 126
    assert not {f"q{i}" for i in range(252, 282)} & held


def test_a_missing_rows_file_is_one_line_naming_it(tmp_path, capsys):
    missing = tmp_path / "rows.jsonl.gz"
    assert td.main(["--from-rows", "--check", "--rows", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(missing) in err
