"""Generated answers, held to the extractive answer's grounding.

    gen = Generation(dossier, llm)
    result = gen.answer("question", context=[...], on_sentence=callback)

1. Retrieval and the extractive answer first (`Dossier.ask`). If it abstains, so does this:
   the model is never asked what retrieval says the reports don't hold.
2. The model sees up to PASSAGES numbered passages (the extractive answer's, then the next
   best from `Dossier.search`), each with its report's title and date.
3. Its reply is cut into sentences, each ending with its citation numbers; every sentence is
   checked by `index.answer.verify` and dropped unless supported. `on_sentence` sees the verified
   sentences as they complete, for streaming.
4. The kept sentences cite the passages renumbered 1..n in order of first use; the
   citations carry those passages with their footnotes, exactly as extractive ones do.
5. On any failure of the model or its server (`index.answer.llm.FAILURES`: a timeout, an
   error, a context overflow, a stream cut short, an echo of the prompt, an empty reply, a
   refusal), or when no sentence survives ("unsupported"), the result is the extractive answer,
   saying why. A reply the server cut at its token limit (finish reason "length") keeps its
   finished sentences; the unfinished one is dropped and counted as `cut`, not as removed.

The result is the `dossier ask --json` contract plus `mode` ("generated" | "extractive") and
`llm` ({"model", "kept", "removed", "fallback", "seconds", "removed_sentences", "finish", "cut"},
and "detail" saying why for a fallback other than "abstained").
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from index.answer import verify
from index.answer.llm import LLM, Draft
from index.text.sentences import sentence_texts

PASSAGES = 5
_CITES = re.compile(r"\s*((?:\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]\s*)+)([.!?]?)")

SentenceCallback = Callable[[list[dict[str, Any]]], None]


def split_sentences(text: str, *, final: bool = True) -> list[dict[str, Any]]:
    """The reply as sentences: {"text" (citations taken out), "citations": [n, ...]}.

    A citation group ends a sentence ("… in 2020 [1]." or "… in 2020. [1]"); text before
    it that holds several sentences gives the earlier ones no citation. With final=False
    (mid-stream) only sentences that something already follows are returned."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in _CITES.finditer(text):
        if not final and re.match(r"\s*(?:\[|$)", text[m.end():]):
            break                                  # "[1]" or "[1] [" may still become "[1][9]"
        segment = text[pos:m.start()].strip()
        cites = verify.citation_numbers(m.group(1))
        parts = sentence_texts(segment) if segment else []
        for p in parts[:-1]:
            out.append({"text": p, "citations": []})
        if parts:
            last = parts[-1]
            if m.group(2) and not last.endswith((".", "!", "?")):
                last += m.group(2)
            out.append({"text": last, "citations": cites})
        elif out:                                  # "… [1]. [2]": one more citation for the last sentence
            out[-1]["citations"] += [n for n in cites if n not in out[-1]["citations"]]
        pos = m.end()
    if final:
        rest = text[pos:].strip()
        for p in sentence_texts(rest) if rest else []:
            if p.strip() and re.search(r"\w", p):
                out.append({"text": p.strip(), "citations": []})
    return out


class Generation:
    """Generated answers from one Dossier and one language model."""

    def __init__(self, dossier: Any, llm: LLM, *, passages: int = PASSAGES):
        self.dossier = dossier
        self.llm = llm
        self.passages = passages

    def answer(self, question: str, *, context: Sequence[str] = (),
               on_sentence: SentenceCallback | None = None,
               on_start: Callable[[], None] | None = None, scope: Any = None) -> dict[str, Any]:
        """The generated answer, or the extractive one saying why. `on_start` is called once the
        model is about to be asked (not when retrieval abstains); `on_sentence(kept so far)`
        each time a further verified sentence completes."""
        extractive, ranked = self.dossier.ask_ranked(question, context=context, scope=scope)  # the one retrieval
        if extractive["abstained"]:
            return self._fallback(extractive, "abstained", Draft())
        shown = shown_passages(extractive, ranked, self.passages)
        if on_start:
            on_start()
        verdicts = Verdicts(shown, extractive["question"])
        progress = _Progress(verdicts, on_sentence) if on_sentence else None
        draft = self.llm.draft(extractive["question"], shown, on_text=progress)
        if draft.failure:
            return self._fallback(extractive, draft.failure, draft)
        sentences = split_sentences(draft.text)
        cut = 0
        if draft.finish == "length" and sentences and not sentences[-1]["citations"]:
            sentences, cut = sentences[:-1], 1     # the server stopped it mid-sentence: unfinished, not unsupported
        kept, removed = [], []
        for s in sentences:
            verdict = verdicts.of(s)
            (kept if verdict.supported else removed).append((s, verdict))
        if not kept:
            draft.detail = unsupported_detail(removed, cut)
            return self._fallback(extractive, "unsupported", draft, removed=removed, cut=cut)
        return self._compose(extractive, shown, kept, removed, draft, cut)

    # ------------------------------------------------------------------ parts
    def _compose(self, extractive: Mapping[str, Any], shown: list[dict[str, Any]], kept: list, removed: list,
                 draft: Draft, cut: int) -> dict[str, Any]:
        answer, renumber = renumbered([s for s, _ in kept])
        citations = [dict(shown[old - 1], n=new) for old, new in renumber.items()]
        return {"question": extractive["question"], "abstained": False, "answer": answer, "citations": citations,
                "mode": "generated", "llm": self._llm_info(None, draft, kept=len(kept), removed=removed, cut=cut)}

    def _fallback(self, extractive: Mapping[str, Any], why: str, draft: Draft, removed: list = (),
                  cut: int = 0) -> dict[str, Any]:
        return {**extractive, "mode": "extractive",
                "llm": self._llm_info(why, draft, kept=0, removed=list(removed), cut=cut)}

    def _llm_info(self, fallback: str | None, draft: Draft, *, kept: int, removed: list, cut: int) -> dict[str, Any]:
        info = {"model": self.llm.model, "kept": kept, "removed": len(removed), "fallback": fallback,
                "seconds": round(draft.seconds, 3),
                # why each was removed, not what it said: unsupported text is never output
                "removed_sentences": [{"citations": s["citations"], "reasons": list(v.reasons)} for s, v in removed],
                "finish": draft.finish, "cut": cut}
        if draft.detail and fallback not in (None, "abstained"):
            info["detail"] = draft.detail
        return info


def shown_passages(extractive: Mapping[str, Any], ranked: Sequence[Mapping[str, Any]],
                   limit: int = PASSAGES) -> list[dict[str, Any]]:
    """The passages the model is shown: the extractive answer's, then the next best, none that
    talks to a machine, at most `limit`."""
    from index.answer.choose import addressed_to_a_machine

    seen: dict[str, dict[str, Any]] = {}
    for p in [*extractive["citations"], *ranked]:
        pid = p.get("passage_id")
        if not pid or pid in seen or addressed_to_a_machine(str(p.get("text") or "")):
            continue
        seen[pid] = {k: v for k, v in p.items() if k != "n"}
        if len(seen) >= limit:
            break
    return list(seen.values())


def unsupported_detail(removed: Sequence[tuple[Mapping[str, Any], verify.Verdict]], cut: int = 0) -> str:
    """Why no sentence could be kept, counted by the first reason of each: "no sentence passed the
    verifier (3 sentences): cites no passage 2, name not in the cited passages 1"."""
    counts: dict[str, int] = {}
    for _, verdict in removed:
        first = verdict.reasons[0] if verdict.reasons else "unsupported"
        kind = re.sub(r"\[[\d, ]+\]", "a passage", re.sub(r"^(number|date word|name) .*? not in", r"\1 not in",
                                                            re.sub(r"^only \d+%.*", "too few of its words in the "
                                                                   "cited passages", first)))
        kind = kind.split(" (passages")[0]
        counts[kind] = counts.get(kind, 0) + 1
    parts = [f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if cut:
        parts.append(f"cut off by the token limit {cut}")
    n = len(removed)
    return f"no sentence passed the verifier ({n} sentence{'s' if n != 1 else ''}): " + (", ".join(parts) or "none")


def renumbered(sentences: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Sentences citing the passages shown, renumbered 1..n in order of first citation.
    Generated sentences have empty `markers` (the contract's key): they are not quotes, so no
    footnote marker is theirs; the notes are on the citations."""
    renumber: dict[int, int] = {}
    out = []
    for s in sentences:
        out.append({"text": s["text"], "citations": [renumber.setdefault(n, len(renumber) + 1) for n in s["citations"]],
                    "markers": []})
    return out, renumber


class Verdicts:
    """The verifier's verdict on each sentence of one reply, computed once: a sentence checked
    while it streamed is not checked again for the final answer."""

    def __init__(self, shown: list[dict[str, Any]], question: str | None = None):
        self.numbered = {i: p for i, p in enumerate(shown, 1)}
        self.question = question
        self._seen: dict[tuple[str, tuple[int, ...]], verify.Verdict] = {}

    def of(self, sentence: Mapping[str, Any]) -> verify.Verdict:
        key = (sentence["text"], tuple(sentence["citations"]))
        if key not in self._seen:
            self._seen[key] = verify.verify_sentence(sentence["text"], sentence["citations"], self.numbered,
                                                     question=self.question)
        return self._seen[key]


class _Progress:
    """Turns the growing reply into verified sentences and reports each new one."""

    def __init__(self, verdicts: Verdicts, callback: SentenceCallback):
        self.verdicts = verdicts
        self.callback = callback
        self.checked = 0
        self.kept: list[dict[str, Any]] = []

    def __call__(self, text: str) -> None:
        complete = split_sentences(text, final=False)
        grew = False
        for s in complete[self.checked:]:
            if self.verdicts.of(s).supported:
                self.kept.append(s)
                grew = True
        self.checked = len(complete)
        if grew:
            try:
                self.callback(renumbered(self.kept)[0])
            except Exception:  # noqa: BLE001 - a display hiccup must not lose the answer
                import logging

                logging.getLogger("dossier.llm").warning("streaming a sentence failed", exc_info=True)
