"""What each way of sharing vectors between generations costs on a `chroma run` server.

`python -m eval.bench.layouts --passages 170000` fills one collection with random unit
vectors (17 passages a report, metadata {"report_id", "gen"}) on a scratch server and times
what the candidate designs of server-side edits would ask of it (docs/scale.md):

- one collection, versioned ids, a per-generation filter: every query carries a `where` that
  matches nearly every vector (`{"gen": {"$lte": g}}`), or excludes the 1 % edited
  (`{"report_id": {"$nin": [...]}}`);
- delete and metadata update of 1 % of the vectors (what marking or collecting them costs);
- a layer per ingest: the same query on several collections one after the other;
- the unfiltered query asking for 1 % and 10 % of the vectors (over-fetching past vectors a
  reader must skip);
- the unfiltered query and a scoped one (`$in` on 10 reports) for reference.

Prints one JSON object. The server is started on a free loopback port and stopped after.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from eval.bench.proc import ChromaServer
from index.store.store import COLLECTION_METADATA


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    m = rng.standard_normal((n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def _ms(fn, runs: int) -> dict:
    walls = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(statistics.median(walls), 2), "max_ms": round(max(walls), 2), "runs": runs}


def measure(url: str, passages: int, dim: int = 384, per_report: int = 17, runs: int = 10, seed: int = 0) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port = url.split("//")[1].split(":")
    client = chromadb.HttpClient(host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False))
    rng = np.random.default_rng(seed)
    col = client.create_collection("probe", embedding_function=None, metadata=COLLECTION_METADATA)
    reports = max(1, passages // per_report)
    step = client.get_max_batch_size()
    out: dict = {"passages": passages, "reports": reports}
    t = time.perf_counter()
    for a in range(0, passages, step):
        b = min(a + step, passages)
        col.add(ids=[f"p{i}" for i in range(a, b)], embeddings=_unit(rng, b - a, dim),
                metadatas=[{"report_id": f"r{i // per_report}", "gen": 1} for i in range(a, b)])
    out["add_per_s"] = round(passages / (time.perf_counter() - t))
    queries = _unit(rng, runs, dim)
    it = iter(range(10**9))

    def query(c=col, n=50, **kw):
        return lambda: c.query(query_embeddings=[queries[next(it) % runs]], n_results=n, include=["distances"], **kw)

    edited = [f"r{i}" for i in rng.choice(reports, max(1, reports // 100), replace=False)]
    out["query_unfiltered"] = _ms(query(), runs)
    for n in (passages // 100, passages // 10):     # over-fetching past vectors a reader must skip
        out[f"query_n_results_{n}"] = _ms(query(n=n), max(3, runs // 3))
    out["query_scope_in_10_reports"] = _ms(query(where={"report_id": {"$in": edited[:10]}}), runs)
    out["query_gen_lte_matches_all"] = _ms(query(where={"gen": {"$lte": 5}}), max(3, runs // 3))
    out["query_nin_1pct_reports"] = _ms(query(where={"report_id": {"$nin": edited}}), max(3, runs // 3))
    out["query_ne_one_report"] = _ms(query(where={"report_id": {"$ne": edited[0]}}), max(3, runs // 3))
    ids_1pct = [f"p{int(r[1:]) * per_report + j}" for r in edited for j in range(per_report)]
    t = time.perf_counter()
    col.update(ids=ids_1pct, metadatas=[{"report_id": f"r{int(i[1:]) // per_report}", "gen": 2} for i in ids_1pct])
    out["update_metadata_1pct_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    col.delete(ids=ids_1pct)
    out["delete_1pct_by_id_s"] = round(time.perf_counter() - t, 3)
    out["query_after_delete"] = _ms(query(), runs)
    # a layer per ingest: small collections beside the big one, queried one after the other
    layers = []
    for n in range(4):
        c = client.create_collection(f"layer{n}", embedding_function=None, metadata=COLLECTION_METADATA)
        k = max(1, passages // 100)
        c.add(ids=[f"l{n}-{i}" for i in range(k)], embeddings=_unit(rng, k, dim),
              metadatas=[{"report_id": f"r{i // per_report}", "gen": 2 + n} for i in range(k)])
        layers.append(c)

    def across() -> None:
        q = queries[next(it) % runs]
        for c in [col, *layers]:
            c.query(query_embeddings=[q], n_results=50, include=["distances"])

    out["query_5_layers_in_turn"] = _ms(across, runs)
    t = time.perf_counter()
    for n in range(20):
        client.create_collection(f"empty{n}", embedding_function=None)
    out["create_collection_ms"] = round((time.perf_counter() - t) / 20 * 1000, 2)
    t = time.perf_counter()
    client.get_collection("probe")
    out["get_collection_ms"] = round((time.perf_counter() - t) * 1000, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=170_000)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-layouts-") as tmp:
        with ChromaServer(Path(tmp) / "chroma") as server:
            out = measure(server.url, args.passages, runs=args.runs)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
