"""The VectorStore protocol: what ingestion and retrieval need from wherever vectors live."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy as np

from core.documents import Chunk, Document

from .models import Filters, Hit, StoredDocument


class VectorStore(Protocol):
    def write_documents(
        self, batch: list[tuple[Document, list[Chunk], list[list[float]]]], replace: bool = True, embedder: str = ""
    ) -> None:
        """Store these files whole, replacing what was stored for them (`replace=False` when the
        caller knows none of them is stored), noting which embedder made the vectors. Chunks
        first, document records last: a record is the commit marker that says its file is stored whole."""

    def delete_sources(self, sources: Iterable[str]) -> None: ...

    def documents(self) -> list[StoredDocument]:
        """Every file stored whole (text not loaded)."""

    def document(self, source: str) -> StoredDocument | None:
        """One stored file with its cleaned text."""

    def chunk_sources(self) -> set[str]:
        """Files that have chunks, whole or not (to find leftovers of an interrupted run)."""

    def iter_chunks(self, batch: int = 5000) -> Iterator[Chunk]: ...

    def chunks(self, ids: list[str]) -> list[Chunk]: ...

    def source_chunks(self, sources: list[str]) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk of these files, in document order, with its vector (float32 rows)."""

    def vectors(self, ids: list[str]) -> dict[str, tuple[list[float], str, str]]:
        """Stored vectors by chunk id, with the title they were embedded with and the embedder's name."""

    def search(self, vector: list[float], k: int, filters: Filters | None = None) -> list[Hit]: ...

    def count(self) -> int: ...

    def stored_embedder(self) -> str | None:
        """The embedder that made a stored vector (one, sampled), or None: empty, or older than the note."""

    def reopened(self) -> "VectorStore":
        """A handle that sees what other processes wrote since this one opened (may be this one).
        This handle stays usable until closed."""

    def close(self) -> None: ...
