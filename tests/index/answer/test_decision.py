"""The learned decision: the weights file, read as written; a missing file leaves the hand rules."""
from __future__ import annotations

import json
import math

import pytest

from index.answer import decision as dm


def _model(features, weights, bias=0.0, threshold=0.5, mean=None, scale=None):
    return {"features": features, "mean": mean or [0.0] * len(features), "scale": scale or [1.0] * len(features),
            "weights": weights, "bias": bias, "threshold": threshold}


def test_probability_is_the_logistic_of_the_standardised_signals(tmp_path):
    path = tmp_path / "decision.json"
    path.write_text(json.dumps({"version": 1, "models": {"x": {
        "ranker": _model(["a", "b"], [2.0, -1.0], bias=0.5, mean=[1.0, 0.0], scale=[2.0, 1.0]),
        "answerer": _model(["c"], [1.0], threshold=0.7)}}}))
    d = dm.decider("x", path)
    assert d is not None and d.threshold == 0.7
    z = 0.5 + 2.0 * (3.0 - 1.0) / 2.0 - 1.0 * 1.0
    assert d.ranker.probability({"a": 3.0, "b": 1.0}) == pytest.approx(1 / (1 + math.exp(-z)))
    assert d.ranker.probability({}) == pytest.approx(1 / (1 + math.exp(-(0.5 - 1.0))))   # missing signals are 0
    assert dm.decider("nope", path) is None


def test_a_missing_weights_file_means_no_model(tmp_path):
    assert dm.decider("context", tmp_path / "absent.json") is None


def test_lengths_must_agree(tmp_path):
    bad = _model(["a", "b"], [1.0])
    with pytest.raises(ValueError):
        dm.Model.from_dict("bad", bad)


def test_the_committed_weights_load_and_name_their_signals():
    models = dm.load()
    assert {"semantic", "context"} <= set(models)
    for d in models.values():
        assert d.ranker.features and d.answerer.features
        assert 0.0 < d.threshold < 1.0
        assert all(s > 0 for s in d.ranker.scale + d.answerer.scale)
