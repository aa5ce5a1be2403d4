"""The eval run as one self-contained HTML page: inline CSS, an inline SVG bar chart, the
summary table, the thresholds, and a drill-down per question. No script, no network, and
no live links: report sources (often defanged on purpose) are shown as text."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from eval import metrics as m
from eval.table import SYSTEM_LABELS, SYSTEMS, format_ablation, format_corpora, table_rows

COLORS = {"dossier": "#1f6feb", "bm25": "#8c959f", "dense": "#d29922", "llamaindex": "#8250df"}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#1f2328;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;vertical-align:top}
th{background:#f6f8fa;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37}.bad{color:#cf222e}.muted{color:#656d76}
details{border:1px solid #d0d7de;border-radius:6px;margin:.4em 0;padding:.3em .7em}
details[open]{background:#fcfcfd}summary{cursor:pointer}
.cite{border-left:3px solid #1f6feb;padding-left:.6em;margin:.5em 0}
.fn{font-size:.92em;margin-left:1em}.url{font-family:ui-monospace,monospace;font-size:.88em;word-break:break-all}
.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:.85em;margin-left:4px}
.tag.pass{background:#dafbe1;color:#1a7f37}.tag.fail{background:#ffebe9;color:#cf222e}.tag.na{background:#eaeef2;color:#656d76}
ul.reasons{margin:.2em 0 .2em 1.2em;padding:0}
"""


def _bar_chart(result: Mapping[str, Any]) -> str:
    """Horizontal bars, one group per 0..1 metric, one bar per system that has the figure
    (the baselines have retrieval figures only)."""
    systems = [s for s in SYSTEMS if s in result["metrics"]]
    groups = []
    for spec in (s for s in m.METRICS if s.chart):
        bars = [(s, result["metrics"][s][spec.key]) for s in systems
                if (result["metrics"][s].get(spec.key) or {}).get("value") is not None]
        if bars:
            groups.append((spec, bars))
    bar, gap, label_w, plot_w, legend_h = 11, 12, 190, 560, 28
    height = legend_h + sum(bar * len(bars) + gap for _, bars in groups) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 70}" height="{height}" '
             f'role="img" aria-label="Metrics of Dossier and the baselines" font-size="11" font-family="sans-serif">']
    x = label_w
    for s in systems:
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLORS[s]}"/>'
                     f'<text x="{x + 16}" y="16">{escape(SYSTEM_LABELS[s])}</text>')
        x += 30 + 7 * len(SYSTEM_LABELS[s])
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        tx = label_w + t * plot_w
        parts.append(f'<line x1="{tx:.1f}" y1="{legend_h}" x2="{tx:.1f}" y2="{height - 20}" stroke="#d0d7de"/>'
                     f'<text x="{tx:.1f}" y="{height - 6}" text-anchor="middle" fill="#656d76">{t:g}</text>')
    y0 = legend_h
    for spec, bars in groups:
        label = spec.label + (" (lower is better)" if spec.better == "lower" else "")
        parts.append(f'<text x="{label_w - 6}" y="{y0 + bar * len(bars) / 2 + 4}" text-anchor="end">'
                     f'{escape(label)}</text>')
        for i, (s, fig) in enumerate(bars):
            y = y0 + i * bar
            w = max(0.0, min(1.0, fig["value"])) * plot_w
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{COLORS[s]}">'
                         f'<title>{escape(SYSTEM_LABELS[s])} {escape(spec.label)}: {fig["value"]:.3f} '
                         f'(n={fig["n"]})</title></rect>'
                         f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}" fill="#1f2328">{fig["value"]:.2f}</text>')
        y0 += bar * len(bars) + gap
    parts.append("</svg>")
    return "".join(parts)


def _cost_chart(result: Mapping[str, Any]) -> str:
    """Mean reading cost (characters) of each system, on its own scale."""
    bars = [(s, result["metrics"][s]["reading_cost"]) for s in SYSTEMS
            if (result["metrics"].get(s, {}).get("reading_cost") or {}).get("value") is not None]
    if not bars:
        return ""
    bar, label_w, plot_w = 16, 190, 560
    top = max(fig["value"] for _, fig in bars) or 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 70}" height="{bar * len(bars) + 8}" '
             f'role="img" aria-label="Mean reading cost" font-size="11" font-family="sans-serif">']
    for i, (s, fig) in enumerate(bars):
        y, w = 4 + i * bar, fig["value"] / top * plot_w
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end">{escape(SYSTEM_LABELS[s])}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 3}" fill="{COLORS[s]}"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}">{fig["value"]:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _summary_table(result: Mapping[str, Any]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in ["metric", *(SYSTEM_LABELS[s] for s in SYSTEMS), "n"])
    body = []
    for row in table_rows(result):
        cells = f"<td>{escape(row[0])}</td>" + "".join(f'<td class="num">{escape(c)}</td>' for c in row[1:])
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _thresholds(result: Mapping[str, Any]) -> str:
    rows = []
    for t in result.get("thresholds") or []:
        value = "—" if t["value"] is None else f"{t['value']:.4g}"
        cls, verdict = ("ok", "pass") if t["ok"] else ("bad", "FAIL")
        rows.append(f"<tr><td>{escape(t['label'])}</td><td class='num'>{value}</td>"
                    f"<td>{escape(t['op'])} {t['threshold']:g}</td><td class='num'>{t['n']}</td>"
                    f"<td class='{cls}'>{verdict}</td></tr>")
    if not rows:
        return "<p class='muted'>No thresholds.</p>"
    return ("<table><tr><th>threshold</th><th>value</th><th>target</th><th>n</th><th></th></tr>"
            + "".join(rows) + "</table>")


def _tag(outcome: Mapping[str, Any] | None) -> str:
    if outcome is None:
        return '<span class="tag na">n/a</span>'
    return f'<span class="tag {"pass" if outcome["ok"] else "fail"}">{"pass" if outcome["ok"] else "fail"}</span>'


def _footnote(fn: Mapping[str, Any]) -> str:
    status = fn.get("status")
    head = f"[{escape(str(fn.get('marker')))}] <span class='muted'>{escape(str(status))}</span>"
    if status != "resolved":
        return f"<div class='fn'>{head} note not available in the ingested copy</div>"
    dngts = set(fn.get("dngts_urls") or [])
    urls = "".join(f"<div class='url'>{'DNGTS: ' if u in dngts else ''}{escape(u)}</div>" for u in fn.get("urls") or [])
    # prose notes (not just a list of links) are shown as written, links as text below
    text = fn.get("text") or ""
    bare = text
    for u in fn.get("urls") or []:
        bare = bare.replace(u, "")
    prose = f"<div>{escape(text)}</div>" if sum(ch.isalpha() for ch in bare) > 20 else ""
    return f"<div class='fn'>{head}{prose}{urls}</div>"


def _question(q: Mapping[str, Any]) -> str:
    answer = q["answer"]
    dossier = q["metrics"]["dossier"]
    failed = [k for k, o in dossier.items() if o is not None and not o["ok"]]
    verdict = "<span class='ok'>all pass</span>" if not failed else \
        "<span class='bad'>fails: " + escape(", ".join(m.SPECS[k].label for k in failed)) + "</span>"
    kind = "answerable" if q["answerable"] else "unanswerable"
    parts = [f"<details><summary><b>{escape(q['id'])}</b> {escape(q['question'])} "
             f"<span class='muted'>({kind})</span> {verdict}</summary>"]
    if answer.get("abstained"):
        parts.append("<p><b>Abstained.</b> Closest material below.</p>")
    else:
        sents = "".join(f"<li>{escape(s.get('text') or '')} "
                        f"<span class='muted'>{escape(''.join(f'[{n}]' for n in s.get('citations') or []))}</span></li>"
                        for s in answer.get("answer") or [])
        parts.append(f"<p><b>Answer</b></p><ol>{sents}</ol>")
    for c in answer.get("citations") or []:
        r = c.get("report") or {}
        notes = "".join(_footnote(fn) for fn in c.get("footnotes") or [])
        parts.append(f"<div class='cite'><b>[{escape(str(c.get('n')))}]</b> {escape(r.get('title') or '(untitled)')} "
                     f"<span class='muted'>{escape(str(r.get('date') or ''))}</span><div>{escape(c.get('text') or '')}</div>"
                     f"{notes}</div>")
    rows = []
    for spec in m.METRICS:
        o = dossier.get(spec.key)
        if spec.key not in dossier:
            continue
        value = "—" if o is None else f"{o['value']:.3g}"
        reasons = "" if not o or not o["reasons"] else \
            "<ul class='reasons'>" + "".join(f"<li>{escape(r)}</li>" for r in o["reasons"]) + "</ul>"
        tag = '<span class="tag na">info</span>' if spec.key == "reading_cost" else _tag(o)
        rows.append(f"<tr><td>{escape(spec.label)}</td><td class='num'>{value}</td><td>{tag}{reasons}</td></tr>")
    parts.append("<table><tr><th>metric</th><th>value</th><th>result</th></tr>" + "".join(rows) + "</table>")
    if q.get("evidence"):
        evs = "".join(f"<li>{escape(e['report'])}: “{escape(e['text'])}” "
                      f"<span class='muted'>{'(note) ' if e.get('in_note') else ''}markers "
                      f"{escape(', '.join(e.get('markers') or []) or 'none')}</span></li>" for e in q["evidence"])
        parts.append(f"<p><b>Gold evidence</b></p><ul>{evs}</ul>")
    ranks = []
    for s, listed in q.get("retrieved", {}).items():
        cells = " ".join(f"<span class='{'ok' if p['gold'] else 'muted'}'>{p['rank']}{'★' if p['gold'] else ''}</span>"
                         for p in listed)
        ranks.append(f"<tr><td>{escape(SYSTEM_LABELS.get(s, s))}</td><td>{cells}</td></tr>")
    if ranks:
        parts.append("<p><b>Ranks</b> <span class='muted'>(★ holds gold evidence)</span></p>"
                     "<table>" + "".join(ranks) + "</table>")
    parts.append("</details>")
    return "".join(parts)


def _parse_and_plumbing(result: Mapping[str, Any]) -> str:
    rows = []
    for key, r in result["parse_accuracy"]["reports"].items():
        reasons = "".join(f"<li>{escape(x)}</li>" for x in r["reasons"])
        rows.append(f"<tr><td>{escape(key)}</td><td class='num'>{r['value']:.3f}</td>"
                    f"<td class='num'>{r['num']:g}/{r['den']:g}</td><td><ul class='reasons'>{reasons}</ul></td></tr>")
    parse = ("<table><tr><th>report</th><th>accuracy</th><th>markers</th><th>differences</th></tr>"
             + "".join(rows) + "</table>")
    pl = result["plumbing"]
    fails = "".join(f"<li>{escape(f['report'])} [{escape(f['marker'])}] “{escape(f['sentence'][-120:])}”: "
                    f"{escape('; '.join(f['reasons']))}</li>" for f in pl["failures"])
    skipped = "".join(f"<li>{escape(s['report'])} [{escape(s['marker'])}]: {escape(s['reason'])}</li>"
                      for s in pl.get("skipped_markers") or [])
    plumbing = (f"<p>{pl['checks']} checks, <span class='{'bad' if pl['failed'] else 'ok'}'>{pl['failed']} failed</span>"
                f", {pl['skipped']} skipped.</p>" + (f"<ul>{fails}</ul>" if fails else "")
                + (f"<p>Skipped:</p><ul>{skipped}</ul>" if skipped else ""))
    return f"<h2>Parse accuracy</h2>{parse}<h2>Plumbing checks</h2>{plumbing}"


def _corpora(result: Mapping[str, Any]) -> str:
    """Each corpus and split side by side, and the ablation, as the terminal prints them."""
    out = ""
    if len(result.get("corpora") or {}) > 1:
        out += f"<h2>Per corpus</h2><pre>{escape(format_corpora(result['corpora']))}</pre>"
    if result.get("ablation"):
        out += f"<h2>Ablation</h2><pre>{escape(format_ablation(result['ablation']))}</pre>"
    return out


def render(result: Mapping[str, Any]) -> str:
    """The whole page."""
    questions = "".join(_question(q) for q in result["questions"])
    meta = (f"{result['n_questions']} questions ({result['n_answerable']} answerable) from "
            f"{escape(str(result.get('questions_file', '')))}; baselines: top {result['baseline']['k']} "
            f"ranked, reading cost of their top {result['baseline']['reading_top']}; "
            f"llama-index chunks: {result['baseline'].get('llamaindex_chunks')}; {result['seconds']} s.")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Dossier eval</title>"
        f"<style>{CSS}</style></head><body>"
        f"<h1>Dossier eval</h1><p class='muted'>{meta}</p>"
        f"<h2>Dossier vs baselines</h2>{_bar_chart(result)}"
        f"<p>Mean reading cost, characters (Dossier: answer and quoted passages; baselines: top "
        f"{result['baseline']['reading_top']} passages; lower is better)</p>{_cost_chart(result)}"
        f"<h2>Summary</h2>{_summary_table(result)}"
        f"<h2>Thresholds</h2>{_thresholds(result)}"
        f"{_corpora(result)}"
        f"{_parse_and_plumbing(result)}"
        f"<h2>Questions</h2>{questions}"
        "</body></html>"
    )
