"""The figures table of an eval run: which systems, their labels, and the rows printed and
drawn (`eval.runner` prints it, `eval.report_html` renders it)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eval import metrics as m

K = 10
BASELINE_TOP = 3

SYSTEMS = ("dossier", "bm25", "dense", "llamaindex")
GENERATED = "generated"     # with --llm-url: the generated answers, an extra column beside Dossier's
SYSTEM_LABELS = {"dossier": "Dossier", "bm25": "BM25", "dense": "dense", "llamaindex": "llama-index default",
                 GENERATED: "Dossier + LLM"}
EXTRA_LABELS = {"parse_accuracy": "parse accuracy (markers)", "plumbing_failures": "plumbing failures (checks)"}


def fmt_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in ("reading_cost",):
        return f"{value:.0f}"
    if key in ("invented_sources", "plumbing_failures"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def table_rows(result: Mapping[str, Any], systems: Sequence[str] = SYSTEMS) -> list[list[str]]:
    """[metric, Dossier, BM25, dense, llama-index default, n] rows of the summary."""
    rows = []
    dashes = ["—"] * (len(systems) - 1)
    for spec in m.METRICS:
        cells = [spec.label]
        for system in systems:
            fig = result["metrics"].get(system, {}).get(spec.key)
            cells.append(fmt_value(spec.key, fig["value"]) if fig else "—")
        fig = result["metrics"]["dossier"].get(spec.key)
        cells.append(str(fig["n"]) if fig else "0")
        rows.append(cells)
    pa = result["parse_accuracy"]
    rows.append([EXTRA_LABELS["parse_accuracy"], fmt_value("parse_accuracy", pa["value"]), *dashes,
                 f"{pa['n']} reports, {pa.get('items', 0)} markers"])
    pl = result["plumbing"]
    rows.append([EXTRA_LABELS["plumbing_failures"], str(pl["failed"]), *dashes,
                 f"{pl['checks']} checks" + (f", {pl['skipped']} skipped" if pl["skipped"] else "")])
    return rows


def format_table(result: Mapping[str, Any]) -> str:
    systems = (*SYSTEMS, GENERATED) if GENERATED in result["metrics"] else SYSTEMS
    header = ["metric", *(SYSTEM_LABELS[s] for s in systems), "n"]
    rows = [header, *table_rows(result, systems)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    note = (f"{result['n_questions']} questions ({result['n_answerable']} answerable); baselines scored on their "
            f"top {K}, reading cost of their top {BASELINE_TOP}; {result['seconds']} s")
    return "\n".join([*lines, note])
