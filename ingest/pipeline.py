"""The ingest job: walk, parse, merge, find what changed, embed it, hand it to the store.

Built on llama-index: each report is a `Document` (id = report id) whose content hash, in
a persisted docstore, says whether it changed; an `IngestionPipeline` (`PassageSplitter`)
turns the passages of reports that changed into nodes with their vectors, batch by batch
so memory stays flat. A file is read again when its content changed or when other readers
read it (READERS_VERSION, ingest/read.py: an upgrade takes effect on the next ingest).
Encoding is nearly all of an ingest's time, so the rest hides behind it: the encoder loads in
a thread while the files are parsed, and a thread encodes the reports likely to have changed
(ingest/encode_ahead.py) from then on, while this one imports llama-index, diffs the docstore
and writes. Everything is written through the store's `Writer` (index/store/store.py):
passages with their vectors, reports, files; it builds the lexical index and makes the new
generation current. Nothing here writes SQL or files of the index.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from index.store import store as st
from index.config import Settings
from index.text.urls import shown_url
from index.errors import ReportReadError
from index.store.store import FileRecord
from ingest.chunk import chunk_report
from ingest.encode_ahead import EncodeAhead
from index.answer.context import embedded_texts
from ingest.merge import merge_reports
from ingest.model import Passage, Report
from ingest.read import READERS_VERSION, read_report_file
from ingest.report import parse_text
from ingest.walk import FileHashes, walk

BATCH_REPORTS = 32       # reports written at a time
GROUP_REPORTS = 2048     # a first ingest merges, chunks and embeds this many reports at a time (_first_ingest)
REREAD_SLICE = 2048      # files re-read for their readers version alone in one pass: a pass is an edit of
                         # that many files, so a big home's first ingest after an upgrade never holds
                         # every report at once (ingest(); docs/ingest.md)
BATCH_COMPARED = 512     # reports whose passages are compared with the stored rows at a time (_passages_redone)
FEW_NOTES = 0.05         # a file whose markers find no note more often than this is named (a likely reader failure)
OVERLAP = True           # encode ahead in a thread while this one writes (False: one after the other)
Progress = Callable[[str, int, int], None]        # (stage, done, total)
Notice = Callable[[str], None]                    # one line for the user (default: stderr)


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
    few_notes: list[dict] = field(default_factory=list)     # files parsed now whose markers often found no note
    different_copies: list[dict] = field(default_factory=list)  # other texts merged as copies (ingest.merge)
    files_read: int = 0           # files parsed in this run (the others' records were reused)
    reread: int = 0               # files re-read because other readers read them (READERS_VERSION)
    passes: int = 1               # generations written in turn, REREAD_SLICE such files each
    pending: int = 0              # (one pass) files of another version left for the next pass

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": self.unchanged, "passages_embedded": self.passages_embedded,
                "failed": self.failed, "seconds": round(self.seconds, 3), "reports": self.reports,
                "skipped": self.skipped, "generation": self.generation, "few_notes": self.few_notes,
                "different_copies": self.different_copies, "files_read": self.files_read, "reread": self.reread,
                "passes": self.passes}

    def then(self, later: "IngestSummary") -> "IngestSummary":
        """This pass's summary followed by the next pass's: one summary of both."""
        later.added += self.added
        later.updated += self.updated
        later.removed += self.removed
        later.passages_embedded += self.passages_embedded
        later.files_read += self.files_read
        later.reread = self.reread
        later.passes = self.passes + 1
        later.unchanged = max(0, later.reports - later.added - later.updated)
        failed: list[dict] = []
        for f in self.failed + later.failed:        # the walk's failures come again in every pass
            if f not in failed:
                failed.append(f)
        later.failed = failed
        later.few_notes = self.few_notes + later.few_notes
        later.different_copies = self.different_copies + [d for d in later.different_copies
                                                          if d not in self.different_copies]
        return later


def _covered(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    for r in roots:
        if p == r or (r.is_dir() and r in p.parents) or (not r.exists() and (p == r or r in p.parents)):
            return True
    return False


def ingest(paths: list[Path], settings: Settings, *, embedder: Any = None, progress: Progress | None = None,
           rebuild: bool = False, wait: float = 0.0, follow_symlinks: bool = False,
           notice: Notice | None = None, reread_slice: int = REREAD_SLICE) -> IngestSummary:
    """Bring the index in step with `paths`. `embedder` is a loaded SentenceTransformer
    (tests and the bench share one); None loads the configured model when needed. Links that
    lead outside `paths` are skipped unless `follow_symlinks` (ingest/walk.py). `notice` gets
    the lines a user should read before the run ends (files re-read because the readers
    changed: `readers_changed`); default: printed on stderr.

    Files whose content did not change but which other readers read are re-read at most
    `reread_slice` a pass: each pass writes a generation, like an edit of that many files, and
    the next pass takes the next ones, until none is left (files changed or new are read in
    the first pass, as ever)."""
    t0 = time.monotonic()
    progress = progress or (lambda stage, done, total: None)
    notice = notice or _to_stderr
    tried: set[str] = set()
    with st.ingest_lock(settings.home, wait=wait):
        summary: IngestSummary | None = None
        while True:
            gen = None if rebuild else st.current_generation(settings.home)
            base = st.Base.read(settings, gen) if gen is not None else None
            one = _update(paths, settings, base, embedder, progress, rebuild, follow_symlinks,
                          notice if summary is None else (lambda line: None), (tried, reread_slice))
            summary = one if summary is None else summary.then(one)
            if not one.pending:
                break
            rebuild = False
    summary.seconds = time.monotonic() - t0
    return summary


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def readers_changed(files: int) -> str:
    """The line that says why an ingest re-reads files whose content did not change."""
    return f"readers changed since this index was built: re-reading {files} file{'s' if files != 1 else ''}"


def moving_to_server(settings: Settings, reports: int) -> str:
    """The line that says why an ingest uploads an index whose files did not change."""
    return (f"this index was built without a Chroma server: moving it onto {shown_url(settings.chroma_url or '')}, "
            f"uploading the vectors of its {reports:,} report{'s' if reports != 1 else ''} (nothing is encoded again)")


def _update(paths: list[Path], settings: Settings, base: st.Base | None, embedder: Any, progress: Progress,
            rebuild: bool, follow_symlinks: bool, notice: Notice = _to_stderr,
            reread: tuple[set[str], int] | None = None) -> IngestSummary:
    summary = IngestSummary()
    old_files = base.files if base is not None else {}
    if base is not None and st.moves_to_server(base.meta, settings):
        notice(moving_to_server(settings, base.reports))
    loader = _EncoderLoad(settings, embedder)
    hashes = FileHashes(base.stats if base is not None else {})
    try:
        files = _read_files(paths, old_files, summary, progress, on_change=loader.start,
                            follow_symlinks=follow_symlinks, hashes=hashes, notice=notice, reread=reread)
        return _finish(settings, base, files, summary, loader, progress, rebuild, hashes)
    finally:
        loader.close()


def _finish(settings: Settings, base: st.Base | None, files: dict[str, FileRecord], summary: IngestSummary,
            loader: "_EncoderLoad", progress: Progress, rebuild: bool, hashes: FileHashes | None = None
            ) -> IngestSummary:
    old_files = base.files if base is not None else {}
    summary.skipped += [s for f in files.values() for s in f.skipped]     # after the links walk skipped
    files_changed = ({k: (f.sha256, f.readers) for k, f in files.items()}
                     != {k: (f.sha256, f.readers) for k, f in old_files.items()})
    if base is not None and not files_changed and not st.moves_to_server(base.meta, settings):
        # every file as it was: nothing to parse, merge or embed, and no llama-index import
        # (2 s of the re-ingest: `dossier bench` measured the unchanged run at 0.030 of full)
        summary.unchanged = summary.reports = base.reports
        summary.generation = base.gen.name
        return summary
    if base is None:                              # a first ingest, or a rebuild: group by group
        _first_ingest(settings, files, summary, loader, progress, rebuild, hashes)
        return summary
    touched = None if rebuild else _touched(base, files, old_files)
    if touched is not None and base is not None and base.incremental:
        reports = _merge_touched(base, files, touched, summary.different_copies)   # what can differ from the base
    else:
        if base is not None:
            files = base.with_reports(files)
        reports = merge_reports([Report.from_dict(d) for f in files.values() for d in f.report_dicts()],
                                summary.different_copies)
    reports.sort(key=lambda r: (r.date or "9999", r.id))
    summary.reports = len(reports)
    _commit(settings, base, files, reports, summary, loader, progress, rebuild=rebuild, files_changed=files_changed,
            touched=touched, hashes=hashes)
    return summary


def _first_ingest(settings: Settings, files: dict[str, FileRecord], summary: IngestSummary,
                  loader: "_EncoderLoad", progress: Progress, rebuild: bool, hashes: FileHashes | None) -> None:
    """Write a generation from nothing, GROUP_REPORTS reports at a time in the usual order:
    each group merged from its reports' copies, chunked, embedded, written, then released, so
    the ingest's peak does not grow with the corpus's reports (one ingest held them all: about
    110 MiB per 1,000 reports; docs/scale.md). What stays is the files' records and, embedded,
    Chroma's index."""
    order, where = _report_index(files)
    summary.reports = len(order)
    if not order:                                 # nothing readable on a fresh home: write nothing
        return
    docstore = st.open_docstore(None)
    dim = None
    with st.Writer(settings, None, rebuild=rebuild) as writer:
        for a in range(0, len(order), GROUP_REPORTS):
            group = order[a:a + GROUP_REPORTS]
            reports = _merge_group(files, where, group, summary.different_copies)
            passages = {r.id: chunk_report(r) for r in reports}
            texts = {r.id: embedded_texts(r, passages[r.id]) for r in reports}
            counts = [len(passages[r.id]) for r in reports]
            ahead = EncodeAhead(lambda counts=counts: loader.get(counts), [(r.id, texts[r.id]) for r in reports],
                                threaded=OVERLAP)
            try:
                changed, _gone = _diff(_documents(reports), docstore, summary, scope=set(group))
                if dim is None:
                    from index.encode.embed import model_dimension

                    dim = model_dimension(loader.get(counts))
                    st.check_compatible({}, settings.model_name, dim, settings.home)
                done = summary.passages_embedded         # the count goes on from group to group
                summary.passages_embedded += _embed_changed(
                    changed, passages, texts, docstore, writer, ahead,
                    lambda stage, n, total, done=done: progress(stage, done + n, done + total))
            finally:
                ahead.close()
            writer.put_report_batch(reports)
            del reports, passages, texts, changed
        writer.put_files(files, dim=dim)
        if hashes is not None:
            upsert, _unseen = hashes.changes()
            writer.put_file_stats(upsert, ())
        summary.generation = writer.commit(docstore).name


def _report_index(files: dict[str, FileRecord]) -> tuple[list[str], dict[str, list[str]]]:
    """Every report id the files hold, in the order reports are written (date, then id), and
    the files holding a copy of each."""
    where: dict[str, list[str]] = {}
    dates: dict[str, str] = {}
    for k, f in files.items():
        for d in f.report_dicts():
            where.setdefault(d["id"], []).append(k)
            dates.setdefault(d["id"], d.get("date") or "")
    return sorted(where, key=lambda rid: (dates[rid] or "9999", rid)), where


def _merge_group(files: dict[str, FileRecord], where: dict[str, list[str]], group: list[str],
                 different: list[dict]) -> list[Report]:
    """The reports `group` names, each merged from all its copies, in `group`'s order."""
    ids = set(group)
    paths = list(dict.fromkeys(k for rid in group for k in where[rid]))
    merged = {r.id: r for r in merge_reports([Report.from_dict(d) for k in paths for d in files[k].report_dicts()
                                              if d["id"] in ids], different)}
    return [merged[rid] for rid in group]


def _touched(base: st.Base, files: dict[str, FileRecord], old_files: dict[str, FileRecord]) -> tuple[set[str], set[str]]:
    """The files whose record is not the base's (new, changed, moved or gone) and every report
    they held or hold: the only rows of the new generation that can differ from the base's (a
    report's row is made from its files' copies alone). A touched record in `files` reused
    without its reports gets them from the base."""
    paths = {k for k, f in files.items() if old_files.get(k) != f} | (old_files.keys() - files.keys())
    held = base.file_reports(k for k in paths if k in old_files)
    for k in paths:
        if k in files and files[k].reports_json is None:     # reused unparsed (its root moved): the base's
            files[k] = files[k]._replace(reports_json=held[k])
    ids = {d["id"] for k in paths if k in files for d in files[k].report_dicts()}
    ids |= {d["id"] for text in held.values() for d in json.loads(text)}
    return paths, ids


def _merge_touched(base: st.Base, files: dict[str, FileRecord], touched: tuple[set[str], set[str]],
                   different: list[dict]) -> list[Report]:
    """The reports the touched files hold or held, each merged from all its copies: those in
    touched files, and those in the untouched files its stored row names as sources (an
    untouched file still holds what it held). A report none of them holds any more is absent:
    removed. Every other report of the base is unchanged, and neither read nor merged (at
    10,000 reports merging them all was a quarter of a 1 % edit)."""
    paths, ids = touched
    sources = base.report_sources(ids)
    untouched = {s for rid in ids for s in sources.get(rid, ()) if s in files and s not in paths}
    stored = base.file_reports(untouched)
    texts = [files[k].reports_json for k in sorted(paths) if k in files] + [stored[k] for k in sorted(stored)]
    return merge_reports([Report.from_dict(d) for text in texts if text for d in json.loads(text) if d["id"] in ids],
                         different)


def _read_files(paths: list[Path], old_files: dict[str, FileRecord], summary: IngestSummary,
                progress: Progress, on_change: Callable[[], None] = lambda: None,
                follow_symlinks: bool = False, hashes: FileHashes | None = None,
                notice: Notice = _to_stderr, reread: tuple[set[str], int] | None = None) -> dict[str, FileRecord]:
    """Every file under `paths`, parsed (or reused while its hash is unchanged and these
    readers read it: READERS_VERSION); a file that fails keeps what it had; files outside
    `paths` stay as they were, unless they were found through one of `paths` before (a link
    since removed or now skipped: they go). `on_change` is called before the first file that
    must be parsed (the encoder then loads meanwhile). `hashes` hashes the files (and remembers
    their stats for the next ingest). Files read by other readers are counted and the count
    told (`notice`) before any is read. `reread`: (the files re-read for their version in earlier
    passes, which keep their record now; at most how many such files to read in this pass, the
    others are left `pending`)."""
    hashes = hashes or FileHashes({})
    roots = [Path(p).resolve() if Path(p).exists() else Path(p).absolute() for p in paths]
    found, summary.failed, summary.skipped = walk([Path(p) for p in paths], follow_symlinks=follow_symlinks)
    keys = [str(path.resolve()) for path, _root in found]
    tried, budget = reread if reread is not None else (set(), len(keys))
    summary.reread = sum(1 for k in keys if k in old_files and old_files[k].readers != READERS_VERSION
                         and k not in tried)
    if summary.reread:
        notice(readers_changed(summary.reread))
    files: dict[str, FileRecord] = {}
    real_roots: dict[Path, str] = {}
    progress("parse", 0, len(found))
    for i, ((path, root), key) in enumerate(zip(found, keys)):
        real_root = real_roots.get(root) or real_roots.setdefault(root, str(root.resolve()))
        try:
            old = old_files.get(key)
            sha = hashes.sha256(path, key, old.sha256 if old else None)
            same = old is not None and old.sha256 == sha
            if same and old.readers != READERS_VERSION and (key in tried or budget <= 0):
                summary.pending += key not in tried           # the next pass reads it
                files[key] = old._replace(root=real_root)
            elif same and old.readers == READERS_VERSION:
                files[key] = old._replace(root=real_root)
            else:
                if same:                                      # read for its version alone: this pass's slice
                    budget -= 1
                tried.add(key)
                on_change()
                summary.files_read += 1
                reports, skipped = parse_text(read_report_file(path), key)
                if not reports:
                    raise ReportReadError(path, "no report found (no body text with sentences)")
                summary.few_notes += few_notes(str(path), reports)
                files[key] = FileRecord(real_root, sha, json.dumps([r.to_dict() for r in reports]),
                                        [{"path": key, "title": t, "reason": "teaser without a body"} for t in skipped],
                                        READERS_VERSION)
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
        if key not in files and not _covered(key, roots) and Path(value.root) not in roots:
            files[key] = value
    return files


def few_notes(path: str, reports: list[Report]) -> list[dict]:
    """The file, when more than FEW_NOTES of its footnote markers found no note (missing or
    unplaced; a redacted note was found): [] or one record naming it and its largest report."""
    markers = without = 0
    for r in reports:
        c = r.footnote_counts()
        markers += c["markers"]
        without += c["missing"] + c["unplaced"]
    if not markers or without <= FEW_NOTES * markers:
        return []
    largest = max(reports, key=lambda r: r.footnote_counts()["markers"])
    return [{"path": path, "markers": markers, "without_note": without, "share": round(without / markers, 3),
             "report": largest.id}]


def _documents(reports: list[Report]) -> list[Any]:
    from llama_index.core import Document

    docs = []
    for r in reports:
        doc = Document(id_=r.id, text=r.text, metadata={"report_id": r.id, "title": r.title, "date": r.date})
        doc.excluded_embed_metadata_keys = list(doc.metadata)
        doc.excluded_llm_metadata_keys = list(doc.metadata)
        docs.append(doc)
    return docs


def _diff(docs: list[Any], docstore: Any, summary: IngestSummary, scope: set[str] | None = None
          ) -> tuple[list[Any], set[str]]:
    """The documents whose content hash changed (or that are new), and the report ids gone
    (of `scope` when given: the only ids `docs` can speak for)."""
    old_ids = set(docstore.get_all_document_hashes().values())
    if scope is not None:
        old_ids &= scope
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
    return changed, removed


def _commit(settings: Settings, base: st.Base | None, files: dict[str, FileRecord], reports: list[Report],
            summary: IngestSummary, loader: "_EncoderLoad", progress: Progress, *, rebuild: bool,
            files_changed: bool, touched: tuple[set[str], set[str]] | None = None,
            hashes: FileHashes | None = None) -> None:
    """Embed what changed and write the next generation through the store's writer. The
    reports likely to have changed start encoding before llama-index is even imported."""
    likely = _likely_changed(base, reports, touched)
    passages = {r.id: chunk_report(r) for r in likely}
    texts = {r.id: embedded_texts(r, passages[r.id]) for r in likely}       # passages read with their context
    counts = [len(passages[r.id]) for r in likely]
    ahead = EncodeAhead(lambda: loader.get(counts), [(r.id, texts[r.id]) for r in likely], threaded=OVERLAP)
    try:
        docstore = st.open_docstore(base.gen if base is not None else None)
        partial = touched is not None and base is not None and base.incremental
        changed, removed = _diff(_documents(reports), docstore, summary, scope=touched[1] if partial else None)
        if touched is not None and base is not None:
            redone = _passages_redone(base, reports, changed, touched[1], passages, texts)
            changed += _documents(redone)
            summary.updated += len(redone)
            summary.unchanged -= len(redone)
        if partial:                               # the reports not merged are the base's, unchanged
            summary.reports = base.reports + summary.added - summary.removed
            summary.unchanged = summary.reports - summary.added - summary.updated
        if base is None and not reports:          # nothing readable on a fresh home: write nothing
            return
        if (base is not None and not changed and not removed and not files_changed and not rebuild
                and not st.moves_to_server(base.meta, settings)):
            summary.generation = base.gen.name
            return
        by_id = {r.id: r for r in reports}
        for d in changed:
            if d.id_ not in passages:
                passages[d.id_] = chunk_report(by_id[d.id_])
                texts[d.id_] = embedded_texts(by_id[d.id_], passages[d.id_])
        dim = base.dim if base is not None else None
        if changed:
            from index.encode.embed import model_dimension

            dim = model_dimension(loader.get(counts or [len(passages[d.id_]) for d in changed]))
            st.check_compatible(base.meta if base is not None else {}, settings.model_name, dim, settings.home)

        with st.Writer(settings, base.gen if base is not None else None, rebuild=rebuild) as writer:
            for rid in removed:
                docstore.delete_document(rid, raise_error=False)
            writer.remove_reports(removed)
            if changed:
                summary.passages_embedded = _embed_changed(changed, passages, texts, docstore, writer, ahead,
                                                           progress)
            writer.put_reports(reports, files, dim=dim, touched=touched)
            if hashes is not None:
                upsert, unseen = hashes.changes()
                writer.put_file_stats(upsert, unseen - files.keys())     # files outside this run's paths stay
            summary.generation = writer.commit(docstore).name
    finally:
        ahead.close()


def _passages_redone(base: st.Base, reports: list[Report], changed: list[Any], ids: set[str],
                     passages: dict[str, list[Passage]], texts: dict[str, list[str]]) -> list[Report]:
    """The reports of `ids` (those the touched files hold) that the docstore calls unchanged but
    whose passages, cut now, are not the base's rows: the docstore hashes a report's text, title
    and date only, and new readers (sentences, markers, sections, pages) or a new chunking
    (ingest/chunk.py) change passages without them. Their passages and texts are put in
    `passages` and `texts`, to be embedded and written like those of a changed report. Compared
    BATCH_COMPARED reports at a time: after a change of readers every report is compared, and
    only the passages that differ are kept."""
    done = {d.id_ for d in changed}
    rest = [r for r in reports if r.id in ids and r.id not in done]
    redone: list[Report] = []
    for a in range(0, len(rest), BATCH_COMPARED):
        batch = rest[a:a + BATCH_COMPARED]
        cut = {r.id: passages.get(r.id) or chunk_report(r) for r in batch}
        differ = base.passages_differ(cut)
        for r in batch:
            if r.id in differ:
                redone.append(r)
                passages[r.id] = cut[r.id]
                texts[r.id] = texts.get(r.id) or embedded_texts(r, cut[r.id])
    return redone


def _likely_changed(base: st.Base | None, reports: list[Report],
                    touched: tuple[set[str], set[str]] | None) -> list[Report]:
    """The reports to encode ahead, in order: all of them for a fresh ingest or a rebuild
    (no `touched`); else those the touched files hold whose text, title or date (what the
    docstore's content hash covers) is not the base's. The docstore decides later; a wrong
    guess costs time only."""
    if base is None or touched is None:
        return list(reports)
    ids = touched[1]
    stored = base.report_keys([r.id for r in reports if r.id in ids])
    return [r for r in reports if r.id in ids and stored.get(r.id) != (r.title, r.date, r.text)]


def _model(settings: Settings, embedder: Any, counts: Any) -> Any:
    """The loaded embedding model: the caller's, or the configured one (index/encode/embed.py picks
    the numpy pass or sentence-transformers from how many passages there are)."""
    if embedder is not None:
        return embedder
    from index.encode.embed import ingest_encoder     # looked up now: the fault tests replace it

    return ingest_encoder(settings, counts)


class _EncoderLoad:
    """The ingest encoder, loaded in a thread from the moment a file must be parsed, so the
    model load (seconds: torch, the weights, the ONNX session) hides behind parsing. The
    loader reads the passage counts lazily; they come when the changed reports are chunked.
    Both the encoding thread and the ingest's thread may ask for it."""

    def __init__(self, settings: Settings, embedder: Any):
        self.settings, self.embedder = settings, embedder
        self._lock = threading.Lock()
        self._counts: list[int] | None = None
        self._counts_ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._result: Any = None
        self._error: BaseException | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None and self.embedder is None:
                self._thread = threading.Thread(target=self._load, name="dossier-encoder-load", daemon=True)
                self._thread.start()

    def _counts_when_chunked(self) -> Any:
        self._counts_ready.wait()
        yield from self._counts or []

    def _load(self) -> None:
        try:
            self._result = _model(self.settings, None, self._counts_when_chunked())
        except BaseException as e:  # noqa: BLE001 - re-raised in the ingest's thread by get()
            self._error = e

    def get(self, counts: list[int]) -> Any:
        """The loaded encoder (loading it now if no file started it); `counts`: passages per
        changed report."""
        if self.embedder is not None:
            return _model(self.settings, self.embedder, counts)
        self.start()
        with self._lock:
            if not self._counts_ready.is_set():        # the first caller's counts choose the encoder
                self._counts = counts
                self._counts_ready.set()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result

    def close(self) -> None:
        """Wait for a load nobody needed (a changed file whose reports did not change): an
        interpreter must not exit in the middle of importing torch."""
        if self._thread is not None:
            self._counts_ready.set()
            self._thread.join()


def _embed_changed(changed: list, passages: dict[str, list[Passage]], texts: dict[str, list[str]], docstore: Any,
                   writer: st.Writer, ahead: EncodeAhead, progress: Progress) -> int:
    """Hand the changed reports' passages and their vectors (from `ahead`) to the writer,
    BATCH_REPORTS reports at a time (taking them off `changed` and `passages`), through a llama-index pipeline whose nodes carry them;
    the docstore then records the reports' new content hashes. The encoder keeps working
    ahead while this thread builds nodes and writes to Chroma and SQLite (whose connection
    belongs to this thread)."""
    from llama_index.core.ingestion import IngestionPipeline

    from ingest.passage_splitter import PassageSplitter

    pipeline = IngestionPipeline(transformations=[PassageSplitter.for_passages(passages, ahead.vectors, texts)],
                                 disable_cache=True)   # its node cache grows with the corpus (bench: memory)
    total = sum(len(passages[d.id_]) for d in changed)
    progress("embed", 0, total)
    done = 0
    while changed:
        # what is written leaves memory: the batch's documents (taken off `changed`) and passages
        # (10,000 reports: 265 MB; the peak is at the end of the writes, when Chroma is biggest)
        batch = changed[:BATCH_REPORTS]
        del changed[:BATCH_REPORTS]
        vectors = {n.node_id: n.embedding for n in pipeline.run(documents=batch)}
        batch_passages = [p for d in batch for p in passages.pop(d.id_)]
        writer.put_passages([d.id_ for d in batch], batch_passages, [vectors[p.id] for p in batch_passages])
        _remember(docstore, batch)
        done += len(batch_passages)
        progress("embed", done, total)
    return done


def _remember(docstore: Any, docs: list[Any]) -> None:
    """What llama-index's UPSERTS strategy records for documents it embedded: the new hash,
    the document (without its text) in place of the old one."""
    for d in docs:
        if docstore.get_document_hash(d.id_):
            docstore.delete_ref_doc(d.id_, raise_error=False)
    docstore.set_document_hashes({d.id_: d.hash for d in docs})
    docstore.add_documents(docs, store_text=False)
