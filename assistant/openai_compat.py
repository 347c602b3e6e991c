"""The OpenAI chat-completions shape over AnswerService, so the official `openai` client works as-is."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import InvalidQuestion
from .models import Answer, AskRequest, FilterSpec, Turn


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, ...: accepted, not needed
    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    filters: FilterSpec | None = Field(None, description="danvan extension: metadata filters")


def to_ask(req: ChatCompletionRequest) -> AskRequest:
    """The last user message is the question; earlier user/assistant turns are the history.
    System messages are ignored: the answer is always drawn from the documents."""
    turns = [m for m in req.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise InvalidQuestion("The last message must be a user message with the question.")
    history = [Turn(role=m.role, content=m.text()) for m in turns[:-1]]
    return AskRequest(question=turns[-1].text(), history=history, filters=req.filters)


def content_of(answer: Answer) -> str:
    if not answer.citations:
        return answer.answer
    sources = "; ".join(f"[{c.n}] {c.source}" for c in answer.citations)
    return f"{answer.answer}\n\nSources: {sources}"


def _extra(answer: Answer) -> dict:
    return {"citations": [c.model_dump() for c in answer.citations], "refused": answer.refused,
            "related": [c.model_dump() for c in answer.related], "reason": answer.reason}


def completion(answer: Answer, model: str) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content_of(answer)}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extra(answer),
    }


def completion_chunks(pieces: Iterator[str | Answer], model: str) -> Iterator[str]:
    """SSE lines in OpenAI's streaming format; the final chunk carries the citations."""
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces:
        if isinstance(piece, Answer):
            if piece.citations:
                yield chunk({"content": content_of(piece)[len(piece.answer):]})
            yield chunk({}, "stop", **_extra(piece))
        else:
            yield chunk({"content": piece})
    yield "data: [DONE]\n\n"
