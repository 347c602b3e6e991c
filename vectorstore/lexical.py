"""BM25 over the same chunks as the vector store (bm25s), persisted beside it, with each chunk's
filter fields and vector for rankings within a filter.

The index records the fingerprint of the store it was built from; a mismatch means the store has
changed and the index is rebuilt from the store's chunks, so both always describe the same data.

Why vectors here too: Chroma's HNSW answers for the whole store in a few milliseconds, but a query
with a `where` filter cost 30-50 ms of CPU at 19k chunks whatever the filter matched, and grows
with the store; a dot product over the rows a filter keeps costs about a millisecond.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np

from ingest.models import Chunk

from .models import Filters, Hit, StoredDocument
from .tokenize import VERSION as TOKENIZER_VERSION, tokenize

_FILTER_FIELDS = ("source", "province", "district", "doc_type", "year_from", "year_to")


FORMAT = "2"  # 2: with vectors


def store_fingerprint(docs: list[StoredDocument]) -> str:
    digest = hashlib.sha1(f"tokenizer {TOKENIZER_VERSION} format {FORMAT}\n".encode())
    for key in sorted(f"{d.source}\x1f{d.key}" for d in docs):
        digest.update(key.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class LexicalIndex:
    def __init__(self, bm25: bm25s.BM25 | None, ids: list[str], fields: dict[str, list], df: dict[str, int], fingerprint: str,
                 vectors: np.ndarray | None = None):
        self._bm25 = bm25
        self.vectors = vectors  # float32, one unit row per id
        self.ids = ids
        self.fingerprint = fingerprint
        self._df = df
        self._n = len(ids)
        self._fields = {k: np.array(v, dtype=object) for k, v in fields.items()}
        # Unknown years never match a year filter: +inf / -inf keep them out of both bounds.
        self._year_from = np.array([np.inf if v is None else v for v in fields.get("year_from", [])], dtype=float)
        self._year_to = np.array([-np.inf if v is None else v for v in fields.get("year_to", [])], dtype=float)
        self._last: tuple[tuple[str, ...], np.ndarray] | None = None
        self._by_source: dict[str, list[str]] | None = None

    # --- building --------------------------------------------------------------------------
    @classmethod
    def build(cls, chunks: list[Chunk], fingerprint: str, vectors: np.ndarray | None = None) -> "LexicalIndex":
        tokens = [tokenize(c.embed_text) for c in chunks]
        df: Counter[str] = Counter()
        for toks in tokens:
            df.update(set(toks))
        bm25 = None
        if chunks:
            bm25 = bm25s.BM25()
            bm25.index(tokens, show_progress=False)
        fields = {
            name: [getattr(c.meta, name, None) if name != "source" else c.source for c in chunks]
            for name in _FILTER_FIELDS
        }
        return cls(bm25, [c.id for c in chunks], fields, dict(df), fingerprint, vectors)

    def save(self, folder: Path) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp / "bm25"), show_progress=False)
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", self.vectors)
        fields = {k: v.tolist() for k, v in self._fields.items()}
        (tmp / "index.json").write_text(
            json.dumps({"ids": self.ids, "fields": fields, "df": self._df, "fingerprint": self.fingerprint})
        )
        # Swap in whole: a reader never sees half an index.
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex | None":
        try:
            data = json.loads((folder / "index.json").read_text())
            bm25 = bm25s.BM25.load(str(folder / "bm25")) if data["ids"] else None
            vectors = np.load(folder / "vectors.npy") if (folder / "vectors.npy").exists() else None
        except (OSError, ValueError, KeyError):
            return None
        return cls(bm25, data["ids"], data["fields"], data["df"], data["fingerprint"], vectors)

    # --- querying --------------------------------------------------------------------------
    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency over chunks (also used to weight answer terms)."""
        df = self._df.get(token, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def ids_of(self, source: str) -> list[str]:
        """The chunk ids of one file, in document order."""
        if self._by_source is None:
            by_source: dict[str, list[str]] = {}
            for cid, src in zip(self.ids, self._fields.get("source", [])):
                by_source.setdefault(src, []).append(cid)
            self._by_source = by_source
        return self._by_source.get(source, [])

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty() or not self._n:
            return None
        keep = np.ones(self._n, dtype=bool)
        for name in ("province", "district", "doc_type"):
            value = getattr(filters, name)
            if value:
                keep &= self._fields[name] == value
        if filters.sources:
            keep &= np.isin(self._fields["source"], list(filters.sources))
        if filters.year_max:
            keep &= self._year_from <= filters.year_max
        if filters.year_min:
            keep &= self._year_to >= filters.year_min
        return keep

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first; only chunks that share a term with the query."""
        if self._bm25 is None or k <= 0:
            return []
        tokens = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        key = tuple(tokens)
        last = self._last
        if last is not None and last[0] == key:  # the same question, ranked again within a scope
            scores = last[1]
        else:
            scores = self._bm25.get_scores(tokens)
            self._last = (key, scores)
        keep = self.mask(filters)
        if keep is not None:
            scores = np.where(keep, scores, 0.0)
        return [(self.ids[i], float(scores[i])) for i in _top(scores, k) if scores[i] > 0]


    def dense_search(self, vector: list[float], k: int, filters: Filters) -> list[tuple[str, float]]:
        """(chunk id, cosine) best first among the chunks `filters` keeps (vectors are unit)."""
        keep = self.mask(filters)
        if self.vectors is None or keep is None or k <= 0:
            return []
        rows = np.flatnonzero(keep)
        if not len(rows):
            return []
        scores = self.vectors[rows] @ np.asarray(vector, dtype=np.float32)
        return [(self.ids[rows[i]], float(scores[i])) for i in _top(scores, k)]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first."""
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top])]


def hits_from(ranked: list[tuple[str, float]], chunks: list[Chunk], name: str = "lexical") -> list[Hit]:
    by_id = {c.id: c for c in chunks}
    return [
        Hit(chunk=by_id[cid], score=score, ranks={name: rank})
        for rank, (cid, score) in enumerate(ranked, start=1)
        if cid in by_id
    ]
