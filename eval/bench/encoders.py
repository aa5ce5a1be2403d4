"""Which encoder to embed with: every candidate against sentence-transformers, in one run.

    python -m eval.bench.encoders [--home HOME] [--rounds 3] [--json out.json]

On the passages of an index (HOME, default: the bundled sample reports ingested into a
temporary home) and the gold questions, for sentence-transformers `encode()` (the
reference), the numpy forward pass (NumpyBert), and the ONNX exports (fp32 plain and
fused, and their int8 dynamic quantisations):

- agreement: the lowest cosine to sentence-transformers over the passages, and on how
  many gold questions the top-10 passages are the same (in order, and as a set);
- throughput with 1 and 2 threads (torch and numpy: intra-op threads; ONNX: batches run
  side by side, one onnxruntime thread each): passages per second on the same texts,
  batches cut from the texts sorted by length, best of `rounds` interleaved runs (the
  machine is shared: the best run is the one least disturbed), with the 1-minute load
  average before each;
- the query path: a fresh process's import + load time and the per-question latency;
- a small edit: a fresh process's import + load + embedding of 10, 30, 100 passages.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from eval.bench.proc import REPO

GOLD = REPO / "eval" / "gold" / "questions.jsonl"
SAMPLES = REPO / "data" / "reports"
COSINE_MIN = 0.999       # issue 17: every sample passage


def load() -> float:
    return round(os.getloadavg()[0], 2)


def agreement(vecs: np.ndarray, qvecs: np.ndarray, ref: np.ndarray, qref: np.ndarray) -> dict:
    cos = (vecs * ref).sum(1)
    ordered = same_set = 0
    for q, qr in zip(qvecs, qref):
        a, b = np.argsort(-(vecs @ q))[:10], np.argsort(-(ref @ qr))[:10]
        ordered += list(a) == list(b)
        same_set += set(a) == set(b)
    return {"min_cosine": float(cos.min()), "mean_cosine": float(cos.mean()), "questions": len(qref),
            "top10_same_order": ordered, "top10_same_set": same_set,
            "passes": bool(cos.min() >= COSINE_MIN and ordered == len(qref))}


def _threads(n: int) -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n)


def candidates(st_model: Any, model_dir: Path, work: Path) -> dict[str, Callable[[int], Callable]]:
    """name -> (threads -> encode(texts))."""
    from index.encode.embed import NumpyBert, NumpyTextEncoder
    from index.encode.onnx_encoder import OnnxEncoder
    from index.encode.onnx_export import build_graph, quantize

    bert = NumpyBert(model_dir)
    out: dict[str, Callable[[int], Callable]] = {}

    def st(threads: int) -> Callable:
        import torch

        torch.set_num_threads(threads)
        return lambda texts: st_model.encode(texts, batch_size=64, normalize_embeddings=True,
                                             convert_to_numpy=True, show_progress_bar=False)

    def numpy_pass(threads: int) -> Callable:
        _threads(threads)
        return NumpyTextEncoder(bert).encode

    out["sentence-transformers"] = st
    out["numpy"] = numpy_pass
    for layout in ("plain", "fused"):
        fp32 = work / f"{layout}.onnx"
        t = time.perf_counter()
        fp32.write_bytes(build_graph(model_dir, layout))
        print(f"  built {layout} fp32 in {time.perf_counter() - t:.1f} s, {fp32.stat().st_size / 1e6:.1f} MB",
              flush=True)
        int8 = work / f"{layout}-int8.onnx"
        t = time.perf_counter()
        quantize(fp32, int8)
        print(f"  quantised {layout} int8 in {time.perf_counter() - t:.1f} s, {int8.stat().st_size / 1e6:.1f} MB",
              flush=True)
        for name, path in ((f"onnx-{layout}-fp32", fp32), (f"onnx-{layout}-int8", int8)):
            out[name] = (lambda p: lambda threads: OnnxEncoder(p.read_bytes(), model_dir, threads=threads).encode)(path)
    return out


COLD_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
from pathlib import Path
from index.encode.embed import NumpyBert, NumpyTextEncoder, bundled_model_path
kind, mode, home, texts = sys.argv[1], sys.argv[2], Path(sys.argv[3]), json.loads(sys.argv[4])
where = bundled_model_path()
threads = 1 if mode == "query" else (os.cpu_count() or 1)
if kind == "numpy":
    enc = NumpyBert(where) if mode == "query" else NumpyTextEncoder(NumpyBert(where))
else:
    from index.encode.onnx_cache import cached_export
    from index.encode.onnx_encoder import OnnxEncoder
    enc = OnnxEncoder(cached_export(home, where, kind)[0], where, threads=threads)
if mode == "query":
    enc.encode_batch([texts[0]])
    loaded = time.perf_counter() - t0
    lat = []
    for q in texts:
        t = time.perf_counter(); enc.encode_batch([q]); lat.append(time.perf_counter() - t)
    out = {"load_s": loaded, "latencies": lat}
else:
    enc.encode(texts)
    out = {"total_s": time.perf_counter() - t0, "torch": "torch" in sys.modules}
print(json.dumps(out))
"""


def _cold(kind: str, mode: str, home: Path, texts: list[str]) -> dict:
    r = subprocess.run([sys.executable, "-c", COLD_CHILD, kind, mode, str(home), json.dumps(texts)],
                       cwd=REPO, capture_output=True, text=True, timeout=300)
    if r.returncode:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def query_path(kind: str, home: Path, questions: list[str], runs: int) -> dict:
    """A fresh process: import, load, embed one question; then per-question latency."""
    loads, lats = [], []
    for _ in range(runs):
        before = load()
        got = _cold(kind, "query", home, questions)
        loads.append((got["load_s"], before))
        lats.extend(got["latencies"])
    lats.sort()
    return {"cold_load_s": [round(s, 3) for s, _ in loads], "load_before": [b for _, b in loads],
            "median_ms": round(1000 * statistics.median(lats), 2),
            "p95_ms": round(1000 * lats[int(0.95 * (len(lats) - 1))], 2)}


def small_edit(kind: str, home: Path, texts: list[str], runs: int) -> dict:
    """A fresh process: import, load and embed `texts` at once (what a small edit's ingest pays)."""
    got = []
    for _ in range(runs):
        before = load()
        r = _cold(kind, "edit", home, texts)
        got.append({"seconds": round(r["total_s"], 3), "load_before": before, "torch_imported": r["torch"]})
    return {"passages": len(texts), "runs": got, "best_s": min(g["seconds"] for g in got)}


def _index_texts(home: Path | None, st_model: Any) -> tuple[list[str], Path]:
    from index.config import Settings
    from index.store.store import Snapshot

    if home is None:
        from ingest.pipeline import ingest

        home = Path(tempfile.mkdtemp(prefix="bench-encoders-"))
        ingest([SAMPLES], Settings(home=home), embedder=st_model)
    snap = Snapshot.open(Settings(home=home))
    try:
        return [t for (t,) in snap.con.execute("SELECT text FROM passages ORDER BY report_id, ordinal")], home
    finally:
        snap.close()


def run(home: Path | None, rounds: int, repeat: int, query_runs: int) -> dict:
    from eval.dataset import load_questions
    from index.config import Settings
    from index.encode.embed import bundled_model_path, load_sentence_transformer

    st_model = load_sentence_transformer(Settings())
    passages, home = _index_texts(home, st_model)
    questions = [q["question"] for q in load_questions(GOLD)]
    texts = passages * repeat
    print(f"{len(passages)} passages (x{repeat} for timing), {len(questions)} gold questions, "
          f"home {home}; load {load()}", flush=True)
    ref = st_model.encode(passages, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    qref = st_model.encode(questions, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    work = Path(tempfile.mkdtemp(prefix="bench-encoders-onnx-"))
    cands = candidates(st_model, bundled_model_path(), work)
    result: dict = {"passages": len(passages), "timed_texts": len(texts), "questions": len(questions),
                    "rounds": rounds, "encoders": {}}
    for name, make in cands.items():
        enc = make(1)
        result["encoders"][name] = {"agreement": agreement(enc(passages), enc(questions), ref, qref),
                                    "runs": {1: [], 2: []}}
    for _ in range(rounds):
        for threads in (1, 2):
            for name, make in cands.items():
                enc = make(threads)
                enc(passages[:8])                                    # warm: first-run allocations
                before = load()
                t, cpu = time.perf_counter(), time.process_time()
                enc(texts)
                dt, cpu = time.perf_counter() - t, time.process_time() - cpu
                result["encoders"][name]["runs"][threads].append(
                    {"passages_per_s": round(len(texts) / dt, 1), "per_cpu_s": round(len(texts) / cpu, 1),
                     "load_before": before})
    _threads(1)
    for name, e in result["encoders"].items():
        for threads, rs in e["runs"].items():
            best = max(rs, key=lambda r: r["passages_per_s"])
            e[f"best_{threads}t"] = {**best, "median_passages_per_s": statistics.median(r["passages_per_s"] for r in rs),
                                     "median_per_cpu_s": statistics.median(r["per_cpu_s"] for r in rs)}
    if query_runs:
        cache_home = work / "home"
        _cold("plain", "edit", cache_home, passages[:1])              # builds the cached export once
        result["query"] = {k: query_path(k, cache_home, questions[:30], query_runs) for k in ("numpy", "plain")}
        result["small_edit"] = {f"{k} {n}": small_edit(k, cache_home, passages[:n], query_runs)
                                for n in (10, 30, 100) for k in ("numpy", "plain")}
    return result


def print_table(result: dict) -> None:
    print("\npassages/s: best wall run (load before it) | median wall | median per CPU-second")
    print(f"{'encoder':22s} {'min cos':>8s} {'top10 ord/set/of':>16s}  {'1 thread':>26s}  {'2 threads':>26s}  passes")
    for name, e in result["encoders"].items():
        a = e["agreement"]
        cols = []
        for b in (e["best_1t"], e["best_2t"]):
            cols.append(f"{b['passages_per_s']:6.1f} ({b['load_before']:4.1f}) | {b['median_passages_per_s']:5.1f} | "
                        f"{b['median_per_cpu_s']:5.1f}")
        print(f"{name:22s} {a['min_cosine']:8.5f} {a['top10_same_order']:>6d}/{a['top10_same_set']}/{a['questions']:<5d}"
              f"  {cols[0]:>26s}  {cols[1]:>26s}  {'yes' if a['passes'] else 'no'}")
    for kind, q in result.get("query", {}).items():
        print(f"query path {kind:6s}: cold import+load+first question {q['cold_load_s']} s "
              f"(load {q['load_before']}), then per question median {q['median_ms']} ms, p95 {q['p95_ms']} ms")
    for what, e in result.get("small_edit", {}).items():
        print(f"small edit {what:10s}: fresh process import+load+embed, best {e['best_s']} s of "
              f"{[r['seconds'] for r in e['runs']]} (load {[r['load_before'] for r in e['runs']]}); "
              f"torch imported: {any(r['torch_imported'] for r in e['runs'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--home", type=Path, help="an index whose passages to embed (default: the samples)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=2, help="timed texts = passages x this")
    ap.add_argument("--query-runs", type=int, default=3, help="fresh processes for the query path (0: skip)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    result = run(args.home, args.rounds, args.repeat, args.query_runs)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
