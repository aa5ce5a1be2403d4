"""The benchmark's result as people read it: a terminal table and a PNG chart."""
from __future__ import annotations

from pathlib import Path


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if value != value:   # NaN
            return "nan"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}"


def _met(met) -> str:
    return "" if met is None else ("yes" if met else "NO")


def table(result: dict) -> str:
    rows = [("N", "figure", "value", "target", "met")]
    for run in result["runs"]:
        for f in run["figures"]:
            value = f"{_fmt(f['value'])} {f['unit']}".strip()
            rows.append((str(run["n"]), f["label"], value, f["target"], _met(f["met"])))
    for f in result.get("growth", []):
        rows.append(("all", f["label"], f"{_fmt(f['value'])} {f['unit']}".strip(), f["target"], _met(f["met"])))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j in (1, 3) or j == 0 else c.rjust(w)
                               for j, (c, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    missed = [r for r in rows[1:] if r[4] == "NO"]
    lines.append("")
    lines.append(f"{len(missed)} target(s) not met" if missed else "all targets met")
    cpus = result["params"]["cpus"]
    if result["params"].get("encoder"):
        lines.append(f"ingest embeds with: {result['params']['encoder']} (first load, incl. building its "
                     f"export once: {result['params'].get('encoder_load_seconds', 0):.1f} s)")
    lines.append(f"bench took {result['seconds']:.0f} s on {cpus} CPUs")
    loads = [r["measurements"].get("max_load", 0) for r in result["runs"]]
    if loads and max(loads) > cpus:
        lines.append(f"warning: load average reached {max(loads):.1f} on {cpus} CPUs: other work shared the "
                     "machine, absolute timings are inflated (ratios and CPU figures less so)")
    return "\n".join(lines)


def _series(result: dict, name: str) -> tuple[list[int], list[float]]:
    xs, ys = [], []
    for run in result["runs"]:
        v = next((f["value"] for f in run["figures"] if f["name"] == name), None)
        if v is not None:
            xs.append(run["n"])
            ys.append(v)
    return xs, ys


def combine(results: list[dict]) -> dict:
    """Several bench results (e.g. 1,000 and 10,000 reports in one run, 100,000 in another) as
    one: their runs by corpus size, and the growth figures over all of them."""
    from eval.bench.figures import growth_figures

    runs = sorted((run for r in results for run in r["runs"]), key=lambda run: run["n"])
    points = [(run["n"], {f["name"]: f["value"] for f in run["figures"]}) for run in runs]
    growth = [f.to_dict() for f in growth_figures(points)]
    params = dict(results[0]["params"])
    params["reports"] = [run["n"] for run in runs]
    params["combined"] = [r["params"] for r in results]
    met = all(f["met"] is not False for run in runs for f in run["figures"]) and all(
        f["met"] is not False for f in growth)
    return {"params": params, "runs": runs, "growth": growth, "met": met,
            "seconds": round(sum(r["seconds"] for r in results), 1)}


def chart(result: dict, path: Path) -> Path:
    """Three panels: full ingest time against N (with the encoder's limit and the peer when
    they were measured), warm query p95 against N, and the growth of every cost relative to
    the smallest corpus on log-log axes beside the corpus's own growth."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from eval.bench.figures import GROWTH

    fig, (left, right, grow) = plt.subplots(1, 3, figsize=(16.5, 4.8))
    ns = [r["n"] for r in result["runs"]]
    lim_x, lim_y, peer_x, peer_y, peer_wall, wall, own_x, own_y = [], [], [], [], [], [], [], []
    wall_x = []
    for run in result["runs"]:
        m = run["measurements"]
        if m.get("ingest_full", {}).get("wall") is not None:      # a partial run may lack it
            wall_x.append(run["n"])
            wall.append(m["ingest_full"]["wall"])
        # The limit: all the run's passages at the raw encode() rate; the peer scaled to all files.
        if "raw_limit" in m:
            lim_x.append(run["n"])
            lim_y.append(m["raw_limit"]["seconds_all"])
        if "peer" in m:
            peer_x.append(run["n"])
            peer_y.append(m["peer"]["job_seconds_all"])
            peer_wall.append(m["peer"]["wall_all"])
        if "encoder_limit" in m:
            own_x.append(run["n"])
            own_y.append(m["encoder_limit"]["seconds_all"])
    stand_in = bool(result["params"].get("stand_in"))
    tag = " (stand-in encoder)" if stand_in else ""
    x, y = _series(result, "ingest_seconds")
    left.plot(x, y, "o-", label="dossier ingest (pipeline s)" + tag, color="C0")
    left.plot(wall_x, wall, "o--", label="dossier ingest (wall)" + tag, color="C0", alpha=0.5)
    x, y = _series(result, "server_ingest_seconds")
    if x:
        left.plot(x, y, "d-", label="dossier ingest into a chroma server" + tag, color="C1")
    if lim_x:
        left.plot(lim_x, lim_y, "s-", label="limit: stock encode() of the same passages", color="C2")
    if own_x:
        left.plot(own_x, own_y, "s--", label="limit: the encoder ingest uses", color="C4")
    if peer_x:
        left.plot(peer_x, peer_y, "^-", label="peer: llama-index defaults (job s)", color="C3")
        left.plot(peer_x, peer_wall, "^--", label="peer (wall)", color="C3", alpha=0.5)
    log = len(ns) > 1 and max(ns) / min(ns) >= 20
    for ax in (left, right):
        if log:
            ax.set_xscale("log")
        ax.set_xticks(ns)
        ax.set_xticklabels([f"{n:,}" for n in ns])
    left.set_ylim(bottom=0)
    left.set_xlabel("reports")
    left.set_ylabel("seconds")
    left.set_title("Full ingest")
    left.legend(fontsize=7)
    left.grid(alpha=0.3)

    for name, label, style in (("ask_p95", "ask p95", "o-"), ("search_p95", "search p95", "s-"),
                               ("server_ask_p95", "ask p95, chroma server", "o--"),
                               ("server_search_p95", "search p95, chroma server", "s--")):
        x, y = _series(result, name)
        if x:
            right.plot(x, y, style, label=label + tag)
    target = 300 if stand_in else 150
    right.axhline(target, color="grey", linestyle=":", label=f"target {target} ms")
    right.set_xlabel("reports")
    right.set_ylabel("ms")
    right.set_title("Warm query latency, p95")
    right.set_ylim(bottom=0)
    right.legend(fontsize=7)
    right.grid(alpha=0.3)

    if len(ns) > 1:
        n0 = min(ns)
        grow.plot([1, max(ns) / n0], [1, max(ns) / n0], color="black", linewidth=2, alpha=0.4,
                  label="in proportion to the corpus")
        for i, name in enumerate(GROWTH):
            x, y = _series(result, name)
            if len(x) > 1 and y[0]:
                grow.plot([v / x[0] for v in x], [v / y[0] for v in y], "o-" if i < 7 else "d--",
                          label=name.replace("_", " "), color=f"C{i % 10}")
        grow.set_xscale("log")
        grow.set_yscale("log")
    grow.set_xlabel(f"reports ÷ {min(ns):,}")
    grow.set_ylabel("cost ÷ cost at the smallest corpus")
    grow.set_title("Growth of each cost" + tag)
    grow.legend(fontsize=6, ncol=2)
    grow.grid(alpha=0.3, which="both")
    fig.suptitle(f"dossier bench (seed {result['params']['seed']}, {result['params']['cpus']} CPUs){tag}")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    """`python -m eval.bench.report OUT.json IN.json...`: combine bench results into one
    (runs by size, growth over all), write it, print its table; --chart PNG draws it."""
    import argparse
    import json

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("inputs", type=Path, nargs="+")
    ap.add_argument("--chart", type=Path)
    args = ap.parse_args(argv)
    result = combine([json.loads(p.read_text()) for p in args.inputs])
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    if args.chart:
        chart(result, args.chart)
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
