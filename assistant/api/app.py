"""`create_api`: the FastAPI app of the HTTP API, one router per feature over AnswerService."""

from __future__ import annotations

from fastapi import FastAPI

from ..exports import Exports
from ..feedback import FeedbackStore
from ..service import AnswerService
from . import answers, briefs, documents, errors, exports, feedback, health, openai

# In this order in the schema.
ROUTERS = (
    answers.router,
    openai.router,
    briefs.router,
    documents.router,
    feedback.router,
    exports.router,
    health.router,
)


def create_api(service: AnswerService, feedback: FeedbackStore, exports: Exports) -> FastAPI:
    """Routes only: keys, rate limits and body limits are the boundary's, in front of this app
    and the UI alike (`assistant.boundary`, added where the process is composed)."""
    app = FastAPI(
        title="danvan",
        description="Answers questions about mass-mobilization work from the documents, with verbatim citations.",
        version="0.1.0",
    )
    app.state.service, app.state.feedback, app.state.exports = service, feedback, exports  # see `deps`
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
