"""`create_app`: the one ASGI app a `danvan serve` process runs. The API (`assistant.api`) and the
chat UI (`ui.app`) share one AnswerService, one feedback store and one set of downloads, and sit
behind one boundary (`assistant.boundary`): keys, rate limits, body limits, audit."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from assistant.api import create_api
from assistant.boundary import Boundary, BoundaryMiddleware
from assistant.exports import Exports
from assistant.feedback import FeedbackStore
from assistant.service import AnswerService


def create_app(service: AnswerService, ui: bool | None = None) -> FastAPI:
    """The API, with the UI under /ui/ unless `ui` (default: the settings') says no."""
    settings = service.settings
    boundary = Boundary(settings)
    # The UI's downloads are served by the API's /exports/...: both hold the same Exports.
    feedback, exports = FeedbackStore(settings.data_dir / "feedback.sqlite"), Exports()
    app = create_api(service, feedback, exports)
    if settings.ui if ui is None else ui:
        from ui.app import mount  # Gradio is slow to import: only when the UI is served

        app.add_api_route("/", lambda: RedirectResponse("/ui/"), include_in_schema=False)
        app = mount(app, service, feedback, exports, with_keys=bool(boundary.keys))
    app.state.boundary = boundary
    app.add_middleware(BoundaryMiddleware, boundary=boundary)
    if settings.cors_origins:  # outermost, so that preflights are answered before authentication
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app
