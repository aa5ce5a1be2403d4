"""Generations on disk: every ingest that changes something writes a new generation
directory (a copy of the current one, then the changes) and switches `CURRENT` to it with an
atomic rename, so readers only ever open a complete state. One ingest at a time per home.

Old generations go as soon as nobody reads them. A reader holds a shared lease on the
generation it reads (`hold`: `flock(LOCK_SH)` on the generation's `lease` file) until it
moves on; after switching `CURRENT`, the ingest removes every other generation it can lock
exclusively without waiting, and the next ingest removes what was still held. Removal is
rename-then-delete under the exclusive lock, so a reader either gets its lease before the
rename (and the generation stays) or sees the generation gone and reads `CURRENT` again.

The generation just replaced is the one exception to removal: unless a reader holds it
(then it stays whole), its catalogue is kept until the next ingest: `dossier.db` with every
id, hash, count and the meta (what the last ingest replaced can still be read). Its vector
copy and lexical index go at once; the ingest keeps its dossier.db as it is (rewriting it
without the texts read and wrote the whole catalogue, in proportion to the archive, not the
edit). A reader that releases a replaced generation (the bot at its first question after an
ingest) thins it itself, in a thread, if no other reader holds it, and there the catalogue
is rewritten without the texts (2 % of a generation at 250 reports).
SQLite and Chroma modify their files in place, so generations never share those by hard
links; only files that are replaced whole (vectors.npy, the layer lists, the lexical index's
files) are linked, not copied. Embedded Chroma lives outside the generations, in layers shared
between them (index/store/layers.py).
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from index.errors import StoreBusy, StoreWriteError

LEASE = "lease"                 # readers flock() it shared; removal takes it exclusively
REMOVING = ".removing"          # a generation being deleted (renamed first: no reader can open it)
SHARED = {"vectors.npy", "report_layers.json", "layers.json"}   # never written in place, only replaced: hard-linked
SHARED_DIRS = {"bm25"}          # folders whose files are only ever written anew (lexical.build removes the folder first)
CATALOGUE = "dossier.db"        # what a replaced, unread generation keeps until the next ingest
# the catalogue keeps ids and hashes, not texts; it keeps what the digest says of its ingest (the
# change record, the new reports' summaries, their notes), so two ingests finished within one digest
# poll are both announced. (table, column) -> what the catalogue holds instead; table -> the rows kept.
_NEWS = ("SELECT value FROM old.changes, json_each(old.changes.change, '$.added') "
         "UNION SELECT json_extract(value, '$.id') FROM old.changes, json_each(old.changes.change, '$.updated')")
BLANK = {("passages", "text"): "''", ("passages", "markers"): "'[]'", ("reports", "text"): "''",
         ("reports", "sentences"): "'[]'", ("reports", "unplaced"): "'[]'", ("files", "reports"): "'[]'",
         ("files", "skipped"): "'[]'"}
KEEP = {"notes": f"report_id IN ({_NEWS})", "summaries": f"report_id IN ({_NEWS})"}


def generations_dir(home: Path) -> Path:
    return home / "generations"


def current_generation(home: Path) -> Path | None:
    try:
        name = (home / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    path = generations_dir(home) / name
    return path if path.is_dir() else None


def switch_current(home: Path, gen: Path) -> None:
    tmp = home / f".CURRENT.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(gen.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, home / "CURRENT")
    _fsync_dir(home)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _number(name: str) -> int | None:
    head = name[1:].split(".")[0]
    return int(head) if name.startswith("g") and head.isdecimal() else None


def new_generation(home: Path, base: Path | None) -> Path:
    """A fresh generation directory: a copy of `base` (or empty), not yet current. Call it
    under the ingest lock: it first removes what crashed or finished ingests left."""
    gens = generations_dir(home)
    gens.mkdir(parents=True, exist_ok=True)
    for stale in gens.glob("*.partial"):          # left by a crashed ingest
        shutil.rmtree(stale, ignore_errors=True)
    try:
        sweep(home, keep={base} if base is not None else set())
    except OSError:
        pass                                  # disk space only; the ingest goes on
    numbers = [n for n in (_number(p.name) for p in gens.iterdir()) if n is not None]
    name = f"g{(max(numbers) + 1 if numbers else 1):06d}"
    partial = gens / (name + ".partial")
    try:
        if base is not None:
            # chroma/: a generation from before embedded layers; the next one reads its vectors from
            # vectors.npy into a layer (index/store/store.py's _EmbeddedLayers), never from a copy
            shutil.copytree(base, partial, ignore=shutil.ignore_patterns(LEASE, "chroma"), copy_function=_copy_or_link)
        else:
            partial.mkdir()
        (partial / LEASE).touch()
    except BaseException as e:                    # a full disk, or Ctrl-C during a long copy
        shutil.rmtree(partial, ignore_errors=True)
        if not isinstance(e, OSError):
            raise
        raise StoreWriteError(f"cannot write the index under {gens}: {os_reason(e)}; "
                              "the previous index is unchanged") from None
    return partial


def _copy_or_link(src: str, dst: str) -> None:
    """Copy a file into the new generation; a file that is only ever replaced whole, never
    modified in place, is hard-linked instead (the next generation shares it until then)."""
    if Path(src).name in SHARED or Path(src).parent.name in SHARED_DIRS:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def os_reason(e: BaseException) -> str:
    """One short reason for an OSError, a shutil.Error (a list of them) or a SQLite error."""
    import errno

    if isinstance(e, shutil.Error) and e.args and isinstance(e.args[0], list) and e.args[0]:
        why = e.args[0][0][-1]
        return ("disk full (No space left on device)" if "No space left" in str(why) else str(why))[:200]
    if isinstance(e, OSError):
        if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return f"disk full ({e.strerror})"
        return e.strerror or str(e)
    text = str(e)
    if "disk is full" in text or "No space left" in text:
        return "disk full (database or disk is full)"
    return text.splitlines()[0][:200] if text else type(e).__name__


def finish_generation(home: Path, partial: Path) -> Path:
    """Rename the partial generation, switch `CURRENT` to it, then let the others go."""
    replaced = current_generation(home)
    final = partial.with_name(partial.name.removesuffix(".partial"))
    os.replace(partial, final)
    _fsync_dir(final.parent)
    switch_current(home, final)
    try:
        sweep(home, keep={final}, catalogue=replaced)
    except OSError:
        pass                                  # the switch is done; the next ingest sweeps again
    return final


# ------------------------------------------------------------------------------ leases
class Lease:
    """A reader's hold on one generation: no ingest removes it until `release()`."""

    def __init__(self, gen: Path, fd: int | None):
        self.gen = gen
        self._fd = fd

    def release(self) -> None:
        """Drop the lease. A reader that moves on from a replaced generation thins it (in a
        thread, when no other reader holds it), so a long-running bot does not keep a whole
        old generation on disk until the next ingest."""
        if self._fd is not None:
            os.close(self._fd)                # closing the descriptor drops the flock
            self._fd = None
            if _replaced(self.gen):
                threading.Thread(target=retire, args=(self.gen,), name="dossier-retire", daemon=True).start()

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def hold(gen: Path) -> Lease | None:
    """A shared lease on generation `gen` (blocks only while an ingest renames it away).
    None when the generation is gone or going: read `CURRENT` again. A generation written
    before leases existed gets its lease file now, if it is still current."""
    import fcntl

    path = gen / LEASE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        if current_generation(gen.parent.parent) != gen:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError:
            return Lease(gen, None) if gen.is_dir() else None   # a read-only home: nothing removes it
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_ino != os.stat(path).st_ino:      # renamed or thinned meanwhile
            raise FileNotFoundError(path)
    except OSError:
        os.close(fd)
        return None
    return Lease(gen, fd)


def _replaced(gen: Path) -> bool:
    """Whether a newer generation than `gen` is current (so nothing will make `gen` current
    again: only an ingest, under its lock, touches newer or unfinished ones)."""
    current = current_generation(gen.parent.parent)
    mine, now = _number(gen.name), _number(current.name) if current is not None else None
    return mine is not None and now is not None and now > mine and "." not in gen.name


def retire(gen: Path) -> bool:
    """Thin a replaced generation to its catalogue if no reader holds it; True if done.
    Best effort: an ingest removing the same generation meanwhile wins."""
    import sqlite3

    if not _replaced(gen):
        return False
    free, fd = _take(gen)
    if not free or fd is None:            # held, or thinned already
        return False
    try:
        _thin(gen)
    except (OSError, sqlite3.Error):
        return False
    finally:
        os.close(fd)
    return True


def _take(gen: Path) -> tuple[bool, int | None]:
    """(True, the exclusive lock on `gen`'s lease) when no reader holds it; (True, None)
    when it has no lease file (thinned, or written before leases): no reader can take it;
    (False, None) when a reader holds it."""
    import fcntl

    try:
        fd = os.open(gen / LEASE, os.O_RDONLY)
    except FileNotFoundError:
        return True, None
    except OSError:
        return False, None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False, None
    return True, fd


def sweep(home: Path, *, keep: set[Path], catalogue: Path | None = None) -> list[Path]:
    """Remove every generation but `CURRENT`'s and `keep` that no reader holds (call under
    the ingest lock); `catalogue`, when unheld, keeps only its dossier.db. Returns what stays
    whole because a reader holds it."""
    gens = generations_dir(home)
    current = current_generation(home)
    held: list[Path] = []
    try:
        entries = sorted(gens.iterdir())
    except FileNotFoundError:
        return held
    for gen in entries:
        if gen.name.endswith(REMOVING):       # a removal cut short by a crash
            shutil.rmtree(gen, ignore_errors=True)
            continue
        if gen.name.endswith(".partial") or gen == current or gen in keep or not gen.is_dir():
            continue
        free, fd = _take(gen)
        if not free:
            held.append(gen)
            continue
        try:
            if gen == catalogue and fd is not None:
                _thin(gen, blank=False)         # the ingest waits for this: removals only
                continue
            doomed = gen.with_name(gen.name + REMOVING)
            try:
                os.replace(gen, doomed)
            except OSError:
                continue
        finally:
            if fd is not None:
                os.close(fd)
        shutil.rmtree(doomed, ignore_errors=True)
    return held


def _thin(gen: Path, *, blank: bool = True) -> None:
    """Keep only the catalogue of a replaced generation (its lease goes first: no reader can
    take it any more; the next sweep removes the rest). `blank`: also rewrite its dossier.db
    without the texts. The ingest that replaced it does not (the rewrite reads and writes the
    whole catalogue: 8 s of a 1 % edit at 30,000 reports, round 4); it keeps the whole
    dossier.db until the next ingest removes it; a reader that releases it later blanks it."""
    try:
        os.unlink(gen / LEASE)
    except OSError:
        return
    for p in gen.iterdir():
        if p.name == CATALOGUE:
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            try:
                p.unlink()
            except OSError:
                pass
    if not blank:
        return
    try:
        _write_catalogue(gen / CATALOGUE)
    except Exception:  # noqa: BLE001 - best effort: the next ingest removes it anyway
        pass


def _write_catalogue(db: Path) -> None:
    """Replace the SQLite file `db` by its catalogue: every table and index, the rows with their
    texts blanked (BLANK, KEEP). Written anew from one read of `db` and renamed over it: blanking
    in place and VACUUM rewrote the whole file twice (5 s of a 1 % edit at 10,000 reports)."""
    import sqlite3

    tmp = db.with_name(db.name + ".thin")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = OFF")        # a new file: a crash leaves a partial one, never read
        con.execute("PRAGMA synchronous = OFF")
        con.execute("ATTACH DATABASE ? AS old", (str(db),))
        objects = con.execute("SELECT type, name, sql FROM old.sqlite_master WHERE sql IS NOT NULL "
                              "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index'").fetchall()
        tables = {name for kind, name, _sql in objects if kind == "table"}
        con.execute("BEGIN")
        for kind, name, sql in objects:
            con.execute(sql)
            if kind != "table":
                continue
            cols = [r[1] for r in con.execute(f'PRAGMA old.table_info("{name}")')]
            select = ", ".join(BLANK.get((name, c), f'"{c}"') for c in cols)
            where = f" WHERE {KEEP[name]}" if name in KEEP and "changes" in tables else ""   # older: all kept
            con.execute(f'INSERT INTO main."{name}" SELECT {select} FROM old."{name}"{where}')
        con.execute("COMMIT")
        con.execute("DETACH DATABASE old")
        con.close()
        os.replace(tmp, db)
    finally:
        con.close()
        tmp.unlink(missing_ok=True)


@contextmanager
def ingest_lock(home: Path, *, wait: float = 0.0) -> Iterator[None]:
    """One ingest at a time per home; a second one waits up to `wait` seconds, then refuses."""
    import fcntl

    home.mkdir(parents=True, exist_ok=True)
    path = home / "ingest.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    raise StoreBusy(f"another ingest is running on {home} (pid {holder}); "
                                    "wait for it to finish, or pass --wait SECONDS") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def discard(partial: Path) -> None:
    """Remove an unfinished generation (the current one is untouched)."""
    shutil.rmtree(partial, ignore_errors=True)
