"""Finding passages: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank,
with a nudge toward the reports a question's dates or "latest" point at.

Measured on the gold questions (docs/quality.md): fused beats either alone; names and
unit numbers (Greenkiewicz, Veyshnoriya, 234th) are found by BM25, paraphrases by dense.
The two rankings count alike: weighting dense double raised the tune corpora's hit@5 (samples
0.919 -> 0.946) but lowered the test corpora's (samples 0.920 -> 0.907, Mueller 0.762 -> 0.714),
so it was taken back (docs/quality.md, ninth session).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from index.store import lexical
from index.answer.question import Question
from index.text.dates import date_strings
from index.text import words

RRF_K = 60
DENSE_WEIGHT = 1.0    # the dense ranking's weight in the fusion (BM25's is 1); 2 was better on tune, worse on test
CANDIDATES = 40
RERANK = 12           # the top fused passages get a bonus for the share of the question's words
COVER_WEIGHT = 0.02   # they contain (IDF-weighted): +2 hits at 1 on the gold questions


@dataclass
class Hit:
    id: str
    score: float = 0.0
    dense: float | None = None          # cosine similarity
    bm25: float | None = None
    ranks: dict[str, int] = field(default_factory=dict)


def fuse(rankings: dict[str, list[tuple[str, float]]], weights: dict[str, float] | None = None) -> list[Hit]:
    """Reciprocal-rank fusion (as llama-index's QueryFusionRetriever 'reciprocal_rerank')."""
    hits: dict[str, Hit] = {}
    for name, ranking in rankings.items():
        w = (weights or {}).get(name, 1.0)
        for rank, (pid, score) in enumerate(ranking):
            h = hits.setdefault(pid, Hit(pid))
            h.score += w / (RRF_K + rank + 1)
            h.ranks[name] = rank
            if name == "dense":
                h.dense = score
            elif name == "bm25":
                h.bm25 = score
    return sorted(hits.values(), key=lambda h: -h.score)


def report_filter(report_ids: Sequence[str]) -> dict:
    """The Chroma `where` filter for passages of these reports (Chroma wants $in with two or more)."""
    ids = list(report_ids)
    return {"report_id": ids[0]} if len(ids) == 1 else {"report_id": {"$in": ids}}


class Retriever:
    """Dense + BM25 + fusion over one generation. Clients are injected: a Chroma
    collection, a query encoder, the lexical index, and the snapshot for report dates."""

    def __init__(self, collection: Any, encoder: Any, lex: lexical.Lexical | None, snapshot: Any):
        self.collection = collection
        self.encoder = encoder
        self.lex = lex
        self.snapshot = snapshot
        self._dates: dict[str, str] | None = None
        self._last: tuple[str, list[float]] | None = None
        self.embed: Any = None          # text -> vector, when the answer path encodes questions itself

    def vector(self, text: str) -> list[float]:
        """The query vector of a text; the last one is kept (the answer reuses the question's)."""
        if self._last is None or self._last[0] != text:
            v = self.embed(text) if self.embed is not None else self.encoder.encode(text)
            self._last = (text, [float(x) for x in v])
        return self._last[1]

    def report_dates(self) -> dict[str, str]:
        if self._dates is None:
            self._dates = {rid: r["date"] for rid, r in self.snapshot.reports().items()}
        return self._dates

    def dense(self, text: str, k: int, scope: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """`scope`: report ids; the collection filters on them before ranking (a Chroma `where`)."""
        n = self.collection.count()
        if not n:
            return []
        kwargs = {"where": report_filter(scope)} if scope is not None else {}
        res = self.collection.query(query_embeddings=[self.vector(text)], n_results=min(k, n),
                                    include=["distances"], **kwargs)
        return [(pid, 1.0 - float(d)) for pid, d in zip(res["ids"][0], res["distances"][0])]

    def bm25(self, text: str, k: int, scope: Sequence[str] | None = None) -> list[tuple[str, float]]:
        if self.lex is None:
            return []
        allowed = None if scope is None else set(self.snapshot.passage_ids_of(list(scope)))
        return self.lex.search(words.terms(text), k, allowed)

    def retrieve(self, question: Question, *, k: int = 10, mode: str = "hybrid", context: str = "",
                 scope: Sequence[str] | None = None) -> list[Hit]:
        """The best `k` passages. `scope`: only these reports' passages are ranked at all."""
        query = f"{context} {question.text}".strip() if context else question.text
        if scope is not None and not scope:
            return []
        if mode == "dense":
            return [Hit(pid, s, dense=s, ranks={"dense": i}) for i, (pid, s) in enumerate(self.dense(query, k, scope))]
        if mode == "bm25":
            return [Hit(pid, s, bm25=s, ranks={"bm25": i}) for i, (pid, s) in enumerate(self.bm25(query, k, scope))]
        hits = fuse({"dense": self.dense(query, CANDIDATES, scope), "bm25": self.bm25(query, CANDIDATES, scope)},
                    {"dense": DENSE_WEIGHT})
        self._date_nudge(question, hits)
        hits.sort(key=lambda h: -h.score)
        self._cover_bonus(question, hits[:RERANK])
        hits.sort(key=lambda h: -h.score)
        return hits[:k]

    def _cover_bonus(self, question: Question, hits: list[Hit]) -> None:
        if self.lex is None or not hits:
            return
        weights = {t: self.lex.idf(t) for t in question.terms}
        total = sum(weights.values())
        if not total:
            return
        passages = self.snapshot.passages([h.id for h in hits])
        for h in hits:
            p = passages.get(h.id)
            if p is not None:
                terms = set(words.terms(p["text"]))
                h.score += COVER_WEIGHT * sum(w for t, w in weights.items() if t in terms) / total

    def _date_nudge(self, question: Question, hits: list[Hit]) -> None:
        dates, latest = question.dates, question.latest
        if not (dates or latest) or not hits:
            return
        report_dates = self.report_dates()
        passages = self.snapshot.passages([h.id for h in hits])
        newest = max((d for d in report_dates.values() if d), default="")
        bonus = 1.0 / RRF_K                  # as much as a first place in one more ranking
        for h in hits:
            p = passages.get(h.id)
            if p is None:
                continue
            rdate = report_dates.get(p["report_id"], "")
            for month, day in dates:
                if any(s in p["text"] for s in date_strings(month, day)):
                    h.score += bonus
                elif rdate and rdate[5:] == f"{month:02d}-{day:02d}":
                    h.score += bonus / 2
            if latest and rdate and rdate == newest:
                h.score += bonus / 2
