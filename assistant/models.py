"""The answer API's data: requests, citations, answers. Used as-is by the CLI, API and UI."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

QUESTION_MAX_CHARS = 2000  # the schema's bound; DANVAN_MAX_QUESTION_CHARS may only lower it


def _whole(value):
    # JSON Schema's "integer" includes 2024.0; strict models otherwise refuse it.
    return int(value) if isinstance(value, float) and value.is_integer() else value


Whole = Annotated[int, BeforeValidator(_whole)]
Year = Annotated[int, Field(ge=1900, le=2100), BeforeValidator(_whole)]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unpaired_surrogate(value, where: str = "") -> str | None:
    """Where the first string holding half a surrogate pair is (JSON's "\\ud800" decodes to one;
    no UTF-8 encoder, SQLite or JSON response can take it), or None."""
    if isinstance(value, str):
        return (where or "value") if _SURROGATE.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and _SURROGATE.search(key):
            return where or "value"
        found = _unpaired_surrogate(item, f"{where}.{key}" if where else str(key))
        if found:
            return found
    return None


class RequestBody(BaseModel):
    """A request body: every string in it, however deep, must be encodable text."""

    @model_validator(mode="before")
    @classmethod
    def _encodable(cls, data):
        where = _unpaired_surrogate(data)
        if where:
            raise ValueError(f"{where}: contains an unpaired surrogate (\\ud800-\\udfff), which is not text")
        return data


class Turn(BaseModel):
    model_config = ConfigDict(strict=True)

    role: Literal["user", "assistant"]
    content: str


class FilterSpec(BaseModel):
    """Explicit metadata filters a caller may set."""

    model_config = ConfigDict(strict=True)

    province: str | None = None
    year: Year | None = Field(None, description="documents covering this year")
    year_from: Year | None = Field(None, description="documents overlapping year_from..year_to")
    year_to: Year | None = None
    doc_type: str | None = None


class AskRequest(RequestBody):
    model_config = ConfigDict(strict=True)

    question: str = Field(
        min_length=1, max_length=QUESTION_MAX_CHARS, pattern=r"[^\s\x1c-\x1f]", description="in plain words"
    )
    session: str | None = Field(None, description="lines/requests sharing a session are one conversation")
    history: list[Turn] = Field(default_factory=list)
    filters: FilterSpec | None = None
    stream: bool = Field(False, description="POST /v1/answer only: Server-Sent Events (`delta` events, then `answer`)")


class Citation(BaseModel):
    model_config = ConfigDict(strict=True)

    n: Whole
    source: str = Field(description="file name of the cited document")
    title: str
    quote: str = Field(description="verbatim from the cleaned text of `source`")
    chunk_id: str
    province: str | None = None
    period: str | None = None


class Answer(BaseModel):
    model_config = ConfigDict(strict=True)

    answer: str
    refused: bool
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="closest passages when refused")
    reason: str | None = Field(None, description="why the answer was refused")
    confidence: float | None = Field(
        None,
        description=(
            "the answer model's score of the passage answered (of the closest one when refused); with"
            " DANVAN_ANSWER_POLICY=model the answer is refused below DANVAN_ANSWER_THRESHOLD"
        ),
    )
    query: str | None = Field(None, description="the standalone question used for retrieval")
    backend: str = "extractive"
    fallback: str | None = Field(None, description="why a generated answer was replaced by the extractive one")
    seconds: float | None = None


# --- briefs ------------------------------------------------------------------------------------
class BriefRequest(RequestBody):
    model_config = ConfigDict(strict=True)

    topic: str = Field(
        min_length=1, max_length=500, pattern=r"[^\s\x1c-\x1f]", description="what the brief is about, in plain words"
    )
    filters: FilterSpec | None = None
    max_documents: Whole = Field(8, ge=1, le=20, description="at most this many documents, the most relevant first")


class BriefScope(BaseModel):
    filters: dict[str, str | int] = Field(default_factory=dict, description="filters applied")
    documents_used: int = 0
    period_from: str | None = Field(None, description="earliest date or year the documents cover")
    period_to: str | None = None


class KeyPoint(BaseModel):
    text: str = Field(description="verbatim from the cited source")
    citations: list[int] = Field(description="numbers of `sources`")


class Figure(BaseModel):
    figure: str
    counts: str = Field(description="what the figure counts, as the sentence words it")
    place: str | None = None
    period: str | None = None
    source: str
    sentence: str = Field(description="verbatim from `source`")


class Quote(BaseModel):
    text: str = Field(description="verbatim from `source`")
    speaker: str | None = Field(None, description="when the text names one")
    source: str


class ReferencedDocument(BaseModel):
    code: str = Field(description="e.g. 38-CTr/TU")
    kind: str | None = Field(None, description="directive, resolution, action programme, ... (from the code)")
    date: str | None = Field(None, description="as the source writes it")
    issuer: str | None = None
    about: str | None = None
    cited_by: list[str] = Field(description="files that cite it")


class BriefSource(BaseModel):
    n: int
    source: str
    title: str
    province: str | None = None
    period: str | None = None


class Brief(BaseModel):
    title: str
    topic: str
    covered: bool = Field(description="false when the documents do not cover the topic: then the lists are empty")
    message: str | None = Field(None, description="why nothing is reported, when not covered")
    scope: BriefScope
    key_points: list[KeyPoint] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    documents_referenced: list[ReferencedDocument] = Field(default_factory=list)
    sources: list[BriefSource] = Field(default_factory=list)
    overview: str | None = Field(
        None,
        description="a summary by the configured language model; every sentence cites `sources` and was checked "
        "against them",
    )
    overview_backend: str | None = Field(None, description="the model that wrote the overview")
    overview_note: str | None = Field(None, description="why there is no overview although a model is configured")
    seconds: float | None = None
