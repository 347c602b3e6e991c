"""Ingestion: files -> store. Orders the stages; owns idempotency, repair and the report.

A file is re-processed only when its ingest key changes (bytes, manifest entry, chunking and
embedding settings). Each file is written whole (chunks, then its document record as the commit
marker); leftovers of an interrupted run are found and removed at the start of the next one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.documents import Chunk, Document
from vectorstore.embedder import Embedder
from vectorstore.lexical import refresh_lexical
from vectorstore.store import VectorStore

from .chunk import chunk_document
from .clean import clean
from .errors import SkipFile
from .load import MAX_BYTES, parse, read, supported
from .metadata import MANIFEST, build_meta, read_manifest

PIPELINE_VERSION = "9"  # bump when cleaning, chunking or metadata rules change: forces a re-ingest
EMBED_BATCH = 256  # chunks gathered across files per embedder call


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # leftovers of an interrupted run
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    converted: list[tuple[str, str]] = field(default_factory=list)  # (file, legacy font encoding)
    chunks_written: int = 0
    chunks_embedded: int = 0  # the rest reused stored vectors
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def summary(self) -> str:
        files = len(self.added) + len(self.updated) + len(self.unchanged)
        return (
            f"{files} files ({len(self.added)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed), "
            f"{self.chunks_written} chunks written ({self.chunks_embedded} embedded), "
            f"{len(self.skipped)} skipped, {self.seconds:.1f} s"
            + (f"; {len(self.converted)} converted from legacy Vietnamese fonts" if self.converted else "")
        )

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": len(self.unchanged),
            "removed": self.removed,
            "repaired": self.repaired,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "converted": [{"file": f, "from": e} for f, e in self.converted],
            "chunks_written": self.chunks_written,
            "chunks_embedded": self.chunks_embedded,
            "seconds": round(self.seconds, 3),
            "embed_seconds": round(self.embed_seconds, 3),
        }


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files under the given paths, sorted, without hidden files and manifests."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name != MANIFEST
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def ingest_key(file_bytes_sha: str, manifest_entry: dict | None, settings_key: str) -> str:
    entry = json.dumps(manifest_entry, sort_keys=True) if manifest_entry else ""
    return hashlib.sha256(f"{file_bytes_sha}|{entry}|{settings_key}|{PIPELINE_VERSION}".encode()).hexdigest()


def prepare(
    path: Path, data: bytes, manifest_entry: dict | None, key: str, *, chunk_size: int, overlap: int
) -> tuple[Document, list[Chunk]]:
    """parse -> clean -> metadata -> chunk, for one file's bytes (pure)."""
    raw = parse(path, data)
    text = clean(raw.text, raw.format)
    if len(text) < 20:
        raise SkipFile("no text left after cleaning" if raw.text.strip() else "whitespace only")
    doc = Document(
        source=raw.source,
        text=text,
        key=key,
        format=raw.format,
        meta=build_meta(text, raw.title_hint, manifest_entry),
        converted_from=raw.converted_from,
    )
    return doc, chunk_document(doc, chunk_size, overlap)


class Ingestor:
    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        lexical_path: Path,
        chunk_size: int = 1000,
        chunk_overlap: int = 150,
        *,
        progress: Callable[[Iterable], Iterable] | None = None,
        max_bytes: int = MAX_BYTES,
    ):
        self.store = store
        self.embedder = embedder
        self.lexical_path = lexical_path
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.settings_key = f"{embedder.name}|{chunk_size}|{chunk_overlap}"
        self._progress = progress or (lambda it: it)
        self.max_bytes = max_bytes

    def run(self, paths: Iterable[Path], prune: bool = False) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        docs = self.store.documents()
        stored = {d.source: d.key for d in docs}
        self._stored = set(stored)
        self._keys = dict(stored)  # the store's files as this run leaves them (for the lexical index)
        # A committed file has exactly its record's n_chunks chunks (chunks are written before the
        # record and deleted after it), so leftovers show as more chunks than the records count:
        # only then are all chunks' metadata scanned (a minute at 100k files).
        leftovers: set[str] = set()
        if self.store.count() != sum(d.n_chunks for d in docs):
            leftovers = self.store.chunk_sources() - stored.keys()
        if leftovers:
            self.store.delete_sources(leftovers)
            report.repaired = sorted(leftovers)

        manifests: dict[Path, dict[str, dict]] = {}
        seen: dict[str, Path] = {}
        pending: list[tuple[Document, list[Chunk]]] = []
        for path in self._progress(discover(paths)):
            name = path.name
            if name in seen:
                report.skipped.append(
                    (str(path), f"same file name as {seen[name]}: citations name files, so names must be unique")
                )
                continue
            if not supported(path):
                report.skipped.append((str(path), f"unsupported file type {path.suffix or '(none)'}"))
                continue
            seen[name] = path
            entry = manifests.setdefault(path.parent, read_manifest(path.parent)).get(name)
            try:
                data = read(path, self.max_bytes)
                key = ingest_key(hashlib.sha256(data).hexdigest(), entry, self.settings_key)
                if stored.get(name) == key:
                    report.unchanged.append(name)
                    continue
                doc, chunks = prepare(path, data, entry, key, chunk_size=self.chunk_size, overlap=self.chunk_overlap)
            except SkipFile as exc:
                report.skipped.append((str(path), exc.reason))
                continue
            (report.updated if name in stored else report.added).append(name)
            if doc.converted_from:
                report.converted.append((name, doc.converted_from))
            pending.append((doc, chunks))
            if sum(len(c) for _, c in pending) >= EMBED_BATCH:
                self._flush(pending, report)
        self._flush(pending, report)

        if prune:
            gone = sorted(set(stored) - set(seen))
            self.store.delete_sources(gone)
            report.removed = gone
            for source in gone:
                del self._keys[source]
        refresh_lexical(self.store, self.lexical_path, self._keys)
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, pending: list[tuple[Document, list[Chunk]]], report: IngestReport) -> None:
        if not pending:
            return
        chunks = [c for _, cs in pending for c in cs]
        # A chunk id hashes file, position and text; with the same title it was embedded from the
        # same input, so a vector the same embedder made is reused (re-ingest after a
        # metadata-only change). Another model's or precision's vectors are not.
        stored = self.store.vectors([c.id for c in chunks])
        name = self.embedder.name
        vectors = {c.id: stored[c.id][0] for c in chunks if c.id in stored and stored[c.id][1:] == (c.meta.title, name)}
        todo = [c for c in chunks if c.id not in vectors]
        t0 = time.perf_counter()
        vectors.update(zip((c.id for c in todo), self.embedder.embed_documents([c.embed_text for c in todo])))
        report.embed_seconds += time.perf_counter() - t0
        report.chunks_embedded += len(todo)
        # Files new to the store have nothing to replace: skip the (costly) deletes.
        fresh = not any(doc.source in self._stored for doc, _ in pending)
        self.store.write_documents(
            [(doc, cs, [vectors[c.id] for c in cs]) for doc, cs in pending],
            replace=not fresh,
            embedder=self.embedder.name,
        )
        report.chunks_written += len(chunks)
        self._keys |= {doc.source: doc.key for doc, _ in pending}
        pending.clear()
