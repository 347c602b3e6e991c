"""Shared fixtures. The real embedding model and a real Chroma store of the sample corpus, once per
test run (loading the model and embedding the corpus is the slow part): tests using them are
marked `slow`. The hashing embedder and a store of both sample corpora it embedded, for the tests
of answers and briefs that need no model's sense of meaning: seconds, unmarked."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.stores import SAMPLE, SAMPLE_VI, ingest_into, make_settings, service_over

REAL_MODEL = {"embedder", "sample_settings", "service", "server"}  # fixtures that load the real model


def pytest_collection_modifyitems(config, items):
    """Only a `slow` test may load the real model: a fast run (-m "not slow") must stay fast."""
    unmarked = [
        item.nodeid
        for item in items
        if REAL_MODEL & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError("tests using the real embedding model must be marked slow: " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """The default embedder (ONNX Runtime), as `danvan` builds it."""
    from assistant.components import build_embedder

    return build_embedder(make_settings(tmp_path_factory.mktemp("embedder-data")))


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, embedder):
    settings = make_settings(tmp_path_factory.mktemp("sample-data"))
    ingest_into(settings, embedder, [SAMPLE])
    return settings


@pytest.fixture(scope="session")
def service(sample_settings, embedder):
    from assistant.components import build_store

    return service_over(sample_settings, embedder, build_store(sample_settings))


@pytest.fixture(scope="module")
def server(sample_settings):
    """`danvan serve` on the sample store, in its own process."""
    from tests.helpers.servers import start_server, stop

    proc, base = start_server(sample_settings)
    yield base
    stop(proc)


@pytest.fixture(scope="session")
def hash_embedder():
    from vectorstore.hash_embedder import HashEmbedder

    return HashEmbedder()


@pytest.fixture(scope="session")
def hashed_settings(tmp_path_factory, hash_embedder):
    """A data folder holding both sample corpora (English and Vietnamese), hashed."""
    settings = make_settings(tmp_path_factory.mktemp("hashed-data"), embedder="hash", corpus=[SAMPLE, SAMPLE_VI])
    _, report = ingest_into(settings, hash_embedder, [SAMPLE, SAMPLE_VI])
    assert len(report.added) == 11 and not report.skipped
    return settings


@pytest.fixture(scope="session")
def hashed_service(hashed_settings, hash_embedder):
    from assistant.components import build_store

    return service_over(hashed_settings, hash_embedder, build_store(hashed_settings))


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of the sample corpus."""
    dst = tmp_path / "corpus"
    shutil.copytree(SAMPLE, dst)
    return dst
