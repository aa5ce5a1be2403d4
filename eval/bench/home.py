"""The bench's figures on a home it already built, for sizes where one bench run does not fit
in the time at hand (docs/scale.md: 100,000 reports on a shared machine). Stand-in encoder.

    python -m eval.bench.home HOME CORPUS WORKDIR edit,embedded[,server]

  edit      1 % of the corpus's files edited (a clause added to one sentence), then an ingest
            in a child process: wall, CPU, peak RSS, the pipeline's summary
  embedded  warm ask/search p50/p95 (the gold questions x 2), cold `dossier ask` x 3, the exact
            vector copy read disk-cold, the index on disk
  server    the home copied and ingested into a scratch `chroma run` (its first server ingest
            uploads every vector from the vector copy), then a 1 % edit there (what it uploads),
            warm and cold queries, the server's peak RSS and disk

Figures go to WORKDIR/measured.json (each step adds its own; the load before and after each)."""
from __future__ import annotations

import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

from eval.bench import runner as R
from eval.bench.proc import ChromaServer, dir_bytes
from index.config import Settings
from index.store import layers
from index.store.generations import current_generation

def main(argv: list[str]) -> None:
    if len(argv) != 5 or argv[1] in ("-h", "--help"):
        raise SystemExit(__doc__)
    home, corpus, work = Path(argv[1]), Path(argv[2]), Path(argv[3])
    steps = argv[4].split(",")
    unknown = [x for x in steps if x not in ("edit", "embedded", "server")]
    if unknown:
        raise SystemExit(f"eval.bench.home: unknown step {', '.join(unknown)} (edit, embedded, server)")
    if not home.is_dir() or not corpus.is_dir():
        raise SystemExit(f"eval.bench.home: {home if not home.is_dir() else corpus}: no such folder")
    work.mkdir(parents=True, exist_ok=True)
    out_path = work / "measured.json"
    out = json.loads(out_path.read_text()) if out_path.exists() else {}
    def save():
        out_path.write_text(json.dumps(out, indent=1))
    def log(msg):
        print(time.strftime("%H:%M:%S"), msg, flush=True)
    qs = R.load_questions()

    def tweak(k, seed):
        files = sorted(p for p in corpus.rglob("*.txt"))
        rng = random.Random(seed)
        chosen = rng.sample(files, k)
        for f in chosen:                   # a clause into the longest later paragraph with a sentence break
            paras = f.read_text().split("\n\n")
            # never the opening paragraph: an undated report is known by it
            i = max(range(1, len(paras)) or [0], key=lambda j: (". " in paras[j], len(paras[j])))
            paras[i] = paras[i].replace(". ", ", officials said. ", 1)
            f.write_text("\n\n".join(paras))
        return len(chosen)

    if "edit" in steps:
        s = Settings(home=home)
        files = len(list(corpus.rglob("*.txt")))
        k = tweak(max(1, files // 100), 10)
        log(f"embedded: 1 % edit ({k} files)"); b = R.load()
        summ, m = R.ingest_child(s, [corpus], stand_in=True)
        out["embedded_edit"] = {"summary": summ, "wall": m.wall, "cpu": m.cpu, "peak_rss_mib": m.peak_rss / 2**20,
                                "files_edited": k, "load_before": b, "load_after": R.load()}
        save(); log(json.dumps(out["embedded_edit"])[:500])

    if "embedded" in steps:
        s = Settings(home=home)
        log("warm queries, embedded"); b = R.load()
        q = R.time_queries(s, qs, 2)
        ms = {k: [x * 1000 for x in q[k]] for k in ("ask", "search")}
        out["embedded_queries"] = {k: {"p50": R.percentile(v, 50), "p95": R.percentile(v, 95)} for k, v in ms.items()}
        out["embedded_queries"].update(load_before=b, load_after=R.load(), stats=q["stats"])
        save()
        log("cold ask, embedded"); b = R.load()
        walls = R.cold_ask(s, qs[0], 3)
        out["embedded_cold_ask"] = {"walls": walls, "median": statistics.median(walls), "load_before": b, "load_after": R.load()}
        out["vector_copy"] = R.vector_copy_figures(current_generation(home))
        out["index_mib"] = R.index_bytes(home) / 2**20
        save(); log(json.dumps({k: out[k] for k in ("embedded_queries", "embedded_cold_ask")})[:600])

    if "server" in steps:
        files = len(list(corpus.rglob("*.txt")))
        shome = work / "home-server"
        shutil.rmtree(shome, ignore_errors=True)
        log("copy the home"); shutil.copytree(home, shome, ignore=shutil.ignore_patterns("ingest.lock", "lease"))
        with ChromaServer(work / "chroma-server") as server:
            s = Settings(home=shome, chroma_url=server.url)
            k = tweak(max(1, files // 100), 11)
            log(f"first server ingest of the home ({k} files edited): every vector uploaded"); b = R.load()
            summ, m = R.ingest_child(s, [corpus], stand_in=True)
            out["server_first"] = {"summary": summ, "wall": m.wall, "peak_rss_mib": m.peak_rss / 2**20, "load_before": b,
                                   "load_after": R.load(), "layers": [(x.name, x.vectors, len(x.dead)) for x in layers.read(current_generation(shome))]}
            out["server_disk_mib"] = dir_bytes(server.path) / 2**20
            save(); log(json.dumps(out["server_first"])[:400])
            k = tweak(max(1, files // 100), 12)
            log(f"server: 1 % edit ({k} files)"); b = R.load()
            summ, m = R.ingest_child(s, [corpus], stand_in=True)
            listed = layers.read(current_generation(shome))
            out["server_edit"] = {"summary": summ, "wall": m.wall, "peak_rss_mib": m.peak_rss / 2**20, "load_before": b,
                                  "load_after": R.load(), "layers": [(x.name, x.vectors, len(x.dead)) for x in listed],
                                  "uploaded_share": listed[-1].vectors / sum(x.live for x in listed)}
            save(); log(json.dumps(out["server_edit"])[:400])
            log("server: warm queries"); b = R.load()
            q = R.time_queries(s, qs, 2)
            ms = {k: [x * 1000 for x in q[k]] for k in ("ask", "search")}
            out["server_queries"] = {k: {"p50": R.percentile(v, 50), "p95": R.percentile(v, 95)} for k, v in ms.items()}
            out["server_queries"].update(load_before=b, load_after=R.load())
            walls = R.cold_ask(s, qs[0], 3)
            out["server_cold_ask"] = {"walls": walls, "median": statistics.median(walls)}
            out["server_peak_rss_mib"] = server.peak_rss() / 2**20
            save(); log(json.dumps({k: out[k] for k in ("server_queries", "server_cold_ask", "server_peak_rss_mib")}))


if __name__ == "__main__":
    main(sys.argv)
