"""`dossier`: the command line. Each command parses flags, calls the library, prints.

Errors a user can fix (DossierError) become one line on stderr and exit code 2; a failed
file during ingest makes the exit code 1 while everything else is still ingested.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "reports"

EXAMPLES = {
    "ingest": "examples:\n  dossier ingest data/reports\n  dossier ingest --json ~/reports/isw new.html\n"
              "  dossier ingest --rebuild --model /models/all-mpnet-base-v2 data/reports\n"
              "  dossier ingest --watch /mnt/shared/reports --every 30\n"
              "  dossier ingest --follow-symlinks /srv/reports   # also links that lead outside /srv/reports",
    "ask": "examples:\n  dossier ask \"Which Russian unit trained with Belarusian forces in September 2020?\"\n"
           "  dossier ask --json \"What did Belarus sign with Almaz-Antey?\" | jq .citations\n"
           "  dossier ask --llm-url http://127.0.0.1:11434/v1 --llm-model llama3.1:8b \"What did Belarus sign?\"\n"
           "  dossier ask --since 2020-09-15 --until 2020-09-18 \"What did Lukashenko request?\"\n"
           "  dossier ask --report 2020-09-17-b639f4b72d --format markdown \"What did Putin discuss?\"",
    "search": "examples:\n  dossier search \"Veyshnoriya\"\n  dossier search --json -k 10 --mode bm25 \"234th\"\n"
              "  dossier search --since 2020-09-15 --publisher ISW \"Slavic Brotherhood\"",
    "summary": "examples:\n  dossier summary --latest\n  dossier summary 2020-09-17-b639f4b72d --json\n"
               "  dossier summary \"Kremlin Prepares\" --format markdown\n  dossier summary --since 2020-09-15",
    "reports": "examples:\n  dossier reports\n  dossier reports --json | jq '.[].title'",
    "notes": "examples:\n  dossier notes \"Investigation Into Russian Interference\"\n"
             "  dossier notes 2020-09-17-b639f4b72d --suspicious\n"
             "  dossier notes --json | jq -c '.[] | select(.status != \"resolved\") | [.report, .marker, .status]'",
    "run": "examples:\n  dossier run            # Slack bot if SLACK_* tokens are set, else a question prompt",
    "slack": "examples:\n  SLACK_BOT_TOKEN=xoxb-… SLACK_APP_TOKEN=xapp-… dossier slack\n"
             "  SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… dossier slack --http --port 3000",
    "feedback": "examples:\n  dossier feedback --json > feedback.json",
    "eval": "examples:\n  dossier eval\n  dossier eval --check --json eval-out/eval.json --report eval-out/report.html\n"
            "  dossier eval --questions my-questions.jsonl\n"
            "  dossier eval --no-baselines --realworld --ablation\n"
            "  dossier eval --no-baselines --llm-url http://127.0.0.1:8000/v1 --llm-model qwen2.5-7b-instruct",
    "bench": "examples:\n  dossier bench --reports 20\n  dossier bench --reports 250,500,1000 --json bench.json --chart bench.png\n"
             "  dossier bench --reports 250 --chroma-url auto    # also query a `chroma run` server it starts on 127.0.0.1\n"
             "  dossier bench --reports 100000 --stand-in-encoder --chroma-url auto   # all but the encoder, at scale\n"
             "  dossier bench --pdf report.pdf    # PDF pages/s, peak memory, parse ÷ embed for one file",
}


LLM_COMMANDS = ("ask", "run", "slack", "eval")


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("index location")
    g.add_argument("--home", help="where Dossier keeps its index (env DOSSIER_HOME; default ./.dossier)")
    g.add_argument("--chroma-url", help="a `chroma run` server, e.g. http://127.0.0.1:8000 (env DOSSIER_CHROMA_URL)")
    g.add_argument("--corpus", help="this home's namespace on the Chroma server (env DOSSIER_CORPUS; default "
                                    "derived from the home and recorded at its first ingest)")
    g.add_argument("--model", help="sentence-transformers model name or path (env DOSSIER_MODEL; "
                                   "default: the bundled all-MiniLM-L6-v2)")
    return p


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535)")
    return port


def _llm_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("generated answers (optional; without --llm-url answers are extractive)")
    g.add_argument("--llm-url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 for Ollama "
                                     "(env DOSSIER_LLM_URL; the key comes from DOSSIER_LLM_KEY)")
    g.add_argument("--llm-model", help="the model the server should use (env DOSSIER_LLM_MODEL)")
    g.add_argument("--llm-timeout", type=float, metavar="SECONDS",
                   help="after this, answer extractively (env DOSSIER_LLM_TIMEOUT; default 8)")
    return p


def _scope_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("scope (applied before ranking; undated reports are outside any date scope)")
    g.add_argument("--since", metavar="DATE", help="only reports dated on or after DATE (YYYY-MM-DD)")
    g.add_argument("--until", metavar="DATE", help="only reports dated on or before DATE (YYYY-MM-DD)")
    g.add_argument("--report", action="append", default=[], metavar="ID",
                   help="only this report: an id, or a fragment of exactly one title (repeatable)")
    g.add_argument("--publisher", metavar="NAME", help="only reports whose publisher contains NAME")
    return p


def scope_from(args: argparse.Namespace):
    from index.answer.scope import from_flags

    return from_flags(since=args.since, until=args.until, reports=args.report, publisher=args.publisher)


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    llm_options = _llm_options()
    scope_options = _scope_options()
    parser = argparse.ArgumentParser(
        prog="dossier", description="Answers about analytical reports, with cited passages and the reports' own "
                                    "footnote sources.",
        epilog="examples:\n  dossier ingest data/reports\n  dossier ask \"What happened on September 17?\"\n"
               "  dossier slack --http --port 3000\nRun `dossier COMMAND --help` for each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        parents = [common, llm_options] if name in LLM_COMMANDS else [common]
        if name in ("ask", "search", "summary"):
            parents.append(scope_options)
        return sub.add_parser(name, help=help_, description=help_, parents=parents, epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = add("ingest", "Parse report files (.txt, .md, .html, .pdf, .docx; folders recursively) and bring the index in step.")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--watch", type=Path, metavar="DIR",
                   help="keep the index in step with DIR: ingest whenever files appear, change or vanish (Ctrl-C stops)")
    p.add_argument("--every", type=float, default=10.0, metavar="SECONDS",
                   help="with --watch: look at DIR this often (default 10); a file still being written waits")
    p.add_argument("--rebuild", action="store_true", help="start from an empty index (e.g. after changing --model)")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="follow symbolic links that lead outside the folders given (skipped and named by default)")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="if another ingest is running, wait this long before giving up (default 0)")

    p = add("ask", "Answer a question with sentences quoted from the reports and their footnote sources.")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object (stable contract)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default=None,
                   help="text (default), json (= --json), or markdown: paste-ready, with footnotes")
    p.add_argument("--context", action="append", default=[], metavar="EARLIER_QUESTION",
                   help="an earlier question of the same conversation (repeatable)")

    p = add("summary", "Summarize reports: each one's key judgments, quoted with their sources.")
    p.add_argument("reports", nargs="*", metavar="REPORT", help="a report id or a fragment of one title (default: the latest)")
    p.add_argument("--latest", action="store_true", help="the newest report (the default without REPORT or --since)")
    p.add_argument("--json", action="store_true", help="print it as one JSON object, in the shape of an answer")
    p.add_argument("--format", choices=["text", "json", "markdown"], default=None)

    p = add("search", "Rank passages for a question, without composing an answer.")
    p.add_argument("question", nargs="+")
    p.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    p.add_argument("--json", action="store_true")

    p = add("reports", "List the reports in the index.")
    p.add_argument("--json", action="store_true")

    p = add("notes", "List every footnote marker of a report in reading order, with its note and the sentence it "
                     "backs, to check a reading; suspicious ones flagged.")
    p.add_argument("report", nargs="?", metavar="REPORT", help="a report id or a fragment of one title (default: all)")
    p.add_argument("--json", action="store_true",
                   help="one JSON list, an object per marker: report, marker, status, text, pages, sentence, ...")
    p.add_argument("--suspicious", action="store_true",
                   help="only the flagged markers (a note starting with another's number, a marker out of sequence)")

    add("run", "Ingest the bundled sample reports if the index is empty, then start the bot or a prompt.")

    p = add("slack", "Start the Slack bot (Socket Mode with SLACK_APP_TOKEN, or --http).")
    p.add_argument("--http", action="store_true", help="serve the Events API over HTTP instead of Socket Mode")
    p.add_argument("--port", type=_port, default=3000, help="HTTP mode: port to listen on (default 3000)")
    p.add_argument("--host", default="0.0.0.0",
                   help="HTTP mode: address to listen on (default 0.0.0.0, every interface; "
                        "127.0.0.1 behind a reverse proxy on the same machine)")

    p = add("feedback", "Export the helpful / not helpful clicks recorded by the Slack bot.")
    p.add_argument("--json", action="store_true")

    p = add("eval", "Score answers against the gold questions, with baselines, in one run.")
    p.add_argument("--questions", type=Path, help="a questions.jsonl file (default: eval/gold/questions.jsonl)")
    p.add_argument("--json", type=Path, metavar="PATH", dest="json_out", help="write every figure and per-question result")
    p.add_argument("--report", type=Path, metavar="PATH", help="write an HTML report")
    p.add_argument("--check", action="store_true", help="exit 1 if a figure is below its threshold (eval/thresholds.toml)")
    p.add_argument("--no-baselines", action="store_true", help="skip the baselines (faster)")
    p.add_argument("--ingest", type=Path, metavar="PATH", help="ingest PATH first if the index is empty")
    p.add_argument("--realworld", action="store_true",
                   help="also score each real-world report with gold questions (data/realworld/, eval/gold/realworld/), "
                        "each in its own index beside --home (HOME.<name>, ingested when empty)")
    p.add_argument("--extra", type=Path, metavar="DIR", action="append", default=[],
                   help="also score the corpora in DIR: DIR/<name>/questions.jsonl beside its report files")
    p.add_argument("--ablation", action="store_true",
                   help="also score every corpus with each step of the answer path: lexical only, + semantic, "
                        "+ learned decision, + context")

    p = add("bench", "Measure ingest and query speed, memory and growth on a synthetic corpus.")
    p.add_argument("--reports", default="250,500,1000", help="corpus sizes, comma-separated (default 250,500,1000)")
    p.add_argument("--json", type=Path, metavar="PATH", dest="json_out")
    p.add_argument("--chart", type=Path, metavar="PATH")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", type=Path, help="where the synthetic corpus and indexes go (default bench-out/)")
    p.add_argument("--rounds", type=int, default=3, help="query rounds over the gold questions (default 3)")
    p.add_argument("--stand-in-encoder", action="store_true",
                   help="embed with fixed pseudo-random vectors instead of the model (every figure says so): "
                        "measures all but the encoder at sizes it would take hours over, e.g. --reports 100000")
    p.add_argument("--slices", type=int, default=1,
                   help="ingest the corpus in this many parts one after the other, as an archive grows "
                        "(default 1: one full ingest)")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="only measure reading this PDF (eval/bench/pdf.py)")
    return parser


def settings_from(args: argparse.Namespace):
    from index.config import Settings

    timeout = getattr(args, "llm_timeout", None)
    if timeout is not None and not 0 < timeout <= 600:
        from index.errors import UserInputError

        raise UserInputError("--llm-timeout must be between 0 and 600 seconds")
    if (getattr(args, "llm_model", None) or timeout is not None) and not (
            getattr(args, "llm_url", None) or os.environ.get("DOSSIER_LLM_URL")):
        from index.errors import UserInputError

        raise UserInputError("--llm-model and --llm-timeout need a server: add --llm-url URL (or set DOSSIER_LLM_URL)")
    return Settings.from_env(home=args.home, chroma_url=args.chroma_url, model=args.model,
                             corpus=getattr(args, "corpus", None),
                             llm_url=getattr(args, "llm_url", None), llm_model=getattr(args, "llm_model", None),
                             llm_timeout=timeout)


def _answerer(settings):
    """The one answer path for these settings (a bad --llm-url is reported before the index is opened)."""
    from index.answer.answerer import answerer_for

    return answerer_for(settings, lambda: _open(settings))


def _err(msg: str) -> None:
    print(f"dossier: error: {msg}", file=sys.stderr)


def cmd_ingest(args, settings) -> int:
    from bot.render.terminal import ProgressBar, format_ingest
    from ingest.pipeline import ingest

    if args.watch is not None:
        return cmd_watch(args, settings)
    if not args.paths:
        from index.errors import UserInputError

        raise UserInputError("name the files or folders to ingest (dossier ingest PATH...), or --watch DIR")

    bar = ProgressBar(sys.stderr)
    try:
        summary = ingest([Path(p) for p in args.paths], settings, progress=bar, rebuild=args.rebuild, wait=args.wait,
                         follow_symlinks=args.follow_symlinks)
    finally:
        bar.close()
    d = summary.to_dict()
    if args.json:
        print(json.dumps(d, ensure_ascii=False))
    else:
        sys.stdout.write(format_ingest(d))
    for f in d["failed"]:
        if args.json:
            _err(f"{f['path']}: {f['error']}")
    return 1 if d["failed"] else 0


def cmd_watch(args, settings) -> int:
    from bot.render.terminal import format_ingest
    from ingest.watch import Watcher

    if args.paths:
        from index.errors import UserInputError

        raise UserInputError("--watch takes one folder: dossier ingest --watch DIR [--every SECONDS]")

    def report(summary: dict) -> None:
        if args.json:
            print(json.dumps(summary, ensure_ascii=False), flush=True)
        else:
            sys.stdout.write(format_ingest(summary))
            sys.stdout.flush()

    watcher = Watcher(args.watch, settings, every=args.every, on_ingest=report, follow_symlinks=args.follow_symlinks)
    print(f"watching {args.watch} every {args.every:g} s (Ctrl-C stops)", file=sys.stderr)
    try:
        watcher.run()
    except KeyboardInterrupt:
        pass
    return 0


def _open(settings, exact: bool = True):
    from index.engine import Dossier

    return Dossier.open(settings, exact=exact)


def _print_answer(result: dict, fmt: str, answerer) -> None:
    from bot.render.terminal import format_answer

    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False))
    elif fmt == "markdown":
        from bot.render.markdown import answer_markdown

        publishers = {r["id"]: r.get("publisher", "") for r in answerer.dossier.reports()}
        print(answer_markdown(result, publishers=publishers), end="")
    else:
        print(format_answer(result), end="")


def cmd_ask(args, settings) -> int:
    scope = scope_from(args)
    answerer = _answerer(settings)
    result = answerer.answer(" ".join(args.question), context=args.context, scope=scope)
    _print_answer(result, "json" if args.json else args.format or "text", answerer)
    return 0


def cmd_summary(args, settings) -> int:
    from index.answer.scope import Scope, merge

    wanted = Scope(reports=tuple(args.reports), latest=args.latest or not (args.reports or args.since or args.until))
    scope = merge(wanted, scope_from(args))
    answerer = _answerer(settings)
    result = answerer.dossier.summary(scope)
    _print_answer(result, "json" if args.json else args.format or "text", answerer)
    return 0


def cmd_search(args, settings) -> int:
    from bot.render.terminal import format_search

    d = _open(settings)
    scope = scope_from(args)
    result = d.search(" ".join(args.question), k=args.k, mode=args.mode, scope=scope)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_search(result), end="\n" if args.json else "")
    return 0


def cmd_reports(args, settings) -> int:
    from bot.render.terminal import format_reports
    from index.errors import IndexEmpty

    try:
        reports = _open(settings).reports()
    except IndexEmpty:
        reports = []
    keys = ("id", "title", "date", "authors", "sources", "passages", "footnotes")
    if args.json:
        print(json.dumps([{k: r[k] for k in keys} for r in reports], ensure_ascii=False))
    else:
        sys.stdout.write(format_reports(reports))
    return 0


def cmd_notes(args, settings) -> int:
    from bot.render.notes import format_notes

    d = _open(settings)
    rows = d.notes(args.report)
    if args.suspicious:
        rows = [r for r in rows if r["flags"]]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        reports = {r["id"]: r for r in d.reports()}
        sys.stdout.write(format_notes(rows, reports, only_flagged=args.suspicious))
    return 0


def ensure_samples(settings) -> None:
    from index.store import store

    if store.current_generation(settings.home) is None:
        from bot.render.terminal import ProgressBar, format_ingest
        from ingest.pipeline import ingest

        print(f"The index at {settings.home} is empty: ingesting the bundled sample reports ({SAMPLES})…",
              file=sys.stderr)
        bar = ProgressBar(sys.stderr, delay=0)
        summary = ingest([SAMPLES], settings, progress=bar)
        bar.close()
        sys.stderr.write(format_ingest(summary.to_dict()))


def cmd_run(args, settings) -> int:
    if settings.llm_url:                    # a wrong --llm-url is said before minutes of ingest
        from index.answer.llm import LLM

        LLM.check_settings(settings)
    ensure_samples(settings)
    from bot.slack.settings import SlackSettings

    slack = SlackSettings.from_env(os.environ)
    if slack.connects:
        from bot.slack.start import serve

        return serve(settings, slack, http=not slack.socket_mode, port=int(os.environ.get("PORT", "3000")))
    return prompt(settings)


def prompt(settings) -> int:
    from bot.render.terminal import format_answer
    from index.errors import UserInputError
    from index.answer.scope import scope_from_text

    print("Slack is not connected: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), or SLACK_BOT_TOKEN and\n"
          "SLACK_SIGNING_SECRET (HTTP), then `make run` again. Setup: docs/slack.md.\n"
          "Meanwhile, ask here (scope words work as in Slack: since:2020-09-15, \"in the latest report\"; "
          "\"summarize the latest report\"). Empty line or Ctrl-D to quit.\n")
    ask = _answerer(settings).answer
    history: list[str] = []
    while True:
        try:
            q = input("question> ").strip()
        except EOFError:
            print()
            return 0
        if not q or q.lower() in ("quit", "exit"):
            return 0
        try:
            scope, asked = scope_from_text(q)
            print(format_answer(ask(asked or "summarize", context=history[-2:], scope=scope)))
            history.append(q)
        except UserInputError as e:
            print(f"  {e}")


def cmd_slack(args, settings) -> int:
    from bot.slack.settings import SlackSettings
    from bot.slack.start import serve

    return serve(settings, SlackSettings.from_env(os.environ), http=args.http, port=args.port, host=args.host)


def cmd_feedback(args, settings) -> int:
    from bot.state.feedback import export

    rows = export(settings)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            rating = "helpful" if r.get("helpful") else "not helpful"
            print(f"{r.get('at', '')}  {rating:12}  {r.get('question', '')}")
        print(f"{len(rows)} feedback record(s). Use --json for everything.")
    return 0


def cmd_eval(args, settings) -> int:
    from eval.runner import run_eval

    if args.ingest is not None:
        from index.store import store

        if store.current_generation(settings.home) is None:
            from ingest.pipeline import ingest

            print(f"ingesting {args.ingest} into {settings.home} first…", file=sys.stderr)
            ingest([args.ingest], settings)
    llm = None
    if settings.llm_url:                    # the generated column beside the extractive one
        from index.answer.llm import LLM

        llm = LLM.from_settings(settings)
    from eval.dataset import extra_corpora, realworld_corpora

    corpora = (realworld_corpora() if args.realworld else []) + [c for d in args.extra for c in extra_corpora(d)]
    return run_eval(settings, questions=args.questions, json_out=args.json_out, report=args.report,
                    check=args.check, baselines=not args.no_baselines, llm=llm, corpora=corpora,
                    ablation=args.ablation)


def cmd_bench(args, settings) -> int:
    from eval.bench.runner import main as bench_main

    return bench_main(args)


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "summary": cmd_summary, "search": cmd_search, "reports": cmd_reports,
            "notes": cmd_notes, "run": cmd_run,
            "slack": cmd_slack, "feedback": cmd_feedback, "eval": cmd_eval, "bench": cmd_bench}


def main(argv: list[str] | None = None) -> int:
    from index.errors import DossierError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        settings = settings_from(args)
        return COMMANDS[args.command](args, settings)
    except DossierError as e:
        _err(str(e))
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
