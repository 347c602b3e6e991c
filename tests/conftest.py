"""Shared fixtures: one real embedding model and one real Chroma store of the sample corpus per
test session (loading the model and embedding the corpus is the slow part)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
SHARED = ROOT.parent / "shared"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """The default embedder (ONNX Runtime), as `danvan` builds it."""
    from assistant.components import build_embedder

    return build_embedder(make_settings(tmp_path_factory.mktemp("embedder-data")))


def make_settings(data_dir: Path, **overrides):
    from assistant.settings import Settings

    return Settings(data_dir=data_dir, corpus=[SAMPLE], **overrides)


def ingest_into(settings, embedder, paths, prune=False):
    from assistant.components import build_store
    from ingest.pipeline import Ingestor

    store = build_store(settings)
    report = Ingestor(store, embedder, settings.lexical_path, settings.chunk_size, settings.chunk_overlap).run(paths, prune=prune)
    return store, report


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, embedder):
    settings = make_settings(tmp_path_factory.mktemp("sample-data"))
    ingest_into(settings, embedder, [SAMPLE])
    return settings


@pytest.fixture(scope="session")
def service(sample_settings, embedder):
    from assistant.answerers.extractive import ExtractiveAnswerer
    from assistant.components import build_store
    from assistant.service import AnswerService
    from ingest.pipeline import refresh_lexical

    store = build_store(sample_settings)
    return AnswerService(sample_settings, store, embedder, refresh_lexical(store, sample_settings.lexical_path), ExtractiveAnswerer())


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of the sample corpus."""
    dst = tmp_path / "corpus"
    shutil.copytree(SAMPLE, dst)
    return dst
