"""Grounding metrics, as defined in shared/notes/eval.md. Pure functions, no I/O.

Inputs are plain dicts:
- a gold question, one line of ``eval/gold/questions.jsonl``;
- an answer in the ``dossier ask --json`` shape (``abstained``, ``answer``, ``citations``);
- a ranked passage list: ``Dossier.search(...)["results"]`` or any list of dicts with
  ``text`` (and optionally ``footnotes``);
- gold footnote maps, ``{key: footnotes/<key>.json}``.

Every per-question function returns an `Outcome` (or None when the metric does not apply
to that question, e.g. hit@1 of an unanswerable one). `summarize` turns the outcomes of a
run into one `Score` per metric: a value and the number of questions behind it.

Text matching goes through `normalize`: curly quotes become straight, footnote markers and
Markdown emphasis/escapes are dropped, every run of white space (NBSP included) becomes one
space, and case is folded. The same function is applied to both sides of every comparison.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

Json = dict[str, Any]

# ---------------------------------------------------------------------------- text

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)
# Footnote markers in the four styles of the feeds: [12], <sup>12</sup>, superscript digits.
_MARKERS = re.compile(r"\[\d{1,3}\]|<sup>\s*\d{1,3}\s*</sup>|[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The comparison form of a text: quotes straight, no markers or emphasis, one space, folded."""
    text = _ZERO_WIDTH.sub("", text or "").translate(_QUOTES)
    text = _MARKERS.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text).replace("*", "")
    return _SPACE.sub(" ", text).strip().casefold()


def contains(haystack: str, needle: str) -> bool:
    """True when the normalised `needle` is a substring of the normalised `haystack`."""
    n = normalize(needle)
    return bool(n) and n in normalize(haystack)


def contains_phrase(haystack: str, needle: str) -> bool:
    """Like `contains`, but a needle that starts or ends with a letter or digit must not
    continue a word there: "10" is not found in "2010", "234th" is found in "the 234th"."""
    n = normalize(needle)
    if not n:
        return False
    left = r"(?<![0-9a-z])" if n[0].isalnum() else ""
    right = r"(?![0-9a-z])" if n[-1].isalnum() else ""
    return re.search(left + re.escape(n) + right, normalize(haystack)) is not None


# ---------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    """One question's result for one metric: ``num / den`` plus why it is not perfect."""

    num: float
    den: float = 1.0
    ok: bool = True
    reasons: tuple[str, ...] = ()

    @property
    def value(self) -> float:
        return self.num / self.den if self.den else 0.0

    def to_dict(self) -> Json:
        return {"value": round(self.value, 4), "num": self.num, "den": self.den,
                "ok": self.ok, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Score:
    """A metric over a run: its value (None when no question applies) and how many questions."""

    value: float | None
    n: int
    detail: Json = field(default_factory=dict)

    def to_dict(self) -> Json:
        value = None if self.value is None else round(self.value, 4)
        return {"value": value, "n": self.n, **self.detail}


def _outcome(num: float, den: float, reasons: Sequence[str], *, ok: bool | None = None) -> Outcome:
    return Outcome(num, den, not reasons if ok is None else ok, tuple(reasons))


def _clip(text: str, width: int = 90) -> str:
    text = _SPACE.sub(" ", text or "").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------- retrieval


def _passage_texts(passage: Mapping[str, Any], *, with_notes: bool) -> list[str]:
    texts = [passage.get("text") or ""]
    if with_notes:
        texts += [fn.get("text") or "" for fn in passage.get("footnotes") or []]
    return texts


def evidence_in(passage: Mapping[str, Any], evidence: Mapping[str, Any]) -> bool:
    """True when the passage holds the evidence fragment. Evidence that is a note's prose
    also counts when the passage shows that note among its footnotes."""
    frag = evidence.get("text") or ""
    return any(contains(t, frag) for t in _passage_texts(passage, with_notes=bool(evidence.get("in_note"))))


def gold_ranks(question: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """(rank, evidence index) of every passage holding some evidence, rank from 1."""
    hits = []
    for rank, passage in enumerate(passages, 1):
        for i, ev in enumerate(question.get("evidence") or []):
            if evidence_in(passage, ev):
                hits.append((rank, i))
    return hits


def _retrieval_applies(question: Mapping[str, Any]) -> bool:
    return bool(question.get("answerable")) and bool(question.get("evidence"))


def hit_at_k(question: Mapping[str, Any], passages: Sequence[Mapping[str, Any]], k: int) -> Outcome | None:
    """1 if any gold passage is among the top k."""
    if not _retrieval_applies(question):
        return None
    ranks = [r for r, _ in gold_ranks(question, passages[:k])]
    if ranks:
        return _outcome(1, 1, [])
    return _outcome(0, 1, [f"no passage holding the evidence in the top {k}"])


def reciprocal_rank(question: Mapping[str, Any], passages: Sequence[Mapping[str, Any]], k: int = 10) -> Outcome | None:
    """1 / rank of the first gold passage, 0 if none in the top k."""
    if not _retrieval_applies(question):
        return None
    ranks = [r for r, _ in gold_ranks(question, passages[:k])]
    if not ranks:
        return _outcome(0, 1, [f"no gold passage in the top {k}"])
    first = min(ranks)
    return _outcome(1 / first, 1, [] if first == 1 else [f"first gold passage at rank {first}"])


def ndcg_at_k(question: Mapping[str, Any], passages: Sequence[Mapping[str, Any]], k: int = 10) -> Outcome | None:
    """Binary-gain nDCG@k. Gold passages are counted by the evidence they hold: each evidence
    fragment earns its gain once, at the first passage holding it, and the ideal ranking has
    min(number of evidence fragments, k) gold passages. So overlapping chunks or duplicate
    copies of one sentence cannot push the value above 1 or hide a missing second report."""
    if not _retrieval_applies(question):
        return None
    evidence = question["evidence"]
    credited: set[int] = set()
    dcg = 0.0
    for rank, passage in enumerate(passages[:k], 1):
        new = {i for i, ev in enumerate(evidence) if i not in credited and evidence_in(passage, ev)}
        if new:
            credited |= new
            dcg += 1 / math.log2(rank + 1)
    ideal = sum(1 / math.log2(r + 1) for r in range(1, min(len(evidence), k) + 1))
    missing = [i for i in range(len(evidence)) if i not in credited]
    reasons = [f"evidence {i + 1} ({evidence[i].get('report', '?')}) not in the top {k}" for i in missing]
    value = dcg / ideal if ideal else 0.0
    if not reasons and value < 1:
        reasons.append(f"gold passages not at the top (nDCG {value:.2f})")
    return _outcome(value, 1, reasons)


# ---------------------------------------------------------------------------- answers


def answer_text(answer: Mapping[str, Any]) -> str:
    """The answer as the user reads it: its sentences joined by spaces."""
    return " ".join(s.get("text") or "" for s in answer.get("answer") or [])


def answer_notes(answer: Mapping[str, Any]) -> list[str]:
    """The text of each note shown under an answer sentence: the notes of the markers that end
    it, as its citations show them. A note is read where it backs its sentence (it is never
    quoted as an answer sentence itself)."""
    shown = _cited(answer)
    out = []
    for s in answer.get("answer") or []:
        markers = {str(m) for m in s.get("markers") or []}
        for n in s.get("citations") or []:
            for fn in (shown.get(n) or {}).get("footnotes") or []:
                if str(fn.get("marker")) in markers and fn.get("text"):
                    out.append(fn["text"])
    return out


def key_fact_recall(question: Mapping[str, Any], answer: Mapping[str, Any]) -> Outcome | None:
    """Share of the gold key facts (any alias) present in the answer: its sentences, or the
    notes shown under them (`answer_notes`)."""
    facts = question.get("key_facts") or []
    if not question.get("answerable") or not facts:
        return None
    text = " ".join([answer_text(answer), *answer_notes(answer)])
    missing = [aliases for aliases in facts if not any(contains_phrase(text, a) for a in aliases)]
    reasons = [f"key fact missing: {' | '.join(aliases)}" for aliases in missing]
    return _outcome(len(facts) - len(missing), len(facts), reasons)


def abstained(answer: Mapping[str, Any]) -> bool:
    return bool(answer.get("abstained"))


def abstention(question: Mapping[str, Any], answer: Mapping[str, Any]) -> Outcome | None:
    """For an unanswerable question: 1 when the answer abstains (abstention recall)."""
    if question.get("answerable"):
        return None
    if abstained(answer):
        return _outcome(1, 1, [])
    return _outcome(0, 1, ["answered a question the reports cannot answer"])


def false_abstention(question: Mapping[str, Any], answer: Mapping[str, Any]) -> Outcome | None:
    """For an answerable question: 1 when the answer wrongly abstains (lower is better)."""
    if not question.get("answerable"):
        return None
    if abstained(answer):
        return _outcome(1, 1, ["declined an answerable question"], ok=False)
    return _outcome(0, 1, [], ok=True)


def reading_cost(answer: Mapping[str, Any]) -> Outcome:
    """Characters a user reads: the answer sentences plus every quoted passage."""
    chars = len(answer_text(answer)) + sum(len(c.get("text") or "") for c in answer.get("citations") or [])
    return _outcome(chars, 1, [])


def passages_reading_cost(passages: Sequence[Mapping[str, Any]], top: int = 3) -> Outcome:
    """Characters of the top passages of a ranked list (how baselines are read)."""
    return _outcome(sum(len(p.get("text") or "") for p in passages[:top]), 1, [])


# ---------------------------------------------------------------------------- citations (ALCE)


def _cited(answer: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {c.get("n"): c for c in answer.get("citations") or [] if isinstance(c.get("n"), int)}


def supports(sentence: str, passages: Iterable[Mapping[str, Any]], *, generated: bool = False,
             question: str | None = None) -> bool:
    """Extractive support: the sentence appears verbatim (after normalisation) in one of the
    passages' text or in the text of one of their footnotes. A generated sentence is no quote:
    its support is the verifier's check (index/answer/verify.py), whose agreement with hand labels
    `dossier eval --llm-url` reports beside it, given the question as the product gives it."""
    if generated:
        from index.answer.verify import supports as verified

        return verified(sentence, list(passages), question=question)
    return any(contains(t, sentence) for p in passages for t in _passage_texts(p, with_notes=True))


def citation_recall(answer: Mapping[str, Any]) -> Outcome | None:
    """Per answer sentence: 1 if it has a citation, every number points at a shown passage,
    and the cited passages support it. The outcome is the share over the answer's sentences."""
    sentences = answer.get("answer") or []
    if abstained(answer) or not sentences:
        return None
    shown = _cited(answer)
    gen = answer.get("mode") == "generated"
    q = answer.get("question")
    good, reasons = 0, []
    for i, s in enumerate(sentences, 1):
        nums = list(s.get("citations") or [])
        if not nums:
            reasons.append(f"sentence {i} has no citation")
        elif any(n not in shown for n in nums):
            reasons.append(f"sentence {i} cites [{', '.join(str(n) for n in nums if n not in shown)}], not shown")
        elif not supports(s.get("text") or "", [shown[n] for n in nums], generated=gen, question=q):
            reasons.append(f"sentence {i} is not in its cited passages: {_clip(s.get('text') or '')!r}")
        else:
            good += 1
    return _outcome(good, len(sentences), reasons)


def citation_precision(answer: Mapping[str, Any]) -> Outcome | None:
    """Per citation: 0 if its sentence is unsupported by all its citations; 0 if it cannot
    support the sentence alone while the other citations still do; else 1."""
    sentences = answer.get("answer") or []
    if abstained(answer):
        return None
    shown = _cited(answer)
    gen = answer.get("mode") == "generated"
    q = answer.get("question")
    total, good, reasons = 0, 0, []
    for i, s in enumerate(sentences, 1):
        nums = list(s.get("citations") or [])
        text = s.get("text") or ""
        cited = [shown[n] for n in nums if n in shown]
        whole = supports(text, cited, generated=gen, question=q)
        for n in nums:
            total += 1
            if n not in shown:
                reasons.append(f"sentence {i}: citation [{n}] points at no shown passage")
            elif not whole:
                reasons.append(f"sentence {i}: citation [{n}] on an unsupported sentence")
            elif not supports(text, [shown[n]], generated=gen, question=q) and supports(
                    text, [shown[m] for m in nums if m != n and m in shown], generated=gen, question=q):
                reasons.append(f"sentence {i}: citation [{n}] is irrelevant (the others support it)")
            else:
                good += 1
    if not total:
        return None
    return _outcome(good, total, reasons)


# ---------------------------------------------------------------------------- footnotes


def _basenames(sources: Iterable[Any]) -> set[str]:
    names = set()
    for s in sources or []:
        if isinstance(s, Mapping):
            s = s.get("path") or s.get("file") or s.get("name") or ""
        names.add(PurePath(str(s).replace("\\", "/")).name)
    return names


def report_key(report: Mapping[str, Any], gold_maps: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The gold footnote-map key of a Dossier report: by (title, date), or for a report
    without a title (the undated chapter) by the source file name."""
    title, date = normalize(report.get("title") or ""), str(report.get("date") or "")[:10]
    if title:
        for key, gm in gold_maps.items():
            if gm.get("title") and normalize(gm["title"]) == title and (gm.get("date") or "") == date:
                return key
    files = _basenames(report.get("sources") or [])
    for key, gm in gold_maps.items():
        if not gm.get("title") and files & set(gm.get("files") or []):
            return key
    return None


def squash(text: str) -> str:
    """Letters and digits only, folded (NFKC): compares a note as one reader extracted it with
    the same note from the report's sources (ligatures, quotes, hyphens and spacing aside)."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text or "").casefold())


def same_note(shown: str, gold: str) -> bool:
    """The shown note text is the gold note's text (a real-world gold: no URL list, the text)."""
    a, b = squash(shown), squash(gold)
    if not a or not b:
        return a == b
    if a == b or (min(len(a), len(b)) >= 20 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def _text_gold(gold: Mapping[str, Any]) -> bool:
    return "text" in gold and "urls" not in gold


def _text_note_problems(marker: Any, shown: Mapping[str, Any], gold: Mapping[str, Any]) -> list[str]:
    """A real-world gold note (its text, no URL list): the shown note must be that text, and
    every URL shown must be one written in it; a redacted note shows nothing."""
    status, want = shown.get("status"), gold.get("status")
    if want == "redacted":
        problems = [] if status in ("redacted", "missing") else [f"[{marker}] shown as {status}, the note is redacted"]
        if shown.get("urls") or (shown.get("text") or "").strip():
            problems.append(f"[{marker}] shows sources for a redacted note")
        return problems
    problems = []
    if status != "resolved":
        problems.append(f"[{marker}] shown as {status}, the report has the note")
    if (shown.get("text") or "").strip() and not same_note(shown.get("text") or "", gold["text"]):
        problems.append(f"[{marker}] note text is not the report's note {_clip(gold['text'], 40)!r}")
    problems += [f"[{marker}] url {u} is not in the report's note" for u in shown.get("urls") or []
                 if not _url_of(u, gold["text"], gold.get("links", frozenset()))]
    return problems


def _url_of(url: str, text: str, links: frozenset[str]) -> bool:
    """A URL shown for a real-world note: written in its text, or a link target of the file."""
    u = squash(url)
    return bool(u) and (u in squash(text) or u in links or any(u in t or t in u for t in links if len(t) >= 12))


def _note_problems(shown: Mapping[str, Any], gold: Mapping[str, Any] | None) -> list[str]:
    """Why a shown footnote is not the report's own note for its marker ([] when it is)."""
    marker = shown.get("marker")
    if gold is None:
        return [f"[{marker}] is not a marker of this report"]
    if _text_gold(gold):
        return _text_note_problems(marker, shown, gold)
    status, want = shown.get("status"), gold.get("status")
    if want == "resolved":
        problems = []
        if status != "resolved":
            problems.append(f"[{marker}] shown as {status}, the report has the note")
        if list(shown.get("urls") or []) != list(gold.get("urls") or []):
            problems.append(f"[{marker}] urls differ from the report's note")
        if sorted(shown.get("dngts_urls") or []) != sorted(gold.get("dngts_urls") or []):
            problems.append(f"[{marker}] DNGTS flags differ from the report's note")
        frag = gold.get("text_contains")
        if frag and not contains(shown.get("text") or "", frag):
            problems.append(f"[{marker}] note text lacks {_clip(frag, 50)!r}")
        return problems
    # missing or unplaced: shown as not available, with nothing attached to it
    problems = []
    if status == "resolved":
        problems.append(f"[{marker}] shown as resolved, the report has no placeable note ({want})")
    elif want == "unplaced" and status not in ("unplaced", "missing"):
        problems.append(f"[{marker}] shown as {status}, expected unplaced")
    elif want == "missing" and status != "missing":
        problems.append(f"[{marker}] shown as {status}, expected missing")
    if shown.get("urls") or shown.get("dngts_urls") or (shown.get("text") or "").strip():
        problems.append(f"[{marker}] shows sources for a note the report does not have")
    return problems


def _shown_footnotes(answer: Mapping[str, Any], gold_maps: Mapping[str, Mapping[str, Any]]):
    """(citation n, report key or None, footnote) for every footnote the answer shows."""
    for c in answer.get("citations") or []:
        key = report_key(c.get("report") or {}, gold_maps)
        for fn in c.get("footnotes") or []:
            yield c.get("n"), key, fn


def marker_validity(answer: Mapping[str, Any], gold_maps: Mapping[str, Mapping[str, Any]]) -> Outcome | None:
    """Share of shown footnotes whose marker resolves to the report's own note (status,
    URLs, DNGTS flags, prose), or is shown as missing when the report has no note. None
    without gold maps (questions about reports no gold map describes: nothing to judge by)."""
    if not gold_maps:
        return None
    total, good, reasons = 0, 0, []
    for n, key, fn in _shown_footnotes(answer, gold_maps):
        total += 1
        if key is None:
            reasons.append(f"citation [{n}] [{fn.get('marker')}]: report not in the gold maps")
            continue
        problems = _note_problems(fn, gold_maps[key]["markers"].get(str(fn.get("marker"))))
        if problems:
            reasons += [f"citation [{n}] {key} {p}" for p in problems]
        else:
            good += 1
    if not total:
        return None
    return _outcome(good, total, reasons)


def _bad_sources(fn: Mapping[str, Any], gold: Mapping[str, Any] | None) -> list[str]:
    """Each URL or note text shown for `fn` that is not one of the gold note's entries."""
    bad = []
    if gold and _text_gold(gold):
        text = gold.get("text", "") if gold.get("status") == "resolved" else ""
        bad += [f"url {u}" for u in fn.get("urls") or [] if not text or not _url_of(u, text, gold.get("links", frozenset()))]
        shown = (fn.get("text") or "").strip()
        if shown and (not text or not same_note(shown, text)):
            bad.append(f"note text {_clip(shown, 50)!r}")
        return bad
    urls = list(gold.get("urls") or []) if gold and gold.get("status") == "resolved" else []
    dngts = list(gold.get("dngts_urls") or []) if gold and gold.get("status") == "resolved" else []
    for u in fn.get("urls") or []:
        if u not in urls:
            bad.append(f"url {u}")
    for u in fn.get("dngts_urls") or []:
        if u not in dngts:
            bad.append(f"DNGTS url {u}")
    text = (fn.get("text") or "").strip()
    if text:
        if not gold or gold.get("status") != "resolved":
            bad.append(f"note text {_clip(text, 50)!r}")
        elif gold.get("text_contains") and not contains(text, gold["text_contains"]):
            bad.append(f"note text {_clip(text, 50)!r}")
    return bad


def source_fidelity(answer: Mapping[str, Any], gold_maps: Mapping[str, Mapping[str, Any]]) -> Outcome | None:
    """Count of URLs and note texts shown that are not exactly one of that note's gold
    entries: invented or misattached sources. Must be 0. None without gold maps."""
    if not gold_maps:
        return None
    reasons = []
    for n, key, fn in _shown_footnotes(answer, gold_maps):
        gold = gold_maps[key]["markers"].get(str(fn.get("marker"))) if key else None
        where = f"citation [{n}] {key or 'unknown report'} [{fn.get('marker')}]"
        reasons += [f"{where}: {b} not in the report's note" for b in _bad_sources(fn, gold)]
    return _outcome(len(reasons), 1, reasons, ok=not reasons)


def attachment_accuracy(
    question: Mapping[str, Any],
    answer: Mapping[str, Any],
    gold_maps: Mapping[str, Mapping[str, Any]],
    passages: Sequence[Mapping[str, Any]] = (),
) -> Outcome | None:
    """Share of the question's evidence sentences whose shown notes are the report's own.

    The citation holding the evidence sentence is looked up in the answer first, then in
    the ranked passages (``dossier search`` shows the same passage with the same notes).
    It must show a footnote for every gold marker of the sentence, each equal to the gold
    note, and no marker the report does not attach to that passage's text. Evidence that
    nothing shown holds is left to the retrieval metrics and not counted here."""
    if not question.get("answerable") or not gold_maps:
        return None
    judged, good, reasons = 0, 0, []
    for i, ev in enumerate(question.get("evidence") or [], 1):
        if ev.get("in_note"):
            continue  # a note's prose has no markers of its own
        holder = next((c for c in answer.get("citations") or [] if evidence_in(c, ev)), None)
        holder = holder or next((p for p in passages if evidence_in(p, ev)), None)
        if holder is None:
            continue
        judged += 1
        gm = gold_maps.get(ev.get("report") or "")
        if gm is None:
            reasons.append(f"evidence {i}: report {ev.get('report')!r} has no gold map")
            continue
        if report_key(holder.get("report") or {}, gold_maps) not in (None, ev.get("report")):
            reasons.append(f"evidence {i}: cited from another report than {ev['report']}")
            continue
        shown = {str(fn.get("marker")): fn for fn in holder.get("footnotes") or []}
        problems = []
        marks = _evidence_markers(ev)
        for m in marks:
            if m not in shown:
                problems.append(f"[{m}] not shown")
            else:
                problems += _note_problems(shown[m], gm["markers"].get(m))
        # When the answer quotes the evidence sentence and says which markers end it, those
        # must be exactly the report's markers for the sentence.
        for s in answer.get("answer") or []:
            if "markers" in s and contains(s.get("text") or "", ev.get("text") or ""):
                said, want = {str(x) for x in s.get("markers") or []}, set(marks)
                if said != want:
                    problems.append(f"answer sentence marked [{', '.join(sorted(said, key=_marker_order))}], "
                                    f"the report marks it [{', '.join(sorted(want, key=_marker_order))}]")
        in_text = _text_markers(holder.get("text") or "")
        if in_text is not None:
            extra = sorted(set(shown) - in_text - set(marks), key=_marker_order)
            problems += [f"[{m}] shown but not in the passage text" for m in extra]
        if problems:
            reasons += [f"evidence {i} ({ev['report']}): {p}" for p in problems]
        else:
            good += 1
    if not judged:
        return None
    return _outcome(good, judged, reasons)


def _evidence_markers(ev: Mapping[str, Any]) -> list[str]:
    """The markers a gold evidence fragment names, as a report keys them (a Wikipedia note
    group's "n 8" is marker "n8", ingest.footnotes.marker_label)."""
    from ingest.footnotes import marker_label

    return [marker_label(str(x)) for x in ev.get("markers") or []]


_MARKER_TOKENS = re.compile(r"\[(\d{1,3})\]|<sup>\s*(\d{1,3})\s*</sup>|([\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)")
_SUPERSCRIPT = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")


def _text_markers(text: str) -> set[str] | None:
    """The markers written in a passage's text, or None when the text carries none (then
    the shown footnotes cannot be checked against it)."""
    found = {next(g for g in m.groups() if g).translate(_SUPERSCRIPT) for m in _MARKER_TOKENS.finditer(text)}
    return found or None


def _marker_order(marker: str) -> tuple[int, str]:
    return (int(marker), marker) if marker.isdecimal() else (1 << 30, marker)


# ---------------------------------------------------------------------------- parsing


def parse_accuracy(parsed: Mapping[str, Mapping[str, Any]], gold_map: Mapping[str, Any]) -> Outcome:
    """Share of markers (gold ∪ parsed) whose parsed note equals the gold one: same status,
    and for a resolved note the same URLs in order, the same DNGTS URLs and, when the gold
    gives a prose fragment and the parse carries text, that fragment."""
    gold = gold_map.get("markers") or {}
    markers = sorted(set(gold) | {str(m) for m in parsed}, key=_marker_order)
    parsed = {str(m): v for m, v in parsed.items()}
    good, reasons = 0, []
    for m in markers:
        g, p = gold.get(m), parsed.get(m)
        if g is None:
            reasons.append(f"[{m}] parsed but not a marker of the report")
        elif p is None:
            reasons.append(f"[{m}] not parsed (gold: {g.get('status')})")
        elif _text_gold(g):
            problems = _text_note_problems(m, {"marker": m, **p}, g)
            if problems:
                reasons += problems
            else:
                good += 1
        elif p.get("status") != g.get("status"):
            reasons.append(f"[{m}] parsed as {p.get('status')}, gold {g.get('status')}")
        elif g.get("status") == "resolved" and list(p.get("urls") or []) != list(g.get("urls") or []):
            reasons.append(f"[{m}] urls {list(p.get('urls') or [])} != gold {g.get('urls')}")
        elif (g.get("status") == "resolved" and "dngts_urls" in p
              and sorted(p["dngts_urls"] or []) != sorted(g.get("dngts_urls") or [])):
            reasons.append(f"[{m}] DNGTS urls {p['dngts_urls']} != gold {g.get('dngts_urls')}")
        elif g.get("text_contains") and "text" in p and not contains(p.get("text") or "", g["text_contains"]):
            reasons.append(f"[{m}] note text lacks {_clip(g['text_contains'], 50)!r}")
        elif g.get("status") != "resolved" and (p.get("urls") or []):
            reasons.append(f"[{m}] {g.get('status')} note parsed with urls")
        else:
            good += 1
    return _outcome(good, len(markers), reasons)


# ---------------------------------------------------------------------------- run summary


@dataclass(frozen=True)
class MetricSpec:
    key: str
    label: str
    aggregate: str  # mean (of per-question values) | ratio (sum num / sum den) | sum (of num)
    better: str  # higher | lower
    chart: bool = True  # drawn in the 0..1 bar chart


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("hit_at_1", "hit@1", "mean", "higher"),
    MetricSpec("hit_at_5", "hit@5", "mean", "higher"),
    MetricSpec("mrr_at_10", "MRR@10", "mean", "higher"),
    MetricSpec("ndcg_at_10", "nDCG@10", "mean", "higher"),
    MetricSpec("key_fact_recall", "key-fact recall", "mean", "higher"),
    MetricSpec("citation_recall", "citation recall", "mean", "higher"),
    MetricSpec("citation_precision", "citation precision", "mean", "higher"),
    MetricSpec("marker_validity", "marker validity", "ratio", "higher"),
    MetricSpec("invented_sources", "invented/misattached sources", "sum", "lower", chart=False),
    MetricSpec("attachment_accuracy", "attachment accuracy", "ratio", "higher"),
    MetricSpec("abstention_recall", "abstention recall", "mean", "higher"),
    MetricSpec("false_abstention", "false-abstention rate", "mean", "lower"),
    MetricSpec("reading_cost", "mean reading cost (chars)", "mean", "lower", chart=False),
)
SPECS = {s.key: s for s in METRICS}
RETRIEVAL = ("hit_at_1", "hit_at_5", "mrr_at_10", "ndcg_at_10")


def score_retrieval(question: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> dict[str, Outcome | None]:
    """The retrieval metrics of one ranked list."""
    return {
        "hit_at_1": hit_at_k(question, passages, 1),
        "hit_at_5": hit_at_k(question, passages, 5),
        "mrr_at_10": reciprocal_rank(question, passages, 10),
        "ndcg_at_10": ndcg_at_k(question, passages, 10),
    }


def score_question(
    question: Mapping[str, Any],
    answer: Mapping[str, Any],
    passages: Sequence[Mapping[str, Any]],
    gold_maps: Mapping[str, Mapping[str, Any]],
) -> dict[str, Outcome | None]:
    """Every per-question metric of Dossier's answer and its ranked passages."""
    return {
        **score_retrieval(question, passages),
        "key_fact_recall": key_fact_recall(question, answer),
        "citation_recall": citation_recall(answer),
        "citation_precision": citation_precision(answer),
        "marker_validity": marker_validity(answer, gold_maps),
        "invented_sources": source_fidelity(answer, gold_maps),
        "attachment_accuracy": attachment_accuracy(question, answer, gold_maps, passages),
        "abstention_recall": abstention(question, answer),
        "false_abstention": false_abstention(question, answer),
        "reading_cost": reading_cost(answer),
    }


def score_baseline(
    question: Mapping[str, Any], passages: Sequence[Mapping[str, Any]], top: int = 3
) -> dict[str, Outcome | None]:
    """A retrieval-only system: its retrieval metrics and the cost of reading its top passages."""
    return {**score_retrieval(question, passages), "reading_cost": passages_reading_cost(passages, top)}


_AGGREGATORS: dict[str, Callable[[list[Outcome]], float]] = {
    "mean": lambda os: sum(o.value for o in os) / len(os),
    "ratio": lambda os: (sum(o.num for o in os) / d) if (d := sum(o.den for o in os)) else 0.0,
    "sum": lambda os: float(sum(o.num for o in os)),
}


def aggregate(outcomes: Iterable[Outcome | None], how: str) -> Score:
    """One metric over a run: skips questions it does not apply to; n counts the others."""
    os = [o for o in outcomes if o is not None]
    if not os:
        return Score(None, 0)
    detail = {"failed": sum(1 for o in os if not o.ok)}
    if how == "ratio":
        detail["items"] = int(sum(o.den for o in os))
    return Score(_AGGREGATORS[how](os), len(os), detail)


def summarize(per_question: Sequence[Mapping[str, Outcome | None]]) -> dict[str, Score]:
    """The run's score for each metric present in the per-question results."""
    keys = [s.key for s in METRICS if any(s.key in q for q in per_question)]
    return {k: aggregate((q.get(k) for q in per_question), SPECS[k].aggregate) for k in keys}
