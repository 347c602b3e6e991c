"""Chunk/document metadata <-> flat Chroma metadata (no None values, no lists)."""

from __future__ import annotations

from dataclasses import asdict, fields

from core.documents import Chunk, DocumentMeta

_META_FIELDS = [f.name for f in fields(DocumentMeta)]
CODE_SEP = " | "


def meta_to_flat(meta: DocumentMeta) -> dict:
    flat = {}
    for key, value in asdict(meta).items():
        if key == "codes":
            value = CODE_SEP.join(value) if value else None
        if value is not None and value != "":
            flat[key] = value
    return flat


def meta_from_flat(flat: dict) -> DocumentMeta:
    kwargs = {k: flat.get(k) for k in _META_FIELDS if k in flat}
    kwargs["codes"] = tuple(c for c in (flat.get("codes") or "").split(CODE_SEP) if c)
    kwargs.setdefault("title", "")
    return DocumentMeta(**kwargs)


def chunk_to_flat(chunk: Chunk, doc_key: str, n_chunks: int, embedder: str = "") -> dict:
    """`embedder`: the name of what made the chunk's vector (a vector is reused only by the same one)."""
    return {
        **meta_to_flat(chunk.meta),
        "source": chunk.source,
        "index": chunk.index,
        "start": chunk.start,
        "doc_key": doc_key,
        "n_chunks": n_chunks,
        **({"embedder": embedder} if embedder else {}),
    }


def chunk_from_flat(chunk_id: str, text: str, flat: dict) -> Chunk:
    return Chunk(
        id=chunk_id,
        source=flat["source"],
        index=int(flat.get("index", 0)),
        text=text,
        start=int(flat.get("start", 0)),
        meta=meta_from_flat(flat),
    )
