"""The ingest job: walk, parse, merge, find what changed, embed it, commit a new generation.

Built on llama-index: each report is a `Document` (id = report id), `PassageSplitter`
turns it into passage `TextNode`s, and an `IngestionPipeline` with a persisted docstore
(UPSERTS) and the Chroma vector store embeds and writes only reports whose content hash
changed; reports that disappeared are deleted from the docstore and the vector store the
way llama-index's UPSERTS_AND_DELETE does, but batch by batch so memory stays flat.
A llama-index `BM25Retriever` over all passages is persisted next to them.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from index import store as st
from index.config import Settings
from index.errors import ReportReadError, StoreMismatch, StoreWriteError
from ingest.chunk import chunk_report
from ingest.merge import merge_reports
from ingest.model import Report
from ingest.read import read_report_file
from ingest.report import parse_text
from ingest.walk import walk

BATCH_REPORTS = 32
Progress = Callable[[str, int, int], None]        # (stage, done, total)


@dataclass
class IngestSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    passages_embedded: int = 0
    failed: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    skipped: list[dict] = field(default_factory=list)       # teasers: segments that are not reports
    reports: int = 0
    generation: str = ""

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": self.unchanged, "passages_embedded": self.passages_embedded,
                "failed": self.failed, "seconds": round(self.seconds, 3), "reports": self.reports,
                "skipped": self.skipped, "generation": self.generation}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _covered(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    for r in roots:
        if p == r or (r.is_dir() and r in p.parents) or (not r.exists() and (p == r or r in p.parents)):
            return True
    return False


def ingest(paths: list[Path], settings: Settings, *, embedder: Any = None, progress: Progress | None = None,
           rebuild: bool = False, wait: float = 0.0) -> IngestSummary:
    """Bring the index in step with `paths`. `embedder` is a loaded SentenceTransformer
    (tests and the bench share one); None loads the configured model when needed."""
    t0 = time.monotonic()
    progress = progress or (lambda stage, done, total: None)
    home = settings.home
    with st.ingest_lock(home, wait=wait):
        base = None if rebuild else st.current_generation(home)
        old_meta: dict[str, str] = {}
        old_files: dict[str, tuple[str, str, list[dict], list[dict]]] = {}
        if base is not None:
            con = st.connect(base)
            old_meta = st.read_meta(con)
            st.check_compatible(old_meta, settings.model_name, None, home)
            for path, root, sha, reports, skipped in con.execute(
                    "SELECT path, root, sha256, reports, skipped FROM files"):
                old_files[path] = (root, sha, json.loads(reports), json.loads(skipped or "[]"))
            con.close()

        summary = IngestSummary()
        roots = [Path(p).resolve() if Path(p).exists() else Path(p).absolute() for p in paths]
        found, summary.failed = walk([Path(p) for p in paths])
        files: dict[str, tuple[str, str, list[dict], list[dict]]] = {}
        progress("parse", 0, len(found))
        for i, (path, root) in enumerate(found):
            key = str(path.resolve())
            try:
                sha = _sha256(path)
                old = old_files.get(key)
                if old and old[1] == sha:
                    files[key] = (str(root.resolve()), sha, old[2], old[3])
                else:
                    reports, skipped = parse_text(read_report_file(path), key)
                    if not reports:
                        raise ReportReadError(path, "no report found (no body text with sentences)")
                    files[key] = (str(root.resolve()), sha, [r.to_dict() for r in reports],
                                  [{"path": key, "title": t, "reason": "teaser without a body"} for t in skipped])
            except ReportReadError as e:
                summary.failed.append({"path": str(path), "error": e.reason})
                if key in old_files:                      # keep what we had: nothing is lost
                    files[key] = old_files[key]
            except OSError as e:
                summary.failed.append({"path": str(path), "error": e.strerror or str(e)})
                if key in old_files:
                    files[key] = old_files[key]
            progress("parse", i + 1, len(found))
        for key, value in old_files.items():            # files outside this run's paths stay
            if key not in files and not _covered(key, roots):
                files[key] = value
        summary.skipped = [s for v in files.values() for s in v[3]]
        files_changed = {k: v[1] for k, v in files.items()} != {k: v[1] for k, v in old_files.items()}
        if base is not None and not rebuild and not files_changed:
            # every file as it was: nothing to parse, merge or embed, and no llama-index import
            # (2 s of the re-ingest: `dossier bench` measured the unchanged run at 0.030 of full)
            con = st.connect(base)
            summary.unchanged = summary.reports = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
            con.close()
            summary.generation = base.name
            summary.seconds = time.monotonic() - t0
            return summary

        reports = merge_reports([Report.from_dict(d) for v in files.values() for d in v[2]])
        reports.sort(key=lambda r: (r.date or "9999", r.id))
        summary.reports = len(reports)
        return _commit(settings, base, old_meta, files, reports, summary, embedder, progress, t0, rebuild,
                       files_changed)


def _documents(reports: list[Report]) -> list[Any]:
    from llama_index.core import Document

    docs = []
    for r in reports:
        doc = Document(id_=r.id, text=r.text, metadata={"report_id": r.id, "title": r.title, "date": r.date})
        doc.excluded_embed_metadata_keys = list(doc.metadata)
        doc.excluded_llm_metadata_keys = list(doc.metadata)
        docs.append(doc)
    return docs


def _commit(settings: Settings, base: Path | None, old_meta: dict[str, str], files: dict, reports: list[Report],
            summary: IngestSummary, embedder: Any, progress: Progress, t0: float, rebuild: bool,
            files_changed: bool) -> IngestSummary:
    from llama_index.core.storage.docstore import SimpleDocumentStore

    home = settings.home
    docs = _documents(reports)
    docstore_path = base / "docstore.json" if base else None
    docstore = (SimpleDocumentStore.from_persist_path(str(docstore_path))
                if docstore_path and docstore_path.exists() else SimpleDocumentStore())
    old_ids = set(docstore.get_all_document_hashes().values())
    changed = []
    for doc in docs:
        old = docstore.get_document_hash(doc.id_)
        if old is None:
            summary.added += 1
            changed.append(doc)
        elif old != doc.hash:
            summary.updated += 1
            changed.append(doc)
        else:
            summary.unchanged += 1
    removed = old_ids - {d.id_ for d in docs}
    summary.removed = len(removed)
    if base is None and not reports:          # nothing readable on a fresh home: write nothing
        summary.seconds = time.monotonic() - t0
        return summary
    if base is not None and not changed and not removed and not files_changed and not rebuild:
        summary.generation = base.name
        summary.seconds = time.monotonic() - t0
        return summary

    model = None
    dim = int(old_meta["dim"]) if old_meta.get("dim") else None
    if changed:
        from index.embed import ingest_encoder, make_embedding, model_dimension

        if embedder is not None:
            model = getattr(embedder, "st_model", embedder)
        else:
            by_id = {r.id: r for r in reports}
            model = ingest_encoder(settings, (len(chunk_report(by_id[d.id_])) for d in changed))
        dim = model_dimension(model)
        st.check_compatible(old_meta, settings.model_name, dim, home)

    gen = st.new_generation(home, base)
    try:
        con = st.connect(gen)
        client = st.chroma_client(settings, gen)
        if rebuild and settings.chroma_url:
            try:
                client.delete_collection(st.collection_name(settings))
            except Exception:  # noqa: BLE001 - absent collection
                pass
        collection = client.get_or_create_collection(st.collection_name(settings), embedding_function=None,
                                                      metadata={"hnsw:space": "cosine"})
        from llama_index.vector_stores.chroma import ChromaVectorStore

        vector_store = ChromaVectorStore(chroma_collection=collection)
        for rid in removed:
            docstore.delete_document(rid, raise_error=False)
            vector_store.delete(rid)
            con.execute("DELETE FROM passages WHERE report_id = ?", (rid,))
        pending: list = []
        if changed:
            summary.passages_embedded = _embed_changed(changed, reports, docstore, vector_store, con,
                                                       make_embedding(model), progress, pending)
        _write_records(con, reports, files, settings, dim)
        con.commit()
        if not settings.chroma_url:
            _write_mirror(con, gen, pending[0] if pending else ([], []))
        _build_bm25(con, gen)
        docstore.persist(str(gen / "docstore.json"))
        con.close()
        st.close_client(client)
        del client, collection, vector_store
        final = st.finish_generation(home, gen)
    except (OSError, sqlite3.Error) as e:
        _discard(gen)
        raise StoreWriteError(f"writing the index under {home} failed: {st.os_reason(e)}; "
                              "the previous index is unchanged") from None
    except Exception as e:  # noqa: BLE001 - Chroma's own errors (e.g. a full disk inside its Rust core)
        if isinstance(e, (StoreMismatch, StoreWriteError)) or type(e).__module__.split(".")[0] not in ("chromadb",):
            _discard(gen)
            raise
        _discard(gen)
        raise StoreWriteError(f"writing the index under {home} failed: {st.os_reason(e)}; "
                              "the previous index is unchanged") from None
    summary.generation = final.name
    summary.seconds = time.monotonic() - t0
    return summary


def _discard(gen: Path) -> None:
    import shutil

    shutil.rmtree(gen, ignore_errors=True)


def _embed_changed(changed: list, reports: list[Report], docstore: Any, vector_store: Any, con: Any,
                   embedding: Any, progress: Progress, mirror_pending: list) -> int:
    from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline

    from ingest.passage_splitter import PassageSplitter

    by_id = {r.id: r for r in reports}
    splitter = PassageSplitter.for_reports(by_id)
    pipeline = IngestionPipeline(transformations=[splitter, embedding], docstore=docstore,
                                 vector_store=vector_store, docstore_strategy=DocstoreStrategy.UPSERTS,
                                 disable_cache=True)   # its node cache grows with the corpus (bench: memory)
    total_passages = sum(len(chunk_report(by_id[d.id_])) for d in changed)
    done = 0
    new_vectors: list[Any] = []
    new_ids: list[str] = []
    embedding.set_progress(lambda n: None)
    progress("embed", 0, total_passages)
    for i in range(0, len(changed), BATCH_REPORTS):
        batch = changed[i:i + BATCH_REPORTS]
        nodes = pipeline.run(documents=batch, store_doc_text=False)
        ids = [d.id_ for d in batch]
        con.executemany("DELETE FROM passages WHERE report_id = ?", [(x,) for x in ids])
        con.executemany(
            'INSERT INTO passages (id, report_id, kind, start, "end", text, markers, ordinal) VALUES (?,?,?,?,?,?,?,?)',
            [(n.node_id, n.metadata["report_id"], n.metadata["kind"], n.metadata["start"], n.metadata["end"],
              n.text, json.dumps(n.metadata["markers"].split(",") if n.metadata["markers"] else []),
              n.metadata["ordinal"]) for n in nodes])
        import numpy as np

        new_ids.extend(n.node_id for n in nodes)
        new_vectors.append(np.asarray([n.embedding for n in nodes], dtype=np.float32))
        done += len(nodes)
        progress("embed", done, total_passages)
    mirror_pending.append((new_ids, new_vectors))
    return done


def _write_records(con: Any, reports: list[Report], files: dict, settings: Settings, dim: int | None) -> None:
    con.execute("DELETE FROM reports")
    con.execute("DELETE FROM notes")
    counts = dict(con.execute("SELECT report_id, COUNT(*) FROM passages GROUP BY report_id").fetchall())
    for r in reports:
        con.execute("INSERT INTO reports VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (r.id, r.title, r.date, r.time, json.dumps(r.authors), r.publisher, json.dumps(r.sources),
                     counts.get(r.id, 0), json.dumps(r.footnote_counts()), r.text, r.body_end,
                     json.dumps([[x.start, x.end, x.markers] for x in r.sentences])))
        con.executemany("INSERT INTO notes VALUES (?,?,?)",
                        [(r.id, m, json.dumps(n.to_dict())) for m, n in r.notes.items()])
    con.execute("DELETE FROM files")
    con.executemany("INSERT INTO files VALUES (?,?,?,?,?)",
                    [(k, v[0], v[1], json.dumps(v[2]), json.dumps(v[3])) for k, v in files.items()])
    meta = {"schema_version": str(st.SCHEMA_VERSION), "model": settings.model_name,
            "chroma_url": settings.chroma_url or "", "last_ingest": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if dim:
        meta["dim"] = str(dim)
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(meta.items()))


def _write_mirror(con: Any, gen: Path, new: tuple[list[str], list[Any]]) -> None:
    """Every passage vector, also as one float32 matrix (vectors.npy + vector_ids.json), for
    the exact, import-light dense search of the cold query path (see index/vectors.py).
    Old rows are kept for passages that still exist and were not re-embedded."""
    import numpy as np

    from index.vectors import load_mirror, save_mirror

    live = {r[0] for r in con.execute("SELECT id FROM passages")}
    new_ids, new_blocks = new
    fresh = set(new_ids)
    ids: list[str] = []
    blocks: list[Any] = []
    old = load_mirror(gen)
    if old is not None:
        old_ids, old_vecs = old
        keep = [i for i, pid in enumerate(old_ids) if pid in live and pid not in fresh]
        ids += [old_ids[i] for i in keep]
        blocks.append(np.asarray(old_vecs[keep], dtype=np.float32))
        del old_vecs
    ids += new_ids
    blocks += new_blocks
    dim = next((b.shape[1] for b in blocks if b.ndim == 2 and b.shape[0]), 0)
    matrix = np.concatenate([b for b in blocks if b.ndim == 2 and b.shape[0]]) if dim else np.zeros((0, 0), np.float32)
    save_mirror(gen, ids, matrix)


def _build_bm25(con: Any, gen: Path) -> None:
    """The lexical index: llama-index's BM25Retriever over every passage, persisted."""
    import shutil

    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    rows = con.execute("SELECT id, text FROM passages ORDER BY id").fetchall()
    target = gen / "bm25"
    shutil.rmtree(target, ignore_errors=True)
    if not rows:
        return
    nodes = [TextNode(id_=pid, text=text) for pid, text in rows]
    retriever = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(50, len(nodes)))
    target.mkdir()
    retriever.bm25.save(str(target), corpus=None, show_progress=False)   # = retriever.persist, minus the
    (target / "retriever.json").write_text(json.dumps(retriever.get_persist_args()))  # corpus copy and its progress bar
    (target / "ids.json").write_text(json.dumps([pid for pid, _ in rows]))
