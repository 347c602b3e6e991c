"""AnswerService: the one object the CLI, the API and the UI call."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np

from core.errors import DocumentNotFound, InvalidQuestion, StoreEmpty
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex, refresh_lexical
from vectorstore.models import Filters, Hit, StoredDocument
from vectorstore.store import VectorStore

from . import brief, evidence
from .answerers.base import Answerer, PartEvidence
from .brief_overview import write_overview
from .components import build_answerer, build_embedder, build_store, check_store_embedder
from .library import Library, LiveLibrary, index_stamp, rebuilt
from .models import Answer, AskRequest, Brief, BriefRequest, Turn
from .query import Constraints, Query, understand
from .rerank import rerank
from .settings import Settings

MAX_SESSIONS = 1000
SENTENCE_CACHE = 20000  # sentence vectors kept (384 floats each: ~30 MB)
MAX_HISTORY_TURNS = 12


BRIEF_CANDIDATES = 80  # fused passages a brief chooses its documents from
PER_KIND_MIN = 10  # and at least this many of each kind of document


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        store: VectorStore,
        embedder: Embedder,
        lexical: LexicalIndex,
        answerer: Answerer,
        *,
        stamp: tuple[int, int] | None = None,
        docs: list[StoredDocument] | None = None,
    ):
        """`stamp`: the lexical index's `index_stamp` from before `lexical` was loaded; `docs`: the
        store's file records when the caller has read them (default: read here)."""
        self.settings = settings
        self.answerer = answerer
        library = Library.build(store, lexical, embedder, settings.candidates, settings.rrf_k, docs=docs)
        # Documents an ingest adds while this runs are answered from once it ends, no restart.
        self.library = LiveLibrary(
            library,
            settings.lexical_path,
            lambda old: rebuilt(old, settings.lexical_path, embedder, settings.candidates, settings.rrf_k),
            stamp=stamp,
        )
        self._sessions: OrderedDict[str, list[Turn]] = OrderedDict()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # sentence -> vector
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "AnswerService":
        store = build_store(settings)
        stamp = index_stamp(settings.lexical_path)  # an ingest saving from here on is picked up after startup
        docs = store.documents()  # once: the index's check and the snapshot both need them
        lexical = refresh_lexical(store, settings.lexical_path, {d.source: d.key for d in docs})
        embedder = build_embedder(settings, settings.query_threads)
        check_store_embedder(store, embedder)  # another model's vectors: a clear error, not wrong answers
        return cls(settings, store, embedder, lexical, build_answerer(settings), stamp=stamp, docs=docs)

    # --- answering -------------------------------------------------------------------------
    @property
    def store(self) -> VectorStore:
        return self.library.current().store

    def validate(self, request: AskRequest, lib: Library | None = None) -> str:
        """The question, normalised; typed errors for what cannot be answered at all."""
        question = " ".join(request.question.split())
        if not question:
            raise InvalidQuestion("The question is empty.")
        if len(question) > self.settings.max_question_chars:
            raise InvalidQuestion(
                f"The question is too long ({len(question)} characters; "
                f"the limit is {self.settings.max_question_chars})."
            )
        if not (lib or self.library.current()).docs:
            raise StoreEmpty("No documents have been ingested yet: run `danvan ingest` first.")
        return question

    def ask(self, request: AskRequest) -> Answer:
        started = time.perf_counter()
        query, parts = self.evidence(request)
        answer = self.answerer.compose(query, parts)
        answer.seconds = round(time.perf_counter() - started, 3)
        self._remember(request.session, query.question, answer)
        return answer

    def evidence(self, request: AskRequest) -> tuple[Query, list[PartEvidence]]:
        """The question understood and, for each of its parts, the passages retrieved and the
        candidate sentences scored: what an answer is composed from (and what calibration fits)."""
        lib = self.library.current()  # one snapshot for the whole request
        question = self.validate(request, lib)
        history = list(request.history) or self._history(request.session)
        query = understand(question, history[-MAX_HISTORY_TURNS:], lib.districts)
        return query, self._evidence(lib, query, self._filters(request))

    def search(self, question: str, k: int, filters: Filters | None = None) -> list[Hit]:
        """The passages retrieval ranks first for a question on its own (no conversation), with
        the same query understanding and place scoping as answering."""
        lib = self.library.current()
        query = understand(" ".join(question.split()), [], lib.districts)
        return self._retrieve(lib, query.standalone, query.constraints, filters or Filters(), k=k)

    def brief(self, request: BriefRequest) -> Brief:
        """A sourced brief on a topic from many documents (see `assistant.brief`)."""
        started = time.perf_counter()
        topic = " ".join(request.topic.split())
        if not topic:
            raise InvalidQuestion("The topic is empty.")
        lib = self.library.current()
        if not lib.docs:
            raise StoreEmpty("No documents have been ingested yet: run `danvan ingest` first.")
        filters = self._filters(request)
        hits = lib.retriever.retrieve(topic, BRIEF_CANDIDATES, filters)
        if not filters.doc_type and len(lib.kinds) > 1:
            # Each kind of document ranked on its own too: at 20k documents a topic's best 80
            # passages were all plans titled with it, and no report said what had been done.
            per_kind = max(PER_KIND_MIN, BRIEF_CANDIDATES // len(lib.kinds))
            for kind in lib.kinds:
                hits += lib.retriever.retrieve(topic, per_kind, replace(filters, doc_type=kind))
            hits = sorted({h.chunk.id: h for h in reversed(hits)}.values(), key=lambda h: -h.score)
        applied = {k: v for k, v in (request.filters.model_dump() if request.filters else {}).items() if v is not None}
        result = brief.build(
            topic,
            hits,
            lib.lexical.idf,
            lambda s: self._document(lib, s).text,
            max_documents=request.max_documents,
            min_support=self.settings.min_support,
            filters=applied,
        )
        if self.answerer.chat is not None:
            result = write_overview(result, self.answerer.chat)
        result.seconds = round(time.perf_counter() - started, 3)
        return result

    def stream(self, request: AskRequest) -> Iterator[str | Answer]:
        """Text deltas, then the final Answer. The extractive answer exists whole at once; it is
        sent in pieces so that clients are written once for every backend."""
        answer = self.ask(request)
        words = answer.answer.split(" ")
        for i in range(0, len(words), 4):
            yield " ".join(words[i : i + 4]) + (" " if i + 4 < len(words) else "")
        yield answer

    def _filters(self, request: AskRequest | BriefRequest) -> Filters:
        f = request.filters
        if f is None:
            return Filters()
        return Filters(
            province=f.province or None,
            doc_type=f.doc_type or None,
            year_min=f.year or f.year_from,
            year_max=f.year or f.year_to,
        )

    @staticmethod
    def _scopes(lib: Library, constraints: Constraints) -> list[Filters]:
        """Narrower places to rank within as well: the district a question names and its province
        (when the store knows the place and the question names only one)."""
        provinces = {p.name for p in constraints.places if p.kind == "province"}
        districts = {p.name for p in constraints.places if p.kind == "district"}
        if len(provinces) > 1 or len(districts) > 1:
            return []
        district = next(iter(districts), None)
        province = next(iter(provinces), None) or lib.district_province.get(district)
        scopes = [Filters(district=district, province=next(iter(provinces), None))] if district else []
        return scopes + ([Filters(province=province)] if province else [])

    def _retrieve(
        self,
        lib: Library,
        text: str,
        constraints: Constraints,
        filters: Filters,
        *,
        exclude: frozenset[str] = frozenset(),
        k: int | None = None,
    ) -> list[Hit]:
        return lib.retriever.retrieve(
            text,
            k or self.settings.top_k,
            filters,
            self._scopes(lib, constraints),
            exclude=exclude,
            rerank=lambda hits: rerank(hits, constraints, self.settings.rerank_weight),
        )

    def _similarity(self, lib: Library, text: str) -> Callable[[list[str]], list[float]]:
        """Cosines of sentences to `text` (what was just retrieved for, so its vector is cached)."""
        question = np.asarray(lib.retriever.embed(text), dtype=np.float32)

        def cosines(texts: list[str]) -> list[float]:
            return (self._sentence_vectors(lib.retriever.embedder, texts) @ question).tolist()

        return cosines

    def _sentence_vectors(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        # Questions about one document keep meeting its sentences: embed each once.
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(
                (t, np.asarray(v, dtype=np.float32)) for t, v in zip(missing, embedder.embed_documents(missing))
            )
            with self._lock:
                self._vectors.update((t, found[t]) for t in missing)
                while len(self._vectors) > SENTENCE_CACHE:
                    self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def _decision(self, max_units: int) -> evidence.Decision:
        s = self.settings
        return evidence.Decision(
            model=s.answer_model(), policy=s.answer_policy, max_units=max_units, min_support=s.min_support
        )

    def _evidence(self, lib: Library, query: Query, filters: Filters) -> list[PartEvidence]:
        s = self.settings
        if not query.parts:
            hits = lib.retriever.with_documents(
                self._retrieve(lib, query.standalone, query.constraints, filters), s.expand_docs
            )
            sel = evidence.select(
                query.question,
                query.context,
                query.constraints,
                hits,
                lib.lexical.idf,
                decision=self._decision(s.max_quotes),
                previous_answer=query.previous_answer,
                similarity=self._similarity(lib, query.standalone),
            )
            return [PartEvidence(None, query.question, hits, sel)]
        parts, used = [], set()
        # Most specific place first, so "Que Phong ... and Nghe An province" gives the province part
        # a different document from the district's.
        order = sorted(query.parts, key=lambda p: 0 if any(pl.kind == "district" for pl in p.constraints.places) else 1)
        for part in order:
            # The rest of the question lends its words at a lower weight ("Compare the working days ... in X and in Y").
            context = query.question.replace(part.text, " ")
            text = f"{part.text} {context}"
            hits = lib.retriever.with_documents(
                self._retrieve(lib, text, part.constraints, filters, exclude=frozenset(used)), s.expand_docs
            )
            sel = evidence.select(
                part.text,
                context,
                part.constraints,
                hits,
                lib.lexical.idf,
                decision=self._decision(1),
                similarity=self._similarity(lib, text),
            )
            used |= {u.chunk.source for u in sel.units}
            # What tells the parts apart: the place, else the year.
            label = (
                part.constraints.places[0].name
                if len({p.constraints.places[:1] for p in query.parts}) > 1
                else str(part.constraints.years[0])
                if part.constraints.years
                else None
            )
            parts.append((query.parts.index(part), PartEvidence(label, part.text, hits, sel)))
        return [p for _, p in sorted(parts, key=lambda x: x[0])]

    # --- conversations ---------------------------------------------------------------------
    def _history(self, session: str | None) -> list[Turn]:
        if not session:
            return []
        with self._lock:
            return list(self._sessions.get(session, []))

    def _remember(self, session: str | None, question: str, answer: Answer) -> None:
        if not session:
            return
        with self._lock:
            turns = self._sessions.setdefault(session, [])
            turns += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]
            del turns[:-MAX_HISTORY_TURNS]
            self._sessions.move_to_end(session)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)

    # --- documents -------------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        return sorted(self.library.current().docs.values(), key=lambda d: d.source)

    def passage(self, chunk_id: str):
        found = self.library.current().store.chunks([chunk_id])
        if not found:
            raise DocumentNotFound(f"No passage {chunk_id!r} in the store.")
        return found[0]

    def facets(self) -> dict[str, list]:
        """Filter values the store actually has (for the UI's filter controls)."""
        docs = self.library.current().docs.values()
        years = {
            y for d in docs for y in range(d.meta.year_from or 0, (d.meta.year_to or d.meta.year_from or 0) + 1) if y
        }
        return {
            "provinces": sorted({d.meta.province for d in docs if d.meta.province}),
            "years": sorted(years),
            "doc_types": sorted({d.meta.doc_type for d in docs if d.meta.doc_type}),
        }

    def document(self, source: str) -> StoredDocument:
        return self._document(self.library.current(), source)

    @staticmethod
    def _document(lib: Library, source: str) -> StoredDocument:
        doc = lib.store.document(source) if source in lib.docs else None
        if doc is None:
            raise DocumentNotFound(f"No document named {source!r} in the store.")
        return doc
