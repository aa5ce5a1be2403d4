"""`dossier eval`: every gold question through Dossier and the baselines, scored in one run.

Dossier answers with `ask` and ranks with `search(k=10)`; the baselines on the same
questions are BM25 alone and dense alone (`search(mode=...)`) and an unmodified llama-index
pipeline over the same report files. Retrieval baselines are read as their top 3 passages.
Parse accuracy compares `Dossier.report_notes` with the gold footnote maps, and the
plumbing checks cite every footnoted sentence of the sample reports.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from eval import metrics as m
from eval.dataset import (DEFAULT_QUESTIONS, DEFAULT_SPLIT, SPLITS, Corpus, corpus_home, load_gold_maps,
                          load_questions)
from eval.plumbing import PlumbingResult, run_plumbing
from eval.report_html import render
from eval.table import (BASELINE_TOP, EXTRA_LABELS, GENERATED, K, SYSTEM_LABELS, SYSTEMS, fmt_value, format_ablation,
                        format_corpora, format_splits, format_table)
from index.errors import UserInputError

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
REPO_REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

def run_eval(
    settings: Any,
    *,
    questions: Path | None = None,
    json_out: Path | None = None,
    report: Path | None = None,
    check: bool = False,
    baselines: bool = True,
    plumbing: bool = True,
    thresholds: Path | None = None,
    reports_dir: Path | None = None,
    engine: Any | None = None,
    stdout: TextIO | None = None,
    llm: Any | None = None,
    corpora: Sequence[Corpus] = (),
    ablation: bool = False,
) -> int:
    """Run the eval, print the table, write the JSON and HTML asked for; the exit code is 1
    when `check` is set and a threshold is missed, else 0. `baselines=False` skips the three
    baselines, `plumbing=False` the plumbing checks (then their threshold fails: n = 0).
    `reports_dir` holds the report
    files for the llama-index baseline and the plumbing checks (default: the files the
    index was built from, else data/reports); `engine` is an open Dossier to reuse; `llm` (an
    `index.answer.llm.LLM`) also scores generated answers, and the verifier against its hand labels.
    `corpora`: more corpora to score beside the samples (eval.dataset.realworld_corpora,
    extra_corpora), each in its own index (`corpus_home`, ingested when empty), reported side
    by side per split; `ablation`: every corpus also through each step of the answer path
    (index.answer.choose.CONFIGS). The thresholds gate the samples' test split only."""
    out = stdout or sys.stdout
    limits = load_thresholds(thresholds or THRESHOLDS)
    questions_path = Path(questions) if questions else DEFAULT_QUESTIONS
    gold_questions = load_questions(questions_path)
    gold_maps = footnote_gold(gold_questions, load_gold_maps())
    if not gold_maps:
        _say(sys.stderr, f"eval: no gold footnote map names the reports of {questions_path}: marker validity, "
                         "invented sources and attachment are not measured (they need the report's own notes)")
    opened = engine is None
    if opened:
        from index.engine import Dossier

        engine = Dossier.open(settings)
    try:
        result = evaluate(engine, gold_questions, gold_maps, baselines=baselines, plumbing=plumbing,
                          reports_dir=reports_dir, progress=sys.stderr, llm=llm)
        primary = "samples" if questions_path == DEFAULT_QUESTIONS else questions_path.stem
        result["corpora"] = {primary: corpus_figures(result, str(questions_path))}
        if ablation:
            result["ablation"] = {primary: run_ablation(engine, gold_questions, gold_maps)}
        for corpus in corpora:
            figures, ablated = score_corpus(settings, corpus, ablation=ablation)
            result["corpora"][corpus.name] = figures
            if ablation:
                result["ablation"][corpus.name] = ablated
    finally:
        if opened:
            engine.close()
    result["questions_file"] = str(questions_path)
    result["thresholds"] = check_thresholds(result, limits)

    print(format_table(result), file=out)
    print(format_splits(result), file=out)
    if len(result["corpora"]) > 1:
        print(format_corpora(result["corpora"]), file=out)
    if result.get("ablation"):
        print(format_ablation(result["ablation"]), file=out)
    if result.get("llm"):
        print(format_llm(result["llm"]), file=out)
    if json_out:
        _write(Path(json_out), json.dumps(result, indent=2, ensure_ascii=False, default=str))
        print(f"wrote {json_out}", file=out)
    if report:
        _write(Path(report), render(result))
        print(f"wrote {report}", file=out)
    targets = [t for t in result["thresholds"] if not t.get("gate", True)]
    if targets:
        print("product targets (the answers issue; reported, not gating):", file=out)
        for t in targets:
            print(f"  {'met    ' if t['ok'] else 'NOT MET'}  {t['label']}: {fmt_value(t['key'], t['value'])} "
                  f"(n={t['n']}), target {t['op']} {t['threshold']:g}", file=out)
    for name, fig in list(result["corpora"].items())[1:]:
        test = fig["metrics"].get("test")
        if not test:
            continue
        rows = check_thresholds({"metrics": {"dossier": test}, "parse_accuracy": fig["parse_accuracy"],
                                 "plumbing": {"failed": None, "checks": 0}},
                                {k: v for k, v in limits.items() if "target" in v})
        print(f"product targets on {name} (test split; reported, not gating):", file=out)
        for t in (r for r in rows if not r["gate"]):
            print(f"  {'met    ' if t['ok'] else 'NOT MET'}  {t['label']}: {fmt_value(t['key'], t['value'])} "
                  f"(n={t['n']}), target {t['op']} {t['threshold']:g}", file=out)
    if check:
        failed = [t for t in result["thresholds"] if not t["ok"] and t.get("gate", True)]
        if failed:
            print(f"eval check failed: {len(failed)} threshold(s) missed", file=out)
            for t in failed:
                print(f"  {t['label']}: {fmt_value(t['key'], t['value'])} (n={t['n']}), "
                      f"needs {t['op']} {t['threshold']:g}", file=out)
            return 1
        print(f"eval check passed: {sum(1 for t in result['thresholds'] if t.get('gate', True))} thresholds met",
              file=out)
    return 0


# ---------------------------------------------------------------------------- corpora


def open_corpus(settings: Any, corpus: Corpus) -> Any:
    """A Dossier over the corpus's own index, brought in step with its report files and today's
    readers first (an index kept from an earlier run is re-read where a file or a reader changed;
    nothing is read when nothing did)."""
    from index.engine import Dossier
    from index.store import store
    from ingest.pipeline import ingest

    own = settings.with_(home=corpus_home(settings.home, corpus.name), corpus=None)
    if store.current_generation(own.home) is None:
        _say(sys.stderr, f"eval: ingesting {', '.join(str(p) for p in corpus.reports)} into {own.home}")
    ingest(list(corpus.reports), own)
    if store.current_generation(own.home) is None:
        raise UserInputError(f"{corpus.name}: nothing could be ingested from {corpus.reports[0]}")
    return Dossier.open(own)


def score_corpus(settings: Any, corpus: Corpus, *, ablation: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """One corpus's figures per split (and its ablation), from its own index."""
    questions = corpus.load_questions()
    gold_maps = corpus.gold_maps()
    engine = open_corpus(settings, corpus)
    try:
        _say(sys.stderr, f"eval: {corpus.name}, {len(questions)} questions")
        result = evaluate(engine, questions, gold_maps, baselines=False, plumbing=False, progress=sys.stderr)
        ablated = run_ablation(engine, questions, gold_maps) if ablation else {}
    finally:
        engine.close()
    return {**corpus_figures(result, str(corpus.questions), corpus.reports), "records": result["questions"]}, ablated


def corpus_figures(result: Mapping[str, Any], questions: str, reports: Sequence[Path] = ()) -> dict[str, Any]:
    """Dossier's figures of one evaluate() run, per split, with what they were measured on."""
    metrics = {"tune": (result.get("metrics_tune") or {}).get("dossier", {}),
               "test": result["metrics"].get("dossier", {})}
    return {"questions": questions, "reports": [str(p) for p in reports], "splits": result.get("splits", {}),
            "metrics": {k: v for k, v in metrics.items() if v}, "by_category": result.get("by_category", {}),
            "parse_accuracy": {k: result["parse_accuracy"][k] for k in ("value", "n")}}


def run_ablation(engine: Any, questions: Sequence[Mapping[str, Any]],
                 gold_maps: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The questions through each step of the answer path (index.answer.choose.CONFIGS) on
    the same index: {step: {split: figures}}."""
    from index.answer.choose import CONFIGS

    out = {}
    before = engine.answers
    try:
        for name, config in CONFIGS.items():
            engine.answers = config
            _say(sys.stderr, f"eval: ablation, {name}")
            r = evaluate(engine, questions, gold_maps, baselines=False, plumbing=False, progress=None)
            figures = {"tune": (r.get("metrics_tune") or {}).get("dossier", {}),
                       "test": r["metrics"].get("dossier", {})}
            out[name] = {k: v for k, v in figures.items() if v}
    finally:
        engine.answers = before
    return out


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------- thresholds


def load_thresholds(path: Path) -> dict[str, dict[str, float]]:
    """{metric key: {"min": x} or {"max": x}} from a TOML file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise UserInputError(f"{path}: unreadable thresholds ({e})") from e
    known = set(m.SPECS) | set(EXTRA_LABELS)
    for key, limit in data.items():
        if key not in known:
            raise UserInputError(f"{path}: unknown metric {key!r} (known: {', '.join(sorted(known))})")
        if not isinstance(limit, dict) or not set(limit) & {"min", "max"} or set(limit) - {"min", "max", "target"}:
            raise UserInputError(f"{path}: [{key}] needs min = … or max = … (and optionally target = …)")
    return data


def check_thresholds(result: Mapping[str, Any], limits: Mapping[str, Mapping[str, float]]) -> list[dict[str, Any]]:
    """One row per threshold: the figure, the limit and whether it is met (n = 0 never is)."""
    figures = dossier_figures(result)
    rows = []
    for key, limit in limits.items():
        fig = figures.get(key, {"value": None, "n": 0})
        lower_is_better = "max" in limit
        for op, bound in limit.items():
            value = fig.get("value")
            ge = op == "min" or (op == "target" and not lower_is_better)
            ok = value is not None and fig.get("n", 0) > 0 and (value >= bound if ge else value <= bound)
            rows.append({"key": key, "label": _label(key), "op": ">=" if ge else "<=",
                         "threshold": bound, "value": value, "n": fig.get("n", 0), "ok": ok,
                         "gate": op != "target"})
    return rows


def dossier_figures(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    figures = dict(result["metrics"]["dossier"])
    figures["parse_accuracy"] = {k: result["parse_accuracy"][k] for k in ("value", "n")}
    plumbing = result["plumbing"]
    figures["plumbing_failures"] = {"value": plumbing.get("failed"), "n": plumbing.get("checks", 0)}
    return figures


def _label(key: str) -> str:
    return m.SPECS[key].label if key in m.SPECS else EXTRA_LABELS.get(key, key)


# ---------------------------------------------------------------------------- the run


def evaluate(
    engine: Any,
    questions: Sequence[Mapping[str, Any]],
    gold_maps: Mapping[str, Mapping[str, Any]],
    *,
    baselines: bool = True,
    plumbing: bool = True,
    reports_dir: Path | None = None,
    progress: TextIO | None = None,
    llm: Any | None = None,
) -> dict[str, Any]:
    """Every figure of one run, with per-question results (the --json document)."""
    started = time.perf_counter()
    from index.answer.answerer import Answerer

    extractive = Answerer(engine)                  # the answer path every edge uses
    generation = Answerer(engine, llm) if llm is not None else None
    files = report_files(engine, gold_maps, reports_dir)
    llama = None
    if baselines and files:
        from eval.baseline_llamaindex import LlamaIndexBaseline

        _say(progress, f"eval: building the llama-index baseline over {len(files)} files")
        llama = LlamaIndexBaseline(files)

    per_system: dict[str, list[dict[str, m.Outcome | None]]] = {s: [] for s in (*SYSTEMS, GENERATED)}
    generated: list[dict[str, Any]] = []
    records = []
    for i, q in enumerate(questions, 1):
        if i == 1 or i % 10 == 0 or i == len(questions):
            _say(progress, f"eval: question {i}/{len(questions)}")
        t0 = time.perf_counter()
        answer = extractive.answer(q["question"])
        t1 = time.perf_counter()
        ranked = {"dossier": engine.search(q["question"], k=K)["results"]}
        t2 = time.perf_counter()
        if baselines:
            ranked["bm25"] = engine.search(q["question"], k=K, mode="bm25")["results"]
            ranked["dense"] = engine.search(q["question"], k=K, mode="dense")["results"]
            if llama is not None:
                ranked["llamaindex"] = llama.search(q["question"], k=K)
        scores = {"dossier": m.score_question(q, answer, ranked["dossier"], gold_maps)}
        if generation is not None:
            t3 = time.perf_counter()
            gen = generation.answer(q["question"])
            gen["llm"]["total_seconds"] = round(time.perf_counter() - t3, 3)
            generated.append(gen)
            scores[GENERATED] = m.score_question(q, gen, ranked["dossier"], gold_maps)
        for system in SYSTEMS[1:]:
            if system in ranked:
                scores[system] = m.score_baseline(q, ranked[system], BASELINE_TOP)
        for system, s in scores.items():
            per_system[system].append(s)
        records.append({
            "id": q["id"], "split": q.get("split", DEFAULT_SPLIT), "question": q["question"],
            "answerable": q["answerable"], "kinds": q.get("kinds", []), "evidence": q.get("evidence", []),
            "key_facts": q.get("key_facts", []),
            "answer": answer,
            **({"generated": generated[-1]} if generation is not None else {}),
            "retrieved": {s: [_brief(rank, p, q) for rank, p in enumerate(r, 1)] for s, r in ranked.items()},
            "metrics": {s: {k: (o.to_dict() if o else None) for k, o in sc.items()} for s, sc in scores.items()},
            "seconds": {"ask": round(t1 - t0, 3), "search": round(t2 - t1, 3)},
        })

    # rules and thresholds are chosen on the tune split; the headline figures are the test split's
    split_of = [q.get("split", DEFAULT_SPLIT) for q in questions]

    def figures(split: str) -> dict[str, dict[str, Any]]:
        return {s: {k: sc.to_dict() for k, sc in m.summarize([r for r, sp in zip(rows, split_of) if sp == split]).items()}
                for s, rows in per_system.items() if rows}

    metrics_out = figures("test")
    metrics_tune = figures("tune") if "tune" in split_of else {}
    parse = parse_accuracy(engine, gold_maps)
    plumbing_dir = _plumbing_dir(files, gold_maps)
    checks = PlumbingResult()
    if not plumbing:
        checks.skipped.append({"report": "*", "marker": "*", "reason": "plumbing checks not run"})
    elif plumbing_dir is None:
        checks.skipped.append({"report": "*", "marker": "*", "reason": "gold report files not found"})
    else:
        _say(progress, "eval: plumbing checks")
        checks = run_plumbing(lambda text, k: engine.search(text, k=k)["results"], plumbing_dir, gold_maps, K)
    extra = {"llm": llm_figures(llm, generated)} if generation is not None else {}
    return {
        **extra,
        "n_questions": sum(1 for sp in split_of if sp == "test"),
        "n_answerable": sum(1 for q, sp in zip(questions, split_of) if q["answerable"] and sp == "test"),
        "systems": [s for s in SYSTEMS if s in metrics_out],
        "system_labels": SYSTEM_LABELS,
        "metric_labels": {s.key: s.label for s in m.METRICS} | EXTRA_LABELS,
        "metrics": metrics_out,
        "metrics_tune": metrics_tune,
        "splits": {sp: split_of.count(sp) for sp in SPLITS if sp in split_of},
        "by_category": by_category(questions, records),
        "parse_accuracy": parse,
        "plumbing": checks.to_dict(),
        "baseline": {"k": K, "reading_top": BASELINE_TOP, "report_files": [str(f) for f in files],
                     "llamaindex_chunks": llama.chunks if llama else None},
        "questions": records,
        "seconds": round(time.perf_counter() - started, 1),
    }


def by_category(questions: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per split and question category, how many Dossier declined: abstention recall for the
    unanswerable kinds, false abstentions for the answerable ones."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for q, r in zip(questions, records):
        cat = q.get("category") or ("original" if q["answerable"] else "not_in_reports")
        row = out.setdefault(q.get("split", DEFAULT_SPLIT), {}).setdefault(
            cat, {"n": 0, "declined": 0, "answerable": bool(q["answerable"])})
        row["n"] += 1
        row["declined"] += bool(r["answer"].get("abstained"))
    for rows in out.values():
        for row in rows.values():
            row["rate"] = round(row["declined"] / row["n"], 3)
    return out


def footnote_gold(questions: Sequence[Mapping[str, Any]], gold_maps: Mapping[str, Any]) -> Mapping[str, Any]:
    """The gold footnote maps, or none when no question's evidence names a report they describe
    (a user's own questions about their own reports): the footnote metrics then say "not
    measured" instead of counting every note shown as invented."""
    named = {e.get("report") for q in questions for e in q.get("evidence") or []}
    return gold_maps if not named or named & set(gold_maps) else {}


def _say(stream: TextIO | None, text: str) -> None:
    if stream is not None:
        print(text, file=stream, flush=True)


def _brief(rank: int, passage: Mapping[str, Any], question: Mapping[str, Any]) -> dict[str, Any]:
    report = passage.get("report") or {}
    text = passage.get("text") or ""
    return {
        "rank": rank, "passage_id": passage.get("passage_id"),
        "report": report.get("title") or ", ".join(str(s) for s in report.get("sources") or []),
        "date": report.get("date"),
        "gold": any(m.evidence_in(passage, ev) for ev in question.get("evidence") or []),
        "chars": len(text), "text": text if len(text) <= 400 else text[:399] + "…",
        "footnotes": [fn.get("marker") for fn in passage.get("footnotes") or []],
    }


def report_files(engine: Any, gold_maps: Mapping[str, Mapping[str, Any]], reports_dir: Path | None) -> list[Path]:
    """The report files the index was built from: `reports_dir` if given, else the sources
    Dossier lists (when they exist on disk), else data/reports of this checkout."""
    if reports_dir is not None:
        return sorted(p for p in Path(reports_dir).iterdir() if p.is_file() and not p.name.startswith("."))
    listed = set()
    for r in engine.reports():
        for s in r.get("sources") or []:
            p = Path(str(s.get("path") if isinstance(s, Mapping) else s))
            if p.is_file():
                listed.add(p.resolve())
    if listed:
        return sorted(listed)
    if REPO_REPORTS.is_dir():
        return sorted(p for p in REPO_REPORTS.iterdir() if p.is_file())
    return []


def _plumbing_dir(files: Sequence[Path], gold_maps: Mapping[str, Mapping[str, Any]]) -> Path | None:
    wanted = {f for gm in gold_maps.values() for f in gm.get("files") or []}
    dirs = {}
    for f in files:
        if f.name in wanted:
            dirs.setdefault(f.parent, set()).add(f.name)
    best = max(dirs.items(), key=lambda kv: len(kv[1]), default=None)
    if best is None and REPO_REPORTS.is_dir():
        return REPO_REPORTS
    return best[0] if best else None


def parse_accuracy(engine: Any, gold_maps: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Parsed marker → note map of each gold report (via `Dossier.report_notes`) vs gold."""
    reports = engine.reports()
    by_key: dict[str, Any] = {}
    for r in reports:
        key = m.report_key(r, gold_maps)
        if key and key not in by_key:
            by_key[key] = r["id"]
    per_report, outcomes = {}, []
    for key, gm in gold_maps.items():
        if key not in by_key:
            o = m.Outcome(0, max(len(gm.get("markers") or {}), 1), False, ("report not found in the index",))
        else:
            o = m.parse_accuracy(engine.report_notes(by_key[key]), gm)
        outcomes.append(o)
        per_report[key] = {"report_id": by_key.get(key), **o.to_dict()}
    score = m.aggregate(outcomes, "ratio")
    return {**score.to_dict(), "reports": per_report}


# ---------------------------------------------------------------------------- generated answers


def llm_figures(llm: Any, answers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the language model and the verifier did over the run, and the verifier against
    its hand labels (eval/gold/verifier_labels.jsonl)."""
    from eval.verifier import agreement, load_labels

    asked = [a["llm"] for a in answers if a["llm"]["fallback"] != "abstained"]
    kept = sum(x["kept"] for x in asked)
    removed = sum(x["removed"] for x in asked)
    fallbacks: dict[str, int] = {}
    for a in answers:
        why = a["llm"]["fallback"]
        if why:
            fallbacks[why] = fallbacks.get(why, 0) + 1
    seconds = sorted(x["total_seconds"] for x in asked if "total_seconds" in x)
    labels = agreement(load_labels())
    return {
        "model": llm.model, "url": llm.shown_url, "timeout": llm.timeout,
        "questions": len(answers), "asked": len(asked),
        "generated": sum(1 for a in answers if a.get("mode") == "generated"),
        "fallbacks": fallbacks,
        "sentences": {"kept": kept, "removed": removed},
        "removal_rate": {"value": round(removed / (kept + removed), 4) if kept + removed else None,
                         "n": kept + removed},
        "verifier_agreement": labels.to_dict(),
        "seconds": {"p50": _quantile(seconds, 0.5), "p95": _quantile(seconds, 0.95), "n": len(seconds)},
    }


def _quantile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def format_llm(fig: Mapping[str, Any]) -> str:
    rate, agree = fig["removal_rate"], fig["verifier_agreement"]
    fallbacks = ", ".join(f"{k} {v}" for k, v in sorted(fig["fallbacks"].items())) or "none"
    rate_text = "—" if rate["value"] is None else f"{rate['value']:.3f}"
    lines = [
        f"generated answers ({fig['model']}): {fig['generated']} of {fig['questions']} questions; "
        f"extractive fallbacks: {fallbacks}",
        f"verifier removal rate: {rate_text} ({fig['sentences']['removed']} of {rate['n']} generated sentences)",
        f"verifier agreement with hand labels: {agree['value']:.3f} (n={agree['n']}, threshold {agree['threshold']:.2f}; "
        f"{agree['kept_unsupported']} unsupported kept, {agree['removed_supported']} supported removed)",
    ]
    if fig["seconds"]["n"]:
        lines.append(f"generated answer time p50 / p95: {fig['seconds']['p50']:.2f} / {fig['seconds']['p95']:.2f} s "
                     f"(retrieval included; extractive after {fig['timeout']:g} s)")
    return "\n".join(lines)
