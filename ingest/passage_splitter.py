"""A llama-index node parser: a report Document becomes its passage TextNodes (to embed)."""
from __future__ import annotations

from typing import Any, Sequence

from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode, TransformComponent
from pydantic import PrivateAttr

from ingest.model import Passage


class PassageSplitter(TransformComponent):
    """The passages ingest chunked (ingest/chunk.py), as nodes with the passage ids. The
    node metadata is only for llama-index; none of it is embedded, and the store takes the
    passages themselves (markers as lists) from ingest, not from these nodes."""

    _passages: dict[str, list[Passage]] = PrivateAttr(default_factory=dict)

    @classmethod
    def for_passages(cls, passages: dict[str, list[Passage]]) -> "PassageSplitter":
        """`passages`: report id -> its passages, in order."""
        splitter = cls()
        splitter._passages = passages
        return splitter

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            for p in self._passages[doc.id_]:
                metadata = {"report_id": p.report_id, "kind": p.kind, "start": p.start, "end": p.end,
                            "ordinal": p.ordinal}
                out.append(TextNode(
                    id_=p.id, text=p.text, metadata=metadata,
                    excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=list(metadata),
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=p.report_id)},
                ))
        return out
