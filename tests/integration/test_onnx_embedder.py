"""The embedders with the real bundled model: ONNX Runtime must give PyTorch's vectors, export once,
and fall back to PyTorch when a model cannot be exported; the int8 copy for documents stays close."""

from __future__ import annotations

import logging
import shutil

import numpy as np
import pytest

from assistant.components import build_embedder
from tests.helpers.embedders import break_export
from tests.helpers.stores import make_settings
from vectorstore import onnx_embedder
from vectorstore.embedder import SentenceTransformerEmbedder, default_model_path
from vectorstore.onnx_embedder import OnnxEmbedder

pytestmark = pytest.mark.slow
TEXTS = [
    "Công tác dân vận khéo ở tỉnh Quảng Ninh năm 2023",
    "short",
    "Directive 25-CT/HU on mass mobilization: 3,315 households received support. " * 30,  # > 256 tokens: truncated
    "",
]


@pytest.fixture(scope="module")
def torch_embedder():
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="module")
def float_embedder(tmp_path_factory):
    return build_embedder(make_settings(tmp_path_factory.mktemp("data"), embedder="minilm", embed_documents="float32"))


def test_onnx_gives_the_pytorch_vectors(float_embedder, torch_embedder):
    embedder = float_embedder
    assert isinstance(embedder, OnnxEmbedder)  # the default runtime
    onnx = np.array(embedder.embed_documents(TEXTS))
    torch = np.array(torch_embedder.embed_documents(TEXTS))
    assert onnx.shape == (len(TEXTS), 384)
    assert np.abs(onnx - torch).max() < 1e-5
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1, atol=1e-5)
    # alone (no padding) as in a batch: a query's vector does not depend on its neighbours
    assert np.abs(np.array(embedder.embed_query(TEXTS[0])) - onnx[0]).max() < 1e-5
    assert embedder.name == torch_embedder.name  # stores built by either are served by either


def test_the_model_is_exported_once_per_model_folder(tmp_path, monkeypatch):
    first = OnnxEmbedder(tmp_path, batch_size=4)
    assert len(list(tmp_path.glob("*.onnx"))) == 1
    monkeypatch.setattr(onnx_embedder, "export", lambda *a: pytest.fail("exported again"))
    again = OnnxEmbedder(tmp_path, batch_size=4)
    assert again.embed_query("dân vận") == pytest.approx(first.embed_query("dân vận"), abs=1e-6)

    # A copy of the model elsewhere with a changed config is another model: exported on its own.
    copy = tmp_path / "copy"
    shutil.copytree(default_model_path(), copy / "model")
    (copy / "model" / "sentence_bert_config.json").write_text('{"max_seq_length": 64, "do_lower_case": false}')
    monkeypatch.undo()
    short = OnnxEmbedder(tmp_path, copy / "model", batch_size=4)
    assert len(list(tmp_path.glob("*.onnx"))) == 2
    assert short.name == "model"


def test_a_model_that_cannot_be_exported_runs_on_pytorch(tmp_path, monkeypatch, caplog):
    calls = break_export(monkeypatch, onnx_embedder)
    settings = make_settings(tmp_path / "data", embedder="minilm", model_cache=tmp_path / "cache")
    with caplog.at_level(logging.WARNING):
        embedder = build_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert "unsupported operator" in caplog.text
    assert len(embedder.embed_query("dân vận")) == 384
    # The failure is recorded: later starts go straight to PyTorch instead of tracing again.
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert isinstance(build_embedder(settings), SentenceTransformerEmbedder)
    assert len(calls) == 1 and "unsupported operator" in caplog.text
    assert not list((tmp_path / "cache").glob("*.onnx"))


def test_an_export_that_does_not_reproduce_the_model_is_not_kept(tmp_path, monkeypatch):
    """The check at export time compares ONNX Runtime with sentence-transformers: a tokenizer that
    does not match what the model was traced with must fail it."""
    real = onnx_embedder._Runner.embed
    monkeypatch.setattr(
        onnx_embedder._Runner, "embed", lambda self, texts: real(self, [t + " extra words" for t in texts])
    )
    with pytest.raises(onnx_embedder.ExportFailed, match="differs from sentence-transformers"):
        OnnxEmbedder(tmp_path, batch_size=4)
    assert [f.suffix for f in tmp_path.iterdir()] == [".failed"]  # no half export left behind


def test_int8_documents_stay_close_and_questions_stay_float(float_embedder, tmp_path):
    int8 = build_embedder(make_settings(tmp_path, embedder="minilm"))  # int8 documents: the default
    assert int8.name == float_embedder.name + "+int8"  # another kind of stored vector: switching re-embeds
    embedder = float_embedder
    full, quantized = np.array(embedder.embed_documents(TEXTS)), np.array(int8.embed_documents(TEXTS))
    cosine = (full * quantized).sum(axis=1)
    assert cosine[:3].min() > 0.98 and cosine.min() > 0.95  # the empty text ([CLS][SEP] alone) moves most
    assert np.abs(full - quantized).max() > 1e-3  # close, but really quantized
    assert np.allclose(np.linalg.norm(quantized, axis=1), 1, atol=1e-5)
    assert int8.embed_query(TEXTS[0]) == pytest.approx(embedder.embed_query(TEXTS[0]), abs=1e-6)


def test_the_int8_copy_is_made_once_and_a_failed_one_falls_back_to_float(tmp_path, monkeypatch, caplog):
    OnnxEmbedder(tmp_path, documents="int8")
    assert len(list(tmp_path.glob("*.int8.onnx"))) == 1
    monkeypatch.setattr(onnx_embedder, "quantize", lambda *a: pytest.fail("quantized again"))
    assert OnnxEmbedder(tmp_path, documents="int8").name.endswith("+int8")

    for f in tmp_path.glob("*.int8.onnx"):
        f.unlink()
    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise onnx_embedder.ExportFailed("the int8 copy is too far from the model")

    monkeypatch.setattr(onnx_embedder, "quantize", broken)
    for _ in range(2):  # recorded: the second start does not try again
        with caplog.at_level(logging.WARNING):
            fallback = OnnxEmbedder(tmp_path, documents="int8")
        assert fallback.name == "all-MiniLM-L6-v2" and "too far from the model" in caplog.text
    assert len(calls) == 1
    assert np.array(fallback.embed_documents(TEXTS[:1]))[0] == pytest.approx(fallback.embed_query(TEXTS[0]), abs=1e-6)
    with pytest.raises(ValueError, match="float32, int8"):
        OnnxEmbedder(tmp_path, documents="int4")
