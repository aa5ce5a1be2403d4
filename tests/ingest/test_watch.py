"""`dossier ingest --watch`: a file dropped in, edited and removed is ingested once settled; a
file still being written is not ingested half. Real ingests; each look is one step()."""
from __future__ import annotations

import os
import shutil

from index.config import Settings
from index.engine import Dossier
from ingest.watch import Watcher
from tests.conftest import SAMPLES

FILE = "003_dcd5aac377835ac8.txt"


def _titles(settings) -> list[str]:
    d = Dossier.open(settings)
    try:
        return [r["title"] for r in d.reports()]
    finally:
        d.close()


def test_watch_dropped_edited_removed(st_model, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    settings = Settings(home=tmp_path / "home")
    seen: list[dict] = []
    w = Watcher(folder, settings, every=0.05, on_ingest=seen.append, embedder=st_model)
    assert w.step() is None and w.step() is not None          # an empty folder settles: an empty index
    text = (SAMPLES / FILE).read_text(encoding="utf-8")

    target = folder / FILE                                     # a partial write: half the file, then more
    target.write_text(text[: len(text) // 2], encoding="utf-8")
    assert w.step() is None                                    # changed since the last look: wait
    with open(target, "a", encoding="utf-8") as f:
        f.write(text[len(text) // 2:])
    os.utime(target, ns=(1, 1))
    assert w.step() is None                                    # still changing
    summary = w.step()                                         # settled: ingested whole
    assert summary is not None and summary["added"] == 1
    assert _titles(settings) == ["The Kremlin Prepares to Further Integrate Belarus"]
    assert w.step() is None                                    # nothing new: no ingest

    target.write_text(text.replace("Further Integrate Belarus", "Further Integrate Belarus Soon", 1), encoding="utf-8")
    assert w.step() is None
    summary = w.step()
    assert summary is not None and summary["updated"] + summary["added"] >= 1
    assert _titles(settings) == ["The Kremlin Prepares to Further Integrate Belarus Soon"]

    target.unlink()
    w.step()
    summary = w.step()
    assert summary is not None and summary["removed"] == 1 and summary["reports"] == 0
    assert w.ingests == 4 and len(seen) == 4


def test_watch_run_is_bounded_and_says_bad_folder(tmp_path):
    import pytest

    from index.errors import UserInputError

    with pytest.raises(UserInputError, match="not a folder"):
        Watcher(tmp_path / "nope", Settings(home=tmp_path / "h"))
    folder = tmp_path / "empty"
    folder.mkdir()
    shutil.rmtree(folder)
    folder.mkdir()
    w = Watcher(folder, Settings(home=tmp_path / "h2"), every=0.05)
    w.run(max_seconds=0.3)
    assert w.ingests == 1
