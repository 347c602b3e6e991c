"""Server-Sent Events: how a streamed response is documented and sent."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi.concurrency import iterate_in_threadpool
from fastapi.responses import StreamingResponse
from fastapi.sse import _SSE_EVENT_SCHEMA

# The 200 response's extra content type in the schema, for routes that stream with `stream: true`.
CONTENT = {"content": {"text/event-stream": {"itemSchema": _SSE_EVENT_SCHEMA}}}


def event(name: str, data) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def stream(lines: Iterator[str]) -> StreamingResponse:
    # The answer pipeline is blocking code: each next line is computed in a worker thread.
    return StreamingResponse(iterate_in_threadpool(lines), media_type="text/event-stream")
