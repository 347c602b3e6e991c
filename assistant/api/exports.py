"""The UI's downloads, behind the same boundary as the API and left out of its schema: the
feedback as JSONL, and the files the UI made (`assistant.exports`). Generated in memory, never
written to disk."""

from __future__ import annotations

from fastapi import APIRouter, Response

from .deps import Caller, ExportsDep, FeedbackDep
from .errors import error

router = APIRouter(prefix="/exports", include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE}


# Before /{token}, which would match this name too.
@router.get("/feedback.jsonl")
def ui_feedback_export(feedback: FeedbackDep) -> Response:
    return Response(
        feedback.export_jsonl(),
        media_type="application/x-ndjson; charset=utf-8",
        headers=_attachment("danvan-feedback.jsonl"),
    )


@router.get("/{token}")
def ui_export(token: str, exports: ExportsDep, who: Caller) -> Response:
    found = exports.get(token, who)  # None also when it is someone else's
    if found is None:
        return error(404, "not_found", "No such download (they are kept for 15 minutes).")
    return Response(found.data, media_type=found.media_type, headers=_attachment(found.filename))
