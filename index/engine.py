"""Dossier: the one answer path that the command line, Slack, the eval and the bench call."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Sequence

from index.answer import choose as ans
from index.store import store as st
from index.config import Settings
from index.errors import UserInputError
from index.answer.question import read_question
from index.answer.retrieve import Hit, Retriever
from index.answer.scope import Resolved, Scope, resolve

MAX_QUESTION = 2000
ASK_K = 10            # passages retrieved for an answer
SUMMARY_REPORTS = 10  # "what's new since" summarizes at most this many reports, newest first


def check_question(question: str) -> str:
    q = " ".join((question or "").split())
    if not q:
        raise UserInputError("the question is empty: ask something, e.g. dossier ask \"Which Russian units exercised in Belarus?\"")
    if len(q) > MAX_QUESTION:
        raise UserInputError(f"the question is {len(q):,} characters long; ask in at most {MAX_QUESTION:,}")
    if not any(ch.isalnum() for ch in q):
        raise UserInputError("the question has no words, only punctuation")
    return q


def sentence_vectors(settings: Settings, encoder: Any, exact: bool) -> Any:
    """What scores sentences in meaning (index/answer/semantic.py): the ONNX export an ingest
    cached, in a warm process; the query encoder's numpy pass on the one-shot command line
    (no onnxruntime session to load) or without the export; None when the model runs neither
    (another kind of model: no semantic signal)."""
    from index.answer.semantic import SentenceVectors

    model = None
    if not exact:
        from index.encode.embed import cached_onnx_encoder

        try:
            model = cached_onnx_encoder(settings, threads=min(2, os.cpu_count() or 1))
        except Exception:  # noqa: BLE001 - a damaged or unloadable export: the numpy pass does the same
            model = None
    model = model or getattr(encoder, "_np", None)
    return SentenceVectors(model) if model is not None else None


def word_vectors(encoder: Any) -> Any:
    """Static word vectors of the query encoder's model, when it runs the numpy pass."""
    from index.answer.judge import WordVectors

    bert = getattr(encoder, "_np", None)
    if bert is None:
        return None
    return WordVectors(bert.tok, bert.w["embeddings.word_embeddings.weight"])


class Dossier:
    """An opened index. Follows `CURRENT`: after an ingest, the next question sees the new state."""

    def __init__(self, settings: Settings, *, encoder: Any = None, exact: bool = False,
                 answers: ans.AnswerConfig = ans.DEFAULT):
        self.settings = settings
        self.answers = answers              # which parts of the answer path are on (the eval's ablation)
        self._encoder = encoder
        self._exact = exact
        self._lock = threading.RLock()
        self._gen: Path | None = None
        self._open()

    @classmethod
    def open(cls, settings: Settings, *, encoder: Any = None, exact: bool = False,
             answers: ans.AnswerConfig = ans.DEFAULT) -> "Dossier":
        """exact=True searches the ingest's vector matrix instead of Chroma (embedded store
        only): same ranking, no `import chromadb`; what the one-shot command line uses."""
        return cls(settings, encoder=encoder, exact=exact, answers=answers)

    def _open(self) -> None:
        from index.store.generations import hold

        while True:               # a lease keeps the generation on disk while this reads it
            snap = st.Snapshot.open(self.settings)
            lease = hold(snap.gen)
            if lease is not None:
                break
            snap.close()          # removed between reading CURRENT and the lease: read it again
        try:
            self._bind(snap, lease)
        except BaseException:     # a reader that cannot open lets the generation go (a bot would keep it forever)
            snap.close()
            lease.release()
            raise

    def _bind(self, snap: "st.Snapshot", lease: Any) -> None:
        """Read generation `snap` (held by `lease`) and make it the one this Dossier answers from."""
        from index.store.lexical import Lexical

        if self._encoder is None:
            from index.encode.embed import QueryEncoder

            self._encoder = QueryEncoder(self.settings)
        built_dim = int(snap.meta.get("dim") or 0)
        enc_dim = getattr(self._encoder, "dim", None)
        if built_dim and enc_dim and built_dim != enc_dim:
            from index.errors import StoreMismatch

            raise StoreMismatch(f"the index at {self.settings.home} holds {built_dim}-dim vectors but model "
                                f"{self.settings.model_name!r} gives {enc_dim}; rebuild with: dossier ingest "
                                f"--rebuild --home {self.settings.home} PATH...")
        collection = None
        client = None
        if self._exact and not self.settings.chroma_url:
            from index.store.vectors import ExactIndex, load_mirror

            mirror = load_mirror(snap.gen)
            collection = ExactIndex(*mirror, reports_of=snap.passage_reports) if mirror is not None else None
        if collection is None:
            client = st.chroma_client(self.settings, snap.gen)
            try:
                collection = client.get_collection(st.collection_name(self.settings))
            except Exception:  # noqa: BLE001 - chroma raises various errors for a missing collection
                from index.errors import IndexEmpty

                raise IndexEmpty(f"the index at {self.settings.home} has no passages; run `dossier ingest PATH`") from None
        bm25_dir = snap.gen / "bm25"
        lex = Lexical(bm25_dir) if (bm25_dir / "ids.json").exists() else None
        old, old_client = getattr(self, "snapshot", None), getattr(self, "_client", None)
        old_lease = getattr(self, "_lease", None)
        self.snapshot, self.collection, self.lex, self._client = snap, collection, lex, client
        self._lease = lease
        self.retriever = Retriever(collection, self._encoder, lex, snap)
        self._vectors = word_vectors(self._encoder)
        from index.answer.evidence import Reports

        self._reports = Reports(snap)              # reports read once per generation, for the answers
        if getattr(self, "_semantic", None) is None:
            self._semantic = sentence_vectors(self.settings, self._encoder, self._exact)
        else:
            self._semantic.clear()          # a new generation: its passages may differ
        if self._semantic is not None:      # one forward pass of the question serves retrieval and the answer
            semantic, lex_of = self._semantic, lambda: self.lex
            self.retriever.embed = lambda text: semantic.question(
                text, weight=lex_of().idf if lex_of() is not None else None).vector
        self._gen = snap.gen
        if old is not None:
            old.close()
        if old_client is not None and old_client is not client:
            st.close_client(old_client)     # else each ingest leaks its files, and deleted generations their disk
        if old_lease is not None:
            old_lease.release()             # the next ingest may remove that generation now

    def _refresh(self) -> None:
        gen = st.current_generation(self.settings.home)
        if gen is not None and gen != self._gen:
            self._open()

    # ------------------------------------------------------------------ public API
    def ask(self, question: str, *, context: Sequence[str] = (), scope: Scope | None = None) -> dict:
        """The extractive answer: the `dossier ask --json` contract. With a scope, only the
        reports in it are searched and the answer's "scope" says what was searched."""
        return self._answer(question, context, ranked=False, scope=scope)[0]

    def ask_ranked(self, question: str, *, context: Sequence[str] = (),
                   scope: Scope | None = None) -> tuple[dict, list[dict]]:
        """The extractive answer and the passages retrieved for it (best first, search-shaped),
        from one retrieval: what a generated answer shows the model beyond the cited passages."""
        return self._answer(question, context, ranked=True, scope=scope)

    def resolve_scope(self, scope: Scope | None) -> Resolved | None:
        """The scope applied to the current reports (UserInputError when it names no report)."""
        if not scope:
            return None
        with self._lock:
            self._refresh()
            return resolve(scope, self.snapshot.reports())

    def _answer(self, question: str, context: Sequence[str], *, ranked: bool,
                scope: Scope | None = None) -> tuple[dict, list[dict]]:
        q = check_question(question)
        ctx = " ".join(c for c in context if c)[-MAX_QUESTION:]
        asked = read_question(q)
        if ctx and asked.names_nothing:
            asked = read_question(f"{ctx} {q}")   # "Since when?" in a thread asks it of the earlier question
        with self._lock:
            self._refresh()
            scoped = resolve(scope, self.snapshot.reports()) if scope else None
            hits = self.retriever.retrieve(asked, k=ASK_K, context=ctx, scope=scoped.ids if scoped else None)
            decision = ans.decide(asked, hits, self.snapshot, self.lex, context=ctx, vectors=self._vectors,
                                  semantic=self._semantic, config=self.answers, reports=self._reports)
            self.last_decision = decision
            by_id = {h.id: h for h in hits}
            citations = [dict(self._passage(by_id.get(pid) or _cited_hit(pid, decision, hits)), n=n)
                         for n, pid in enumerate(decision.cited, 1)]
            passages = [self._passage(h) for h in hits] if ranked else []
        result = {"question": q, "abstained": decision.abstained, "answer": decision.sentences,
                  "citations": citations}
        if decision.unanswered:
            result["unanswered"] = decision.unanswered
        if scoped is not None:
            result["scope"] = scoped.to_dict()
        return result, passages

    def search(self, question: str, *, k: int = 5, mode: str = "hybrid", scope: Scope | None = None) -> dict:
        if mode not in ("hybrid", "dense", "bm25"):
            raise UserInputError(f"unknown search mode {mode!r}: use hybrid, dense or bm25")
        if k < 1 or k > 100:
            raise UserInputError("-k must be between 1 and 100")
        q = check_question(question)
        with self._lock:
            self._refresh()
            scoped = resolve(scope, self.snapshot.reports()) if scope else None
            hits = self.retriever.retrieve(read_question(q), k=k, mode=mode, scope=scoped.ids if scoped else None)
            result = {"question": q, "results": [self._passage(h) for h in hits]}
            if scoped is not None:
                result["scope"] = scoped.to_dict()
            return result

    def summary(self, scope: Scope | None = None, *, question: str = "") -> dict:
        """The extractive summaries of the reports in scope (default: the latest report), newest
        report first, in the shape of an answer: each report's key judgments (index/summary.py,
        stored at ingest) quoted with their citations; "summary" lists the reports in order with
        how many sentences each has."""
        with self._lock:
            self._refresh()
            reports = self.snapshot.reports()
            scoped = resolve(scope or Scope(latest=True), reports)
            result = self._summaries(self.snapshot, list(scoped.ids[:SUMMARY_REPORTS]), reports)
        named = [f"{reports[rid].get('title') or 'untitled report'}" + (f" ({reports[rid]['date']})" if reports[rid].get("date")
                                                                        else "") for rid in scoped.ids[:3]]
        more = f" and {len(scoped.ids) - 3} more" if len(scoped.ids) > 3 else ""
        result["question"] = question or f"Summary of {'; '.join(named)}{more}"
        result["scope"] = scoped.to_dict()
        if len(scoped.ids) > SUMMARY_REPORTS:
            result["scope"]["searched"] += f"; the newest {SUMMARY_REPORTS} of {len(scoped.ids)} reports are summarized"
        return result

    def _summaries(self, snap: st.Snapshot, ids: list[str], reports: dict[str, dict]) -> dict:
        from index.summary import summarize

        stored = snap.summaries(ids)
        sentences: list[dict] = []
        numbers: dict[str, int] = {}
        parts = []
        for rid in ids:
            picked = stored.get(rid)
            if picked is None:                   # a generation written before summaries were stored
                picked = _summarize_now(snap, rid, summarize)
            n_before = len(sentences)
            for sent in picked:
                if not sent.get("passage_id"):
                    continue
                n = numbers.setdefault(sent["passage_id"], len(numbers) + 1)
                sentences.append({"text": sent["text"], "citations": [n], "markers": list(sent["markers"])})
            r = reports.get(rid, {})
            parts.append({"report_id": rid, "title": r.get("title", ""), "date": r.get("date", ""),
                          "sentences": len(sentences) - n_before})
        citations = [dict(self._passage(Hit(pid, 0.0), snap), n=n) for pid, n in numbers.items()]
        return {"question": "", "abstained": not sentences, "answer": sentences, "citations": citations,
                "summary": parts}

    def generations(self) -> list[Path]:
        """The complete generations under the home, oldest first (what the digest walks)."""
        from index.store.generations import generations_dir

        gens = generations_dir(self.settings.home)
        if not gens.is_dir():
            return []
        return sorted(p for p in gens.iterdir() if p.is_dir() and "." not in p.name)

    def news(self, gen: Path) -> dict | None:
        """What the ingest that wrote generation `gen` changed, for the digest: the reports it
        added (each with its summary, answer-shaped), updated (passages added and removed, notes
        now available) and removed. None when the generation is gone or predates this record;
        a dict with nothing in it when the ingest changed no report."""
        try:
            snap = st.Snapshot.at(self.settings, gen)
        except Exception:  # noqa: BLE001 - deleted (only the last few are kept) or damaged: nothing to say
            return None
        try:
            change = snap.change()
            if change is None or change.get("generation") != gen.name or change.get("baseline"):
                return None
            reports = snap.reports()
            added = []
            for rid in change.get("added", []):
                if rid in reports:
                    added.append({"report": reports[rid], "summary": self._summaries(snap, [rid], reports)})
            updated = []
            for u in change.get("updated", []):
                if u["id"] not in reports:
                    continue
                notes = snap.notes(u["id"], list(u.get("notes_available", [])))
                updated.append({"report": reports[u["id"]], "passages_added": u.get("passages_added", 0),
                                "passages_removed": u.get("passages_removed", 0),
                                "notes_available": [notes[m] for m in u.get("notes_available", [])]})
            return {"generation": gen.name, "added": added, "updated": updated, "removed": change.get("removed", [])}
        finally:
            snap.close()

    def reports(self) -> list[dict]:
        with self._lock:
            self._refresh()
            rows = self.snapshot.reports()
        return sorted(rows.values(), key=lambda r: (r["date"] or "0000", r["title"]), reverse=True)

    def notes(self, report: str | None = None) -> list[dict]:
        """Every footnote marker of one report (an id or a fragment of one title), or of every
        report, in reading order with its note (index/footnote_list.py); newest report first."""
        from index.answer.scope import match_reports
        from index.footnote_list import marker_rows

        with self._lock:
            self._refresh()
            reports = self.snapshot.reports()
            ids = [match_reports(report, reports)] if report else [
                r["id"] for r in sorted(reports.values(), key=lambda r: (r["date"] or "0000", r["title"]), reverse=True)]
            rows: list[dict] = []
            for rid in ids:
                record = self.snapshot.report(rid)
                if record is not None:
                    rows += marker_rows(record)
            return rows

    def report_notes(self, report_id: str) -> dict[str, dict]:
        with self._lock:
            return self.snapshot.notes(report_id)

    def stats(self) -> dict:
        reports = self.reports()
        dates = sorted(r["date"] for r in reports if r["date"])
        return {"reports": len(reports), "passages": sum(r["passages"] for r in reports),
                "first_date": dates[0] if dates else "", "last_date": dates[-1] if dates else "",
                "last_ingest": self.snapshot.meta_value("last_ingest"), "model": self.snapshot.meta_value("model")}

    def close(self) -> None:
        self.snapshot.close()
        if getattr(self, "_client", None) is not None:
            st.close_client(self._client)
            self._client = None
        if getattr(self, "_lease", None) is not None:
            self._lease.release()
            self._lease = None

    # ------------------------------------------------------------------ shapes
    def _passage(self, hit: Hit, snap: st.Snapshot | None = None) -> dict:
        snap = snap or self.snapshot
        p = snap.passages([hit.id]).get(hit.id)
        if p is None:
            return {"passage_id": hit.id, "report": {}, "text": "", "score": round(hit.score, 4), "footnotes": []}
        r = snap.reports([p["report_id"]]).get(p["report_id"], {})
        notes = snap.notes(p["report_id"], p["markers"])
        shaped = {
            "passage_id": p["id"],
            "report": {"id": r.get("id", p["report_id"]), "title": r.get("title", ""), "date": r.get("date", ""),
                       "authors": r.get("authors", []), "sources": r.get("sources", [])},
            "text": p["text"],
            "kind": p["kind"],
            "score": round(hit.score, 4),
            "footnotes": [notes[m] for m in p["markers"]],
        }
        if p.get("pages"):                       # a PDF report's passage: the pages it came from
            shaped["pages"] = list(p["pages"])
            if p.get("page_labels"):             # and the numbers printed on them ("157" on PDF page 169)
                shaped["page_labels"] = list(p["page_labels"])
        if p.get("section"):                     # a structured report's passage: the headings it stands under
            shaped["section"] = p["section"]
        return shaped


def _cited_hit(pid: str, decision: ans.Decision, hits: list[Hit]) -> Hit:
    """A cited passage that retrieval did not return itself: the body passage holding the
    sentence a retrieved note is attached to. It is shown with that note passage's score."""
    notes = {f"{c.report_id}-n{c.via_note}" for c in decision.candidates if c.passage_id == pid and c.via_note}
    return Hit(pid, max((h.score for h in hits if h.id in notes), default=0.0))


def _summarize_now(snap: st.Snapshot, report_id: str, summarize: Any) -> list[dict]:
    """A report's summary computed from its stored text (generations from before summaries)."""
    record = snap.report(report_id)
    if record is None:
        return []
    picked = summarize(record)
    passages = snap.passages_of_report(report_id)
    for sent in picked:
        sent["passage_id"] = next((p["id"] for p in passages if p["kind"] == "body"
                                   and p["start"] <= sent["start"] and sent["end"] <= p["end"]), "")
    return picked
