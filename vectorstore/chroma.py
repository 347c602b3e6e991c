"""Chroma implementation of VectorStore: embedded (PersistentClient) or a `chroma run` server.

Two collections: `<name>` holds chunks with their vectors; `<name>-docs` holds one record per file
(cleaned text, metadata, mean vector). A file counts as stored only once its docs record exists
with the same hash, which makes an interrupted ingest detectable and repairable.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone

import numpy as np

from core.documents import Chunk, Document

from .codec import chunk_from_flat, chunk_to_flat, meta_from_flat, meta_to_flat
from .models import Filters, Hit, StoredDocument


def _mean_unit(vectors: list[list[float]]) -> list[float]:
    dim = len(vectors[0])
    mean = [sum(v[i] for v in vectors) / len(vectors) for i in range(dim)]
    norm = math.sqrt(sum(x * x for x in mean)) or 1.0
    return [x / norm for x in mean]


def where_clause(filters: Filters | None) -> dict | None:
    """Chroma `where` for the filters (pure)."""
    if filters is None or filters.is_empty():
        return None
    terms: list[dict] = []
    if filters.province:
        terms.append({"province": filters.province})
    if filters.district:
        terms.append({"district": filters.district})
    if filters.doc_type:
        terms.append({"doc_type": filters.doc_type})
    if filters.year_max:
        terms.append({"year_from": {"$lte": filters.year_max}})
    if filters.year_min:
        terms.append({"year_to": {"$gte": filters.year_min}})
    if filters.sources:
        terms.append({"source": {"$in": list(filters.sources)}})
    return terms[0] if len(terms) == 1 else {"$and": terms}


SPELLINGS = 8  # of an embedded store's folder, in turn (see ChromaStore.persistent)
_HELD: dict[str, "ChromaStore"] = {}  # spelling -> the open reopened store using it
_HELD_LOCK = threading.RLock()


class ChromaStore:
    def __init__(self, client, name: str = "danvan"):
        self._client = client
        self.chunks_col = client.get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        self.docs_col = client.get_or_create_collection(
            f"{name}-docs", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        self._batch = max(1, min(client.get_max_batch_size(), 5000))
        self._reopen: Callable[[], ChromaStore] | None = None
        self._closed = False
        self._spelled = ""

    @classmethod
    def persistent(cls, path: str, name: str = "danvan", generation: int = 0) -> "ChromaStore":
        import chromadb
        from chromadb.config import Settings

        # Chroma keeps one client per path string, and its in-memory vector index never sees
        # chunks another process (an ingest) added. A reopen uses another spelling of the same
        # folder, which opens a fresh one; reopens cycle through SPELLINGS - 1 of them, and one
        # still held (by a handle that many reopens old) is closed first, or Chroma would hand
        # back that stale client. A plain open keeps the path as given: opens of it share a client.
        spelled = path if not generation else path.rstrip("/") + "/." * (1 + (generation - 1) % (SPELLINGS - 1))
        with _HELD_LOCK:
            held = _HELD.get(spelled) if generation else None
            if held is not None:
                held.close()
            store = cls(chromadb.PersistentClient(path=spelled, settings=Settings(anonymized_telemetry=False)), name)
            store._reopen = lambda: cls.persistent(path, name, generation + 1)
            store._spelled = spelled
            if generation:
                _HELD[spelled] = store
        return store

    @classmethod
    def http(cls, url: str, name: str = "danvan") -> "ChromaStore":
        from urllib.parse import urlparse

        import chromadb
        from chromadb.config import Settings

        u = urlparse(url)
        client = chromadb.HttpClient(
            host=u.hostname or "localhost",
            port=u.port or (443 if u.scheme == "https" else 8000),
            ssl=u.scheme == "https",
            settings=Settings(anonymized_telemetry=False),
        )
        return cls(client, name)

    # --- writing ---------------------------------------------------------------------------
    def write_documents(
        self, batch: list[tuple[Document, list[Chunk], list[list[float]]]], replace: bool = True, embedder: str = ""
    ) -> None:
        if not batch:
            return
        if replace:
            self.delete_sources([doc.source for doc, _, _ in batch])
        ids, vectors, texts, metas = [], [], [], []
        for doc, chunks, vecs in batch:
            ids += [c.id for c in chunks]
            vectors += vecs
            texts += [c.text for c in chunks]
            metas += [chunk_to_flat(c, doc.key, len(chunks), embedder) for c in chunks]
        for i in range(0, len(ids), self._batch):
            end = i + self._batch
            self.chunks_col.add(
                ids=ids[i:end], embeddings=vectors[i:end], documents=texts[i:end], metadatas=metas[i:end]
            )
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.docs_col.upsert(
            ids=[doc.source for doc, _, _ in batch],
            embeddings=[_mean_unit(vecs) for _, _, vecs in batch],
            documents=[doc.text for doc, _, _ in batch],
            metadatas=[
                {
                    **meta_to_flat(doc.meta),
                    "source": doc.source,
                    "key": doc.key,
                    "n_chunks": len(chunks),
                    "format": doc.format,
                    "ingested_at": now,
                }
                for doc, chunks, _ in batch
            ],
        )

    def delete_sources(self, sources: Iterable[str]) -> None:
        sources = list(sources)
        for i in range(0, len(sources), 500):
            part = sources[i : i + 500]
            # Marker first: a crash in between leaves chunks without a marker, which the next run
            # recognises as leftovers and removes.
            self.docs_col.delete(ids=part)
            self.chunks_col.delete(where={"source": {"$in": part}})

    # --- reading ---------------------------------------------------------------------------
    def _pages(self, col, include: list[str], where: dict | None = None) -> Iterator[dict]:
        """`col.get` results page by page (Chroma caps what one call returns)."""
        offset = 0
        while True:
            got = col.get(include=include, where=where, limit=self._batch, offset=offset)
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    def _get_all(self, col, include: list[str], where: dict | None = None) -> Iterator[tuple[str, dict, str | None]]:
        for got in self._pages(col, include, where):
            yield from zip(got["ids"], got["metadatas"], got.get("documents") or [None] * len(got["ids"]))

    def documents(self) -> list[StoredDocument]:
        return [self._stored(flat) for _, flat, _ in self._get_all(self.docs_col, ["metadatas"])]

    def document(self, source: str) -> StoredDocument | None:
        got = self.docs_col.get(ids=[source], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        return self._stored(got["metadatas"][0], got["documents"][0])

    @staticmethod
    def _stored(flat: dict, text: str = "") -> StoredDocument:
        return StoredDocument(
            source=flat["source"],
            key=flat["key"],
            n_chunks=int(flat["n_chunks"]),
            format=flat.get("format", ""),
            meta=meta_from_flat(flat),
            ingested_at=flat.get("ingested_at", ""),
            text=text or "",
        )

    def chunk_sources(self) -> set[str]:
        return {flat["source"] for _, flat, _ in self._get_all(self.chunks_col, ["metadatas"])}

    def iter_chunks(self, batch: int = 5000) -> Iterator[Chunk]:
        for cid, flat, text in self._get_all(self.chunks_col, ["metadatas", "documents"]):
            yield chunk_from_flat(cid, text or "", flat)

    def _by_ids(self, ids: list[str], include: list[str]) -> Iterator[dict]:
        """`col.get` of these chunk ids, in calls Chroma accepts (a long file's passages are many)."""
        for i in range(0, len(ids), self._batch):
            yield self.chunks_col.get(ids=ids[i : i + self._batch], include=include)

    def chunks(self, ids: list[str]) -> list[Chunk]:
        by_id = {
            cid: chunk_from_flat(cid, text, flat)
            for got in self._by_ids(ids, ["metadatas", "documents"])
            for cid, flat, text in zip(got["ids"], got["metadatas"], got["documents"])
        }
        return [by_id[i] for i in ids if i in by_id]

    def source_chunks(self, sources: list[str]) -> tuple[list[Chunk], np.ndarray]:
        chunks: list[Chunk] = []
        parts: list[np.ndarray] = []  # float32 batch by batch: Chroma hands out float64 rows
        for i in range(0, len(sources), 200):
            where = {"source": {"$in": sources[i : i + 200]}}
            for got in self._pages(self.chunks_col, ["metadatas", "documents", "embeddings"], where):
                chunks += [
                    chunk_from_flat(cid, text or "", flat)
                    for cid, flat, text in zip(got["ids"], got["metadatas"], got["documents"])
                ]
                parts.append(np.asarray(got["embeddings"], dtype=np.float32))
        order = sorted(range(len(chunks)), key=lambda j: (chunks[j].source, chunks[j].index))
        vectors = np.concatenate(parts)[order] if parts else np.zeros((0, 0), np.float32)
        return [chunks[j] for j in order], vectors

    def vectors(self, ids: list[str]) -> dict[str, tuple[list[float], str, str]]:
        return {
            cid: (list(vec), flat.get("title", ""), flat.get("embedder", ""))
            for got in self._by_ids(ids, ["embeddings", "metadatas"])
            for cid, vec, flat in zip(got["ids"], got["embeddings"], got["metadatas"])
        }

    def search(self, vector: list[float], k: int, filters: Filters | None = None) -> list[Hit]:
        if k <= 0:
            return []
        got = self.chunks_col.query(
            query_embeddings=[vector],
            n_results=k,
            where=where_clause(filters),
            include=["metadatas", "documents", "distances"],
        )
        hits = []
        rows = [
            r
            for r in zip(got["ids"][0], got["metadatas"][0], got["documents"][0], got["distances"][0])
            if r[1] is not None
        ]  # a handle opened before an ingest still ranks the chunks it deleted
        for rank, (cid, flat, text, dist) in enumerate(rows, start=1):
            hits.append(Hit(chunk=chunk_from_flat(cid, text, flat), score=1.0 - dist, ranks={"dense": rank}))
        return hits

    def count(self) -> int:
        return self.chunks_col.count()

    def stored_embedder(self) -> str | None:
        got = self.chunks_col.get(limit=1, include=["metadatas"])
        if not got["ids"]:
            return None
        return (got["metadatas"][0] or {}).get("embedder") or None

    def reopened(self) -> "ChromaStore":
        return self._reopen() if self._reopen else self  # a server's index is always current

    def close(self) -> None:
        """Once: the handle a reload retires is closed by a timer or by the reopen that needs its spelling."""
        with _HELD_LOCK:
            if self._reopen and not self._closed:
                self._closed = True
                self._client.close()
                if _HELD.get(self._spelled) is self:
                    del _HELD[self._spelled]
