"""Which files an ingest reads: report files under the paths given, recursively."""
from __future__ import annotations

import errno
import os
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


def walk(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[dict]]:
    """([(file, root)], failures). Symlink loops, unreadable folders and files that are not
    regular files (a FIFO would block the reader forever) are failures, not hangs."""
    found: list[tuple[Path, Path]] = []
    failed: list[dict] = []
    seen: set[Path] = set()
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
                failed.append({"path": dirpath, "error": "symlink loop, folder skipped"})
                dirnames[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
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
                if real in seen:
                    continue
                seen.add(real)
                found.append((p, root))
    return found, failed
