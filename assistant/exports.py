"""Downloads the UI offers (a brief as DOCX or Markdown), kept in memory for a few minutes and
served by the app itself: nothing is written to disk, and only the caller who made one can fetch it."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_EXPORTS = 64
TTL_SECONDS = 15 * 60


@dataclass(frozen=True)
class Export:
    owner: str | None
    filename: str
    media_type: str
    data: bytes
    expires: float


class Exports:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._items: OrderedDict[str, Export] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, owner: str | None, filename: str, media_type: str, data: bytes) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            self._items[token] = Export(owner, filename, media_type, data, now + TTL_SECONDS)
            for old in [t for t, e in self._items.items() if e.expires < now]:
                del self._items[old]
            while len(self._items) > MAX_EXPORTS:
                self._items.popitem(last=False)
        return token

    def get(self, token: str, owner: str | None) -> Export | None:
        with self._lock:
            found = self._items.get(token)
        if found is None or found.expires < self._clock() or found.owner != owner:
            return None
        return found
