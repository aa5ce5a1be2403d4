"""The stand-in encoder: fixed pseudo-random unit vectors, deterministic from the text.

At 100,000 reports (about 1.7 million passages) the real encoder alone takes hours on two
cores, and its cost is linear and already measured (docs/teams.md). The stand-in measures
everything else: parsing, the diff, the writes to SQLite, Chroma and the vector copy, the
lexical index, the server upload, the queries. Every figure it produces says so. Its vectors
mean nothing: retrieval quality at that size is not measured here.

`python -m eval.bench.standin ingest ...` runs the real `dossier` command line with the
stand-in as the ingest encoder (what the bench's child processes run); queries keep the real
query encoder, so their latency includes embedding the question.
"""
from __future__ import annotations

import hashlib
import sys
from typing import Any, Sequence

import numpy as np

NAME = "stand-in encoder (pseudo-random unit vectors from a hash of the text; not the model)"
DIM = 384


class StandInEncoder:
    """SentenceTransformer's encode() and dimension, returning a unit vector per text that
    depends on the text only (the same text always gives the same vector)."""

    def __init__(self, dim: int = DIM):
        self.dim = dim

    def get_sentence_embedding_dimension(self) -> int:
        return self.dim

    get_embedding_dimension = get_sentence_embedding_dimension

    def encode(self, texts: Sequence[str], **_: Any) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
            out[i] = np.random.default_rng(seed).standard_normal(self.dim, dtype=np.float32)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def install() -> None:
    """Make ingest embed with the stand-in in this process (ingest looks its encoder up at
    call time: index.encode.embed.ingest_encoder)."""
    import index.encode.embed as embed

    embed.ingest_encoder = lambda settings, counts: StandInEncoder()
    embed.load_sentence_transformer = lambda settings: StandInEncoder()


def main() -> None:
    """The `dossier` command line (run by module name: the bench sits below bot/ in the
    layers) with the stand-in installed."""
    import runpy

    install()
    runpy.run_module("bot.cli", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
