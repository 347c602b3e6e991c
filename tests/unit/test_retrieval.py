"""Retrieval: reciprocal rank fusion of the dense and lexical rankings, and the retriever embedding a
text once across filters."""

from assistant.fusion import reciprocal_rank_fusion
from core.documents import DocumentMeta
from tests.helpers.chunks import chunk
from vectorstore.models import Hit


def _hit(cid: str) -> Hit:
    return Hit(chunk=chunk(cid, DocumentMeta(title=""), cid, source="s"))


def test_rrf_rewards_agreement_and_keeps_ranks():
    fused = reciprocal_rank_fusion({"dense": [_hit("a"), _hit("b"), _hit("c")], "lexical": [_hit("b")]}, k=60)
    assert [h.chunk.id for h in fused] == ["b", "a", "c"]
    assert fused[0].ranks == {"dense": 2, "lexical": 1}
    assert abs(fused[0].score - (1 / 62 + 1 / 61)) < 1e-12


def test_rrf_weights_and_empty():
    assert reciprocal_rank_fusion({}) == []
    fused = reciprocal_rank_fusion({"dense": [_hit("a")], "lexical": [_hit("b")]}, weights={"lexical": 2.0})
    assert fused[0].chunk.id == "b"


def test_retrieval_embeds_the_same_text_once_across_filters():
    """A brief ranks its topic over the store and again within each kind of document."""
    import numpy as np

    from assistant.retrieve import Retriever
    from vectorstore.lexical import LexicalIndex
    from vectorstore.models import Filters

    chunks = [
        chunk(
            f"c{i}",
            DocumentMeta(title="t", doc_type=("plan", "news_report")[i % 2]),
            "great solidarity houses",
            source=f"f{i}.txt",
        )
        for i in range(6)
    ]
    vectors = np.eye(6, 4, dtype=np.float32)
    index = LexicalIndex.build(chunks, "fp", vectors)

    class Store:
        def search(self, vector, k, filters=None):
            return []

        def chunks(self, ids):
            return [c for c in chunks if c.id in ids]

    class Embedder:
        calls: list[str] = []

        def embed_query(self, text):
            self.calls.append(text)
            return [1.0, 0.0, 0.0, 0.0]

    embedder = Embedder()
    retriever = Retriever(Store(), embedder, index)
    for kind in (None, "plan", "news_report"):
        hits = retriever.retrieve("great solidarity houses", 3, Filters(doc_type=kind))
        assert hits and all(kind in (None, h.chunk.meta.doc_type) for h in hits)
    retriever.retrieve("another topic", 3)
    assert embedder.calls == ["great solidarity houses", "another topic"]
