"""What routes depend on, read from the app's state: `create_api` puts the service, the feedback
store and the downloads there, so each router is a plain module and the app is built in one place."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..exports import Exports
from ..feedback import FeedbackStore
from ..service import AnswerService


def get_service(request: Request) -> AnswerService:
    return request.app.state.service


def get_feedback(request: Request) -> FeedbackStore:
    return request.app.state.feedback


def get_exports(request: Request) -> Exports:
    return request.app.state.exports


def caller(request: Request) -> str:
    """The identity the boundary established (a key's id, or the client address without keys)."""
    return request.scope.get("state", {}).get("identity") or "anonymous"


# For route signatures: `service: Service` instead of `service: AnswerService = Depends(get_service)`.
Service = Annotated[AnswerService, Depends(get_service)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
ExportsDep = Annotated[Exports, Depends(get_exports)]
Caller = Annotated[str, Depends(caller)]
