"""`dossier bench --stand-in-encoder`: the stand-in's vectors, the growth figures, combined
results, and a tiny stand-in bench against a server (every label says stand-in; the 1 % edit's
upload is what the edit's layer holds)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from eval.bench import report as bench_report, runner as bench
from eval.bench.standin import StandInEncoder


def test_stand_in_vectors_are_unit_and_depend_on_the_text_only():
    enc = StandInEncoder()
    a = enc.encode(["one passage", "another passage", "one passage"])
    assert a.shape == (3, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a[0], a[2]) and not np.allclose(a[0], a[1])
    assert np.array_equal(StandInEncoder().encode(["one passage"])[0], a[0])    # across instances
    assert enc.get_sentence_embedding_dimension() == 384


def test_growth_exponents():
    figs = {f.name: f for f in bench.growth_figures([
        (1000, {"ingest_seconds": 10.0, "ask_p95": 20.0, "peak_rss": 300.0}),
        (100000, {"ingest_seconds": 2000.0, "ask_p95": 24.0, "peak_rss": 3000.0})])}
    assert figs["ingest_seconds_growth"].value == 200.0
    assert figs["ingest_seconds_growth"].note == "exponent 1.15"          # faster than the corpus
    assert figs["peak_rss_growth"].note == "exponent 0.50"
    assert figs["ask_p95_growth"].met is True and figs["ask_p95_growth"].target
    assert bench.growth_figures([(1000, {"ingest_seconds": 1.0})]) == []


def _result(n: int, seconds: float) -> dict:
    return {"params": {"seed": 7, "cpus": 2, "stand_in": True}, "seconds": 1.0, "growth": [], "met": True,
            "runs": [{"n": n, "measurements": {"ingest_full": {"wall": seconds}},
                      "figures": [{"name": "ingest_seconds", "label": "full ingest", "value": seconds, "unit": "s",
                                   "target": "", "met": None, "n": n, "note": ""}]}]}


def test_combine_orders_runs_and_computes_growth(tmp_path):
    out = bench_report.combine([_result(10000, 100.0), _result(1000, 10.0)])
    assert [r["n"] for r in out["runs"]] == [1000, 10000] and out["params"]["reports"] == [1000, 10000]
    (g,) = out["growth"]
    assert g["name"] == "ingest_seconds_growth" and g["value"] == 10.0 and g["note"] == "exponent 1.00"
    png = bench_report.chart(out, tmp_path / "c.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_tiny_stand_in_bench_in_slices_against_a_server(tmp_path):
    from index.config import Settings

    def factory(home: Path, chroma_url=None, model=None):
        return Settings(home=home, chroma_url=chroma_url, model=model)

    res = bench.run_bench(factory, [8], tmp_path, json_out=False, chroma_server=True, rounds=1, cold_runs=1,
                          questions=bench.load_questions()[:3], out=io.StringIO(), stand_in=True, slices=2)
    (run,) = res["runs"]
    figs = {f["name"]: f for f in run["figures"]}
    assert all(f["label"].endswith(bench.STANDIN_TAG) for f in run["figures"])
    assert "raw_limit" not in run["measurements"] and "peer" not in run["measurements"]
    assert res["params"]["stand_in"] is True and res["params"]["encoder"].startswith("stand-in")
    assert figs["edited_embedded"]["met"] is True and figs["reports_indexed"]["met"] is True
    slices = run["measurements"]["ingest_slices"]                      # the archive ingested in two parts
    assert len(slices) == 2 and sum(x["summary"]["added"] for x in slices) == figs["reports_indexed"]["value"]
    layers = run["measurements"]["server_ingest_edited"]["layers"]
    assert len(layers) == 2 and layers[1][1] < layers[0][1]            # the edit's layer: its passages only
    total = sum(v - dead for _n, v, dead in layers)
    assert figs["server_edit_uploaded"]["value"] == pytest.approx(layers[1][1] / total, abs=1e-3)
    assert figs["server_peak_rss"]["value"] > 50 and figs["server_disk_mib"]["value"] > 0
    # both homes hold the encoder export a real ingest caches, so warm questions take the path a
    # real home takes (the stand-in ingest never builds it)
    from index.encode.embed import cached_onnx_encoder

    for home in (tmp_path / "n8" / "home", tmp_path / "n8" / "home-server"):
        assert cached_onnx_encoder(Settings(home=home)) is not None, home
