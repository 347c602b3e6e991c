"""The one security boundary of the process: every request, to the API or to the mounted UI,
passes here before any route sees it.

In this order: the path is sorted (open, refused, or protected); a client address that failed
authentication too often is turned away; the caller is authenticated from the headers (an API key
as `Authorization: Bearer`, or the cookie of a browser login) before a byte of the body is read;
calls are rate-limited per identity; the body is read up to DANVAN_MAX_REQUEST_BYTES as it
arrives (a `Content-Length` is not trusted, chunked bodies are counted too); then the app runs.
Each call and each refusal is written to the audit log.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import login
from .security import KeyRing, RateLimiter, UiSessions, bearer_token, client_address, retry_after
from .settings import Settings

COOKIE = "danvan_session"
OPEN = frozenset({"/", "/healthz", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"})
# The UI has no upload control; Gradio's upload route would still store any file sent to it.
REFUSED = ("/ui/gradio_api/upload", "/ui/upload")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


@dataclass
class Caller:
    identity: str | None  # None: not authenticated (keys are configured and none was given)
    address: str
    session_token: str | None = None


class Boundary:
    """Authentication, rate limits, body limit and audit, shared by the API and the UI."""

    def __init__(self, settings: Settings):
        self.keys = KeyRing(settings.api_keys)
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self.failures = RateLimiter(settings.auth_failures_per_minute)
        self.sessions = UiSessions()
        self.max_bytes = settings.max_request_bytes
        self.audit = _audit_logger(settings)

    def caller(self, headers, peer: str | None) -> Caller:
        """Who sends these headers: a key's id, the key id of a browser login, or (without keys)
        the client address. A bearer token that is not a configured key identifies nobody."""
        address = client_address(peer)
        if not self.keys:
            return Caller("addr:" + address, address)
        cookie = cookie_parser(headers.get("cookie", "")).get(COOKIE)
        identity = self.keys.identify(bearer_token(headers.get("authorization"))) or self.sessions.identify(cookie)
        return Caller(identity, address, cookie)

    def counted(self, method: str, path: str) -> bool:
        """Requests that do work are rate-limited; the UI's page, scripts and styles are not
        (a page load fetches dozens), its calls (POSTs) and file downloads are."""
        if path.startswith(("/v1/", "/exports/")) or path == "/v1":
            return True
        return path.startswith("/ui") and (method not in SAFE_METHODS or "/file=" in path)

    def record(self, caller: Caller, method: str, path: str, *, status: int, size: int, started: float) -> None:
        if self.audit is not None:
            self.audit.info(
                json.dumps(
                    {
                        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "who": caller.identity,
                        "addr": caller.address,
                        "method": method,
                        "path": path,
                        "status": status,
                        "bytes": size,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                    ensure_ascii=True,
                )
            )


def _audit_logger(settings: Settings) -> logging.Logger | None:
    path = settings.audit_path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        logging.getLogger("danvan").warning("audit log %s cannot be written; calls are not audited", path)
        return None
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(f"danvan.audit.{id(settings)}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, read as it arrives; more than `limit` bytes stops the reading."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then the real channel: the app waits on it for a disconnect

    return again


class BoundaryMiddleware:
    def __init__(self, app: ASGIApp, boundary: Boundary):
        self.app, self.b = app, boundary

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        b = self.b
        started = time.perf_counter()
        request = Request(scope)
        method, path = scope.get("method", "GET"), scope["path"]
        caller = b.caller(request.headers, scope["client"][0] if scope.get("client") else None)
        status, size = 0, 0

        async def respond(response: Response) -> None:
            nonlocal status
            status = response.status_code
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await response(scope, receive, send)

        try:
            if path.startswith(REFUSED):
                return await respond(error(403, "uploads_disabled", "This service accepts no uploads."))
            if path in ("/login", "/logout"):
                if method == "POST":
                    body = await read_body(receive, b.max_bytes)
                    size = len(body)
                    return await respond(login.handle(b, caller, path, body, request))
                return await respond(login.handle(b, caller, path, b"", request))
            protected = path not in OPEN
            if protected and b.keys:
                ok, wait = b.failures.check(caller.address)
                if not ok:
                    return await respond(
                        error(
                            429,
                            "too_many_failures",
                            f"Too many failed authentications from this address; retry in {wait:.0f} s.",
                            {"Retry-After": retry_after(wait)},
                        )
                    )
                if caller.identity is None:
                    b.failures.allow(caller.address)
                    if method == "GET" and path.startswith("/ui") and "text/html" in request.headers.get("accept", ""):
                        return await respond(RedirectResponse(login.login_url(scope), status_code=303))
                    return await respond(
                        error(
                            401,
                            "unauthorized",
                            "A valid API key is required: `Authorization: "
                            "Bearer <key>` (or log in to the UI at /login).",
                            {"WWW-Authenticate": "Bearer"},
                        )
                    )
            if protected and b.counted(method, path):
                ok, wait = b.limiter.allow(caller.identity or caller.address)
                if not ok:
                    return await respond(
                        error(
                            429,
                            "rate_limited",
                            f"Too many requests; retry in {wait:.1f} s.",
                            {"Retry-After": retry_after(wait)},
                        )
                    )
            if scope["type"] == "http":
                length = request.headers.get("content-length", "")
                if length.strip().isdigit() and int(length) > b.max_bytes:
                    raise BodyTooLarge
                body = await read_body(receive, b.max_bytes)
                size = len(body)
                receive = replay(body, receive)
            scope.setdefault("state", {})["identity"] = caller.identity

            async def watch(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            await self.app(scope, receive, watch)
        except ClientGone:
            status = 499  # nobody left to answer
        except BodyTooLarge:
            status = 413
            await error(
                413, "request_too_large", f"The request body is over {b.max_bytes} bytes.", {"Connection": "close"}
            )(scope, receive, send)
        finally:
            if path not in OPEN and (b.counted(method, path) or status >= 400 or path in ("/login", "/logout")):
                b.record(caller, method, path, status=status or 500, size=size, started=started)
