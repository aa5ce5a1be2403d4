"""Crashes lose nothing: `kill -9` during ingest, and a disk that fills up while writing.

The scenario: a home holds state S0 (the samples with one report edited, one file missing
and one extra file). The folder is then put back to exactly the samples, and an ingest that
would update, add and remove a report is killed at chosen points. After every kill:
`CURRENT` still names S0's generation, S0 is untouched, questions are answered from S0, and
each report has all of its old passages (none new). Then the next `dossier ingest`
converges to exactly what a clean ingest of the samples gives (the session's
`sample_settings`): same reports, same passage ids and texts, same counts, and the vector
store holds exactly those passages.

Kill points. A child runs the real CLI (`bot.cli.main(["ingest", ...])`) with a hook that
sends itself SIGKILL at one point, which is what `kill -9` at that instant does:
  parse    - at the second file parsed
  embed    - when the real model is first asked to embed (the partial generation exists)
  vectors  - right after the store's writer wrote the batch to Chroma, before the SQL commit
  records  - after the SQL commit, before the BM25 index
  rename   - after the generation was renamed into place, before CURRENT switches
  none     - no kill: an ingest that embeds with the fake (used by test_concurrency)
For the last three the child embeds with a deterministic fake (hashed unit vectors, 384
dims) instead of loading torch: what is on disk at the kill is the same, the vectors never
become current, and it saves ~15 s per child. Then a bounded loop kills real CLI ingests
after a random delay (0.5-6 s once the ingest holds its lock).
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store.generations import SHARED
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

QUESTION = "Which Russian unit trained with Belarusian forces in September 2020?"
EDITED_FILE = "002_8a4a9fea978dff02.txt"
EDIT = ("Lukashenko stated Russia is prepared to intervene in Belarus",
        "Lukashenko said that Russia stands ready to intervene in Belarus")
MISSING_FILE = "003_dcd5aac377835ac8.txt"
EXTRA = ("The extra report describes a convoy of trucks near Grodno on Tuesday. Officials in Minsk did not "
         "comment on the convoy. Residents filmed the trucks on the highway. Analysts expect more movements.\n")

DRIVER = r'''
import os, signal, sys
point, fake = sys.argv[1], sys.argv[2] == "fake"
argv = sys.argv[3:]

def die():
    sys.stdout.flush(); sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)

import index.encode.embed as E
import index.store.generations as G
import index.store.lexical as L
import index.store.store as S
import ingest.pipeline as P

if fake:
    import hashlib
    import numpy as np

    class Fake:
        def get_sentence_embedding_dimension(self):
            return 384
        get_embedding_dimension = get_sentence_embedding_dimension

        def encode(self, texts, **kw):
            rows = []
            for t in texts:
                seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
                v = np.random.default_rng(seed).standard_normal(384).astype("float32")
                rows.append(v / np.linalg.norm(v))
            return np.array(rows)

    E.load_sentence_transformer = lambda settings: Fake()
    E.ingest_encoder = lambda settings, counts: Fake()

if point == "parse":
    parse, n = P.parse_text, [0]
    def parse_then_die(*a, **k):
        n[0] += 1
        if n[0] == 2:
            die()
        return parse(*a, **k)
    P.parse_text = parse_then_die
elif point == "embed":
    load = E.ingest_encoder            # what ingest embeds with (numpy pass or sentence-transformers)
    def load_then_die(settings, counts):
        model = load(settings, counts)
        model.encode = lambda *a, **k: die()
        return model
    E.ingest_encoder = load_then_die
elif point == "vectors":
    put = S.Writer.put_passages          # writes the batch's vectors to Chroma, then its rows
    def put_then_die(self, *a, **k):
        put(self, *a, **k)
        die()
    S.Writer.put_passages = put_then_die
elif point == "records":
    assert hasattr(L, "build")           # the lexical index is built after the SQL commit
    L.build = lambda *a, **k: die()
elif point == "rename":
    assert hasattr(G, "switch_current")  # finish_generation renames, then switches CURRENT
    G.switch_current = lambda *a, **k: die()
elif point != "none":
    raise SystemExit("unknown kill point " + point)

from bot.cli import main
sys.exit(main(argv))
'''


# ------------------------------------------------------------------------------- helpers
def env_for(home: Path) -> dict:
    return dict(os.environ, DOSSIER_HOME=str(home))


def current_name(home: Path) -> str:
    return (home / "CURRENT").read_text().strip()


def gen_db(gen: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{gen / 'dossier.db'}?mode=ro", uri=True)


def state(gen: Path) -> dict:
    """What a generation holds: reports (sources as file names) and passages per report."""
    con = gen_db(gen)
    try:
        reports = {}
        for rid, title, date, sources, n, foot in con.execute(
                "SELECT id, title, date, sources, passages, footnotes FROM reports"):
            reports[rid] = {"title": title, "date": date, "passages": n, "footnotes": json.loads(foot),
                            "sources": sorted(Path(s).name for s in json.loads(sources))}
        passages: dict[str, set] = {}
        for pid, rid, text in con.execute("SELECT id, report_id, text FROM passages"):
            passages.setdefault(rid, set()).add((pid, text))
        files = sorted(Path(p).name for (p,) in con.execute("SELECT path FROM files"))
    finally:
        con.close()
    return {"reports": reports, "passages": passages, "files": files}


def vector_ids(gen: Path) -> set[str]:
    """The ids in the generation's Chroma collection, read in a child (no client cache here)."""
    code = ("import json, sys; from pathlib import Path; from index.config import Settings; "
            "from index.store.store import chroma_client; g = Path(sys.argv[1]); "
            "c = chroma_client(Settings(home=g.parent.parent), g).get_collection('dossier_passages'); "
            "ids = c.get(include=[])['ids']; assert len(ids) == len(set(ids)), 'a vector twice'; print(json.dumps(ids))")
    r = subprocess.run([sys.executable, "-c", code, str(gen)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return set(json.loads(r.stdout))


def all_passage_ids(s: dict) -> set[str]:
    return {pid for ps in s["passages"].values() for pid, _ in ps}


def write_s0(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SAMPLES, folder)
    f = folder / EDITED_FILE
    text = f.read_text()
    assert EDIT[0] in text
    f.write_text(text.replace(EDIT[0], EDIT[1]))
    (folder / MISSING_FILE).unlink()
    (folder / "extra.txt").write_text(EXTRA)


def write_target(folder: Path) -> None:
    shutil.rmtree(folder)
    shutil.copytree(SAMPLES, folder)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, st_model, sample_settings):
    """S0 ingested once; the folder then holds the samples again. Returns paths and states."""
    from index.config import Settings
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("faults")
    folder, pristine = tmp / "reports", tmp / "s0-home"
    write_s0(folder)
    summary = ingest([folder], Settings(home=pristine), embedder=st_model)
    assert not summary.failed and summary.reports == 7
    write_target(folder)
    gen = pristine / "generations" / current_name(pristine)
    reference_gen = sample_settings.home / "generations" / current_name(sample_settings.home)
    s0, reference = state(gen), state(reference_gen)
    edited = [rid for rid, ps in s0["passages"].items()
              if any(EDIT[1] in t for _, t in ps)]
    assert len(edited) == 1 and edited[0] in reference["reports"]
    assert s0["passages"][edited[0]] != reference["passages"][edited[0]]     # an update is pending
    return {"tmp": tmp, "folder": folder, "pristine": pristine, "s0": s0, "reference": reference,
            "edited": edited[0], "sample_settings": sample_settings}


def fresh_home(scenario, name: str) -> Path:
    home = scenario["tmp"] / name
    shutil.copytree(scenario["pristine"], home)
    return home


def kill_at(point: str, home: Path, folder: Path, *, fake: bool) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-c", DRIVER, point, "fake" if fake else "real", "ingest", "--json",
                        str(folder)], cwd=ROOT, env=env_for(home), capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, (point, r.returncode, r.stderr[-2000:])
    return r


def assert_last_complete_state(scenario, home: Path, s0_name: str) -> None:
    """CURRENT still names S0, S0 is untouched, and questions are answered from it."""
    from index.config import Settings
    from index.engine import Dossier
    from index.encode.embed import QueryEncoder

    encoder = scenario.setdefault("encoder", QueryEncoder(Settings()))

    assert current_name(home) == s0_name
    gen = home / "generations" / s0_name
    now = state(gen)
    assert now == scenario["s0"]
    rid = scenario["edited"]                                  # all of its passages old, none new
    assert now["passages"][rid] == scenario["s0"]["passages"][rid]
    for exact in (True, False):                               # the CLI's path and the bot's path
        d = Dossier.open(Settings(home=home), exact=exact, encoder=encoder)
        try:
            result = d.ask(QUESTION)
        finally:
            d.close()
        assert not result["abstained"] and result["answer"]
        assert {c["passage_id"] for c in result["citations"]} <= all_passage_ids(scenario["s0"])


def assert_converged(scenario, home: Path) -> None:
    """Exactly the state of a clean ingest of the samples."""
    from index.config import Settings
    from index.engine import Dossier

    gen = home / "generations" / current_name(home)
    now, ref = state(gen), scenario["reference"]
    assert now["reports"] == ref["reports"]
    assert now["passages"] == ref["passages"]
    assert now["files"] == ref["files"]
    assert vector_ids(gen) == all_passage_ids(ref)            # no vector left from a killed run
    assert not list((home / "generations").glob("*.partial"))
    from index.store import layers                            # no layer of a killed run left either
    assert sorted(p.name for p in (home / layers.DIR).iterdir()) == sorted(x.name for x in layers.read(gen))
    d = Dossier.open(Settings(home=home), exact=True)
    ref_d = Dossier.open(scenario["sample_settings"], exact=True)
    try:
        keys = ("id", "title", "date", "authors", "passages", "footnotes")
        assert [{k: r[k] for k in keys} for r in d.reports()] == [{k: r[k] for k in keys} for r in ref_d.reports()]
        assert d.stats()["passages"] == ref_d.stats()["passages"]
        a, b = d.ask(QUESTION), ref_d.ask(QUESTION)
        assert [x["text"] for x in a["answer"]] == [x["text"] for x in b["answer"]]
    finally:
        d.close()
        ref_d.close()


# ------------------------------------------------------------------------------ kill points
def test_kill_9_at_each_point_then_converge(scenario):
    """Kills at five points on one home (their leftovers pile up), checks after each, then
    one real `dossier ingest` converges."""
    home = fresh_home(scenario, "home-points")
    s0_name = current_name(home)
    for point, fake in (("parse", False), ("embed", False), ("vectors", True), ("records", True),
                        ("rename", True)):
        kill_at(point, home, scenario["folder"], fake=fake)
        assert_last_complete_state(scenario, home, s0_name)
    leftovers = sorted(p.name for p in (home / "generations").iterdir())
    assert any(not n.endswith(".partial") and n != s0_name for n in leftovers), leftovers   # the renamed orphan
    from index.store import layers                            # the killed runs' vector layers, unlisted
    listed = {x.name for x in layers.read(home / "generations" / s0_name)}
    assert {p.name for p in (home / layers.DIR).iterdir()} - listed

    r = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json", str(scenario["folder"])], cwd=ROOT,
                       env=env_for(home), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["updated"], summary["added"], summary["removed"], summary["failed"]) == (1, 1, 1, [])
    assert_converged(scenario, home)


def _new_partial(home: Path, since: float) -> bool:
    for p in (home / "generations").glob("*.partial"):
        try:
            if p.stat().st_ctime >= since and (p / "dossier.db").exists():
                return True
        except OSError:                       # removed while we looked
            pass
    return False


def test_kill_9_after_random_delays_then_converge(scenario, st_model):
    """A bounded loop of real CLI ingests killed after a random 0.5-6 s, counted from the
    moment the ingest holds its lock (parse, imports, model load) or, in later rounds, from
    the moment its new generation directory appears (embedding and writing)."""
    from index.config import Settings
    from ingest.pipeline import ingest

    seed = int(time.time())
    rnd = random.Random(seed)
    home = fresh_home(scenario, "home-random")
    s0_name = current_name(home)
    states = {"s0": scenario["s0"], "target": scenario["reference"]}
    log = []
    for i, anchor in enumerate(("lock", "generation", "generation")):
        started = time.time() - 0.01          # a leftover .partial of an earlier round is older
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", "--json", str(scenario["folder"])],
                                cwd=ROOT, env=env_for(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if anchor == "lock":
                try:
                    if (home / "ingest.lock").read_text().strip() == str(proc.pid):
                        break
                except OSError:
                    pass
            elif _new_partial(home, started):
                break
            time.sleep(0.05)
        delay = rnd.uniform(0.5, 6.0)
        time.sleep(delay)
        alive = proc.poll() is None
        if alive:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        log.append(f"round {i}: killed {delay:.2f} s after the {anchor}" if alive else f"round {i}: finished")
        now = state(home / "generations" / current_name(home))
        where = f"seed {seed}: " + "; ".join(log)
        assert now in (states["s0"], states["target"]), where
        for rid, ps in now["passages"].items():                           # never half-updated
            assert ps in (states["s0"]["passages"].get(rid), states["target"]["passages"].get(rid)), (where, rid)
        if now == states["s0"]:
            assert current_name(home) == s0_name, where
    print("; ".join(log))
    summary = ingest([scenario["folder"]], Settings(home=home), embedder=st_model)
    assert not summary.failed
    assert_converged(scenario, home)


# ------------------------------------------------------------------------------ disk full
DUP = "copy_of_002.txt"


def _used(path: Path) -> int:
    s = os.statvfs(path)
    return (s.f_blocks - s.f_bfree) * s.f_frsize


@pytest.fixture(scope="module")
def disk_full(tmp_path_factory, sample_settings):
    """A home on a small tmpfs, filled up twice by an ingest that must write a new generation
    (a second copy of a sample file: no embedding needed): once while copying the current
    generation, once after the copy. Falls back to RLIMIT_FSIZE when mounting is not allowed."""
    tmp = tmp_path_factory.mktemp("disk-full")
    mnt, dup = tmp / "mnt", tmp / "dup"
    mnt.mkdir()
    dup.mkdir()
    shutil.copy(SAMPLES / EDITED_FILE, dup / DUP)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)],
                             capture_output=True).returncode == 0
    home = mnt / "home"
    shutil.copytree(sample_settings.home, home, ignore=shutil.ignore_patterns("ingest.lock"))
    before = state(home / "generations" / current_name(home))
    name = current_name(home)
    runs = {}
    try:
        gen_size = _used(mnt) if mounted else sum(
            f.stat().st_size for f in (home / "generations" / name).rglob("*") if f.is_file())
        largest = max(f.stat().st_size for f in (home / "generations" / name).rglob("*") if f.is_file())
        copied = sum(-(-f.stat().st_size // 4096) * 4096 for f in (home / "generations" / name).rglob("*")
                     if f.is_file() and f.name not in SHARED)
        for when in ("during-copy", "after-copy"):
            preexec = None
            if mounted:
                # after the copy: room for exactly what the copy writes (every file but the
                # hard-linked ones, in tmpfs pages) and 16 KB; the new vector copy alone is larger
                room = gen_size // 3 if when == "during-copy" else copied + 16 * 1024
                subprocess.run(["mount", "-o", f"remount,size={_used(mnt) + room}", str(mnt)], check=True)
            elif when == "during-copy":
                limit = largest // 2

                def preexec(limit=limit):                  # noqa: E306 - runs in the child
                    import resource

                    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            else:
                runs[when] = None                           # no way to fill the disk after the copy
                continue
            r = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json", str(dup)], cwd=ROOT,
                               env=env_for(home), capture_output=True, text=True, timeout=300, preexec_fn=preexec)
            runs[when] = {"proc": r, "current": current_name(home),
                          "state": state(home / "generations" / current_name(home))}
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True)
        again = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "--json", str(dup)], cwd=ROOT,
                               env=env_for(home), capture_output=True, text=True, timeout=300)
        after = state(home / "generations" / current_name(home))
        partials = sorted(p.name for p in (home / "generations").glob("*.partial"))
        yield {"runs": runs, "before": before, "name": name, "again": again, "after": after, "mounted": mounted,
               "partials": partials}
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def disk_full_run(disk_full, when: str) -> dict:
    run = disk_full["runs"][when]
    if run is None:
        pytest.skip("no tmpfs mount here: the disk cannot be filled after the copy")
    return run


@pytest.mark.parametrize("when", ["during-copy", "after-copy"])
def test_disk_full_keeps_the_previous_state(disk_full, when):
    run = disk_full_run(disk_full, when)
    r = run["proc"]
    assert r.returncode != 0, r.stdout
    assert run["current"] == disk_full["name"]
    assert run["state"] == disk_full["before"]


def test_disk_full_then_space_freed_converges(disk_full):
    r = disk_full["again"]
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["failed"] == [] and summary["passages_embedded"] == 0
    assert disk_full["partials"] == []                     # what the failed runs left is cleaned up
    after, before = disk_full["after"], disk_full["before"]
    assert after["passages"] == before["passages"]
    assert DUP in after["files"]
    assert [sorted(r["sources"]) for r in after["reports"].values() if DUP in r["sources"]] == [[EDITED_FILE, DUP]]


@pytest.mark.parametrize("when", ["during-copy", "after-copy"])
def test_disk_full_is_one_clear_line(disk_full, when):
    r = disk_full_run(disk_full, when)["proc"]
    assert "Traceback" not in r.stderr, r.stderr[-1500:]
    assert r.returncode == 2
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("dossier: error:"), r.stderr
    assert len(lines[0]) < 300, lines[0]
    assert ("no space left on device" in lines[0].lower() or "disk is full" in lines[0].lower()
            or "file too large" in lines[0].lower())
