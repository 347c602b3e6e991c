"""The UI's login page: a key in, an HttpOnly cookie out. The cookie holds a random token that the
boundary maps to the key's id in memory; the key itself never leaves the form post."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .security import retry_after

if TYPE_CHECKING:
    from .boundary import Boundary, Caller

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>danvan: log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}}
input{{width:100%;padding:.5rem;margin:.5rem 0;box-sizing:border-box}}button{{padding:.5rem 1.2rem}}
.error{{color:#b00020}}</style></head>
<body><h2>danvan</h2><p>This service needs an API key.</p>{message}
<form method="post" action="/login"><input type="hidden" name="next" value="{next}">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" autofocus required>
<button type="submit" id="login">Log in</button></form></body></html>"""


def _safe_next(value: str | None) -> str:
    # Only a path on this site: "//evil.example" or "https://..." would make the login an open redirect.
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/ui/"
    return value


def login_url(scope) -> str:
    path = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
    return "/login?next=" + quote(path, safe="/")


def page(next_path: str, message: str = "", status: int = 200, headers: dict | None = None) -> HTMLResponse:
    shown = f'<p class="error" id="login-error">{html.escape(message)}</p>' if message else ""
    return HTMLResponse(
        PAGE.format(message=shown, next=html.escape(_safe_next(next_path))),
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def handle(b: "Boundary", caller: "Caller", path: str, body: bytes, request: Request) -> Response:
    if path == "/logout":
        b.sessions.close(caller.session_token)
        response = RedirectResponse("/login" if b.keys else "/ui/", status_code=303)
        response.delete_cookie("danvan_session", path="/")
        return response
    next_path = _safe_next(request.query_params.get("next"))
    if not b.keys:
        return RedirectResponse(next_path, status_code=303)
    if request.method != "POST":
        return page(next_path)
    ok, wait = b.failures.check(caller.address)
    if not ok:
        return page(
            next_path, f"Too many failed attempts; retry in {wait:.0f} s.", 429, {"Retry-After": retry_after(wait)}
        )
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    next_path = _safe_next((form.get("next") or [None])[0])
    key_id = b.keys.identify((form.get("key") or [""])[0].strip())
    if key_id is None:
        b.failures.allow(caller.address)
        return page(next_path, "That key is not valid.", 401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        "danvan_session",
        b.sessions.open(key_id),
        max_age=int(b.sessions.ttl),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response
