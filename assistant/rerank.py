"""Entity-overlap reranking (pure): fused retrieval score plus how well a passage's document
agrees with the place, year, period and document codes the question names.

Look-alike reports share their wording and differ in exactly these fields, so text similarity
alone ranks the neighbours of the right report as high as the report itself. No cross-encoder
ships on the registry this project installs from; this reranker needs no model.
"""

from __future__ import annotations

from dataclasses import replace

from core.documents import Chunk
from core.gazetteer import mentions
from vectorstore.models import Hit

from .query import Constraints, Period, stated_years


def _place(chunk: Chunk, name: str, kind: str) -> float:
    meta = chunk.meta
    if kind in ("district", "commune"):
        if meta.district == name:
            return 1.0
        return 0.5 if mentions(chunk.text, name) else 0.0
    if meta.province == name:
        return 1.0 if not meta.district else 0.6  # a province question wants the province's own report
    return 0.4 if mentions(chunk.text, name) else 0.0


def _months(chunk: Chunk) -> tuple[str, str] | None:
    m = chunk.meta
    return (m.month_from, m.month_to) if m.month_from and m.month_to else None


_LOOKS_AHEAD = frozenset({"plan", "directive", "action_programme", "resolution"})  # kinds that set next year's tasks


def _year(chunk: Chunk, year: int, periods: tuple[Period, ...]) -> float:
    m = chunk.meta
    lo, hi = m.year_from, m.year_to or m.year_from
    if lo is not None and lo <= year <= hi:
        exact = 1.0 if lo == hi else 0.6
        months = _months(chunk)
        whole_year_asked = not any(p.partial and p.year == year for p in periods)
        if whole_year_asked and months and months != (f"{year}-01", f"{year}-12"):
            return 0.5 * exact  # "during 2016" is not answered best by a six-month review
        return exact
    if str(year) in stated_years(chunk.text):
        # A 2024 plan or directive opens with the results of 2023: its passage stating 2023 is
        # that year's report. A later report's look back ("up 10 from 2023") less surely.
        return 1.0 if m.doc_type in _LOOKS_AHEAD and lo == hi == year + 1 else 0.6
    return 0.5 if m.date and m.date.startswith(str(year)) else 0.0


def _period(chunk: Chunk, p: Period) -> float:
    lo, hi = f"{p.year}-{p.month_from:02d}", f"{p.year}-{p.month_to:02d}"
    months = _months(chunk)
    if months == (lo, hi):
        return 1.0
    date = chunk.meta.date or ""
    if p.month_from == p.month_to and date[:7] == lo:
        return 1.0  # "in August 2023": the report of a meeting held then
    if months and months[0] <= hi and lo <= months[1]:
        return 0.5
    return 0.3 if not months and (chunk.meta.year_from or 0) <= p.year <= (chunk.meta.year_to or 0) else 0.0


def agreement(chunk: Chunk, c: Constraints) -> float | None:
    """Mean agreement in [0, 1] over what the question names; None when it names nothing."""
    scores = [_place(chunk, p.name, p.kind) for p in c.places]
    scores += [_year(chunk, y, c.periods) for y in c.years]
    scores += [_period(chunk, p) for p in c.periods if p.partial]
    scores += [1.0 if code in chunk.meta.codes or code in chunk.text else 0.0 for code in c.codes]
    return sum(scores) / len(scores) if scores else None


def rerank(hits: list[Hit], constraints: Constraints, weight: float) -> list[Hit]:
    """`weight` (DANVAN_RERANK_WEIGHT) is in RRF units: 1/61 is one first place in one ranking."""
    if not weight:
        return hits
    out = []
    for h in hits:
        a = agreement(h.chunk, constraints)
        out.append(h if a is None else replace(h, score=h.score + weight * a))
    return sorted(out, key=lambda h: (-h.score, h.chunk.id))
