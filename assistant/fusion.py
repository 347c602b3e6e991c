"""Pure rank fusion."""

from __future__ import annotations

from vectorstore.models import Hit


def reciprocal_rank_fusion(
    rankings: dict[str, list[Hit]], k: int = 60, weights: dict[str, float] | None = None
) -> list[Hit]:
    """Reciprocal rank fusion (Cormack et al. 2009): score = sum_r w_r / (k + rank_r).

    Hits are matched by chunk id; the fused Hit keeps every retriever's rank.
    """
    fused: dict[str, Hit] = {}
    for name, hits in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, hit in enumerate(hits, start=1):
            entry = fused.get(hit.chunk.id)
            if entry is None:
                entry = fused[hit.chunk.id] = Hit(chunk=hit.chunk, score=0.0, ranks={})
            entry.ranks[name] = rank
            entry.score += weight / (k + rank)
    return sorted(fused.values(), key=lambda h: (-h.score, h.chunk.id))
