"""FastAPI routes: thin over AnswerService. Typed errors become one JSON error shape."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from pydantic import BaseModel

from .errors import DanvanError
from .feedback import Feedback, FeedbackStore
from .models import Answer, AskRequest
from .service import AnswerService


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


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def _info(d) -> dict:
    m = d.meta
    return dict(source=d.source, title=m.title, doc_type=m.doc_type, province=m.province, district=m.district,
                period=m.period, codes=list(m.codes), n_chunks=d.n_chunks)


class FeedbackSaved(BaseModel):
    id: int


def create_app(service: AnswerService, ui: bool = True) -> FastAPI:
    app = FastAPI(
        title="danvan",
        description="Answers questions about mass-mobilization work from the documents, with verbatim citations.",
        version="0.1.0",
    )
    errors = {"model": ErrorResponse}

    @app.exception_handler(DanvanError)
    async def _danvan_error(_: Request, exc: DanvanError) -> JSONResponse:
        return _error(exc.status_code, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace to a client; the server log has it.
        import logging

        logging.getLogger("danvan").exception("unhandled error")
        return _error(500, "internal_error", "Something went wrong on the server.")

    @app.get("/healthz", response_model=Health)
    def healthz() -> Health:
        return Health(status="ok", documents=len(service.documents()), chunks=service.store.count(), backend=service.answerer.name)

    @app.post("/v1/answer", response_model=Answer, responses={422: errors, 503: errors})
    async def answer(request: AskRequest) -> Answer:
        """Answer a question from the documents. `refused: true` means the documents do not say."""
        return await run_in_threadpool(service.ask, request)

    @app.get("/v1/documents", response_model=list[DocumentInfo])
    def documents() -> list[dict]:
        return [_info(d) for d in service.documents()]

    @app.get("/v1/documents/{source}", response_model=DocumentText, responses={404: errors})
    def document(source: str) -> dict:
        d = service.document(source)
        return {**_info(d), "text": d.text}

    feedback = FeedbackStore(service.settings.data_dir / "feedback.sqlite")

    @app.post("/v1/feedback", response_model=FeedbackSaved, responses={422: errors})
    def post_feedback(fb: Feedback) -> FeedbackSaved:
        """Store a helpful / not helpful judgement with the question, answer and citations."""
        return FeedbackSaved(id=feedback.add(fb))

    @app.get("/v1/feedback.jsonl", response_class=PlainTextResponse)
    def export_feedback() -> str:
        return feedback.export_jsonl()

    app.state.service = service
    if ui:
        from ui.app import mount

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/ui/")

        app = mount(app, service, feedback)
    return app
