"""Feedback on the last answer: helpful or not, with an optional comment, stored with the answer."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr
from pydantic import ValidationError

from assistant.feedback import Feedback
from assistant.models import Answer

from .shared import Shared, invalid
from .texts import page_language, say, t

MAX_COMMENT = 2000


@dataclass(frozen=True)
class FeedbackBox:
    comment: gr.Textbox
    up: gr.Button
    down: gr.Button
    status: gr.Markdown


def build() -> FeedbackBox:
    with gr.Accordion(t("feedback_title"), open=True):
        comment = gr.Textbox(label=t("comment"), lines=2, max_length=MAX_COMMENT, elem_id="fb-comment")
        with gr.Row():
            up = gr.Button(t("helpful"), size="sm", elem_id="fb-up")
            down = gr.Button(t("not_helpful"), size="sm", elem_id="fb-down")
        status = gr.Markdown(elem_id="fb-status")
        gr.HTML(t("html_export_feedback"))
    return FeedbackBox(comment, up, down, status)


def _giving(shared: Shared, helpful: bool):
    def handler(comment, answers, session, request: gr.Request = None):
        page = page_language(request)
        if not answers:
            gr.Warning(say("ask_first", page))
            return comment, ""
        last = answers[-1]
        # The box's max_length holds only in the browser: the call route takes any comment.
        comment_text = (comment if isinstance(comment, str) else "")[:MAX_COMMENT]
        try:
            fid = shared.feedback.add(
                Feedback(
                    question=last["question"],
                    answer=Answer(**last["answer"]),
                    helpful=helpful,
                    comment=comment_text,
                    session=session,
                )
            )
        except ValidationError as exc:
            gr.Warning(invalid(exc, page))
            return comment, ""
        verdict = say("verdict_helpful" if helpful else "verdict_not_helpful", page)
        return "", say("feedback_saved", page, id=fid, verdict=verdict)

    return handler


def wire(shared: Shared, box: FeedbackBox) -> None:
    for button, helpful in ((box.up, True), (box.down, False)):
        button.click(_giving(shared, helpful), [box.comment, shared.answers, shared.session], [box.comment, box.status])
