"""The sentence encoder on onnxruntime: the model's own tokenizer, then one ONNX session
(index/encode/onnx_export.py) that returns the normalised sentence embeddings.

It has the `encode()` / `get_sentence_embedding_dimension()` of a SentenceTransformer, so
ingest uses it in place of one, and `encode_batch()` of NumpyBert for the query path. No
torch: onnxruntime loads in about 0.1 s.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Sequence

import numpy as np

# Texts per session run. Batches are cut from the texts sorted by token count, so a batch
# pads only to its own longest text (sentence-transformers sorts by characters for the same
# reason). Small batches keep the activations in cache: on the sample passages (58 tokens on
# average) batch 8 embedded 83-87 passages per CPU-second, 16: 75, 32: 66, 64: 52.
BATCH = 8


class OnnxEncoder:
    def __init__(self, model_bytes: bytes, model_dir: Path, *, threads: int = 1, batch: int = BATCH):
        """threads: how many batches run at once. Each run uses one onnxruntime thread, and
        `threads` Python threads run batches side by side (a session may be run from several
        threads; onnxruntime releases the GIL while it computes). On 2 cores, 2 one-thread
        runs embedded 170-178 passages/s against 145 for one run split over 2 intra-op
        threads: batches of 8 are too small to split well (1,500 bench passages, load 0.5-1.7).
        Same vectors either way: each batch is computed alone."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3           # its warnings are about graph rewrites, not our data
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")   # spinning took others' CPU
        self._session = ort.InferenceSession(model_bytes, opts, providers=["CPUExecutionProvider"])
        cfg = json.loads((model_dir / "config.json").read_text())
        self.dim = int(cfg["hidden_size"])
        max_len = 256
        sb = model_dir / "sentence_bert_config.json"
        if sb.exists():
            max_len = int(json.loads(sb.read_text()).get("max_seq_length", 256))
        self._tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tok.enable_truncation(max_length=max_len)
        self._tok.no_padding()
        self._batch = batch
        self.threads = threads

    def get_sentence_embedding_dimension(self) -> int:
        return self.dim

    def encode(self, texts: Sequence[str], **_: Any) -> np.ndarray:
        """Normalised float32 rows, one per text, in the order given. The keyword arguments
        of SentenceTransformer.encode are accepted and ignored: the rows are always
        normalised, and the batch size tuned for torch (64) is not the one for this runtime."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tok.encode_batch(texts)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = [order[a:a + self._batch] for a in range(0, len(order), self._batch)]

        def run(idx: list[int]) -> None:
            out[idx] = self._run([ids[i] for i in idx])

        if self.threads == 1 or len(batches) == 1:
            for idx in batches:
                run(idx)
        else:
            with ThreadPoolExecutor(self.threads, thread_name_prefix="dossier-onnx") as pool:
                for _ in pool.map(run, batches):   # each batch writes its own rows of `out`
                    pass
        return out

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)

    def token_states(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list]:
        """As NumpyBert.token_states: every token's last-layer state ([batch, tokens, hidden],
        padded), the mask of real tokens, each text's tokenizer Encoding (its offsets). With
        threads > 1 the texts, by length, run as that many batches side by side."""
        encs = self._tok.encode_batch(list(texts))
        ids, mask = self._pad([e.ids for e in encs])
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        k = max(1, min(self.threads, len(order)))
        groups = [order[len(order) * g // k:len(order) * (g + 1) // k] for g in range(k)]
        states = np.zeros(ids.shape + (self.dim,), dtype=np.float32)

        def run(idx: list[int]) -> None:
            n = int(mask[idx].sum(1).max())
            states[idx, :n] = self._session.run(["tokens"], {"input_ids": ids[idx, :n],
                                                            "attention_mask": mask[idx, :n]})[0]

        if k == 1:
            run(groups[0])
        else:
            with ThreadPoolExecutor(k, thread_name_prefix="dossier-onnx") as pool:
                list(pool.map(run, groups))
        return states, mask.astype(np.float32), encs

    @staticmethod
    def _pad(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        n = max(len(r) for r in rows)
        ids = np.zeros((len(rows), n), dtype=np.int64)
        mask = np.zeros((len(rows), n), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, :len(r)] = r
            mask[i, :len(r)] = 1
        return ids, mask

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        ids, mask = self._pad(rows)
        return self._session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})[0]
