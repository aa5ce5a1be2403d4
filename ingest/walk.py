"""Which files an ingest reads: report files under the paths given, recursively.

Symbolic links are followed while they stay inside the paths given: a link planted in a shared
reports folder that points elsewhere (`ln -s /etc reports/etc`) is skipped and named, never
followed, unless the caller asks to follow every link (`--follow-symlinks`). A path named on
the command line is taken as given even when it is itself a link.
"""
from __future__ import annotations

import errno
import hashlib
import os
import time
from pathlib import Path

from ingest.read import EXTENSIONS, not_regular


def _why_missing(p: Path) -> str:
    """Why a path that is a symlink cannot be followed: a loop, or a target that is gone."""
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symlink loop (too many levels of symbolic links)"
        if e.errno == errno.ENOENT and p.is_symlink():
            return f"broken symlink (target {os.readlink(p)} does not exist)"
        return e.strerror or str(e)
    return "no such file or folder"


def _outside(path: Path, real: Path) -> dict:
    return {"path": str(path), "title": "",
            "reason": f"symbolic link to {real}, outside the folders given; --follow-symlinks follows it"}


def walk(paths: list[Path], *, follow_symlinks: bool = False
         ) -> tuple[list[tuple[Path, Path]], list[dict], list[dict]]:
    """([(file, root)], failures, links skipped). Symlink loops, unreadable folders and files that
    are not regular files (a FIFO would block the reader forever) are failures, not hangs; a link
    that leads outside every path given is skipped (see the module docstring)."""
    found: list[tuple[Path, Path]] = []
    failed: list[dict] = []
    skipped: list[dict] = []
    seen: set[Path] = set()
    allowed = [Path(os.path.realpath(p)) for p in paths if p.exists()]

    def inside(real: Path) -> bool:
        return follow_symlinks or any(real == a or real.is_relative_to(a) for a in allowed)

    for root in paths:
        if not root.exists():
            failed.append({"path": str(root), "error": _why_missing(root) if root.is_symlink()
                           else "no such file or folder"})
            continue
        if not root.is_dir():
            kind = not_regular(root.stat().st_mode)
            if kind is not None:
                failed.append({"path": str(root), "error": f"not a report file: {kind}"})
                continue
            found.append((root, root.parent))
            continue
        visited: set[tuple[int, int]] = set()

        def onerror(e: OSError) -> None:
            failed.append({"path": str(e.filename), "error": e.strerror or str(e)})

        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=onerror):
            try:
                st = os.stat(dirpath)
            except OSError as e:
                failed.append({"path": dirpath, "error": e.strerror or str(e)})
                dirnames[:] = []
                continue
            if (st.st_dev, st.st_ino) in visited:
                # a link back to a folder that contains it is a loop; a second way into a folder
                # read already (a link inside the tree) is not: its files were found the first way
                real, parent = Path(os.path.realpath(dirpath)), Path(os.path.realpath(Path(dirpath).parent))
                if parent.is_relative_to(real):
                    failed.append({"path": dirpath, "error": "symlink loop, folder skipped"})
                dirnames[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
            kept = []
            for d in sorted(d for d in dirnames if not d.startswith(".")):
                sub = Path(dirpath) / d
                real = Path(os.path.realpath(sub))
                if sub.is_symlink() and sub.exists() and not inside(real):
                    skipped.append(_outside(sub, real))
                else:
                    kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                p = Path(dirpath) / name
                if name.startswith(".") or p.suffix.lower() not in EXTENSIONS:
                    continue
                try:
                    mode = os.stat(p).st_mode
                except OSError:
                    failed.append({"path": str(p), "error": _why_missing(p)})
                    continue
                kind = not_regular(mode)
                if kind is not None:
                    failed.append({"path": str(p), "error": f"not a report file: {kind}"})
                    continue
                real = p.resolve()
                if not inside(real):
                    skipped.append(_outside(p, real))
                    continue
                if real in seen:
                    continue
                seen.add(real)
                found.append((p, root))
    return found, failed, skipped


RACY_NS = 2_000_000_000      # a file changed this close before it was hashed is hashed again next time


class FileHashes:
    """The SHA-256 of files, not read again while a file's stat is what it was when it was
    hashed (size, mtime, ctime, inode: what git and rsync trust; ctime cannot be set back).

    `known`: path -> (size, mtime_ns, ctime_ns, ino, checked_ns, sha256) from the last ingest. A
    file modified less than RACY_NS before it was hashed is never trusted (a coarse clock could
    hide a second write in the same tick), nor one whose recorded hash is not `current_sha`'s
    (the record kept is older than the file: a parse that failed). At 10,000 reports hashing
    every file read 80 MB for a 1 % edit; at 100,000, 800 MB."""

    def __init__(self, known: dict[str, tuple]):
        self.known = known
        self.seen: dict[str, tuple] = {}

    def sha256(self, path: Path, key: str, current_sha: str | None) -> str:
        st = os.stat(path)
        stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        old = self.known.get(key)
        if (old is not None and tuple(old[:4]) == stat and old[5] == current_sha
                and max(st.st_mtime_ns, st.st_ctime_ns) < old[4] - RACY_NS):
            self.seen[key] = tuple(old)
            return old[5]
        checked = time.time_ns()
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        sha = h.hexdigest()
        self.seen[key] = (*stat, checked, sha)
        return sha

    def changes(self) -> tuple[dict[str, tuple], set[str]]:
        """(stats to record, paths to forget) against `known`."""
        return ({k: v for k, v in self.seen.items() if tuple(self.known.get(k, ())) != v},
                self.known.keys() - self.seen.keys())
