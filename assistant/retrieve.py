"""Hybrid retrieval: dense (vector store) + lexical (BM25), fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from core.documents import Chunk
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex, hits_from
from vectorstore.models import Filters, Hit
from vectorstore.store import VectorStore

from .fusion import reciprocal_rank_fusion

_SCOPE_FIELDS = ("province", "district", "year_min", "year_max")


class Retriever:
    def __init__(
        self, store: VectorStore, embedder: Embedder, lexical: LexicalIndex, candidates: int = 40, rrf_k: int = 60
    ):
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.candidates = candidates
        self.rrf_k = rrf_k
        self._last: tuple[str, list[float]] | None = None

    def embed(self, text: str) -> list[float]:
        """The text's query vector. A brief ranks the same topic once per kind of document, and
        answering compares sentences with the question it just retrieved for: embed it once."""
        last = self._last
        if last is None or last[0] != text:
            last = self._last = (text, self.embedder.embed_query(text))
        return last[1]

    def _ranked(
        self, text: str, n: int, filters: Filters, vector: list[float], have: dict[str, Chunk]
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(dense, lexical) rankings as (chunk id, score); chunks Chroma returned go into `have`."""
        lexical = self.lexical.search(text, n, filters)
        if filters.is_empty() or self.lexical.vectors is None:
            found = self.store.search(vector, n, filters)  # HNSW over the whole store
            have.update((h.chunk.id, h.chunk) for h in found)
            return [(h.chunk.id, h.score) for h in found], lexical
        # Within a filter: the index's own vectors (see vectorstore.lexical).
        return self.lexical.dense_search(vector, n, filters), lexical

    def retrieve(
        self,
        text: str,
        k: int,
        filters: Filters | None = None,
        scopes: Sequence[Filters] = (),
        *,
        exclude: frozenset[str] = frozenset(),
        rerank: Callable[[list[Hit]], list[Hit]] | None = None,
    ) -> list[Hit]:
        """Dense and BM25 rankings within `filters`, and again within each of `scopes` (the district
        or province a question names), all fused: passages of the named place rise without the
        guess hiding a provincial report that answers for a district."""
        filters = filters or Filters()
        n = self.candidates + 10 * len(exclude)
        vector = self.embed(text)  # once, for every ranking
        ranked: dict[str, list[tuple[str, float]]] = {}
        have: dict[str, Chunk] = {}
        tries = [replace(filters, **{f: getattr(s, f) for f in _SCOPE_FIELDS if getattr(s, f)}) for s in scopes]
        for i, f in enumerate([filters, *(t for t in tries if t != filters)]):
            ranked[f"dense{i}"], ranked[f"lexical{i}"] = self._ranked(text, n, f, vector, have)
        # One fetch for every ranking's passages: each store read costs ~10 ms, whatever its size.
        missing = list(dict.fromkeys(cid for r in ranked.values() for cid, _ in r if cid not in have))
        have.update((c.id, c) for c in self.store.chunks(missing))
        chunks = list(have.values())
        rankings = {name: hits_from(r, chunks, name.rstrip("0123456789")) for name, r in ranked.items()}
        fused = [h for h in reciprocal_rank_fusion(rankings, k=self.rrf_k) if h.chunk.source not in exclude]
        return (rerank(fused) if rerank else fused)[:k]

    def with_documents(self, hits: list[Hit], docs: int) -> list[Hit]:
        """The hits plus every other passage of the first `docs` files they come from, each
        ranked just below its file's best hit: the figure a question asks for is often a few
        paragraphs away from the passage that matches the question best."""
        tops = list(dict.fromkeys(h.chunk.source for h in hits))[:docs]
        best = {src: next(h.score for h in hits if h.chunk.source == src) for src in tops}
        out = [
            replace(h, score=best[h.chunk.source] - 1e-6)
            if h.chunk.source in best and h.score < best[h.chunk.source]
            else h
            for h in hits
        ]
        have = {h.chunk.id for h in hits}
        rest = [cid for source in tops for cid in self.lexical.ids_of(source) if cid not in have]
        out += [Hit(chunk=c, score=best[c.source] - 1e-6, ranks={}) for c in self.store.chunks(rest)]  # one read
        return sorted(out, key=lambda h: -h.score)
