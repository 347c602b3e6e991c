"""Pure sentence and clause segmentation with character offsets, so quotes stay verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

# No break after these: "No. 40", "Mr. Bao", "Dr.", "St.", "e.g.", initials like "H. Nam".
_NO_BREAK = re.compile(r"(?:\b(?:No|Nos|Mr|Mrs|Ms|Dr|St|Art|Vol|Fig|e\.g|i\.e|vs|approx)|\b[A-Z])\.$")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)]*\s+(?=[\"“‘(]?[A-ZĐÀ-Ỹ0-9])|\n+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _spans(text: str, cuts: list[int]) -> list[Span]:
    spans, start = [], 0
    for cut in [*cuts, len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append(Span(offset, offset + len(stripped), stripped))
        start = cut
    return spans


def split_sentences(text: str) -> list[Span]:
    cuts = []
    for m in _BOUNDARY.finditer(text):
        head = text[: m.start() + 1]
        if m.group(0).startswith("\n") or not _NO_BREAK.search(head):
            cuts.append(m.end())
    return _spans(text, cuts)


_CLAUSE = re.compile(r";\s+")


def split_clauses(sentence: Span) -> list[Span]:
    """A long sentence's `;`-separated clauses (one item lists often run on this way)."""
    cuts = [m.end() for m in _CLAUSE.finditer(sentence.text)]
    return [Span(sentence.start + s.start, sentence.start + s.end, s.text) for s in _spans(sentence.text, cuts)]
