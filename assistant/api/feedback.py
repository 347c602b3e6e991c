"""POST /v1/feedback and GET /v1/feedback.jsonl: judgements on answers, stored and exported for evaluation."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from ..feedback import Feedback
from .deps import FeedbackDep
from .errors import BOUNDARY, ERROR

router = APIRouter(prefix="/v1", responses=BOUNDARY)


class FeedbackSaved(BaseModel):
    id: int


@router.post("/feedback", response_model=FeedbackSaved, responses={400: ERROR, 413: ERROR, 422: ERROR})
def post_feedback(fb: Feedback, feedback: FeedbackDep) -> FeedbackSaved:
    """Store a helpful / not helpful judgement with the question, answer and citations."""
    return FeedbackSaved(id=feedback.add(fb))


@router.get("/feedback.jsonl", response_class=PlainTextResponse)
def export_feedback(feedback: FeedbackDep) -> str:
    return feedback.export_jsonl()
