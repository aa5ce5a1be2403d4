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


def chart(result: dict, path: Path) -> Path:
    """Ingest time and query p95 against N, with the raw-throughput limit and the peer."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    ns = [r["n"] for r in result["runs"]]
    lim_x, lim_y, peer_y, peer_wall, wall, own_x, own_y = [], [], [], [], [], [], []
    for run in result["runs"]:
        m = run["measurements"]
        lim_x.append(run["n"])
        # The limit: all the run's passages at the raw encode() rate; the peer scaled to all files.
        lim_y.append(m["raw_limit"]["seconds_all"])
        peer_y.append(m["peer"]["job_seconds_all"])
        peer_wall.append(m["peer"]["wall_all"])
        wall.append(m["ingest_full"]["wall"])
        if "encoder_limit" in m:
            own_x.append(run["n"])
            own_y.append(m["encoder_limit"]["seconds_all"])
    x, y = _series(result, "ingest_seconds")
    left.plot(x, y, "o-", label="dossier ingest (pipeline s)", color="C0")
    left.plot(ns, wall, "o--", label="dossier ingest (wall)", color="C0", alpha=0.5)
    left.plot(lim_x, lim_y, "s-", label="limit: stock encode() of the same passages", color="C2")
    if own_x:
        left.plot(own_x, own_y, "s--", label="limit: the encoder ingest uses", color="C4")
    left.plot(ns, peer_y, "^-", label="peer: llama-index defaults (job s)", color="C3")
    left.plot(ns, peer_wall, "^--", label="peer (wall)", color="C3", alpha=0.5)
    for ax in (left, right):
        ax.set_xticks(ns)
    left.set_ylim(bottom=0)
    left.set_xlabel("reports")
    left.set_ylabel("seconds")
    left.set_title("Full ingest")
    left.legend(fontsize=8)
    left.grid(alpha=0.3)

    for name, label, style in (("ask_p95", "ask p95", "o-"), ("search_p95", "search p95", "s-"),
                               ("server_ask_p95", "ask p95, chroma server", "o--"),
                               ("server_search_p95", "search p95, chroma server", "s--")):
        x, y = _series(result, name)
        if x:
            right.plot(x, y, style, label=label)
    right.axhline(150, color="grey", linestyle=":", label="target 150 ms")
    right.set_xlabel("reports")
    right.set_ylabel("ms")
    right.set_title("Warm query latency, p95")
    right.set_ylim(bottom=0)
    right.legend(fontsize=8)
    right.grid(alpha=0.3)
    fig.suptitle(f"dossier bench (seed {result['params']['seed']}, {result['params']['cpus']} CPUs)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
