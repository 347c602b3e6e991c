"""BM25 over the same chunks as the vector store (bm25s), persisted beside it, with each chunk's
filter fields and vector for rankings within a filter.

The index records the fingerprint of the store it was built from and the ingest key of each file; a
mismatch means the store has changed, and the index drops the files whose key changed or that are
gone and adds the chunks of files new to it, so both always describe the same data. Only what changed
is read from the store and tokenized (a full rebuild re-read and re-tokenized every chunk on every
ingest: minutes at 100k chunks); the BM25 weights are recomputed over every row with array
operations on the flat token ids (bm25s's own indexing loops over chunks in Python).

Why vectors here too: Chroma's HNSW answers for the whole store in a few milliseconds, but a query
with a `where` filter cost 30-50 ms of CPU at 19k chunks whatever the filter matched, and grows
with the store; a dot product over the rows a filter keeps costs about a millisecond.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import bm25s
import numpy as np

from core.documents import Chunk
from core.tokenize import tokenize, tokenizer_id

from .models import Filters, Hit

if TYPE_CHECKING:
    from .store import VectorStore

_FILTER_FIELDS = ("source", "province", "district", "doc_type", "year_from", "year_to")


FORMAT = "3"  # 2: with vectors; 3: with tokens and file keys (incremental updates)


def store_fingerprint(keys: dict[str, str]) -> str:
    """Of the store's files and their ingest keys (file -> key)."""
    digest = hashlib.sha1(f"tokenizer {tokenizer_id()} format {FORMAT}\n".encode())
    for key in sorted(f"{source}\x1f{k}" for source, k in keys.items()):
        digest.update(key.encode())
        digest.update(b"\n")
    return digest.hexdigest()


K1, B = 1.5, 0.75  # bm25s's defaults (Lucene BM25)


def bm25_matrix(tokens: np.ndarray, offsets: np.ndarray, n_vocab: int) -> tuple[dict, np.ndarray]:
    """Lucene BM25 weights of every (term, chunk) pair as the CSC matrix bm25s keeps (terms are
    columns), and each term's document frequency: the numbers `bm25s.BM25().index` computes,
    vectorized over flat token ids instead of a Python loop over chunks."""
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    chunk = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs, tf = np.unique(tokens.astype(np.int64) * n + chunk, return_counts=True)  # by term, then chunk
    term, chunk = np.divmod(pairs, n)
    df = np.bincount(term, minlength=n_vocab)
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    tf = tf.astype(np.float32)
    norm = (K1 * ((1 - B) + B * lengths / (lengths.mean() or 1.0))).astype(np.float32)
    data = idf[term] * (tf / (norm[chunk] + tf))
    indptr = np.concatenate([[0], np.cumsum(df)])
    index_type = np.int32 if len(data) < 2**31 else np.int64
    return {
        "data": data.astype(np.float32),
        "indices": chunk.astype(index_type),
        "indptr": indptr.astype(index_type),
        "num_docs": n,
    }, df


def as_bm25s(scores: dict, vocab: dict[str, int]) -> bm25s.BM25:
    """A bm25s retriever over precomputed weights, set up as its `index` leaves one."""
    bm25 = bm25s.BM25(k1=K1, b=B)
    bm25.scores = scores
    bm25.nonoccurrence_array = None
    bm25.vocab_dict = {**vocab, "": len(vocab)} if "" not in vocab else dict(vocab)  # index()'s empty token
    bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
    return bm25


class LexicalIndex:
    # The saved parts of an index, each named at its two call sites (load, update).
    def __init__(  # noqa: PLR0913
        self,
        bm25: bm25s.BM25 | None,
        ids: list[str],
        fields: dict[str, list],
        df: dict[str, int],
        fingerprint: str,
        *,
        vectors: np.ndarray | None = None,
        keys: dict[str, str] | None = None,
        vocab: list[str] | None = None,
        tokens: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
    ):
        self._bm25 = bm25
        self.vectors = vectors  # float32, one unit row per id
        self.ids = ids
        self.fingerprint = fingerprint
        # What an update needs: the file -> ingest key pairs the index was built from, and every
        # chunk's tokens (ids into `vocab`; chunk i is tokens[offsets[i]:offsets[i+1]]), so only
        # new chunks are fetched and tokenized.
        self.keys = keys or {}
        self._vocab = vocab or []
        self._tokens = tokens if tokens is not None else np.zeros(0, np.int32)
        self._offsets = offsets if offsets is not None else np.zeros(len(ids) + 1, np.int64)
        self._df = df
        self._n = len(ids)
        self._fields = {k: np.array(v, dtype=object) for k, v in fields.items()}
        self._codes = {
            k: _Codes(self._fields[k]) for k in ("source", "province", "district", "doc_type") if k in self._fields
        }
        # Unknown years never match a year filter: +inf / -inf keep them out of both bounds.
        self._year_from = np.array([np.inf if v is None else v for v in fields.get("year_from", [])], dtype=float)
        self._year_to = np.array([-np.inf if v is None else v for v in fields.get("year_to", [])], dtype=float)
        self._last: tuple[tuple[str, ...], np.ndarray] | None = None
        self._by_source: dict[str, list[str]] | None = None

    def consistent(self) -> bool:
        """Every per-chunk array has one entry per chunk (a damaged folder must not be extended)."""
        n = self._n
        return (
            len(self._offsets) == n + 1
            and int(self._offsets[-1]) == len(self._tokens)
            and all(len(v) == n for v in self._fields.values())
            and (self.vectors is None or len(self.vectors) == n)
            and (not len(self._tokens) or int(self._tokens.max()) < len(self._vocab))
        )

    # --- building --------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        chunks: list[Chunk],
        fingerprint: str,
        vectors: np.ndarray | None = None,
        keys: dict[str, str] | None = None,
    ) -> "LexicalIndex":
        return cls.empty().updated(set(), chunks, vectors, fingerprint, keys)

    @classmethod
    def empty(cls) -> "LexicalIndex":
        return cls(None, [], {name: [] for name in _FILTER_FIELDS}, {}, "")

    def updated(
        self,
        drop_sources: set[str],
        chunks: list[Chunk],
        vectors: np.ndarray | None,
        fingerprint: str,
        keys: dict[str, str] | None = None,
    ) -> "LexicalIndex":
        """A new index: this one without the chunks of `drop_sources`, plus `chunks` (with their
        `vectors`, in order). BM25 statistics are recomputed over the whole; nothing kept is
        re-tokenized. Scores equal those of an index built from scratch over the same chunks.
        `keys`: the files -> ingest keys the result describes (default: these, minus the dropped)."""
        mask = ~self._codes["source"].isin(drop_sources) if self._n else np.zeros(0, bool)
        keep = np.flatnonzero(mask)
        lookup = {t: i for i, t in enumerate(self._vocab)}

        def ids_of(tokens: list[str]) -> np.ndarray:
            return np.array([lookup.setdefault(t, len(lookup)) for t in tokens], dtype=np.int32)

        # Kept rows stay flat arrays (no per-row Python objects: at 100k+ chunks those cost GBs).
        lengths = np.diff(self._offsets)
        kept = self._tokens[np.repeat(mask, lengths)]
        added = [ids_of(tokenize(c.embed_text)) for c in chunks]
        tokens = np.concatenate([kept, *added]).astype(np.int32)
        new_offsets = np.concatenate([[0], np.cumsum(np.concatenate([lengths[keep], [len(a) for a in added]]))]).astype(
            np.int64
        )
        vocab = list(lookup)
        fields = {
            name: self._fields[name][keep].tolist()
            + [getattr(c.meta, name, None) if name != "source" else c.source for c in chunks]
            for name in _FILTER_FIELDS
        }
        new_vectors = None  # kept only while every row has one
        if vectors is not None and (self.vectors is not None or not len(keep)):
            parts = ([self.vectors[keep]] if len(keep) else []) + (
                [np.asarray(vectors, dtype=np.float32)] if chunks else []
            )
            new_vectors = np.concatenate(parts) if parts else None
        bm25, doc_freq = None, np.zeros(len(vocab), np.int64)
        if len(new_offsets) > 1:
            scores, doc_freq = bm25_matrix(tokens, new_offsets, len(vocab))
            bm25 = as_bm25s(scores, lookup)
        df = {vocab[i]: int(c) for i, c in enumerate(doc_freq) if c}
        ids = [self.ids[i] for i in keep] + [c.id for c in chunks]
        if keys is None:
            keys = {s: k for s, k in self.keys.items() if s not in drop_sources}
        return LexicalIndex(
            bm25,
            ids,
            fields,
            df,
            fingerprint,
            vectors=new_vectors,
            keys=dict(keys),
            vocab=vocab,
            tokens=tokens,
            offsets=new_offsets,
        )

    def save(self, folder: Path) -> None:
        # Written aside under a name of this process, then swapped in: a reader never sees half an
        # index, and a server and an ingest saving at once do not mix their files.
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp / "bm25"), show_progress=False)
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", self.vectors)
        np.save(tmp / "tokens.npy", np.asarray(self._tokens, dtype=np.int32))
        np.save(tmp / "offsets.npy", np.asarray(self._offsets, dtype=np.int64))
        fields = {k: v.tolist() for k, v in self._fields.items()}
        (tmp / "index.json").write_text(
            json.dumps(
                {
                    "format": FORMAT,
                    "tokenizer": tokenizer_id(),
                    "ids": self.ids,
                    "fields": fields,
                    "df": self._df,
                    "fingerprint": self.fingerprint,
                    "keys": self.keys,
                    "vocab": self._vocab,
                    "has_vectors": self.vectors is not None,
                }
            )
        )
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex | None":
        """The saved index, or None when absent, damaged, or made by another format/tokenizer."""
        try:
            data = json.loads((folder / "index.json").read_text())
            if data.get("format") != FORMAT or data.get("tokenizer") != tokenizer_id():
                return None
            bm25 = bm25s.BM25.load(str(folder / "bm25")) if data["ids"] else None
            vectors = np.load(folder / "vectors.npy") if data["has_vectors"] else None
            # Memory-mapped: a server never reads the tokens; an update reads them once.
            tokens = np.load(folder / "tokens.npy", mmap_mode="r")
            offsets = np.load(folder / "offsets.npy")
            index = cls(
                bm25,
                data["ids"],
                data["fields"],
                data["df"],
                data["fingerprint"],
                vectors=vectors,
                keys=data["keys"],
                vocab=data["vocab"],
                tokens=tokens,
                offsets=offsets,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return index if index.consistent() else None

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
                keep &= self._codes[name].equals(value)
        if filters.sources:
            keep &= self._codes["source"].isin(filters.sources)
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


class _Codes:
    """A column of values as small integers, so that a filter compares integers: comparing an
    object array cost ~6 ms per field at 600k chunks, several times per question."""

    def __init__(self, values: np.ndarray):
        self.lookup: dict = {}
        self.codes = np.fromiter((self.lookup.setdefault(v, len(self.lookup)) for v in values), np.int32, len(values))

    def equals(self, value) -> np.ndarray:
        code = self.lookup.get(value)
        return self.codes == code if code is not None else np.zeros(len(self.codes), bool)

    def isin(self, values) -> np.ndarray:
        return np.isin(self.codes, [self.lookup[v] for v in values if v in self.lookup])


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


def refresh_lexical(store: "VectorStore", folder: Path, keys: dict[str, str] | None = None) -> LexicalIndex:
    """The lexical index for the store as it is now: loaded when current, else updated with what
    changed (built from scratch when there is no usable index). `keys` (file -> ingest key) is the
    store's content when the caller knows it, saving a read of every file record."""
    if keys is None:
        keys = {d.source: d.key for d in store.documents()}
    fingerprint = store_fingerprint(keys)
    index = LexicalIndex.load(folder) or LexicalIndex.empty()
    if index.fingerprint == fingerprint:
        return index
    if index.ids and index.vectors is None:  # an index from a store without vectors: start over
        index = LexicalIndex.empty()
    stale = {source for source, key in index.keys.items() if keys.get(source) != key}
    new = sorted(source for source, key in keys.items() if index.keys.get(source) != key)
    chunks, vectors = store.source_chunks(new)
    index = index.updated(stale, chunks, vectors, fingerprint, keys)
    index.save(folder)
    return index
