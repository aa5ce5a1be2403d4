"""The same ingest and answers against a real `chroma run` server on 127.0.0.1."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path_factory.mktemp("chroma")),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_ask_against_a_server(tmp_path, chroma_url, st_model):
    from index.config import Settings
    from index.engine import Dossier
    from ingest.pipeline import ingest

    settings = Settings(home=tmp_path / "home", chroma_url=chroma_url)
    first = ingest([SAMPLES], settings, embedder=st_model)
    assert first.reports == 7 and first.passages_embedded > 100
    again = ingest([SAMPLES], settings, embedder=st_model)
    assert again.passages_embedded == 0 and again.unchanged == 7
    assert not (Path(tmp_path / "home").glob("generations/*/chroma") and
                any((tmp_path / "home").glob("generations/*/chroma/*")))   # vectors live on the server
    d = Dossier.open(settings)
    res = d.search("Almaz-Antey air defense deal", k=3)
    assert any("Almaz-Antey" in r["text"] for r in res["results"])
    a = d.ask("Which Russian unit has trained with Belarusian forces since September 17?")
    assert not a["abstained"] and "234th" in a["answer"][0]["text"]
    assert a["citations"][0]["footnotes"][0]["urls"][0] == "https://www.fontanka(.)ru/2014/08/26/030/"
