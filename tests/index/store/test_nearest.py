"""The dense search finds the nearest passages, not nearly the nearest: the collections an ingest
writes search their HNSW graph widely enough (index/store/store.py COLLECTION_METADATA) that the
five nearest of 1,500 passages are always the five returned. At Chroma's default breadth these
vectors lost one of the exact five for 4 of the 60 questions."""
from __future__ import annotations

import numpy as np


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_the_five_nearest_passages_are_found(tmp_path):
    from index.config import Settings
    from index.store.store import Writer, chroma_client, close_client, collection_name
    from ingest.chunk import chunk_report
    from ingest.report import parse_text

    text = "Title: A long report\nDate: 2024-05-01\n\n" + "\n\n".join(
        f"Paragraph {i} records observation number {i} of the survey." for i in range(1500))
    (report,), _ = parse_text(text, str(tmp_path / "long.txt"))
    passages = chunk_report(report)
    assert len(passages) >= 1500
    rng = np.random.default_rng(0)
    centers = _unit(rng.normal(size=(40, 384)))

    def spread(n: int) -> np.ndarray:          # near a topic, far from exact: hard for a graph search
        return _unit(centers[rng.integers(0, 40, n)] + 3.0 * _unit(rng.normal(size=(n, 384))))

    vectors, questions = spread(len(passages)), spread(60)
    settings = Settings(home=tmp_path / "home")
    with Writer(settings, None) as w:
        w.put_passages([report.id], passages, vectors.tolist())
        w.put_reports([report], {}, dim=384)
        gen = w.commit()

    ids = [p.id for p in passages]
    client = chroma_client(settings, gen)
    try:
        collection = client.get_collection(collection_name(settings))
        lost = []
        for n, q in enumerate(questions):
            got = collection.query(query_embeddings=[q.tolist()], n_results=5, include=["distances"])["ids"][0]
            exact = [ids[i] for i in np.argsort(-(vectors @ q))[:5]]
            if set(exact) != set(got):
                lost.append(n)
    finally:
        close_client(client)
    assert lost == []
