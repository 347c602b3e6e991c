"""The answer API's data: requests, citations, answers. Used as-is by the CLI, API and UI."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class FilterSpec(BaseModel):
    """Explicit metadata filters a caller may set."""

    province: str | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="documents covering this year")
    year_from: int | None = Field(None, ge=1900, le=2100, description="documents overlapping year_from..year_to")
    year_to: int | None = Field(None, ge=1900, le=2100)
    doc_type: str | None = None


class AskRequest(BaseModel):
    question: str
    session: str | None = Field(None, description="lines/requests sharing a session are one conversation")
    history: list[Turn] = Field(default_factory=list)
    filters: FilterSpec | None = None
    stream: bool = Field(False, description="POST /v1/answer only: Server-Sent Events (`delta` events, then `answer`)")


class Citation(BaseModel):
    n: int
    source: str = Field(description="file name of the cited document")
    title: str
    quote: str = Field(description="verbatim from the cleaned text of `source`")
    chunk_id: str
    province: str | None = None
    period: str | None = None


class Answer(BaseModel):
    answer: str
    refused: bool
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="closest passages when refused")
    reason: str | None = Field(None, description="why the answer was refused")
    query: str | None = Field(None, description="the standalone question used for retrieval")
    backend: str = "extractive"
    fallback: str | None = Field(None, description="why a generated answer was replaced by the extractive one")
    seconds: float | None = None
