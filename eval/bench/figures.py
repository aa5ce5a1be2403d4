"""The bench's figures: one measured value with its target, and how each cost grows with the
corpus (shared by the runner and the report, which combines runs of several sizes)."""
from __future__ import annotations

import math
from dataclasses import dataclass

P95_GROWTH_MAX = 1.5          # issue 17: warm query p95 grows less than this from the smallest corpus


@dataclass
class Figure:
    name: str
    label: str
    value: float | int | None
    unit: str = ""
    target: str = ""
    met: bool | None = None
    n: int | None = None
    note: str = ""

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


# What the growth figures follow (docs/scale.md): each cost from the smallest corpus to the largest.
GROWTH = ("ingest_seconds", "edited_seconds", "peak_rss", "index_mib", "ask_p95", "search_p95", "cold_ask",
          "server_ingest_seconds", "server_edited_seconds", "server_peak_rss", "server_disk_mib", "server_ask_p95",
          "server_search_p95", "server_cold_ask")


def growth_figures(points: list[tuple[int, dict[str, float]]]) -> list[Figure]:
    """For each cost measured at the smallest and the largest corpus: how much it grew, and
    its exponent (1: in proportion to the corpus; above 1: faster). `points`: (reports,
    {figure name: value}) per corpus size."""
    points = sorted(points)
    if len(points) < 2:
        return []
    (na, a), (nb, b) = points[0], points[-1]
    out = []
    for name in GROWTH:
        va, vb = a.get(name), b.get(name)
        if not va or not vb:
            continue
        g = vb / va
        exponent = math.log(g) / math.log(nb / na)
        target, met = "", None
        if name.endswith("_p95") and not name.startswith("server_"):
            target, met = f"< {P95_GROWTH_MAX}", g < P95_GROWTH_MAX
        out.append(Figure(f"{name}_growth", f"{name.replace('_', ' ')} growth {na}→{nb} (reports ×{nb / na:g})",
                          round(g, 3), "×", target, met, note=f"exponent {exponent:.2f}"))
    return out
