"""Hybrid retrieval: dense (vector store) + lexical (BM25), fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import replace

from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex, hits_from
from vectorstore.models import Filters, Hit
from vectorstore.store import VectorStore

from .fusion import reciprocal_rank_fusion


class Retriever:
    def __init__(self, store: VectorStore, embedder: Embedder, lexical: LexicalIndex, candidates: int = 40, rrf_k: int = 60):
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.candidates = candidates
        self.rrf_k = rrf_k

    def retrieve(self, text: str, k: int, filters: Filters | None = None, exclude: frozenset[str] = frozenset(),
                 vector: list[float] | None = None) -> list[Hit]:
        n = self.candidates + 10 * len(exclude)
        dense = self.store.search(vector or self.embedder.embed_query(text), n, filters)
        ranked = self.lexical.search(text, n, filters)
        have = {h.chunk.id: h.chunk for h in dense}
        missing = [cid for cid, _ in ranked if cid not in have]
        lexical = hits_from(ranked, [*have.values(), *self.store.chunks(missing)])
        fused = reciprocal_rank_fusion({"dense": dense, "lexical": lexical}, k=self.rrf_k)
        return [h for h in fused if h.chunk.source not in exclude][:k]

    def retrieve_scoped(self, text: str, k: int, filters: Filters, scope: Filters, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """Within `scope` (e.g. the province a question names) when that finds anything, else
        without it: a wrong guess about scope must not hide the answer."""
        merged = replace(filters, **{f: getattr(scope, f) for f in ("province", "district", "year_min", "year_max") if getattr(scope, f)})
        vector = self.embedder.embed_query(text)  # once, for both tries
        return self.retrieve(text, k, merged, exclude, vector) or self.retrieve(text, k, filters, exclude, vector)
