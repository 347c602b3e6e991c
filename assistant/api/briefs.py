"""POST /v1/briefs: a structured, sourced brief on a topic, as JSON or as a Markdown or DOCX file."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from ..brief_export import DOCX, to_docx, to_markdown
from ..models import Brief, BriefRequest
from .deps import Service
from .errors import BOUNDARY, ERROR

router = APIRouter(prefix="/v1", responses=BOUNDARY)
AS_FILE = {
    "content": {"text/markdown": {}, DOCX: {}},
    "description": "The Brief as JSON, or with `format=md` / `format=docx` as a file to download.",
}


def _download(data: str | bytes, media_type: str, filename: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/briefs", response_model=Brief, responses={400: ERROR, 413: ERROR, 422: ERROR, 503: ERROR, 200: AS_FILE})
async def briefs(request: BriefRequest, service: Service, format: Literal["json", "md", "docx"] = "json"):
    """A structured, sourced brief on a topic: key points, figures, quotes, documents referenced."""
    result = await run_in_threadpool(service.brief, request)
    if format == "md":
        return _download(to_markdown(result), "text/markdown; charset=utf-8", "brief.md")
    if format == "docx":
        return _download(await run_in_threadpool(to_docx, result), DOCX, "brief.docx")
    return result
