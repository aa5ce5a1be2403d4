"""The lexical index scores as llama-index's BM25Retriever does, and one built from the
previous generation's terms (re-tokenising only the passages written anew) is the index a
clean build gives."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from index.store import lexical
from tests.conftest import parsed_samples


@pytest.fixture(scope="module")
def passages() -> list[tuple[str, str]]:
    from ingest.chunk import chunk_report

    return sorted((p.id, p.text) for r in parsed_samples() for p in chunk_report(r))


def _build(gen, rows, fresh=None):
    text = dict(rows)
    ids = [pid for pid, _ in rows]
    asked: list[str] = []

    def texts_of(chunk):
        asked.extend(chunk)
        return [text[pid] for pid in chunk]

    lexical.build(gen, ids, texts_of, fresh=set(ids) if fresh is None else fresh)
    return asked


def _postings(bm25_dir) -> dict[str, dict[str, float]]:
    """term -> {passage id: score}, whatever the term ids."""
    lex = lexical.Lexical(bm25_dir)
    data, indices, indptr = (np.asarray(lex.model.scores[k]) for k in ("data", "indices", "indptr"))
    out = {}
    for term, i in lex.vocab.items():
        if i + 1 < len(indptr):
            out[term] = {lex.ids[int(d)]: float(s) for d, s in zip(indices[indptr[i]:indptr[i + 1]],
                                                                    data[indptr[i]:indptr[i + 1]])}
    return out


def test_the_same_scores_as_llama_index_bm25_retriever(tmp_path, passages):
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    ref = tmp_path / "ref"
    BM25Retriever.from_defaults(nodes=[TextNode(id_=pid, text=t) for pid, t in passages],
                                similarity_top_k=10).bm25.save(str(ref), corpus=None, show_progress=False)
    (ref / "ids.json").write_text(json.dumps([pid for pid, _ in passages]))
    ours = tmp_path / "gen"
    ours.mkdir()
    _build(ours, passages)
    want, got = _postings(ref), _postings(ours / lexical.DIRNAME)
    assert len(want) > 1000 and set(got) == set(want)
    for term in want:
        assert got[term].keys() == want[term].keys(), term
        np.testing.assert_allclose([got[term][p] for p in want[term]], list(want[term].values()), rtol=1e-6)
    lex = lexical.Lexical(ours / lexical.DIRNAME)
    assert lex.search(["lukashenko", "putin"], 5)[0][1] > 0


def test_an_edit_tokenises_only_what_it_wrote_and_gives_the_clean_index(tmp_path, passages):
    base = tmp_path / "g1"
    base.mkdir()
    assert len(_build(base, passages)) == len(passages)
    # the next generation starts as a copy: 30 passages gone, 20 rewritten, 5 new
    gen = tmp_path / "g2"
    shutil.copytree(base, gen)
    rows = dict(passages[30:])
    rewritten = [pid for pid, _ in passages[100:120]]
    for pid in rewritten:
        rows[pid] = "Zyxwv quorble drills near Grodno; " + rows[pid]
    new = {f"zz-{i}": f"Frobnicated battalion number {i} arrived at Vileika." for i in range(5)}
    rows.update(new)
    after = sorted(rows.items())
    asked = _build(gen, after, fresh=set(rewritten) | set(new))
    assert sorted(asked) == sorted(rewritten + list(new))          # 25 texts read, not 700
    clean = tmp_path / "clean"
    clean.mkdir()
    _build(clean, after)
    got, want = _postings(gen / lexical.DIRNAME), _postings(clean / lexical.DIRNAME)
    assert set(got) == set(want) and "quorbl" in got and "frobnic" in got
    for term in want:
        assert got[term] == pytest.approx(want[term], rel=1e-6), term
    gone_only = set(_postings(base / lexical.DIRNAME)) - set(want)        # terms of removed passages only
    assert gone_only and not gone_only & set(lexical.Lexical(gen / lexical.DIRNAME).vocab)


def test_the_score_matrix_is_bm25s_own_bit_for_bit(tmp_path, passages):
    """lexical._scores computes all (passage, term) scores at once; bm25s's index() computes
    them passage by passage: the same float32 numbers, in the same CSC layout."""
    import bm25s

    gen = tmp_path / "gen"
    gen.mkdir()
    _build(gen, passages + [("zz-empty", "the of and")])          # a passage of stopwords only
    ids, vocab, flat, offsets = lexical._read_terms(gen / lexical.DIRNAME)
    lists = flat.tolist()
    ref = bm25s.BM25()
    ref.index(([lists[offsets[i]:offsets[i + 1]] for i in range(len(ids))],
               {t: i for i, t in enumerate(vocab) if t != ""}), show_progress=False)
    ours = lexical.Lexical(gen / lexical.DIRNAME).model.scores
    for key in ("data", "indices", "indptr"):
        a, b = np.asarray(ours[key]), np.asarray(ref.scores[key])
        assert a.dtype == b.dtype and np.array_equal(a, b), key
    assert int(ours["num_docs"]) == ref.scores["num_docs"] == len(passages) + 1


def test_search_gives_bm25s_scores_best_first_ties_in_index_order_and_keeps_to_a_scope(tmp_path, passages):
    """search takes the top k itself (bm25s.retrieve's argpartition over every passage's score
    costs 330 ms a question at 1.7 million passages): the same passages and scores as
    bm25s.retrieve, best first, passages of equal score in index order, and with `allowed`
    the best of those passages only, however low they rank overall."""
    from index.text.words import terms

    gen = tmp_path / "gen"
    gen.mkdir()
    doubled = passages + [(pid + "-copy", t) for pid, t in passages]    # every score tied with a copy
    _build(gen, doubled)
    lex = lexical.Lexical(gen / lexical.DIRNAME)
    order = {pid: i for i, pid in enumerate(lex.ids)}
    for q in ["Which Russian regiment trained near Brest?", "Lukashenko oil tariffs", "Zapad 2021 exercise"]:
        known = [t for t in terms(q) if t in lex.vocab]
        got = lex.search(terms(q), 9)
        idx, scores = lex.model.retrieve([known], k=9, show_progress=False)
        assert [s for _, s in got] == [float(s) for s in scores[0] if s > 0]
        assert all(a[1] > b[1] or (a[1] == b[1] and order[a[0]] < order[b[0]]) for a, b in zip(got, got[1:]))
        assert any(a[1] == b[1] for a, b in zip(got, got[1:]))           # the copies are there, tied
        everything = lex.search(terms(q), len(lex.ids))
        allowed = {pid for pid, _ in everything[-4:]}                   # the four weakest matches
        assert lex.search(terms(q), 3, allowed) == [h for h in everything if h[0] in allowed][:3]
    assert lex.search(["zzzzunknown"], 5) == [] and lex.search(terms("Brest"), 5, set()) == []
