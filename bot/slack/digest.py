"""The new-reports digest: with DOSSIER_DIGEST_CHANNEL set, one message per ingest that added,
updated or removed reports, posted to that channel.

    digest = start_digest(client, answerer, settings, channel)   # a daemon thread; digest.stop()

Every ingest that changes something writes a new generation, and the generation records what
changed (index/store/store.py, Writer.put_summaries). The digest looks at the home every few seconds
and, for each generation it has not handled, claims it with a marker file created with O_EXCL
under `<home>/digest/`: whichever process creates the file posts, so a change is posted once
even when the bot restarts or two bot processes share the home. The claim comes before the post
and is kept whatever the post does (a post that failed on the connection may have gone
through; Slack's own errors are logged). A generation whose ingest changed no report is claimed
and nothing is posted. The first time a home is watched, its existing generations are claimed
without posting: the digest tells of ingests from then on.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from bot.slack.blocks import digest_messages
from bot.slack.send import PostFailed, Sender

log = logging.getLogger("dossier.slack.digest")

EVERY = 5.0
DIRNAME = "digest"


class Digest:
    """Posts each new generation's news once. `poll()` is one look; `run()` looks until stopped."""

    def __init__(self, client: WebClient, dossier: Any, home: Path, channel: str, *, every: float = EVERY):
        self.sender = Sender(client)
        self.dossier = dossier
        self.dir = Path(home) / DIRNAME
        self.channel = channel
        self.every = every
        self.stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._baseline()

    def _baseline(self) -> None:
        """The first watch of a home: what is there already is not news. The claims are made in a
        private folder renamed into place under a lock, so another process starting at the same
        moment sees either no digest folder or a complete one, never a partial baseline."""
        import fcntl
        import shutil

        if self.dir.is_dir():
            return
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        with open(self.dir.parent / f"{DIRNAME}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.dir.is_dir():
                return
            tmp = self.dir.with_name(f".{DIRNAME}.{os.getpid()}")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            for gen in self.dossier.generations():
                (tmp / gen.name).write_text("baseline\n")
            os.replace(tmp, self.dir)

    def _claim(self, name: str) -> bool:
        try:
            fd = os.open(self.dir / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        return True

    def poll(self) -> int:
        """Handle every generation not handled yet, oldest first; returns how many were posted."""
        posted = 0
        for gen in self.dossier.generations():
            if (self.dir / gen.name).exists():
                continue
            news = self.dossier.news(gen)
            if not self._claim(gen.name):
                continue                        # another process took it
            messages = digest_messages(news) if news else []
            if not messages:
                continue
            try:
                self.sender.post_messages(self.channel, None, messages, rest_in_thread=True)
                posted += 1
                log.info("digest of %s posted to %s", gen.name, self.channel)
            except PostFailed:
                pass                            # logged by the sender; never re-posted
        return posted

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.poll()
            except Exception:  # the digest must not stop the bot: the next look tries again
                log.exception("digest: reading the index failed")
            self.stopped.wait(self.every)

    def start(self) -> "Digest":
        self._thread = threading.Thread(target=self.run, name="dossier-digest", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_digest(client: WebClient, answerer: Any, settings: Any, channel: str | None, *,
                 every: float = EVERY) -> Digest | None:
    """What start-up calls: the digest running in a daemon thread, or None without a channel."""
    if not channel:
        return None
    log.info("posting a digest of each ingest to %s", channel)
    return Digest(client, answerer.dossier, Path(settings.home), channel, every=every).start()
