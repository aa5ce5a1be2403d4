"""Session fixtures: the embedding model is loaded once, the sample reports ingested once."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.pop("DOSSIER_HOME", None)
os.environ.pop("DOSSIER_CHROMA_URL", None)
os.environ.pop("DOSSIER_MODEL", None)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "reports"
GOLD = ROOT / "eval" / "gold"


@pytest.fixture(scope="session")
def st_model():
    """The bundled SentenceTransformer, loaded once per test session."""
    from index.config import Settings
    from index.encode.embed import load_sentence_transformer

    return load_sentence_transformer(Settings())



@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, st_model):
    """Settings whose home holds the five sample files, ingested once per session."""
    from index.config import Settings
    from ingest.pipeline import ingest

    home = tmp_path_factory.mktemp("sample-home")
    settings = Settings(home=home)
    summary = ingest([SAMPLES], settings, embedder=st_model)
    assert summary.reports == 7 and not summary.failed
    return settings


@pytest.fixture(scope="session")
def dossier(sample_settings):
    from index.engine import Dossier

    d = Dossier.open(sample_settings)
    yield d
    d.close()


@pytest.fixture()
def samples_copy(tmp_path) -> Path:
    """A private copy of the sample files, for tests that edit or delete them."""
    dst = tmp_path / "reports"
    shutil.copytree(SAMPLES, dst)
    return dst


def run_cli(*args: str, home: Path | None = None, env: dict | None = None, input: str | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """The real `dossier` command in a subprocess."""
    e = dict(os.environ)
    if home is not None:
        e["DOSSIER_HOME"] = str(home)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=e, input=input,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture()
def cli():
    return run_cli


@pytest.fixture(scope="session")
def fake_llm_server():
    """A fake OpenAI-compatible server on 127.0.0.1 (tests/fakes/openai_server.py); the model
    name picks its canned reply."""
    from tests.fakes.openai_server import FakeLLMServer

    server = FakeLLMServer(slow_seconds=3.0).start()
    yield server
    server.stop()


@pytest.fixture()
def fake_llm(fake_llm_server):
    fake_llm_server.reset()
    return fake_llm_server


def parsed_samples() -> list:
    """Every report of the sample files, parsed and merged as ingest does (sources: full paths)."""
    from ingest.merge import merge_reports
    from ingest.read import read_report_file
    from ingest.report import parse_text

    out = []
    for path in sorted(SAMPLES.iterdir()):
        out += parse_text(read_report_file(path), str(path))[0]
    return merge_reports(out)


def fake_vector(text: str) -> list[float]:
    """A deterministic unit vector for a text: store tests that need vectors, not a model."""
    import hashlib

    import numpy as np

    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return (v / np.linalg.norm(v)).tolist()


def assert_notes_equal_gold(report, gold: dict, *, prose: bool = True) -> None:
    """The report's marker -> note map is the hand-written gold map (eval/gold/footnotes/)."""
    assert set(report.markers) == set(gold["markers"])
    for marker, want in gold["markers"].items():
        note = report.notes[marker]
        assert note.status == want["status"], marker
        if want["status"] == "resolved":
            assert note.urls == want.get("urls", []), marker
            assert note.dngts_urls == want.get("dngts_urls", []), marker
            if prose:
                assert want.get("text_contains", "") in note.text, marker
