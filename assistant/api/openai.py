"""The OpenAI compatibility: POST /v1/chat/completions and GET /v1/models, so the official `openai`
client works as-is. The translation between the two shapes is `assistant.openai_compat`."""

from __future__ import annotations

import time

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from .. import openai_compat
from . import sse
from .deps import Service
from .errors import BOUNDARY, ERROR

router = APIRouter(prefix="/v1", responses=BOUNDARY)
STREAMED = {**sse.CONTENT, "description": "A chat.completion, or with `stream: true` chat.completion.chunk events."}


@router.post("/chat/completions", responses={400: ERROR, 413: ERROR, 422: ERROR, 503: ERROR, 200: STREAMED})
async def chat_completions(request: openai_compat.ChatCompletionRequest, service: Service):
    """OpenAI-compatible: the last user message is the question, earlier turns the history.
    Citations come as `[n]` markers in the text and in the extra `citations` field."""
    ask, model = openai_compat.to_ask(request), service.settings.model_name
    if request.stream:
        service.validate(ask)  # fail with a 4xx before the stream starts
        return sse.stream(openai_compat.completion_chunks(service.stream(ask), model))
    return openai_compat.completion(await run_in_threadpool(service.ask, ask), model)


@router.get("/models")
def models(service: Service) -> dict:
    return {
        "object": "list",
        "data": [
            {"id": service.settings.model_name, "object": "model", "created": int(time.time()), "owned_by": "danvan"}
        ],
    }
