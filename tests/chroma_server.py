"""A real `chroma run` server on 127.0.0.1 for the tests that need one (started, waited for, stopped)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path, timeout: float = 60) -> Iterator[str]:
    """Yields the server's URL; the server's data lives under `path`."""
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"chroma run did not start within {timeout:.0f} s") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def server_ids(url: str, corpus: str, database: str) -> set[str]:
    """The passage ids one generation's database holds, read with a fresh client."""
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings as S

    u = urlparse(url)
    client = chromadb.HttpClient(host=u.hostname, port=u.port, settings=S(anonymized_telemetry=False),
                                 tenant=corpus, database=database)
    return set(client.get_collection("dossier_passages").get(include=[])["ids"])


def server_databases(url: str, corpus: str) -> set[str]:
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings as S

    u = urlparse(url)
    admin = chromadb.AdminClient(S(anonymized_telemetry=False, chroma_api_impl="chromadb.api.fastapi.FastAPI",
                                   chroma_server_host=u.hostname, chroma_server_http_port=u.port))
    return {d["name"] if isinstance(d, dict) else d.name for d in admin.list_databases(tenant=corpus)}


def _client(url: str, corpus: str, database: str):
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings as S

    u = urlparse(url)
    return chromadb.HttpClient(host=u.hostname, port=u.port, settings=S(anonymized_telemetry=False),
                               tenant=corpus, database=database)


def generation_ids(url: str, gen: Path) -> set[str]:
    """The passage ids generation `gen` reads on the server: its layers' vectors less the dead
    ones it skips (index/store/layers.py), each layer holding what layers.json says; no passage
    is read twice. A generation from before layers: its own database's collection."""
    from index.store import layers
    from index.store.store import _gen_meta

    meta = _gen_meta(gen)
    listed = layers.read(gen)
    if listed is None:
        return server_ids(url, meta["corpus"], meta["chroma_database"])
    client = _client(url, meta["corpus"], meta["chroma_database"])
    live: list[str] = []
    for layer in listed:
        ids = client.get_collection(layer.name).get(include=[])["ids"]
        dead = set(layer.dead)              # a kill mid-delete may have removed some of them already
        mine = [i for i in ids if i not in dead]
        assert len(mine) == layer.live and len(ids) <= layer.vectors, (layer.name, len(ids), layer.vectors)
        live += mine
    assert len(live) == len(set(live)), "a passage is read from two layers"
    return set(live)


def home_ids(url: str, home: Path) -> set[str]:
    """generation_ids of the home's current generation."""
    from index.store.generations import current_generation

    return generation_ids(url, current_generation(home))


def server_collections(url: str, corpus: str, database: str) -> set[str]:
    return {c if isinstance(c, str) else c.name for c in _client(url, corpus, database).list_collections()}
