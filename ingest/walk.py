"""Which files an ingest reads: report files under the paths given, recursively."""
from __future__ import annotations

import os
from pathlib import Path

from ingest.read import EXTENSIONS


def walk(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[dict]]:
    """([(file, root)], failures). Symlink loops and unreadable folders are failures, not hangs."""
    found: list[tuple[Path, Path]] = []
    failed: list[dict] = []
    seen: set[Path] = set()
    for root in paths:
        if not root.exists() and not root.is_symlink():
            failed.append({"path": str(root), "error": "no such file or folder"})
            continue
        if root.is_file():
            found.append((root, root.parent))
            continue
        if not root.is_dir():
            failed.append({"path": str(root), "error": "not a file or folder (broken symlink?)"})
            continue
        visited: set[tuple[int, int]] = set()

        def onerror(e: OSError) -> None:
            failed.append({"path": str(e.filename), "error": e.strerror or str(e)})

        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=onerror):
            st = os.stat(dirpath)
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
                if not p.exists():
                    failed.append({"path": str(p), "error": "broken symlink"})
                    continue
                real = p.resolve()
                if real in seen:
                    continue
                seen.add(real)
                found.append((p, root))
    return found, failed
