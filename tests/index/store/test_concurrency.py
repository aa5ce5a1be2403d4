"""Serving never stops: questions keep being answered while another process ingests into
the same home, and a second ingest at the same time refuses cleanly.

The design under test: every ingest writes a new generation and switches `CURRENT`
atomically; readers only open the generation `CURRENT` names and follow it.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.index.store.test_faults import vector_ids as chroma_ids

pytestmark = pytest.mark.slow

QUESTION = "Which Russian unit trained with Belarusian forces in September 2020?"
NEW_REPORT = ("Saturday, October 3, 2020\n\nBelarus Warning Update: Convoy near Grodno\n\n"
              "October 3, 2020, 5:00 pm EDT\n\nBy Test Author\n\n"
              "A convoy of Russian trucks drove through Grodno toward the Polish border on October 2.[1] "
              "Belarusian officials did not comment on the convoy. Residents filmed at least forty trucks on the "
              "M6 highway. The Kremlin will likely present the movement as a routine logistics exercise.[2]\n\n"
              "[1] https://example.org/grodno-convoy\n[2] https://example.org/kremlin-logistics\n")
STALL = 1.0       # seconds; on a loaded machine a third of the ingest's time (a blocked reader waits all of it)


def env_for(home: Path) -> dict:
    return dict(os.environ, DOSSIER_HOME=str(home))


def current_gen(home: Path) -> Path:
    return home / "generations" / (home / "CURRENT").read_text().strip()


def passage_ids(gen: Path) -> set[str]:
    con = sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT id FROM passages")}
    finally:
        con.close()


class Asker(threading.Thread):
    """A Dossier answering the same question over and over, as the bot would."""

    def __init__(self, dossier):
        super().__init__(daemon=True)
        self.d = dossier
        self.stop = threading.Event()
        self.calls: list[tuple[float, float, str]] = []     # (start, seconds, generation)
        self.errors: list[str] = []
        self.answers: set[tuple[str, ...]] = set()

    def run(self) -> None:
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                result = self.d.ask(QUESTION)
                self.answers.add(tuple(a["text"] for a in result["answer"]))
            except Exception as e:  # noqa: BLE001 - every failure is a finding
                self.errors.append(f"{type(e).__name__}: {e}")
            self.calls.append((t0, time.monotonic() - t0, self.d._gen.name if self.d._gen else ""))
            time.sleep(0.02)


def test_answers_keep_coming_while_another_process_ingests(tmp_path, sample_settings):
    from index.config import Settings
    from index.engine import Dossier

    home = tmp_path / "home"
    shutil.copytree(sample_settings.home, home, ignore=shutil.ignore_patterns("ingest.lock"))
    new = tmp_path / "new"
    new.mkdir()
    (new / "grodno.txt").write_text(NEW_REPORT)
    old_gen = current_gen(home)

    d = Dossier.open(Settings(home=home))                     # the bot's path: Chroma
    d.ask(QUESTION)                                           # warm, as a running bot is
    asker = Asker(d)
    asker.start()
    time.sleep(1.0)
    ingest = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", "--json", str(new)], cwd=ROOT,
                              env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t_ingest = time.monotonic()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and ingest.poll() is None:
        try:
            if (home / "ingest.lock").read_text().strip() == str(ingest.pid):
                break
        except OSError:
            pass
        time.sleep(0.05)
    assert ingest.poll() is None, "the first ingest ended before the test could race it"

    # a second ingest while the first holds the lock: refuses at once, touches nothing
    t0 = time.monotonic()
    second = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json", str(new)], cwd=ROOT,
                            env=env_for(home), capture_output=True, text=True, timeout=120)
    refused_in = time.monotonic() - t0
    # the command line answers meanwhile too (a cold process, the exact vector path)
    cli_asks = [subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", QUESTION], cwd=ROOT,
                               env=env_for(home), capture_output=True, text=True, timeout=120) for _ in range(2)]
    stdout, stderr = ingest.communicate(timeout=300)
    t_done = time.monotonic()
    time.sleep(1.5)                                           # the thread must follow CURRENT
    asker.stop.set()
    asker.join(timeout=30)

    assert ingest.returncode == 0, stderr[-2000:]
    summary = json.loads(stdout)
    assert summary["added"] == 1 and summary["failed"] == []

    assert second.returncode == 2, second.stderr
    assert "Traceback" not in second.stderr
    lines = [x for x in second.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "another ingest is running" in lines[0], second.stderr
    assert refused_in < 30

    for r in cli_asks:
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert not json.loads(r.stdout)["abstained"]

    assert asker.errors == []
    during = [c for c in asker.calls if t_ingest <= c[0] <= t_done]
    assert len(during) >= 10, len(during)
    worst = max(c[1] for c in asker.calls)
    stall = max(STALL, (t_done - t_ingest) / 3)
    print(f"{len(asker.calls)} answers, {len(during)} during the ingest of {t_done - t_ingest:.1f} s, "
          f"worst {worst:.3f} s")
    assert worst < stall, f"an answer took {worst:.2f} s while ingesting"
    gens = [c[2] for c in asker.calls]
    assert gens[0] == old_gen.name and gens[-1] == current_gen(home).name != old_gen.name
    assert len(asker.answers) == 1                            # the same answer before, during, after
    titles = [r["title"] for r in d.reports()]
    assert "Belarus Warning Update: Convoy near Grodno" in titles
    d.close()

    # neither ingest corrupted the store
    gen = current_gen(home)
    assert passage_ids(gen) == chroma_ids(gen)
    assert passage_ids(old_gen) <= passage_ids(gen)
    assert not list((home / "generations").glob("*.partial"))


def test_two_ingests_started_together_one_refuses(tmp_path, sample_settings):
    """Started in the same instant: exactly one runs, the other says StoreBusy (exit 2)."""
    home = tmp_path / "home"
    shutil.copytree(sample_settings.home, home, ignore=shutil.ignore_patterns("ingest.lock"))
    folders = []
    for i in range(2):
        f = tmp_path / f"dup{i}"
        f.mkdir()
        (f / "copy.txt").write_text((ROOT / "data" / "reports" / "002_8a4a9fea978dff02.txt").read_text())
        folders.append(f)
    old = current_gen(home)
    procs = [subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", "--json", str(f)], cwd=ROOT,
                              env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in folders]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    codes = sorted(r[2] for r in results)
    if codes == [0, 0]:
        pytest.skip("the first ingest finished before the second started; nothing raced")
    assert codes == [0, 2], results
    busy = [r for r in results if r[2] == 2][0]
    assert "another ingest is running" in busy[1] and "Traceback" not in busy[1]
    gen = current_gen(home)
    assert gen != old
    assert passage_ids(gen) == passage_ids(old) == chroma_ids(gen)


def _open_files(under: Path) -> tuple[list[str], list[str]]:
    """(files under `under` this process holds open, those of them already deleted)."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(under)):
            held.append(target)
    return held, [t for t in held if t.endswith("(deleted)")]


def test_a_long_running_dossier_lets_old_generations_go(tmp_path, sample_settings):
    """The bot follows CURRENT through more ingests than generations are kept."""
    from index.config import Settings
    from index.engine import Dossier
    from tests.index.store.test_faults import DRIVER

    home = tmp_path / "home"
    shutil.copytree(sample_settings.home, home, ignore=shutil.ignore_patterns("ingest.lock"))
    new = tmp_path / "new"
    new.mkdir()
    d = Dossier.open(Settings(home=home))
    d.ask(QUESTION)
    held_before, _ = _open_files(home)
    for i in range(4):                         # 4 ingests > KEEP_GENERATIONS: the first ones are deleted
        (new / "grodno.txt").write_text(NEW_REPORT.replace("forty trucks", f"{40 + i} trucks"))
        r = subprocess.run([sys.executable, "-c", DRIVER, "none", "fake", "ingest", "--json", str(new)], cwd=ROOT,
                           env=env_for(home), capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        assert not d.ask(QUESTION)["abstained"]
    # a replaced generation is thinned by a thread that holds its lease until done; on a loaded
    # machine one may still be at work: its descriptor is not a leak, so let it finish first
    for t in threading.enumerate():
        if t.name == "dossier-retire":
            t.join(timeout=60)
    held, deleted = _open_files(home)
    d.close()
    assert deleted == [], f"{len(deleted)} deleted files still open, e.g. {deleted[:2]}"
    # the vector layers it holds open are those the current generation reads (a layer merged
    # away is closed: no deleted file above), the rest no more than before
    from index.store import layers
    from index.store.generations import current_generation

    listed = {x.name for x in layers.read(current_generation(home))}
    root = str(home / layers.DIR) + "/"
    assert {t[len(root):].split("/")[0] for t in held if t.startswith(root)} <= listed, held
    others = [t for t in held if not t.startswith(root)]
    others_before = [t for t in held_before if not t.startswith(root)]
    assert len(others) <= len(others_before) + 5, (others_before, others)
