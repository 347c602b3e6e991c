"""Pure chunking: a cleaned Document -> overlapping, sentence-aligned Chunks with stable ids."""

from __future__ import annotations

import hashlib

from langchain_text_splitters import RecursiveCharacterTextSplitter

from core.documents import Chunk, Document
from core.sentences import SENTENCE_END

# Paragraphs first, then sentences, then clauses: chunk edges fall on sentence ends wherever a
# sentence fits, so a quote taken from one chunk is a whole sentence of the document. The sentence
# end is core's, so "No. 40", "TS. Nguyễn" are no chunk edges, as they are no sentence ends.
SEPARATORS = [r"\n\n", r"\n", SENTENCE_END, r"(?<=;)\s+", r"(?<=,)\s+", r"\s+", ""]


def chunk_id(source: str, index: int, text: str) -> str:
    return hashlib.sha1(f"{source}\x1f{index}\x1f{text}".encode()).hexdigest()[:20]


def chunk_document(doc: Document, size: int = 1000, overlap: int = 150) -> list[Chunk]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        separators=SEPARATORS,
        keep_separator="end",
        is_separator_regex=True,
        add_start_index=True,
        strip_whitespace=True,
    )
    pieces = splitter.create_documents([doc.text])
    return [
        Chunk(
            id=chunk_id(doc.source, i, piece.page_content),
            source=doc.source,
            index=i,
            text=piece.page_content,
            start=piece.metadata["start_index"],
            meta=doc.meta,
        )
        for i, piece in enumerate(pieces)
    ]
