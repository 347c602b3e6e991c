"""What the UI's parts share: the services they call and one browser's conversation state.

The parts get it explicitly (`build_ui` makes one per page build) rather than closing over
each other's variables, so each part's module shows all it reads and writes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import gradio as gr
from pydantic import ValidationError

from assistant.exports import Exports
from assistant.feedback import FeedbackStore
from assistant.service import AnswerService

from .texts import say


@dataclass(frozen=True)
class Shared:
    service: AnswerService
    feedback: FeedbackStore
    exports: Exports
    session: gr.State  # groups the feedback of one conversation
    answers: gr.State  # the conversation's answers: the next question's history, what sources and feedback refer to


def shared(service: AnswerService, feedback: FeedbackStore, exports: Exports) -> Shared:
    """Made inside the page's Blocks: the two states are components of it."""
    return Shared(service, feedback, exports, session=gr.State(lambda: str(uuid.uuid4())), answers=gr.State([]))


def invalid(exc: ValidationError, language: str = "en") -> str:
    """The message for input the models refused (its first error)."""
    first = exc.errors()[0] if exc.errors() else {}
    return say("not_accepted", language, message=first.get("msg", "invalid input"))


def refused(exc: Exception, language: str = "en") -> str:
    """The message for a request that could not be made: a model's refusal, else a filter that is no filter."""
    return invalid(exc, language) if isinstance(exc, ValidationError) else say("bad_filter", language)
