"""eval/bench/stages.py: an ingest profiled stage by stage names the stages an edit goes
through, with their spans and the memory they held, and a missing path is one line."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

from eval.bench import stages
from tests.conftest import SAMPLES


def test_an_edit_is_profiled_by_stage(tmp_path):
    from eval.bench.standin import StandInEncoder
    from index.config import Settings
    from ingest.pipeline import ingest

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    settings, enc = Settings(home=tmp_path / "home"), StandInEncoder()
    ingest([corpus], settings, embedder=enc)
    f = corpus / "003_dcd5aac377835ac8.txt"
    f.write_text(f.read_text().replace("no significant protests", "large protests"))
    prof = stages.profile(lambda: ingest([corpus], settings, embedder=enc), every=0.005)
    assert prof.result.updated == 1
    names = " ".join(prof.stages)
    assert any(m in names for m in ("pipeline.", "store.", "generations.", "lexical.")), names   # short stages may fall between samples
    assert prof.peak_mib == max(s.peak_mib for s in prof.stages.values()) > 50
    assert all(s.last >= s.first and s.samples >= 1 for s in prof.stages.values())
    assert sum(s.samples for s in prof.stages.values()) == len(prof.timeline)
    assert prof.top(3)[0].last - prof.top(3)[0].first >= prof.top(3)[-1].last - prof.top(3)[-1].first


def _inner() -> None:
    time.sleep(0.3)


def _outer() -> int:
    _inner()
    return 7


def test_a_stage_is_the_innermost_own_function_and_its_caller_with_its_span():
    prof = stages.profile(_outer, every=0.01)
    assert prof.result == 7
    st = prof.stages["test_stages._inner < test_stages._outer"]
    assert st.samples >= 10 and 0.2 <= st.last - st.first <= prof.seconds
    assert prof.top(1)[0] is st


def test_a_missing_path_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "eval.bench.stages", str(tmp_path / "home"), str(tmp_path / "nope")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0 and "nope" in proc.stderr
    assert "Traceback" not in proc.stderr
