"""The ONNX export gives sentence-transformers' vectors; its cache is reused, checked and
rebuilt; a model it cannot serve falls back."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.config import Settings
from index.encode.embed import ONNX_LAYOUT, NumpyTextEncoder, bundled_model_path, ingest_encoder
from index.encode.onnx_cache import cache_dir, cached_export, read_checked
from index.encode.onnx_encoder import OnnxEncoder
from tests.conftest import GOLD, ROOT

TEXTS = ["Which Russian unit trained with Belarusian forces since September 17?", "",
         "Лукашенко и Путин встретились в Сочи.",
         "The Kremlin is conducting multiple preplanned and apparently snap exercises concurrently in "
         "multiple theaters and Russian military districts. " * 12]          # past 256 tokens: cut


@pytest.fixture(scope="session")
def onnx_home(tmp_path_factory) -> Path:
    """A home whose export was built once for the session (the build takes seconds)."""
    home = tmp_path_factory.mktemp("onnx-home")
    _, built = cached_export(home, bundled_model_path(), ONNX_LAYOUT)
    assert built
    return home


@pytest.fixture(scope="session")
def onnx_encoder(onnx_home) -> OnnxEncoder:
    data, built = cached_export(onnx_home, bundled_model_path(), ONNX_LAYOUT)
    assert not built                                    # the second use reads the cache
    return OnnxEncoder(data, bundled_model_path())


def _passages(settings: Settings) -> list[str]:
    from index.store.store import Snapshot

    snap = Snapshot.open(settings)
    try:
        return [t for (t,) in snap.con.execute("SELECT text FROM passages ORDER BY report_id, ordinal")]
    finally:
        snap.close()


def test_same_vectors_and_top10_as_sentence_transformers(onnx_encoder, st_model, sample_settings):
    passages = _passages(sample_settings)
    assert len(passages) > 100
    ours = onnx_encoder.encode(passages + TEXTS)
    theirs = st_model.encode(passages + TEXTS, normalize_embeddings=True)
    cos = (ours * theirs).sum(1)
    assert cos.min() >= 0.999, (cos.min(), int(cos.argmin()))
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    questions = [json.loads(line)["question"] for line in GOLD.joinpath("questions.jsonl").read_text().splitlines()
                 if line.strip()]
    qo, qt = onnx_encoder.encode(questions), st_model.encode(questions, normalize_embeddings=True)
    po, pt = ours[:len(passages)], theirs[:len(passages)]
    differ = [q for q, a, b in zip(questions, qo, qt)
              if list(np.argsort(-(po @ a))[:10]) != list(np.argsort(-(pt @ b))[:10])]
    assert not differ, differ[:3]
    assert onnx_encoder.encode([]).shape == (0, 384)
    assert onnx_encoder.get_sentence_embedding_dimension() == 384


def test_batches_run_side_by_side_give_the_same_rows_in_order(onnx_home, onnx_encoder, sample_settings):
    """threads=2 runs two batches at once: each row is still its own text's, unchanged."""
    texts = _passages(sample_settings)[:120] + TEXTS
    data, _ = cached_export(onnx_home, bundled_model_path(), ONNX_LAYOUT)
    two = OnnxEncoder(data, bundled_model_path(), threads=2)
    assert two.threads == 2
    alone = np.stack([onnx_encoder.encode([t])[0] for t in texts])     # one text per run
    np.testing.assert_allclose(two.encode(texts), alone, atol=1e-5)
    np.testing.assert_array_equal(two.encode(texts), onnx_encoder.encode(texts))


def test_cache_is_reused_and_a_corrupt_one_rebuilt(onnx_home, tmp_path):
    model = bundled_model_path()
    path = cache_dir(onnx_home, model, ONNX_LAYOUT) / f"{ONNX_LAYOUT}.onnx"
    good = read_checked(path)
    assert good is not None and path.stat().st_size > 50_000_000
    mtime = path.stat().st_mtime_ns
    data, built = cached_export(onnx_home, model, ONNX_LAYOUT)
    assert (built, data == good, path.stat().st_mtime_ns) == (False, True, mtime)

    home = tmp_path / "home"                            # a private copy to damage
    shutil.copytree(onnx_home / "encoders", home / "encoders")
    copy = cache_dir(home, model, ONNX_LAYOUT) / f"{ONNX_LAYOUT}.onnx"
    raw = bytearray(copy.read_bytes())
    raw[len(raw) // 2] ^= 0xFF                          # one flipped byte in the weights
    copy.write_bytes(bytes(raw))
    assert read_checked(copy) is None
    stale = copy.with_name(f".{copy.name}.killed.tmp")  # what a build killed before its rename leaves
    stale.write_bytes(b"half a model")
    os.utime(stale, (1, 1))
    data, built = cached_export(home, model, ONNX_LAYOUT)
    assert built and data == good and read_checked(copy) == good
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name, copy.name + ".sha256"]   # no temp files
    copy.with_name(copy.name + ".sha256").unlink()      # a model without its hash is not trusted either
    assert read_checked(copy) is None


def test_ingest_uses_the_export_and_imports_no_torch(onnx_home):
    """A fresh process, as `dossier ingest` of a small edit: the cached export, no torch."""
    code = ("import sys; from pathlib import Path; from index.config import Settings; "
            "from index.encode.embed import ingest_encoder; "
            f"e = ingest_encoder(Settings(home=Path({str(onnx_home)!r})), iter([3])); "
            "v = e.encode(['a passage', 'another one']); "
            "print(type(e).__name__, v.shape, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["OnnxEncoder", "(2,", "384)", "False", "False"], r.stdout
    assert "ONNX" not in r.stderr


def test_a_home_that_cannot_hold_the_cache_still_gets_the_export(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a directory")                 # mkdir under it fails
    enc = ingest_encoder(Settings(home=home), iter([3]))
    assert isinstance(enc, OnnxEncoder)
    assert enc.encode(["Belarus"]).shape == (1, 384)


def test_without_the_onnx_package_a_small_edit_uses_the_numpy_pass(tmp_path, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "onnx", None)     # not installed: `import onnx` fails
    with caplog.at_level(logging.WARNING, logger="dossier.embed"):
        enc = ingest_encoder(Settings(home=tmp_path), iter([3, 4]))
    assert isinstance(enc, NumpyTextEncoder)
    lines = [r.getMessage() for r in caplog.records if r.name == "dossier.embed"]
    assert len(lines) == 1 and "no ONNX export" in lines[0] and "the numpy pass" in lines[0], lines
    assert not (tmp_path / "encoders").exists() or not any((tmp_path / "encoders").rglob("*.onnx"))


def test_a_user_model_the_export_cannot_serve_falls_back_to_sentence_transformers(tmp_path, st_model, caplog):
    """A model with CLS pooling: sentence-transformers loads it, the export does not claim it."""
    src, model = bundled_model_path(), tmp_path / "cls-model"
    shutil.copytree(src, model, ignore=shutil.ignore_patterns("model.safetensors"))
    os.symlink(src / "model.safetensors", model / "model.safetensors")
    pooling = json.loads((model / "1_Pooling" / "config.json").read_text())
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (model / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    with caplog.at_level(logging.INFO, logger="dossier.embed"):
        enc = ingest_encoder(Settings(home=tmp_path / "home", model=str(model)), iter([3]))
    assert type(enc).__name__ == "SentenceTransformer"
    assert [r.getMessage() for r in caplog.records if r.name == "dossier.embed"][0].endswith(
        "embedding with sentence-transformers")
    assert not (tmp_path / "home" / "encoders").exists()
    v = enc.encode(["Belarus air defence"], normalize_embeddings=True)
    assert v.shape == (1, 384) and float(v[0] @ st_model.encode(["Belarus air defence"],
                                                                normalize_embeddings=True)[0]) < 0.999


def test_a_nearly_full_disk_gets_the_export_but_not_the_cache(tmp_path, monkeypatch):
    """Built in the background while an ingest writes: it must not take the index's last space."""
    import index.encode.onnx_cache as C

    monkeypatch.setattr(C, "KEEP_FREE", 1 << 62)          # more than any disk has free
    data, built = cached_export(tmp_path, bundled_model_path(), ONNX_LAYOUT)
    assert built and len(data) > 50_000_000
    assert not any(tmp_path.rglob("*.onnx"))
