"""POST /v1/answer: an answer with verbatim citations, as JSON or streamed as Server-Sent Events."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from core.errors import DanvanError

from ..models import Answer, AskRequest
from . import sse
from .deps import Caller, Service
from .errors import BOUNDARY, ERROR, INTERNAL

log = logging.getLogger("danvan")
router = APIRouter(prefix="/v1", responses=BOUNDARY)


def answer_events(pieces: Iterator[str | Answer]) -> Iterator[str]:
    """`delta` events with the text as it comes, then one `answer` event; an error once the
    stream has started can only be an `error` event."""
    try:
        for piece in pieces:
            if isinstance(piece, Answer):
                yield sse.event("answer", piece.model_dump())
            else:
                yield sse.event("delta", {"text": piece})
    except DanvanError as exc:
        yield sse.event("error", {"code": exc.code, "message": exc.message})
    except Exception:  # noqa: BLE001
        log.exception("stream failed")
        yield sse.event("error", {"code": "internal_error", "message": INTERNAL})


STREAMED = {
    **sse.CONTENT,
    "description": "JSON, or with `stream: true` Server-Sent Events: `delta` {text}, then `answer` (the Answer).",
}


@router.post(
    "/answer", response_model=Answer, responses={400: ERROR, 413: ERROR, 422: ERROR, 503: ERROR, 200: STREAMED}
)
async def answer(request: AskRequest, service: Service, who: Caller):
    """Answer a question from the documents. `refused: true` means the documents do not say."""
    if request.session:
        # A conversation belongs to the caller that started it: the same name from another
        # key (or address) is another conversation.
        request = request.model_copy(update={"session": f"{who}\x1f{request.session}"})
    if request.stream:
        service.validate(request)  # fail with a 4xx before the stream starts
        return sse.stream(answer_events(service.stream(request)))
    return await run_in_threadpool(service.ask, request)
