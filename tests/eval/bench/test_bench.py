"""`dossier bench`, small: every figure is produced and well-formed (not how fast it is)."""
from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from eval.bench import runner as bench, report as bench_report
from eval.bench.proc import ChromaServer, heartbeat, run_measured

N = 20
QUESTIONS = bench.load_questions()[:6]


@pytest.fixture(scope="module")
def result(tmp_path_factory, st_model):
    from index.config import Settings

    out = tmp_path_factory.mktemp("bench")

    def factory(home: Path, chroma_url=None, model=None):
        return Settings(home=home, chroma_url=chroma_url, model=model)

    messages: list[str] = []
    buf = io.StringIO()
    res = bench.run_bench(factory, [N], out, json_out=False, chart=out / "bench.png", progress=messages.append,
                          chroma_server=True, rounds=1, cold_runs=1, questions=QUESTIONS, encoder=st_model,
                          out=buf)
    return res, buf.getvalue(), messages, out


def _figures(res: dict) -> dict[str, dict]:
    (run,) = res["runs"]
    return {f["name"]: f for f in run["figures"]}


def test_every_figure_is_produced(result):
    res, _, _, _ = result
    names = set(_figures(res))
    expected = {"ingest_passages", "ingest_seconds", "ingest_wall", "ingest_pps", "peak_rss",
                "index_mib_per_1k", "raw_pps", "ingest_vs_raw", "encoder_cosine", "encoder_pps",
                "ingest_vs_encoder", "encoder_vs_raw", "ingest_vs_encoder_cpu", "peer_passages", "peer_pps", "vs_peer_pps",
                "wall_per_file", "peer_wall_per_file", "job_vs_peer", "unchanged_ratio",
                "unchanged_embedded", "edited_ratio", "edited_embedded", "ask_p50", "ask_p95",
                "search_p50", "search_p95", "reports_indexed", "cold_ask",
                "server_ask_p50", "server_ask_p95", "server_search_p50", "server_search_p95"}
    assert expected <= names, expected - names


def test_figures_are_well_formed(result):
    res, _, _, _ = result
    for name, f in _figures(res).items():
        assert f["n"] == N
        assert isinstance(f["value"], (int, float)), name
        assert math.isfinite(f["value"]) and f["value"] >= 0, name
        assert f["met"] in (True, False, None), name
        if f["target"]:
            assert f["met"] is not None, name
    figs = _figures(res)
    assert figs["ingest_passages"]["value"] > N                  # several passages a report
    assert figs["ask_p50"]["value"] <= figs["ask_p95"]["value"]
    assert figs["peak_rss"]["value"] > 50                        # MiB: a Python process with a model


def test_correctness_checks_hold(result):
    """Not speed: what re-ingest embeds and what the index holds."""
    res, _, _, _ = result
    figs = _figures(res)
    m = res["runs"][0]["measurements"]
    assert figs["unchanged_embedded"]["met"] is True
    assert figs["edited_embedded"]["met"] is True, m["ingest_edited"]
    assert m["ingest_edited"]["expected_passages"] > 0
    assert figs["reports_indexed"]["met"] is True, m["stats"]
    assert m["raw_limit"]["passages"] == figs["ingest_passages"]["value"]
    # the encoder ingest used is the one measured, and it gives sentence-transformers' vectors
    assert m["encoder_limit"]["passages"] == m["raw_limit"]["passages"]
    assert figs["encoder_cosine"]["met"] is True, m["encoder_limit"]["min_cosine"]
    assert m["ingest_full"]["encoder_fallback"] is False
    assert res["params"]["encoder"].startswith("ONNX fp32")


def test_outputs_table_json_and_chart(result):
    res, table, messages, out = result
    assert table.splitlines()[0].split()[:2] == ["N", "figure"]
    assert "ingest ÷ limit: stock" in table and "ingest ÷ limit: the encoder used" in table
    assert "ingest embeds with: ONNX fp32" in table and "encoder used: ONNX fp32" in table
    assert "cold `dossier ask`" in table and ("all targets met" in table or "not met" in table)
    saved = json.loads((out / "bench.json").read_text())
    assert saved["runs"][0]["n"] == N and saved["params"]["reports"] == [N]
    png = (out / "bench.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert any("full ingest" in m for m in messages)


def test_json_output_is_one_object(result, tmp_path):
    res, _, _, _ = result
    # The table and JSON writers work from the saved result alone.
    assert json.loads(json.dumps(res))["runs"][0]["figures"]
    assert bench_report.table(res).count("\n") > 20


def test_percentile_and_reports_parsing():
    assert bench.percentile([1, 2, 3, 4], 50) == 2.5
    assert bench.percentile([5.0], 95) == 5.0
    assert bench.percentile(list(range(101)), 95) == 95
    assert bench.parse_reports("250, 500,1000") == [250, 500, 1000]
    assert bench.parse_reports([20]) == [20]


def test_run_measured_reports_peak_rss_of_the_child():
    import sys
    code = "b = bytearray(200 * 2**20); import time; time.sleep(0.3)"
    m = run_measured([sys.executable, "-c", code]).check()
    assert m.peak_rss > 200 * 2**20
    assert m.wall >= 0.3


def test_chroma_server_starts_and_stops(tmp_path):
    with ChromaServer(tmp_path / "srv") as server:
        assert heartbeat(server.url)
        url = server.url
    assert not heartbeat(url)


def test_sample_is_deterministic_and_keeps_order():
    items = list(range(1000))
    a = bench._sample(items, 100, seed=3)
    assert a == bench._sample(items, 100, seed=3) and len(a) == 100 and a == sorted(a)
    assert a != bench._sample(items, 100, seed=4)
    assert bench._sample(items, 0, seed=3) == items and bench._sample(items[:5], 100, seed=3) == items[:5]


def test_peak_rss_is_the_childs_own_not_the_parents():
    """Linux carries a parent's ru_maxrss into its child across exec; the bench must not."""
    import sys
    ballast = bytearray(400 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])        # touch every page: resident
    m = run_measured([sys.executable, "-c", "import time; time.sleep(0.2)"]).check()
    assert m.peak_rss < 100 * 2**20
    del ballast
