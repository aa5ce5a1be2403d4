"""`dossier ingest --watch DIR [--every SECONDS]`: keep the index in step with a folder (a shared
drive, a sync target) by polling it.

Polling needs no dependency and works on network file systems where change notifications do
not. Each look lists the report files under DIR with their size and modification time. A file
whose size or mtime changed since the last look is still being written (a copy, a sync in
progress): it waits until two looks agree, so a half-written file is never ingested. When the
settled listing differs from the one last ingested (a file appeared, changed or vanished), DIR
is ingested again; ingest itself skips unchanged files by hash and removes the reports of
vanished ones. A failed ingest (the index busy, a disk error) is retried at the next look.

    Watcher(Path("reports"), settings, every=10, on_ingest=print).run()   # until Ctrl-C
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

from index.config import Settings
from index.errors import DossierError, UserInputError
from ingest.walk import walk

log = logging.getLogger("dossier.watch")

Listing = dict[str, tuple[int, int]]


def listing(root: Path, *, follow_symlinks: bool = False) -> Listing:
    """path -> (size, mtime_ns) of every report file ingest would read under root (the same walk:
    hidden files skipped, links outside root not followed); a link ingest would skip is listed
    as (-1, -1), so planting one makes the next ingest say it skipped it."""
    found, _failed, skipped = walk([root], follow_symlinks=follow_symlinks)
    out: Listing = {sk["path"]: (-1, -1) for sk in skipped}
    for path, _root in found:
        try:
            st = os.stat(path)
        except OSError:
            continue                        # vanished between listing and stat
        out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


class Watcher:
    def __init__(self, root: Path, settings: Settings, *, every: float = 10.0,
                 on_ingest: Callable[[dict], None] | None = None, embedder: Any = None,
                 ingest: Callable[..., Any] | None = None, follow_symlinks: bool = False):
        if not root.is_dir():
            raise UserInputError(f"--watch {root}: not a folder")
        if not 0.05 <= every <= 86_400:
            raise UserInputError("--every must be between 0.05 and 86400 seconds")
        self.root, self.settings, self.every = root, settings, every
        self.on_ingest = on_ingest
        self.follow_symlinks = follow_symlinks
        self.embedder = embedder
        self._ingest = ingest
        self._seen: Listing | None = None       # the previous look
        self._done: Listing | None = None       # what the last successful ingest saw
        self.stop = threading.Event()
        self.ingests = 0

    def step(self) -> dict | None:
        """One look; ingests when the folder settled into something new. Returns the summary."""
        now = listing(self.root, follow_symlinks=self.follow_symlinks)
        settled = now == self._seen
        self._seen = now
        if not settled or now == self._done:
            return None
        try:
            summary = self._run_ingest()
        except DossierError as e:              # busy index, disk trouble: said, retried next look
            log.warning("ingest of %s failed, retrying: %s", self.root, e)
            return None
        self._done = now
        self.ingests += 1
        if self.on_ingest is not None:
            self.on_ingest(summary)
        return summary

    def _run_ingest(self) -> dict:
        if self._ingest is None:
            from ingest.pipeline import ingest

            self._ingest = ingest
        return self._ingest([self.root], self.settings, embedder=self.embedder, wait=max(1.0, self.every),
                            follow_symlinks=self.follow_symlinks).to_dict()

    def run(self, max_seconds: float | None = None) -> None:
        """Look every `every` seconds until stop is set (or max_seconds pass)."""
        end = time.monotonic() + max_seconds if max_seconds is not None else None
        while not self.stop.is_set():
            self.step()
            if end is not None and time.monotonic() >= end:
                return
            self.stop.wait(self.every)
