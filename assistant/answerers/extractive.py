"""The default backend: no LLM. The answer is the supporting sentences themselves, each cited,
so it can never state what the passages do not."""

from __future__ import annotations

from core.language import detect

from ..citations import cite
from ..models import Answer, Citation
from ..prompts import load_prompt, word_reason
from ..query import Query
from .base import PartEvidence


class ExtractiveAnswerer:
    name = "extractive"
    chat = None  # no language model: briefs stay extractive

    def compose(self, query: Query, parts: list[PartEvidence]) -> Answer:
        citations: list[Citation] = []
        lines: list[str] = []
        for part in parts:
            sel = part.selection
            prefix = f"{part.label}: " if part.label and len(parts) > 1 else ""
            if sel.refused:
                if len(parts) > 1:
                    language = detect(query.question)
                    not_found = load_prompt("part_not_found", language).strip()
                    lines.append(f"{prefix}{not_found} ({word_reason(sel.refused, language)})")
                continue
            quotes = []
            for unit in sel.units:
                n = _number(citations, unit.chunk.id, unit.text)
                if n is None:
                    n = len(citations) + 1
                    citations.append(cite(n, unit.chunk, unit.text))
                quotes.append(f"{unit.text} [{n}]")
            lines.append(prefix + " ".join(quotes))
        if not citations:
            return refusal(query, parts, self.name)
        return Answer(
            answer="\n".join(lines),
            refused=False,
            citations=citations,
            query=query.standalone,
            backend=self.name,
            confidence=confidence(parts),
        )


def confidence(parts: list[PartEvidence]) -> float:
    """The weakest part's: a comparison is only as sure as its least supported side."""
    return round(min(p.selection.confidence for p in parts), 4) if parts else 0.0


def _number(citations: list[Citation], chunk_id: str, quote: str) -> int | None:
    return next((c.n for c in citations if c.chunk_id == chunk_id and c.quote == quote), None)


def refusal(query: Query, parts: list[PartEvidence], backend: str) -> Answer:
    """The documents do not answer: say so plainly, and offer the closest passages as related."""
    reasons = [p.selection.refused for p in parts if p.selection.refused]
    related: list[Citation] = []
    for part in parts:
        for unit in part.selection.closest[:2]:
            if all(r.chunk_id != unit.chunk.id for r in related):
                related.append(cite(len(related) + 1, unit.chunk, unit.sentence.text))
    language = detect(query.question)
    reason = word_reason(reasons[0], language) if reasons else None
    text = load_prompt("refusal", language).strip()
    if reason:
        text += f" ({reason})"
    return Answer(
        answer=text,
        refused=True,
        related=related,
        reason=reason,
        query=query.standalone,
        backend=backend,
        confidence=confidence(parts),
    )
