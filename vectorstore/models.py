"""Plain data the stores hand back."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.documents import Chunk, DocumentMeta


@dataclass
class Hit:
    chunk: Chunk
    score: float = 0.0  # the fused score once fused; the backend's similarity before
    ranks: dict[str, int] = field(default_factory=dict)  # retriever name -> 1-based rank


@dataclass(frozen=True)
class StoredDocument:
    source: str
    key: str
    n_chunks: int
    format: str
    meta: DocumentMeta
    ingested_at: str = ""
    text: str = ""  # filled only when asked for


@dataclass(frozen=True)
class Filters:
    """Metadata filters a caller may set explicitly (or the query parser may detect)."""

    province: str | None = None
    district: str | None = None
    year_min: int | None = None  # documents whose period overlaps [year_min, year_max]
    year_max: int | None = None
    doc_type: str | None = None
    sources: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.province or self.district or self.year_min or self.year_max or self.doc_type or self.sources)
