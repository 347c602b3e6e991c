"""The hashing embedder (vectorstore/hash_embedder.py): deterministic unit vectors, closer for
texts that share words; chosen by DANVAN_EMBEDDER=hash and never mixed with a real model's store."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from assistant.components import build_embedder, check_store_embedder
from core.errors import ConfigError
from tests.helpers.stores import ROOT, make_settings
from vectorstore.embedder import model_of
from vectorstore.hash_embedder import HashEmbedder

TEXTS = [
    "Que Phong district built 39 km of concrete rural roads in 2014.",
    "How many km of concrete roads did Que Phong build in 2014?",
    "The provincial Fatherland Front met religious dignitaries in Lang Son.",
    "Nhân dân xã Tân Hòa đã hiến 3.450 m2 đất để làm đường giao thông nông thôn.",
    "",
    "the of and",
]


def test_vectors_are_unit_length_and_the_same_in_another_process():
    embedder = HashEmbedder()
    vectors = np.array(embedder.embed_documents(TEXTS))
    assert vectors.shape == (len(TEXTS), embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)  # the empty and stopword-only texts too
    assert embedder.embed_query(TEXTS[0]) == embedder.embed_documents(TEXTS[:1])[0]
    # No per-process salt (Python's hash() has one): another interpreter gives the same numbers.
    code = (
        "import json; from vectorstore.hash_embedder import HashEmbedder; "
        f"print(json.dumps(HashEmbedder().embed_query({TEXTS[3]!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert np.array(json.loads(out.stdout)) == pytest.approx(vectors[3], abs=1e-12)


def test_texts_sharing_words_are_closer_than_unrelated_ones():
    embedder = HashEmbedder()
    road, question, religion, vi = (np.array(embedder.embed_query(t)) for t in TEXTS[:4])
    assert road @ question > 0.5 > abs(road @ religion)
    # Diacritics are folded as the lexical index folds them: typed without marks, the same words.
    unmarked = np.array(embedder.embed_query("nhan dan xa Tan Hoa hien dat lam duong giao thong"))
    assert vi @ unmarked > 0.5 > abs(vi @ religion)
    assert HashEmbedder(64).embed_query(TEXTS[0]) != embedder.embed_query(TEXTS[0])[:64]


def test_chosen_by_the_embedder_setting_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("DANVAN_EMBEDDER", "hash")
    monkeypatch.delenv("DANVAN_EMBED_RUNTIME", raising=False)
    from assistant.settings import Settings

    embedder = build_embedder(Settings(data_dir=tmp_path))
    assert isinstance(embedder, HashEmbedder) and embedder.name == "hash-blake2b-512"
    assert isinstance(build_embedder(make_settings(tmp_path, embedder="hash", embed_runtime="numpy")), HashEmbedder)
    with pytest.raises(ConfigError, match="for the hash embedder; choose one of numpy"):
        build_embedder(make_settings(tmp_path, embedder="hash", embed_runtime="onnx"))
    with pytest.raises(ValueError, match="at least 2"):
        HashEmbedder(1)


class _Store:
    def __init__(self, name):
        self.name = name

    def stored_embedder(self):
        return self.name


def test_a_hashed_store_and_a_real_model_are_never_mixed():
    hashed = HashEmbedder()
    assert model_of(hashed.name) == hashed.name
    for real in ("all-MiniLM-L6-v2+int8", "multilingual-e5-small-q4"):
        with pytest.raises(ConfigError, match="run `danvan ingest`"):
            check_store_embedder(_Store(hashed.name), type("E", (), {"name": real})())
        with pytest.raises(ConfigError, match=re.escape(f"made by {real},")):
            check_store_embedder(_Store(real), hashed)
    check_store_embedder(_Store(hashed.name), hashed)
