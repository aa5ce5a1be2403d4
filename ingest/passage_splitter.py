"""A llama-index node parser: a report Document becomes its passage TextNodes."""
from __future__ import annotations

from typing import Any, Sequence

from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode, TransformComponent
from pydantic import PrivateAttr

from ingest.chunk import chunk_report
from ingest.model import Report

_META_KEYS = ["report_id", "kind", "start", "end", "markers", "ordinal", "date"]


class PassageSplitter(TransformComponent):
    """Passages with stable ids, offsets into the clean report text and their markers."""

    _reports: dict[str, Report] = PrivateAttr(default_factory=dict)

    @classmethod
    def for_reports(cls, reports: dict[str, Report]) -> "PassageSplitter":
        splitter = cls()
        splitter._reports = reports
        return splitter

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            report = self._reports[doc.id_]
            for p in chunk_report(report):
                node = TextNode(
                    id_=p.id, text=p.text,
                    metadata={"report_id": report.id, "kind": p.kind, "start": p.start, "end": p.end,
                              "markers": ",".join(p.markers), "ordinal": p.ordinal, "date": report.date},
                    excluded_embed_metadata_keys=_META_KEYS, excluded_llm_metadata_keys=_META_KEYS,
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=report.id)},
                )
                out.append(node)
        return out
