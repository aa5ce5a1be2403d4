"""How close each candidate sentence is in meaning to the question, with the embedding model.

A sentence's vector is pooled from the token states of its whole passage, read with its
context (`index.answer.context`: title, headings, the sentence before): one forward pass per
passage gives every sentence of it, each sentence's tokens having attended to its neighbours
("late chunking"). On the tune split this ranked the answering sentence as well as encoding
each sentence alone (MRR 0.777 against 0.780; word overlap alone 0.751) for a fraction of the
cost. Passages are computed when a question first needs them and kept (per generation).

Besides the sentence's cosine to the question, `alignment` matches the question's own words
one by one with the sentence's tokens in context (as BERTScore does): "soldiers" finds
"personnel", "retaliate" finds "reciprocal sanctions", where the words themselves differ.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from index.answer.context import SENTENCE_PARTS, embedded
from index.text import words

CACHE = 512           # passages whose sentence vectors and token states are kept


@dataclass
class Sentence:
    vector: np.ndarray            # unit vector of the sentence (its tokens' mean)
    tokens: np.ndarray            # its tokens' states, each a unit vector (float16)


@dataclass
class QuestionStates:
    """A question's token states, grouped into its informative words (IDF-weighted)."""

    vector: np.ndarray
    words: list[tuple[str, float, np.ndarray]]     # (BM25 term, weight, unit vector of its tokens)


_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*\w*")


class SentenceVectors:
    """`model`: anything with token_states(texts) -> (states [b, n, d], mask [b, n], encodings)
    (index.encode.embed.NumpyBert, index.encode.onnx_encoder.OnnxEncoder)."""

    def __init__(self, model: Any, *, cache: int = CACHE):
        self.model = model
        self._cache: OrderedDict[tuple[str, bool], dict[int, Sentence]] = OrderedDict()
        self._size = cache
        self._question: tuple[str, QuestionStates] | None = None

    def clear(self) -> None:
        self._cache.clear()
        self._question = None

    # ------------------------------------------------------------------ the question

    def question(self, text: str, weight: Any = None) -> QuestionStates:
        """The question's vector and its informative words' states. `weight(term)`: a term's
        weight (IDF); words whose terms are all stopwords or question filler are left out."""
        if self._question is not None and self._question[0] == text:
            return self._question[1]
        from index.answer.question import question_terms

        states, mask, encs = self.model.token_states([text])
        real = int(mask[0].sum())
        x = states[0, :real]
        pooled = x.mean(0)
        pooled = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        keep = set(question_terms(text))
        offsets = encs[0].offsets
        out = []
        for m in _WORD.finditer(text):
            terms = [t for t in words.terms(m.group(0)) if t in keep]
            if not terms:
                continue
            idx = [i for i in range(real) if offsets[i][1] > offsets[i][0] and offsets[i][0] >= m.start()
                   and offsets[i][1] <= m.end()]
            if not idx:
                continue
            v = x[idx].mean(0)
            out.append((terms[0], float(weight(terms[0])) if weight else 1.0, v / max(float(np.linalg.norm(v)), 1e-12)))
        q = QuestionStates(pooled.astype(np.float32), out)
        self._question = (text, q)
        return q

    # ------------------------------------------------------------------ the candidates

    def cosines(self, qvec: Sequence[float], cands: Sequence[Any], reports: Any, *, context: bool = False
                ) -> list[float]:
        """The cosine of each candidate (evidence.Candidate) to the question vector. `context`:
        each passage read with its title, headings and the sentence before (context.SENTENCE_PARTS)."""
        if not cands:
            return []
        q = np.asarray(qvec, dtype=np.float32)
        got = self.sentences(cands, reports, context=context)
        return [float(got[c.passage_id][c.start].vector @ q) if c.start in got.get(c.passage_id, {}) else 0.0
                for c in cands]

    def alignment(self, question: QuestionStates, cands: Sequence[Any], reports: Any,
                  only: set[str] | None = None, *, context: bool = False) -> list[float]:
        """For each candidate, the weighted mean over the question's words (or the terms in
        `only`) of each word's best cosine with a token of the sentence: 1 when every word has
        its match in context, whatever the wording."""
        qs = [(t, w, v) for t, w, v in question.words if only is None or t in only]
        if not cands or not qs:
            return [0.0] * len(cands)
        got = self.sentences(cands, reports, context=context)
        qm = np.stack([v for _, _, v in qs]).astype(np.float32)
        wts = np.array([w for _, w, _ in qs], dtype=np.float32)
        total = float(wts.sum()) or 1.0
        out = []
        for c in cands:
            s = got.get(c.passage_id, {}).get(c.start)
            if s is None or not len(s.tokens):
                out.append(0.0)
                continue
            best = (qm @ s.tokens.astype(np.float32).T).max(1)
            out.append(float((np.clip(best, 0, 1) * wts).sum() / total))
        return out

    def sentences(self, cands: Sequence[Any], reports: Any, *, context: bool = False
                  ) -> dict[str, dict[int, Sentence]]:
        """passage id -> {sentence start: Sentence} for the candidates' passages."""
        out: dict[str, dict[int, Sentence]] = {}
        todo: dict[str, Any] = {}
        for c in cands:
            hit = self._cache.get((c.passage_id, context))
            if hit is not None:
                self._cache.move_to_end((c.passage_id, context))
                out[c.passage_id] = hit
            else:
                todo.setdefault(c.passage_id, c)
        if todo:
            for pid, got in self._compute(list(todo.values()), reports, context).items():
                out[pid] = got
                self._cache[(pid, context)] = got
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return out

    def _compute(self, cands: list[Any], reports: Any, context: bool) -> dict[str, dict[int, Sentence]]:
        texts, spans, pids = [], [], []
        for c in cands:
            rtext, sents = reports.text(c.report_id)
            holder = next((p for p in reports.body_passages(c.report_id) if p["id"] == c.passage_id), None)
            if holder is None:
                continue
            pstart, pend = holder["start"], holder["end"]
            inside = [(a, b) for a, b, _ in sents if a >= pstart and b <= pend]
            before = [(a, b) for a, b, _ in sents if b <= pstart]
            prev = rtext[before[-1][0]:before[-1][1]] if before else ""
            meta = reports.meta(c.report_id)
            if context:
                text, at = embedded(holder["text"], title=meta.get("title", ""), section=holder.get("section", ""),
                                    prev=prev, parts=SENTENCE_PARTS)
            else:
                text, at = holder["text"], 0
            texts.append(text)
            spans.append([(a, at + a - pstart, at + b - pstart) for a, b in inside])
            pids.append(c.passage_id)
        out: dict[str, dict[int, Sentence]] = {}
        if not texts:
            return out
        states, mask, encs = self.model.token_states(texts)
        for i, pid in enumerate(pids):
            offsets = encs[i].offsets
            real = int(mask[i].sum())
            got = {}
            for start, a, b in spans[i]:
                idx = [t for t in range(real) if offsets[t][1] > offsets[t][0] and offsets[t][0] >= a
                       and offsets[t][1] <= b]
                x = states[i, idx] if idx else states[i, :real]
                v = x.mean(0)
                v = v / max(float(np.linalg.norm(v)), 1e-12)
                toks = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
                got[start] = Sentence(v.astype(np.float32), toks.astype(np.float16))
            out[pid] = got
        return out
