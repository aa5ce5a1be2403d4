"""A first ingest is written group by group (ingest/pipeline.py `_first_ingest`): whatever the
group size, the generation is the one a single group gives, row for row, and a report with
copies in several files is merged from all of them."""
from __future__ import annotations

import json
import sqlite3

from eval.bench.standin import StandInEncoder
from index.config import Settings
from index.store.store import current_generation
from index.store.vectors import load_mirror
from ingest import pipeline


def _generation(home) -> dict:
    gen = current_generation(home)
    con = sqlite3.connect(gen / "dossier.db")
    try:
        tables = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                  for t in ("reports", "notes", "files", "summaries", "passages")}
        change = json.loads(con.execute("SELECT change FROM changes").fetchone()[0])
        passage_order = [pid for (pid,) in con.execute("SELECT id FROM passages ORDER BY rowid")]
    finally:
        con.close()
    change.pop("generation")
    ids, matrix = load_mirror(gen)
    from index.config import Settings
    from index.store.store import chroma_client, close_client

    client = chroma_client(Settings(home=gen.parent.parent), gen)
    try:
        chroma_ids = set(client.get_collection("dossier_passages").get(include=[])["ids"])
    finally:
        close_client(client)
    docstore = json.loads((gen / "docstore.json").read_text())
    return {"tables": tables, "change": change, "mirror": dict(zip(ids, map(tuple, matrix))),
            "chroma": chroma_ids, "order": passage_order,
            "hashes": docstore.get("docstore/metadata", {})}


def test_a_first_ingest_in_groups_of_one_is_the_one_in_a_single_group(tmp_path, samples_copy, monkeypatch):
    summaries = {}
    for size in (pipeline.GROUP_REPORTS, 1):
        monkeypatch.setattr(pipeline, "GROUP_REPORTS", size)
        home = tmp_path / f"home{size}"
        s = pipeline.ingest([samples_copy], Settings(home=home), embedder=StandInEncoder()).to_dict()
        s.pop("seconds"), s.pop("generation")
        summaries[size] = (s, _generation(home))
    (whole, one), (grouped, each) = summaries[pipeline.GROUP_REPORTS], summaries[1]
    assert grouped == whole and grouped["added"] == 7 and grouped["reports"] == 7
    assert each == one
    assert sorted(one["change"]["added"]) == sorted(r[0] for r in one["tables"]["reports"])
    assert one["chroma"] == set(one["mirror"]) == {r[0] for r in one["tables"]["passages"]}
    assert len(one["hashes"]) == 7
    # the report copied in two files (September 16) names both and was merged from both
    sources = {r[0]: r for r in one["tables"]["reports"]}
    both = [row for row in sources.values() if "000_08cac09e5d9ef787.txt" in str(row) and "001_2615153153a8a9b8.txt" in str(row)]
    assert len(both) == 1
