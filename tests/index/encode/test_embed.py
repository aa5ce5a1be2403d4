"""The light query encoder gives the same vectors and ranking as sentence-transformers."""
from __future__ import annotations

import numpy as np

from index.config import Settings
from index.encode.embed import NumpyBert, QueryEncoder, bundled_model_path

TEXTS = ["Which Russian unit trained with Belarusian forces since September 17?",
         "Almaz-Antey air-defence contract", "Лукашенко и Путин встретились в Сочи.",
         "The Kremlin is conducting multiple preplanned and apparently snap exercises concurrently in "
         "multiple theaters and Russian military districts. " * 12]


def test_numpy_forward_pass_matches_sentence_transformers(st_model):
    enc = QueryEncoder(Settings())
    assert enc._np is not None and NumpyBert.supports(bundled_model_path())
    ours = enc.encode_many(TEXTS)
    theirs = st_model.encode(TEXTS, normalize_embeddings=True)
    cos = (ours * theirs).sum(1)
    assert cos.min() > 0.9999, cos
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_same_ranking_over_the_sample_passages(st_model, dossier):
    passages = [p["text"] for p in dossier.search("Belarus air defence Russia", k=30)["results"]]
    enc = QueryEncoder(Settings())
    pv = st_model.encode(passages, normalize_embeddings=True)
    for q in TEXTS[:3]:
        a = np.argsort(-(pv @ np.array(enc.encode(q))))
        b = np.argsort(-(pv @ st_model.encode([q], normalize_embeddings=True)[0]))
        assert list(a[:10]) == list(b[:10])
