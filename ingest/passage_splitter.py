"""A llama-index node parser: a report Document becomes its passage TextNodes, each with
its embedding (encoded ahead of the pipeline: ingest/encode_ahead.py)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode, TransformComponent
from pydantic import PrivateAttr

from ingest.model import Passage


class PassageSplitter(TransformComponent):
    """The passages ingest chunked (ingest/chunk.py), as nodes with the passage ids. The
    node metadata is only for llama-index; none of it is embedded, and the store takes the
    passages themselves (markers as lists) from ingest, not from these nodes."""

    _passages: dict[str, list[Passage]] = PrivateAttr(default_factory=dict)
    _vectors: Callable[[str, list[str]], Any] = PrivateAttr()
    _texts: dict[str, list[str]] = PrivateAttr(default_factory=dict)

    @classmethod
    def for_passages(cls, passages: dict[str, list[Passage]],
                     vectors: Callable[[str, list[str]], Any],
                     texts: dict[str, list[str]] | None = None) -> "PassageSplitter":
        """`passages`: report id -> its passages, in order; `vectors(report_id, texts)`: their
        embeddings, one row per text; `texts`: what is embedded of each
        (index.answer.context.embedded_texts; default: the passages' own text)."""
        splitter = cls()
        splitter._passages = passages
        splitter._vectors = vectors
        splitter._texts = texts or {}
        return splitter

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            passages = self._passages[doc.id_]
            rows = self._vectors(doc.id_, self._texts.get(doc.id_) or [p.text for p in passages])
            for p, row in zip(passages, rows):
                metadata = {"report_id": p.report_id, "kind": p.kind, "start": p.start, "end": p.end,
                            "ordinal": p.ordinal}
                out.append(TextNode(
                    id_=p.id, text=p.text, metadata=metadata, embedding=row.tolist(),
                    excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=list(metadata),
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=p.report_id)},
                ))
        return out
