"""The one place where settings choose backends. Everything else sees the protocols."""

from __future__ import annotations

from vectorstore.embedder import Embedder, SentenceTransformerEmbedder
from vectorstore.store import VectorStore

from .answerers.base import Answerer
from .errors import ConfigError
from .settings import Settings


def build_store(settings: Settings) -> VectorStore:
    from vectorstore.chroma import ChromaStore

    if settings.chroma_url:
        return ChromaStore.http(settings.chroma_url, settings.collection)
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return ChromaStore.persistent(str(settings.chroma_path), settings.collection)


def build_embedder(settings: Settings) -> Embedder:
    return SentenceTransformerEmbedder(settings.embedding_model, batch_size=settings.embed_batch_size)


def build_answerer(settings: Settings) -> Answerer:
    from .answerers.extractive import ExtractiveAnswerer

    answerers = {"extractive": ExtractiveAnswerer}
    if settings.answerer not in answerers:
        raise ConfigError(f"unknown answerer {settings.answerer!r}; choose one of {', '.join(answerers)}")
    return answerers[settings.answerer]()
