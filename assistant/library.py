"""What the service answers from, as one snapshot, and its replacement after an ingest.

An ingest runs in its own process (`danvan ingest`) while `danvan serve` keeps answering. The
ingest ends by saving the lexical index, swapped in whole; the server notices (a stat, at most
once a second), builds a new snapshot in the background (new files' records, the new index, and
a store handle whose vector index sees the new chunks) and swaps it in. A request keeps the
snapshot it started with, so it never mixes old and new.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.gazetteer import district_name
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex, store_fingerprint
from vectorstore.models import StoredDocument
from vectorstore.store import VectorStore

from .retrieve import Retriever

log = logging.getLogger(__name__)

CHECK_EVERY_S = 1.0  # how stale a server may be after an ingest ends, at most (plus the rebuild)
GRACE_S = 30.0  # requests that began before a swap are done by then: the old store handle is closed


@dataclass(frozen=True)
class Library:
    store: VectorStore
    lexical: LexicalIndex
    retriever: Retriever
    docs: dict[str, StoredDocument]
    district_province: dict[str, str]
    districts: frozenset[str]
    kinds: list[str]

    @classmethod
    def build(
        cls,
        store: VectorStore,
        lexical: LexicalIndex,
        embedder: Embedder,
        candidates: int,
        rrf_k: int,
        *,
        docs: list[StoredDocument] | None = None,
    ) -> "Library":
        by_source = {d.source: d for d in (store.documents() if docs is None else docs)}
        district_province = {
            d.meta.district: d.meta.province
            for d in by_source.values()
            if d.meta.district and district_name(d.meta.district) == d.meta.district  # not "The" (older stores)
        }
        return cls(
            store=store,
            lexical=lexical,
            retriever=Retriever(store, embedder, lexical, candidates, rrf_k),
            docs=by_source,
            district_province=district_province,
            districts=frozenset(district_province),
            kinds=sorted({d.meta.doc_type for d in by_source.values() if d.meta.doc_type}),
        )


def index_stamp(folder: Path) -> tuple[int, int] | None:
    """Changes whenever an ingest saves the lexical index (a new folder is renamed into place)."""
    try:
        st = os.stat(folder / "index.json")
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def rebuilt(old: Library, folder: Path, embedder: Embedder, candidates: int, rrf_k: int) -> Library | None:
    """A snapshot of the store as the last ingest left it, or None while another ingest is under
    way (its files are in the store but not yet in the saved index: its own save comes next)."""
    docs = old.store.documents()  # reads see other processes' writes; only the vector index is stale
    lexical = LexicalIndex.load(folder)
    if lexical is None:
        log.warning(
            "the lexical index in %s cannot be read; answering from the documents loaded before "
            "(the next `danvan ingest` rewrites it)",
            folder,
        )
        return None
    if lexical.fingerprint != store_fingerprint({d.source: d.key for d in docs}):
        log.info("the store is being changed by an ingest; reloading after it ends")
        return None
    return Library.build(old.store.reopened(), lexical, embedder, candidates, rrf_k, docs=docs)


class LiveLibrary:
    """The current Library; `current()` also starts a rebuild when an ingest has saved since."""

    def __init__(
        self,
        library: Library,
        folder: Path,
        rebuild: Callable[[Library], Library | None],
        *,
        stamp: tuple[int, int] | None = None,
        check_every_s: float = CHECK_EVERY_S,
        grace_s: float = GRACE_S,
    ):
        """`stamp`: `index_stamp` taken before `library`'s index was loaded (default: now), so a
        save in between is not taken as already seen."""
        self._library = library
        self._folder = folder
        self._rebuild = rebuild
        self._every = check_every_s
        self._stamp = index_stamp(folder) if stamp is None else stamp
        self._checked = time.monotonic()
        self._grace = grace_s
        self._busy = threading.Lock()

    def current(self) -> Library:
        now = time.monotonic()
        if now - self._checked >= self._every and not self._busy.locked():
            self._checked = now
            if index_stamp(self._folder) != self._stamp:
                threading.Thread(target=self.reload, name="danvan-reload", daemon=True).start()
        return self._library

    def reload(self) -> bool:
        """Rebuild now if the index changed (in the caller's thread); True when a new snapshot is in."""
        if not self._busy.acquire(blocking=False):
            return False
        try:
            stamp = index_stamp(self._folder)
            if stamp == self._stamp:
                return False
            self._stamp = stamp  # seen, whatever the outcome: a mismatch waits for the next save
            new = self._rebuild(self._library)
            if new is None:
                return False
            old, self._library = self._library, new
            if new.store is not old.store:  # requests begun before the swap may still use it
                timer = threading.Timer(self._grace, old.store.close)
                timer.daemon = True
                timer.start()
            log.info("reloaded after an ingest: %d documents", len(new.docs))
            return True
        except Exception:  # noqa: BLE001 - a failed reload must not take the server down
            log.exception("reload after an ingest failed; answering from the documents loaded before")
            return False
        finally:
            self._busy.release()
