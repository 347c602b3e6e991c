"""A hashing embedder, for tests and offline smoke runs, not for answering quality.

No model: a text's vector counts its lexical tokens (core/tokenize.py: diacritics folded, English
stemmed, stopwords dropped), each hashed with BLAKE2b into one of `dim` signed buckets, then L2
normalised. Vectors are the same in every process and on every machine, cost microseconds, and
texts sharing words are closer than texts that share none; nothing more of meaning is in them.
Its name is its own model (see `model_of`): a store it embedded is never searched with a real
model's vectors, nor the other way round.
"""

from __future__ import annotations

from hashlib import blake2b

import numpy as np

from core.tokenize import tokenize

DIM = 512
NAME = "hash-blake2b"


class HashEmbedder:
    def __init__(self, dim: int = DIM):
        if dim < 2:
            raise ValueError(f"a hash embedder needs at least 2 dimensions, not {dim}")
        self.dim = dim
        self.name = f"{NAME}-{dim}"

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dim, dtype=np.float64)
        # A text without a token (empty, punctuation, stopwords only) still gets a unit vector.
        for token in tokenize(text) or ["\x00"]:
            h = int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
            vector[(h >> 1) % self.dim] += 1.0 if h & 1 else -1.0
        norm = np.linalg.norm(vector)
        if norm == 0:  # every token cancelled another in a shared bucket
            vector[0], norm = 1.0, 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
