"""`create_api`: the FastAPI app of the HTTP API, one router per feature over AnswerService."""

from __future__ import annotations

from fastapi import FastAPI

from ..exports import Exports
from ..feedback import FeedbackStore
from ..service import AnswerService
from . import answers, briefs, documents, errors, exports, feedback, health, openai

# In this order in the schema.
ROUTERS = (answers.router, openai.router, briefs.router, documents.router, feedback.router, exports.router,
           health.router)


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


def create_app(service: AnswerService, ui: bool | None = None):
    """The API with the UI mounted, behind the boundary."""
    from fastapi.middleware.cors import CORSMiddleware
    from fastapi.responses import RedirectResponse

    from ..boundary import Boundary, BoundaryMiddleware
    from ..exports import Exports
    from ..feedback import FeedbackStore

    settings = service.settings
    boundary = Boundary(settings)
    feedback, exports = FeedbackStore(settings.data_dir / "feedback.sqlite"), Exports()
    app = create_api(service, feedback, exports)
    if settings.ui if ui is None else ui:
        from ui.app import mount

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/ui/")

        app = mount(app, service, feedback, exports, with_keys=bool(boundary.keys))
    app.state.boundary = boundary
    app.add_middleware(BoundaryMiddleware, boundary=boundary)
    if settings.cors_origins:  # outermost, so that preflights are answered before authentication
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    return app
