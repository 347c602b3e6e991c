"""FastAPI routes: thin over AnswerService. Typed errors become one JSON error shape; no stack
traces reach clients. Keys, rate limits and body limits are the boundary's (`assistant.boundary`),
in front of the API and the UI alike."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from fastapi.sse import _SSE_EVENT_SCHEMA
from starlette.exceptions import HTTPException as StarletteHTTPException
from pydantic import BaseModel

from . import openai_compat
from core.errors import (BackendUnavailable, ConfigError, DanvanError, DocumentNotFound, InvalidQuestion,
                         ModelNotFound, StoreEmpty)
from .feedback import Feedback, FeedbackStore
from .brief_export import DOCX, to_docx, to_markdown
from .models import Answer, AskRequest, Brief, BriefRequest
from .boundary import Boundary, BoundaryMiddleware
from .exports import Exports
from .service import AnswerService

log = logging.getLogger("danvan")

# Each typed error's HTTP status: the errors themselves know nothing of HTTP.
STATUS = {InvalidQuestion: 422, StoreEmpty: 503, DocumentNotFound: 404, BackendUnavailable: 502,
          ModelNotFound: 500, ConfigError: 500}


def status_of(exc: DanvanError) -> int:
    return next((status for kind, status in STATUS.items() if isinstance(exc, kind)), 500)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    backend: str


class DocumentInfo(BaseModel):
    source: str
    title: str
    doc_type: str
    province: str | None = None
    district: str | None = None
    period: str | None = None
    codes: list[str] = []
    n_chunks: int


class DocumentText(DocumentInfo):
    text: str


class FeedbackSaved(BaseModel):
    id: int


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}}, headers=headers)


def _info(d) -> dict:
    m = d.meta
    return dict(source=d.source, title=m.title, doc_type=m.doc_type, province=m.province, district=m.district,
                period=m.period, codes=list(m.codes), n_chunks=d.n_chunks)


def _sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _answer_events(pieces: Iterator[str | Answer]) -> Iterator[str]:
    try:
        for piece in pieces:
            yield _sse("answer", piece.model_dump()) if isinstance(piece, Answer) else _sse("delta", {"text": piece})
    except DanvanError as exc:
        yield _sse("error", {"code": exc.code, "message": exc.message})
    except Exception:  # noqa: BLE001
        log.exception("stream failed")
        yield _sse("error", {"code": "internal_error", "message": "Something went wrong on the server."})


def create_app(service: AnswerService, ui: bool | None = None) -> FastAPI:
    settings = service.settings
    app = FastAPI(
        title="danvan",
        description="Answers questions about mass-mobilization work from the documents, with verbatim citations.",
        version="0.1.0",
    )
    errors = {"model": ErrorResponse}
    boundary = Boundary(settings)
    exports = Exports()
    feedback = FeedbackStore(settings.data_dir / "feedback.sqlite")

    @app.exception_handler(DanvanError)
    async def _danvan_error(_: Request, exc: DanvanError) -> JSONResponse:
        return _error(status_of(exc), exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Body that is not JSON, unknown routes, wrong methods: the same error shape as the rest.
        code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = first.get("msg", "invalid request").removeprefix("Value error, ")
        return _error(422, "invalid_request", f"{where}: {message}" if where else message)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal_error", "Something went wrong on the server.")

    def caller(request: Request) -> str:
        """The identity the boundary established (a key's id, or the client address without keys)."""
        return request.scope.get("state", {}).get("identity") or "anonymous"

    # 401/413/429 come from the boundary before a route runs; listed here for the schema.
    v1 = APIRouter(prefix="/v1", responses={401: errors, 413: errors, 429: errors})
    sse = {"content": {"text/event-stream": {"itemSchema": _SSE_EVENT_SCHEMA}}}

    @v1.post("/answer", response_model=Answer, responses={400: errors, 413: errors, 422: errors, 503: errors, 200: {
        **sse, "description": "JSON, or with `stream: true` Server-Sent Events: `delta` {text}, then `answer` (the Answer)."}})
    async def answer(request: AskRequest, who: str = Depends(caller)):
        """Answer a question from the documents. `refused: true` means the documents do not say."""
        if request.session:
            # A conversation belongs to the caller that started it: the same name from another
            # key (or address) is another conversation.
            request = request.model_copy(update={"session": f"{who}\x1f{request.session}"})
        if request.stream:
            service.validate(request)  # fail with a 4xx before the stream starts
            return StreamingResponse(iterate_in_threadpool(_answer_events(service.stream(request))), media_type="text/event-stream")
        return await run_in_threadpool(service.ask, request)

    @v1.post("/chat/completions", responses={400: errors, 413: errors, 422: errors, 503: errors, 200: {
        **sse, "description": "A chat.completion, or with `stream: true` chat.completion.chunk events."}})
    async def chat_completions(request: openai_compat.ChatCompletionRequest):
        """OpenAI-compatible: the last user message is the question, earlier turns the history.
        Citations come as `[n]` markers in the text and in the extra `citations` field."""
        ask = openai_compat.to_ask(request)
        if request.stream:
            service.validate(ask)
            chunks = openai_compat.completion_chunks(service.stream(ask), settings.model_name)
            return StreamingResponse(iterate_in_threadpool(chunks), media_type="text/event-stream")
        return openai_compat.completion(await run_in_threadpool(service.ask, ask), settings.model_name)

    @v1.post("/briefs", response_model=Brief, responses={400: errors, 413: errors, 422: errors, 503: errors, 200: {
        "content": {"text/markdown": {}, DOCX: {}},
        "description": "The Brief as JSON, or with `format=md` / `format=docx` as a file to download."}})
    async def briefs(request: BriefRequest, format: Literal["json", "md", "docx"] = "json"):
        """A structured, sourced brief on a topic: key points, figures, quotes, documents referenced."""
        result = await run_in_threadpool(service.brief, request)
        if format == "md":
            return Response(to_markdown(result), media_type="text/markdown; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="brief.md"'})
        if format == "docx":
            return Response(await run_in_threadpool(to_docx, result), media_type=DOCX,
                            headers={"Content-Disposition": 'attachment; filename="brief.docx"'})
        return result

    @v1.get("/models")
    def models() -> dict:
        return {"object": "list", "data": [{"id": settings.model_name, "object": "model", "created": int(time.time()), "owned_by": "danvan"}]}

    @v1.get("/documents", response_model=list[DocumentInfo])
    def documents() -> list[dict]:
        return [_info(d) for d in service.documents()]

    @v1.get("/documents/{source}", response_model=DocumentText, responses={404: errors})
    def document(source: str) -> dict:
        d = service.document(source)
        return {**_info(d), "text": d.text}

    @v1.post("/feedback", response_model=FeedbackSaved, responses={400: errors, 413: errors, 422: errors})
    def post_feedback(fb: Feedback) -> FeedbackSaved:
        """Store a helpful / not helpful judgement with the question, answer and citations."""
        return FeedbackSaved(id=feedback.add(fb))

    @v1.get("/feedback.jsonl", response_class=PlainTextResponse)
    def export_feedback() -> str:
        return feedback.export_jsonl()

    app.include_router(v1)

    # The UI's downloads, behind the same boundary; generated in memory, never written to disk.
    @app.get("/exports/feedback.jsonl", include_in_schema=False)
    def ui_feedback_export() -> Response:
        return Response(feedback.export_jsonl(), media_type="application/x-ndjson; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="danvan-feedback.jsonl"', "Cache-Control": "no-store"})

    @app.get("/exports/{token}", include_in_schema=False)
    def ui_export(token: str, who: str = Depends(caller)) -> Response:
        found = exports.get(token, who)
        if found is None:
            return _error(404, "not_found", "No such download (they are kept for 15 minutes).")
        return Response(found.data, media_type=found.media_type, headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"', "Cache-Control": "no-store"})

    @app.get("/healthz", response_model=Health)
    def healthz() -> Health:
        return Health(status="ok", documents=len(service.documents()), chunks=service.store.count(), backend=service.answerer.name)

    app.state.service = service
    if settings.ui if ui is None else ui:
        from ui.app import mount

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/ui/")

        app = mount(app, service, feedback, exports, with_keys=bool(boundary.keys))
    app.state.boundary = boundary
    app.add_middleware(BoundaryMiddleware, boundary=boundary)
    if settings.cors_origins:  # outermost, so that preflights are answered before authentication
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    return app
