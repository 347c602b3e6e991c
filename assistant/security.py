"""Who is calling, and how often (pure logic; `assistant.boundary` applies it to every request).

An identity is what a rate limit and a conversation belong to: the id of an authenticated API key
when keys are configured, else the client's address. A bearer token is never an identity by
itself: without keys anyone can make one up.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

MAX_BUCKETS = 50_000  # an attacker with many addresses must not grow memory without end
MAX_UI_SESSIONS = 10_000


class RateLimiter:
    """Token bucket per key: `per_minute` requests a minute, bursts up to `per_minute`. A bucket
    idle long enough to be full again is dropped (it is the same as a new one), and at most
    `max_buckets` are kept, the least recently used going first."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_buckets: int = MAX_BUCKETS):
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.refill_seconds = self.capacity / self.rate
        self.max_buckets = max_buckets
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last use), oldest first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - last) * self.rate)

    def check(self, key: str) -> tuple[bool, float]:
        """Would a request be allowed? Consumes nothing."""
        with self._lock:
            tokens = self._tokens(key, self._clock())
        return (True, 0.0) if tokens >= 1.0 else (False, (1.0 - tokens) / self.rate)

    def allow(self, key: str) -> tuple[bool, float]:
        """(allowed, seconds to wait before the next request would be)."""
        now = self._clock()
        with self._lock:
            tokens = self._tokens(key, now)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            self._buckets.move_to_end(key)
            self._expire(now)
        return (True, 0.0) if allowed else (False, (1.0 - tokens) / self.rate)

    def _expire(self, now: float) -> None:
        # Ordered by last use: only the front can be idle, so this is amortised O(1).
        while self._buckets:
            oldest, (_, last) = next(iter(self._buckets.items()))
            if now - last < self.refill_seconds and len(self._buckets) <= self.max_buckets:
                break
            del self._buckets[oldest]


def retry_after(wait: float) -> str:
    return str(max(1, int(wait) + 1))


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class KeyRing:
    """The configured API keys. A key is known by a short digest (logs and limits never hold it)."""

    def __init__(self, keys: Iterable[str]):
        self._keys = {k: "key:" + hashlib.sha256(k.encode()).hexdigest()[:12] for k in keys}

    def __bool__(self) -> bool:
        return bool(self._keys)

    def identify(self, token: str | None) -> str | None:
        """The key's id, or None. Every key is compared, in constant time, so timing tells nothing."""
        if not token:
            return None
        found = None
        for key, key_id in self._keys.items():
            if hmac.compare_digest(key.encode(), token.encode("utf-8", "surrogatepass")):
                found = key_id
        return found


class UiSessions:
    """Browser logins: a random cookie value -> the id of the key it was opened with. Kept in
    memory only, so a restart (as after rotating keys) logs every browser out."""

    def __init__(self, ttl_seconds: float = 12 * 3600, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl_seconds
        self._clock = clock
        self._tokens: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, key_id: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (key_id, self._clock() + self.ttl)
            while len(self._tokens) > MAX_UI_SESSIONS:
                self._tokens.popitem(last=False)
        return token

    def identify(self, token: str | None) -> str | None:
        if not token:
            return None
        with self._lock:
            found = self._tokens.get(token)
            if found is None:
                return None
            if found[1] < self._clock():
                del self._tokens[token]
                return None
        return found[0]

    def close(self, token: str | None) -> None:
        with self._lock:
            self._tokens.pop(token or "", None)


def client_address(peer: str | None) -> str:
    """The client's address as the connection gives it (uvicorn has already replaced it with the
    forwarded one when, and only when, DANVAN_TRUSTED_PROXIES lists the peer)."""
    if not peer:
        return "unknown"
    try:
        addr = ipaddress.ip_address(peer)
    except ValueError:
        return peer
    if addr.version == 6:
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        # One IPv6 client usually holds a whole /64: one bucket for it, not 2^64.
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)
