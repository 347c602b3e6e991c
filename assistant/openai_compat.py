"""The OpenAI chat-completions shape over AnswerService, so the official `openai` client works as-is."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import InvalidQuestion

from .models import QUESTION_MAX_CHARS, Answer, AskRequest, FilterSpec, RequestBody, Turn


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(
                p["text"] for p in self.content if p.get("type") == "text" and isinstance(p.get("text"), str)
            )
        return self.content or ""


# At least one user message with text: the question (also enforced below; JSON Schema says it too).
_HAS_QUESTION = {
    "contains": {
        "type": "object",
        "required": ["role", "content"],
        "properties": {
            "role": {"const": "user"},
            "content": {
                "anyOf": [
                    {"type": "string", "pattern": r"[^\s\x1c-\x1f]"},
                    {
                        "type": "array",
                        "contains": {
                            "type": "object",
                            "required": ["type", "text"],
                            "properties": {
                                "type": {"const": "text"},
                                "text": {"type": "string", "pattern": r"[^\s\x1c-\x1f]"},
                            },
                        },
                    },
                ]
            },
        },
    }
}


class ChatCompletionRequest(RequestBody):
    model_config = ConfigDict(extra="allow", strict=True)  # temperature, max_tokens, ...: accepted, not needed
    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1, json_schema_extra=_HAS_QUESTION)
    stream: bool = False
    filters: FilterSpec | None = Field(None, description="danvan extension: metadata filters")

    @model_validator(mode="after")
    def _has_question(self) -> "ChatCompletionRequest":
        if not any(m.role == "user" and m.text().strip() for m in self.messages):
            raise ValueError("messages must include a user message with the question as text")
        return self


def to_ask(req: ChatCompletionRequest) -> AskRequest:
    """The last user message is the question; the user/assistant turns before it are the history.
    System messages are ignored: the answer is always drawn from the documents."""
    turns = [m for m in req.messages if m.role in ("user", "assistant")]
    last = max(i for i, m in enumerate(turns) if m.role == "user" and m.text().strip())
    history = [Turn(role=m.role, content=m.text()) for m in turns[:last]]
    question = turns[last].text()
    if len(question) > QUESTION_MAX_CHARS:
        raise InvalidQuestion(
            f"The question is too long ({len(question)} characters; the limit is {QUESTION_MAX_CHARS})."
        )
    return AskRequest(question=question, history=history, filters=req.filters)


def content_of(answer: Answer) -> str:
    if not answer.citations:
        return answer.answer
    sources = "; ".join(f"[{c.n}] {c.source}" for c in answer.citations)
    return f"{answer.answer}\n\nSources: {sources}"


def _extra(answer: Answer) -> dict:
    return {
        "citations": [c.model_dump() for c in answer.citations],
        "refused": answer.refused,
        "related": [c.model_dump() for c in answer.related],
        "reason": answer.reason,
    }


def completion(answer: Answer, model: str) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content_of(answer)}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extra(answer),
    }


def completion_chunks(pieces: Iterator[str | Answer], model: str) -> Iterator[str]:
    """SSE lines in OpenAI's streaming format; the final chunk carries the citations."""
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        body = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces:
        if isinstance(piece, Answer):
            if piece.citations:
                yield chunk({"content": content_of(piece)[len(piece.answer) :]})
            yield chunk({}, "stop", **_extra(piece))
        else:
            yield chunk({"content": piece})
    yield "data: [DONE]\n\n"
