"""The one place where settings choose backends. Everything else sees the protocols."""

from __future__ import annotations

import logging

from vectorstore.embedder import Embedder, SentenceTransformerEmbedder
from vectorstore.store import VectorStore

from .answerers.base import Answerer
from .errors import ConfigError, ModelNotFound
from .settings import Settings

log = logging.getLogger(__name__)


def build_store(settings: Settings) -> VectorStore:
    from vectorstore.chroma import ChromaStore

    if settings.chroma_url:
        return ChromaStore.http(settings.chroma_url, settings.collection)
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return ChromaStore.persistent(str(settings.chroma_path), settings.collection)


def _torch(settings: Settings, threads: int | None) -> Embedder:
    return SentenceTransformerEmbedder(settings.embedding_model, batch_size=settings.embed_batch_size, threads=threads)


def _onnx(settings: Settings, threads: int | None) -> Embedder:
    from vectorstore.onnx_embedder import OnnxEmbedder

    try:
        return OnnxEmbedder(settings.model_cache, settings.embedding_model, settings.embed_batch_size, threads,
                            settings.embed_documents)
    except ModelNotFound:
        raise
    except Exception as exc:  # a model the exporter cannot trace still works, only slower
        log.warning("ONNX export of the embedding model failed (%s); using PyTorch", exc)
        return _torch(settings, threads)


EMBEDDERS = {"onnx": _onnx, "torch": _torch}


def build_embedder(settings: Settings, threads: int | None = None) -> Embedder:
    """`threads` None: all cores (ingest embeds large batches)."""
    if settings.embed_runtime not in EMBEDDERS:
        raise ConfigError(f"unknown embed runtime {settings.embed_runtime!r}; choose one of {', '.join(EMBEDDERS)}")
    return EMBEDDERS[settings.embed_runtime](settings, threads)


def _llama(settings: Settings) -> Answerer:
    from .answerers.generative import GenerativeAnswerer
    from .llm.llama_local import LlamaCppChat

    return GenerativeAnswerer(LlamaCppChat(settings.llm_model), settings.llm_max_tokens)


def _openai(settings: Settings) -> Answerer:
    from .answerers.generative import GenerativeAnswerer
    from .llm.openai_server import OpenAIServerChat

    if not settings.llm_url:
        raise ConfigError("DANVAN_ANSWERER=openai needs DANVAN_LLM_URL (an OpenAI-compatible base URL).")
    return GenerativeAnswerer(OpenAIServerChat(settings.llm_url, settings.llm_model_name, settings.llm_api_key), settings.llm_max_tokens)


def _extractive(settings: Settings) -> Answerer:
    from .answerers.extractive import ExtractiveAnswerer

    return ExtractiveAnswerer()


ANSWERERS = {"extractive": _extractive, "llama": _llama, "openai": _openai}


def build_answerer(settings: Settings) -> Answerer:
    if settings.answerer not in ANSWERERS:
        raise ConfigError(f"unknown answerer {settings.answerer!r}; choose one of {', '.join(ANSWERERS)}")
    return ANSWERERS[settings.answerer](settings)
