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
    tune = f", {result['splits']['tune']} more in the tune split" if result.get("splits", {}).get("tune") else ""
    note = (f"test split: {result['n_questions']} questions ({result['n_answerable']} answerable){tune}; baselines "
            f"scored on their top {K}, reading cost of their top {BASELINE_TOP}; {result['seconds']} s")
    return "\n".join([*lines, note])


SPLIT_KEYS = ("hit_at_1", "hit_at_5", "key_fact_recall", "abstention_recall", "false_abstention", "reading_cost",
              "invented_sources")


def format_splits(result: Mapping[str, Any]) -> str:
    """Dossier on the test split (the figures that count) beside the tune split (where rules and
    thresholds were chosen), and how often it declined, per question category."""
    test, tune = result["metrics"].get("dossier", {}), (result.get("metrics_tune") or {}).get("dossier", {})
    lines = []
    if tune:
        lines.append("Dossier, test split (reported) vs tune split (rules and thresholds chosen here):")
        for key in SPLIT_KEYS:
            a, b = test.get(key), tune.get(key)
            if a or b:
                label = m.SPECS[key].label
                lines.append(f"  {label:30} test {fmt_value(key, a and a['value']):>7} (n={a['n'] if a else 0:3})"
                             f"   tune {fmt_value(key, b and b['value']):>7} (n={b['n'] if b else 0:3})")
    cats = result.get("by_category") or {}
    if cats:
        lines.append("declined, per question category (unanswerable: abstention recall; answerable: false abstentions):")
        names = [c for c in ("original", "reworded", "partial", "attribute_absent", "relation_absent", "time_outside",
                             "type_absent", "not_in_reports") if any(c in rows for rows in cats.values())]
        for c in names:
            cells = []
            for split in ("test", "tune"):
                row = cats.get(split, {}).get(c)
                if row:
                    cells.append(f"{split} {row['declined']:2}/{row['n']:<3} = {row['rate']:.2f}")
            kind = "answerable" if any(cats[s].get(c, {}).get("answerable") for s in cats) else "unanswerable"
            lines.append(f"  {c:18} {kind:12} " + "   ".join(cells))
    return "\n".join(lines)


CORPUS_KEYS = ("hit_at_1", "hit_at_5", "key_fact_recall", "false_abstention", "abstention_recall", "reading_cost",
               "invented_sources", "marker_validity", "attachment_accuracy", "citation_recall")
ABLATION_KEYS = ("hit_at_5", "key_fact_recall", "false_abstention", "abstention_recall", "reading_cost",
                 "invented_sources")
ABLATION_LABELS = {"lexical": "lexical only", "semantic": "+ semantic", "learned": "+ learned decision",
                   "full": "+ context"}


def _cell(fig: Mapping[str, Any] | None, key: str) -> str:
    if not fig or fig.get("value") is None:
        return "—"
    return f"{fmt_value(key, fig['value'])} ({fig['n']})"


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    table = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in table]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return lines


def format_corpora(corpora: Mapping[str, Mapping[str, Any]]) -> str:
    """Dossier on each corpus and split side by side (figure (n)): the rules and weights were
    chosen on tune splits only; a corpus with a test split only was never looked at."""
    cols = [(name, split) for name, c in corpora.items() for split in ("tune", "test") if split in c["metrics"]]
    header = ["Dossier, per corpus", *(f"{name} {split}" for name, split in cols)]
    rows = [[m.SPECS[k].label, *(_cell(corpora[name]["metrics"][split].get(k), k) for name, split in cols)]
            for k in CORPUS_KEYS]
    rows.append([EXTRA_LABELS["parse_accuracy"], *(
        fmt_value("parse_accuracy", corpora[name]["parse_accuracy"]["value"]) if split == "test" else ""
        for name, split in cols)])
    return "\n".join(_grid(header, rows))


def format_ablation(ablation: Mapping[str, Mapping[str, Any]]) -> str:
    """Each step of the answer path added in turn, per corpus and split (figure (n))."""
    lines = []
    for name, steps in ablation.items():
        for split in ("tune", "test"):
            if not any(split in s for s in steps.values()):
                continue
            header = [f"ablation: {name} {split}", *(m.SPECS[k].label for k in ABLATION_KEYS)]
            rows = [[ABLATION_LABELS.get(step, step), *(_cell(figs.get(split, {}).get(k), k) for k in ABLATION_KEYS)]
                    for step, figs in steps.items()]
            lines += _grid(header, rows) + [""]
    return "\n".join(lines).rstrip()
