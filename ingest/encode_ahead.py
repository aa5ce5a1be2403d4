"""Encoding ahead: the passages an ingest is about to write, encoded in order by a thread
that starts as soon as the files are parsed.

The encoder is nearly all of an ingest's time and keeps both cores busy, so it should start
early and never wait. It used to start only after llama-index and chromadb were imported
and the docstore diffed (about 2 s after the files were parsed, at 250 reports), and to stop
while each batch's nodes were built. Now a thread encodes the reports *likely* to have changed (every
report of a fresh ingest; on an update, those the touched files hold whose text, title or
date differ from the base's: what the docstore's content hash covers) while the ingest's
thread imports, diffs and writes. The docstore still decides: the ingest asks for each
changed report's vectors in order; a report encoded ahead is handed over, one that was not
is encoded then, and one encoded but not asked for is dropped. At most AHEAD chunks of CHUNK
passages wait, so memory stays flat whatever the corpus.
"""
from __future__ import annotations

import queue
import threading
from collections import deque
from typing import Any, Callable, Sequence

import numpy as np

# Passages per encode() call (whole reports). The encoder sorts a call's texts by length and
# pads each batch to its longest, and each call ends with one batch running alone, so bigger
# calls encode faster: the ONNX encoder alone on 6,000 bench passages, 512 at a time 191-195/s,
# 1,024: 193-202/s, 2,048: 197-203/s, all at once 200-207/s (load 1.9). But a call is not
# interrupted: Ctrl-C waits for it to end (at most about 5 s at 1,024; measured 0.6-2.2 s on a
# 1,000-report ingest, exit 130, no generation left). Calls shrink towards the end
# (at most half of what is left, at least MIN_CHUNK), so little writing is left once the last
# vectors are out.
CHUNK = 1024
MIN_CHUNK = 256
AHEAD = 2        # calls encoded ahead of the reader

_END = object()


def encode(model: Any, texts: Sequence[str]) -> np.ndarray:
    """Normalised float32 rows for `texts` from a model with SentenceTransformer's encode()."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.asarray(model.encode(list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                                   show_progress_bar=False), dtype=np.float32)


class EncodeAhead:
    """Vectors for reports' passages, computed ahead in the order they will be asked for.

        ahead = EncodeAhead(load_model, [(report_id, passage_texts), ...])
        try:
            rows = ahead.vectors(report_id, passage_texts)     # in the same order
        finally:
            ahead.close()

    `load` returns the encoder (it may block while the model loads, and is called from the
    thread); `threaded=False` encodes each report when it is asked for (same vectors, no
    thread). An error in the thread is raised by the next `vectors()`."""

    def __init__(self, load: Callable[[], Any], reports: Sequence[tuple[str, Sequence[str]]], *,
                 threaded: bool = True) -> None:
        self._load = load
        self._position = {rid: i for i, (rid, _) in enumerate(reports)}
        self._next = 0                        # reports before this position were handed over or dropped
        self._ready: deque[tuple[str, np.ndarray]] = deque()
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._done = False
        self._thread: threading.Thread | None = None
        if threaded and reports:
            self._thread = threading.Thread(target=self._work, args=(list(reports), CHUNK), name="dossier-encode",
                                            daemon=True)
            self._thread.start()

    def vectors(self, rid: str, texts: Sequence[str]) -> np.ndarray:
        """The rows of report `rid`'s passages `texts`: encoded ahead, or now."""
        pos = self._position.get(rid)
        if self._thread is not None and pos is not None and pos >= self._next and not self._done:
            while True:
                if not self._ready and not self._take():
                    break
                got, rows = self._ready.popleft()
                self._next = self._position[got] + 1
                if got == rid:
                    return rows
        return encode(self._load(), texts)

    def _take(self) -> bool:
        item = self._queue.get()
        if item is _END:
            self._done = True
            return False
        if isinstance(item, BaseException):
            self._done = True
            raise item
        self._ready.extend(item)
        return True

    def _work(self, reports: list[tuple[str, Sequence[str]]], chunk: int) -> None:
        try:
            model = self._load()
            left = sum(len(texts) for _, texts in reports)
            group: list[tuple[str, Sequence[str]]] = []
            size = 0
            for i, (rid, texts) in enumerate(reports):
                reports[i] = ("", ())             # handed on: the texts leave memory once written
                group.append((rid, texts))
                size += len(texts)
                if size >= max(min(chunk, left // 2), min(MIN_CHUNK, chunk)) or i == len(reports) - 1:
                    left -= size
                    rows = encode(model, [t for _, ts in group for t in ts])
                    out, a = [], 0
                    for gid, ts in group:
                        out.append((gid, rows[a:a + len(ts)]))
                        a += len(ts)
                    if not self._put(out):
                        return
                    group, size = [], 0
            self._put(_END)
        except BaseException as e:  # noqa: BLE001 - handed to the reader
            self._put(e)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        """Stop the thread (a reader that stopped early, or an error) and wait for it."""
        self._stop.set()
        if self._thread is None:
            return
        while self._thread.is_alive():        # unblock a put() and let the thread see the stop
            try:
                self._queue.get(timeout=0.1)
            except queue.Empty:
                pass
        self._thread.join()
