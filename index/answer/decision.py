"""Which sentence answers, and do the reports answer at all? Two small logistic regressions
over the evidence's signals, learned on the tune split, instead of thresholds set by hand per
pattern.

- the *ranker* gives each candidate sentence the probability that it is the one holding the
  answer (`index.answer.evidence.signals`);
- the *answerer* gives the question the probability that the reports answer it, from what its
  evidence says as a whole (`index.answer.evidence.answer_signals`: the ranker's best
  sentence, how far it stands out, the best sentence that passes every check). Below its
  `threshold` the reports "don't say".

The weights live in `decision.json` beside this module, written by `python -m
eval.train_decision` (which records what it was trained on and how); a test retrains and
compares. Each signal is standardised with the training set's mean and spread, so a weight
reads as "how much one spread of this signal moves the log-odds".
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

WEIGHTS = Path(__file__).with_name("decision.json")


@dataclass(frozen=True)
class Model:
    name: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float               # the answerer: the probability an answer needs (the ranker: 0)

    def logit(self, signals: Mapping[str, float]) -> float:
        z = self.bias
        for f, m, s, w in zip(self.features, self.mean, self.scale, self.weights):
            z += w * (float(signals.get(f, 0.0)) - m) / s
        return z

    def probability(self, signals: Mapping[str, float]) -> float:
        z = self.logit(signals)
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, name: str, d: Mapping) -> "Model":
        n = len(d["features"])
        if not (len(d["mean"]) == len(d["scale"]) == len(d["weights"]) == n):
            raise ValueError(f"decision model {name!r}: features, mean, scale and weights differ in length")
        return cls(name, tuple(d["features"]), tuple(map(float, d["mean"])), tuple(map(float, d["scale"])),
                   tuple(map(float, d["weights"])), float(d["bias"]), float(d["threshold"]))


@dataclass(frozen=True)
class Decider:
    """One configuration's pair of models."""

    name: str
    ranker: Model
    answerer: Model

    @property
    def threshold(self) -> float:
        return self.answerer.threshold


_LOADED: dict[Path, dict[str, Decider]] = {}


def load(path: Path = WEIGHTS) -> dict[str, Decider]:
    """Every configuration's models in the weights file, by name (cached)."""
    path = Path(path)
    if path not in _LOADED:
        data = json.loads(path.read_text(encoding="utf-8"))
        _LOADED[path] = {name: Decider(name, Model.from_dict(name + ".ranker", d["ranker"]),
                                       Model.from_dict(name + ".answerer", d["answerer"]))
                         for name, d in data["models"].items()}
    return _LOADED[path]


def decider(name: str, path: Path | None = None) -> Decider | None:
    """The named configuration's models, or None when the weights file has none (then the
    hand rules decide)."""
    try:
        return load(path or WEIGHTS).get(name)
    except FileNotFoundError:
        return None
