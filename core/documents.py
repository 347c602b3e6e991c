"""Plain data passed between the ingest stages: load -> clean -> chunk."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """A file as loaded: decoded text before cleaning."""

    path: str  # where it was read from
    source: str  # the file name: what citations name
    text: str
    format: str  # txt | md | html | pdf | docx
    title_hint: str = ""  # e.g. an HTML <title> or <h1>, when the format has one
    converted_from: str | None = None  # the legacy font encoding the text was in (tcvn3, vni, viscii)


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    doc_type: str = "news_report"
    province: str | None = None
    district: str | None = None
    period: str | None = None  # as written by the manifest, or inferred
    year_from: int | None = None
    year_to: int | None = None
    month_from: str | None = None  # "YYYY-MM", when the period is finer than a year
    month_to: str | None = None
    codes: tuple[str, ...] = ()  # document codes the text cites, e.g. 38-CTr/TU
    outlet: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Document:
    """A cleaned document: `text` is what quotes are taken from."""

    source: str
    text: str
    key: str  # hash of the file's bytes and of everything that shaped its chunks
    format: str
    meta: DocumentMeta
    converted_from: str | None = None  # see RawDocument (reported, not stored)


@dataclass(frozen=True)
class Chunk:
    id: str
    source: str
    index: int
    text: str
    start: int  # offset of `text` in the cleaned document text
    meta: DocumentMeta
    extra: dict = field(default_factory=dict)

    @property
    def embed_text(self) -> str:
        """What the embedder sees: a contextual header makes look-alike chunks from
        different provinces and years distinguishable."""
        return f"{self.meta.title}\n\n{self.text}"
