"""FileHashes: a file is not read again while its stat is what it was when it was hashed."""
from __future__ import annotations

import hashlib
import os

from ingest.walk import RACY_NS, FileHashes


def _known(path, sha: str, checked_ns: int) -> dict[str, tuple]:
    st = os.stat(path)
    return {str(path): (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, checked_ns, sha)}


def test_a_file_whose_stat_is_unchanged_is_not_read_again(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one")
    later = os.stat(f).st_ctime_ns + RACY_NS + 1
    # the recorded hash is returned as is: the file is not read (it would give the real digest)
    hashes = FileHashes(_known(f, "recorded", later))
    assert hashes.sha256(f, str(f), "recorded") == "recorded"
    assert hashes.changes() == ({}, set())


def test_a_changed_racy_or_mismatched_file_is_hashed(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one")
    real = hashlib.sha256(b"one").hexdigest()
    st = os.stat(f)
    # hashed less than RACY_NS after its last change: a second write in the same clock tick could hide
    racy = FileHashes(_known(f, "recorded", max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS - 1))
    assert racy.sha256(f, str(f), "recorded") == real
    # the record kept is not the one hashed (a parse that failed kept the older record)
    kept = FileHashes(_known(f, "recorded", st.st_ctime_ns + RACY_NS + 1))
    assert kept.sha256(f, str(f), "older") == real
    # a new content: size and times differ
    hashes = FileHashes(_known(f, "recorded", st.st_ctime_ns + RACY_NS + 1))
    f.write_text("two!")
    assert hashes.sha256(f, str(f), "recorded") == hashlib.sha256(b"two!").hexdigest()
    upsert, gone = hashes.changes()
    assert list(upsert) == [str(f)] and upsert[str(f)][0] == 4 and gone == set()
    # a file not seen this time is forgotten
    assert FileHashes(_known(f, "x", 0)).changes() == ({}, {str(f)})


def test_an_ingest_records_stats_and_a_touched_file_with_the_same_content_changes_nothing(tmp_path):
    import shutil

    from eval.bench.standin import StandInEncoder
    from index.config import Settings
    from index.store.store import Base, current_generation
    from ingest.pipeline import ingest
    from tests.conftest import SAMPLES

    corpus = tmp_path / "reports"
    shutil.copytree(SAMPLES, corpus)
    settings = Settings(home=tmp_path / "home")
    ingest([corpus], settings, embedder=StandInEncoder())
    base = Base.read(settings, current_generation(settings.home))
    assert set(base.stats) == set(base.files) and all(v[5] == base.files[k].sha256 for k, v in base.stats.items())
    f = next(iter(sorted(corpus.iterdir())))
    os.utime(f)                                        # a new mtime, the same bytes
    again = ingest([corpus], settings, embedder=StandInEncoder())
    assert (again.passages_embedded, again.updated, again.generation) == (0, 0, base.gen.name)
