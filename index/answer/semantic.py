"""How close each candidate sentence is in meaning to the question, with the embedding model.

A sentence's vector is pooled from the token states of its whole passage, read with its
context (`index.answer.context`: title, headings, the sentence before): one forward pass per
passage gives every sentence of it, each sentence's tokens having attended to its neighbours
("late chunking"). On the tune split this ranked the answering sentence as well as encoding
each sentence alone (MRR 0.777 against 0.780; word overlap alone 0.751) for a fraction of the
cost. Passages are computed when a question first needs them and kept (per generation).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Sequence

import numpy as np

from index.answer.context import embedded

CACHE = 2048          # passages whose sentence vectors are kept


class SentenceVectors:
    """`model`: anything with token_states(texts) -> (states [b, n, d], mask [b, n], encodings)
    (index.encode.embed.NumpyBert, index.encode.onnx_encoder.OnnxEncoder)."""

    def __init__(self, model: Any, *, context: bool = True, cache: int = CACHE):
        self.model = model
        self.context = context
        self._cache: OrderedDict[str, dict[int, np.ndarray]] = OrderedDict()
        self._size = cache

    def cosines(self, qvec: Sequence[float], cands: Sequence[Any], reports: Any) -> list[float]:
        """The cosine of each candidate (evidence.Candidate) to the question vector."""
        if not cands:
            return []
        q = np.asarray(qvec, dtype=np.float32)
        vecs = self.vectors(cands, reports)
        return [float(vecs[c.passage_id][c.start] @ q) if c.start in vecs.get(c.passage_id, {}) else 0.0
                for c in cands]

    def vectors(self, cands: Sequence[Any], reports: Any) -> dict[str, dict[int, np.ndarray]]:
        """passage id -> {sentence start: unit vector} for the candidates' passages."""
        out: dict[str, dict[int, np.ndarray]] = {}
        todo: dict[str, Any] = {}
        for c in cands:
            hit = self._cache.get(c.passage_id)
            if hit is not None:
                self._cache.move_to_end(c.passage_id)
                out[c.passage_id] = hit
            else:
                todo.setdefault(c.passage_id, c)
        if todo:
            computed = self._compute(list(todo.values()), reports)
            for pid, vecs in computed.items():
                out[pid] = vecs
                self._cache[pid] = vecs
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return out

    def _compute(self, cands: list[Any], reports: Any) -> dict[str, dict[int, np.ndarray]]:
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
            if self.context:
                text, at = embedded(holder["text"], title=meta.get("title", ""), section=holder.get("section", ""),
                                    prev=prev)
            else:
                text, at = holder["text"], 0
            texts.append(text)
            spans.append([(a, at + a - pstart, at + b - pstart) for a, b in inside])
            pids.append(c.passage_id)
        out: dict[str, dict[int, np.ndarray]] = {}
        if not texts:
            return out
        states, mask, encs = self.model.token_states(texts)
        for i, pid in enumerate(pids):
            offsets = encs[i].offsets
            real = int(mask[i].sum())
            vecs = {}
            for start, a, b in spans[i]:
                idx = [t for t in range(real) if offsets[t][1] > offsets[t][0] and offsets[t][0] >= a
                       and offsets[t][1] <= b]
                v = states[i, idx].mean(0) if idx else states[i, :real].mean(0)
                n = float(np.linalg.norm(v))
                vecs[start] = (v / n if n else v).astype(np.float32)
            out[pid] = vecs
        return out
