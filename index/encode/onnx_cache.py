"""The ONNX export of a model, built once and kept under the Dossier home.

<home>/encoders/<source hash>/<layout>.onnx holds the graph built from the model's weights
(index/encode/onnx_export.py); <layout>.onnx.sha256 beside it holds the file's own hash. A read
takes the bytes once, checks them against that hash and hands the same bytes to
onnxruntime, so a changed or half-written file is rebuilt, never trusted. Writes go to a
temporary file in the same directory and are renamed into place (first the model, then
its hash): a reader sees the old pair, the new pair, or a mismatch that makes it rebuild.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

STALE_TEMP_SECONDS = 600     # a temporary file this old was left by a killed build: removed
# Not cached when fewer bytes than the export and this would be left free: the export is built
# in the background while an ingest writes its generation, and must not take the space the
# index needs (a 64 MB disk filled by a 90 MB export's temporary file failed an ingest that
# embedded nothing).
KEEP_FREE = 256 * 2**20

# Part of the source hash: a change to the graph builder is a new export, not a stale one.
BUILDER_VERSION = "2"          # 2: the last layer's token states are an output too
SOURCE_FILES = ("config.json", "model.safetensors")   # all the graph is built from


def source_hash(model_dir: Path, layout: str) -> str:
    """Identifies what the export is built from: the weights, the config and the builder."""
    h = hashlib.sha256(f"dossier-onnx {BUILDER_VERSION} {layout}\n".encode())
    for name in SOURCE_FILES:
        with open(model_dir / name, "rb") as f:
            h.update(name.encode() + b"\0")
            for block in iter(lambda: f.read(1 << 22), b""):
                h.update(block)
    return h.hexdigest()


def cache_dir(home: Path, model_dir: Path, layout: str) -> Path:
    return Path(home) / "encoders" / source_hash(model_dir, layout)[:24]


def read_checked(path: Path) -> bytes | None:
    """The file's bytes when they match the hash beside it; None when either is missing or
    they disagree."""
    try:
        want = path.with_name(path.name + ".sha256").read_text().split()[0]
        data = path.read_bytes()
    except (OSError, IndexError):
        return None
    return data if hashlib.sha256(data).hexdigest() == want else None


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)          # as the index's own files: another user of the home may read it
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _remove_stale_temps(directory: Path) -> None:
    now = time.time()
    for tmp in directory.glob(".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def write_checked(path: Path, data: bytes) -> None:
    """Writes the file, then its hash, each atomically (a build killed before the rename
    leaves a temporary file, removed by a later build)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path.parent)
    _write_atomic(path, data)
    _write_atomic(path.with_name(path.name + ".sha256"), (hashlib.sha256(data).hexdigest() + "\n").encode())


def cached_export(home: Path, model_dir: Path, layout: str) -> tuple[bytes, bool]:
    """The export's bytes and whether they were built now (False: read from the cache).
    Building needs the `onnx` package; a cache that cannot be written (read-only home, disk
    full) still yields the bytes just built, used from memory."""
    path = cache_dir(home, model_dir, layout) / f"{layout}.onnx"
    data = read_checked(path)
    if data is not None:
        return data, False
    from index.encode.onnx_export import build_graph

    data = build_graph(model_dir, layout)
    if _room(path.parent) < len(data) + KEEP_FREE:
        return data, True     # the disk is nearly full: the index needs that space more than the cache
    try:
        write_checked(path, data)
    except OSError:
        pass                  # used from memory this time; the next process tries again
    return data, True


def _room(directory: Path) -> int:
    """Free bytes on the file system that holds `directory` (or its nearest existing parent)."""
    for d in (directory, *directory.parents):
        try:
            return shutil.disk_usage(d).free
        except OSError:
            continue
    return 0
