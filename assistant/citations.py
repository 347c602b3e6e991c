"""Citations (pure): numbered, verbatim quotes, and their verification against the source text."""

from __future__ import annotations

import re

from core.documents import Chunk

from .models import Citation

_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


def quote_in(quote: str, text: str) -> bool:
    """True when `quote` occurs in `text` verbatim, whitespace aside."""
    return bool(quote.strip()) and squash(quote) in squash(text)


def cite(n: int, chunk: Chunk, quote: str) -> Citation:
    if quote not in chunk.text:  # a quote is always cut from its chunk; anything else is a bug
        raise ValueError(f"quote is not verbatim in chunk {chunk.id}")
    return Citation(
        n=n,
        source=chunk.source,
        title=chunk.meta.title,
        quote=quote,
        chunk_id=chunk.id,
        province=chunk.meta.province,
        period=chunk.meta.period,
    )
