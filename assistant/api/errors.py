"""The API's one error shape, `{"error": {"code", "message"}}`, for typed errors, HTTP errors,
invalid requests and anything unexpected alike; no stack trace reaches a client."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import (
    BackendUnavailable,
    ConfigError,
    DanvanError,
    DocumentNotFound,
    InvalidQuestion,
    ModelNotFound,
    StoreEmpty,
)

from ..boundary import error  # the boundary's refusals and the API's errors share one shape

log = logging.getLogger("danvan")

# Each typed error's HTTP status: the errors themselves know nothing of HTTP.
STATUS = {
    InvalidQuestion: 422,
    StoreEmpty: 503,
    DocumentNotFound: 404,
    BackendUnavailable: 502,
    ModelNotFound: 500,
    ConfigError: 500,
}
INTERNAL = "Something went wrong on the server."


def status_of(exc: DanvanError) -> int:
    return next((status for kind, status in STATUS.items() if isinstance(exc, kind)), 500)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


ERROR = {"model": ErrorResponse}  # an error response, as the schema documents it
# 401/413/429 come from the boundary before a route runs; every /v1 router lists them for the schema.
BOUNDARY = {401: ERROR, 413: ERROR, 429: ERROR}


async def _danvan_error(_: Request, exc: DanvanError) -> JSONResponse:
    return error(status_of(exc), exc.code, exc.message)


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    # Body that is not JSON, unknown routes, wrong methods: the same error shape as the rest.
    code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))


async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = first.get("msg", "invalid request").removeprefix("Value error, ")
    return error(422, "invalid_request", f"{where}: {message}" if where else message)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error")
    return error(500, "internal_error", INTERNAL)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DanvanError, _danvan_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)
