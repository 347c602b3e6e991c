"""The conversation: the question box, the streamed answers, follow-ups (the conversation is their
history), the examples, the filters, and "New conversation"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import gradio as gr
from pydantic import ValidationError

from assistant.models import Answer, AskRequest, Turn
from core.errors import DanvanError

from . import filters, sources
from .render import answer_markdown, error_markdown, text_markdown
from .shared import Shared, refused
from .texts import LANGUAGES, examples, page_language, question_language, say, t


@dataclass(frozen=True)
class Chat:
    chat: gr.Chatbot
    box: gr.Textbox
    ask: gr.Button
    new: gr.Button
    province: gr.Dropdown
    doc_type: gr.Dropdown
    year_from: gr.Dropdown
    year_to: gr.Dropdown

    @property
    def dropdowns(self) -> list:
        """The filters in the order `filters.refreshing` updates them."""
        return [self.province, self.doc_type, self.year_from, self.year_to]


def build(options: filters.Choices) -> Chat:
    # No LaTeX: a document's "$$...$$" is text, not something to typeset.
    chat = gr.Chatbot(
        label=t("conversation"),
        height=480,
        elem_id="chat",
        feedback_options=None,
        latex_delimiters=[],
        allow_tags=False,
    )
    with gr.Row():
        box = gr.Textbox(
            placeholder=t("question_placeholder"), show_label=False, scale=8, elem_id="question", lines=1, max_lines=4
        )
        ask = gr.Button(t("ask"), variant="primary", scale=1, elem_id="ask")
    new = gr.Button(t("new_conversation"), size="sm", elem_id="new-conversation")
    # One set of examples per language; the page shows the one in its language (CSS).
    for language in LANGUAGES:
        with gr.Column(elem_classes=[f"dv-lang-{language}"], elem_id=f"examples-{language}"):
            gr.Examples(examples(language), inputs=box, label=t("examples"))
    with gr.Accordion(t("filters"), open=False):
        with gr.Row():
            province = gr.Dropdown(options.places, value=filters.ANY, label=t("province"), elem_id="f-province")
            doc_type = gr.Dropdown(options.kinds, value=filters.ANY, label=t("doc_type"), elem_id="f-doctype")
        with gr.Row():
            year_from = gr.Dropdown(options.years, value=filters.ANY, label=t("year_from"), elem_id="f-year-from")
            year_to = gr.Dropdown(options.years, value=filters.ANY, label=t("year_to"), elem_id="f-year-to")
    return Chat(chat, box, ask, new, province, doc_type, year_from, year_to)


def _answering(shared: Shared):
    service = shared.service
    limit = service.settings.max_question_chars

    # Gradio passes an event's inputs by position, one argument each.
    def respond(question, chat, answers, province, year_from, year_to, doc_type, request: gr.Request = None):  # noqa: PLR0917
        question = (question or "").strip() if isinstance(question, str) else ""
        chat = chat if isinstance(chat, list) else []
        page = page_language(request)
        if not question:
            gr.Warning(say("type_question_first", page))
            yield gr.update(), chat, answers, gr.update()
            return
        if len(question) > limit:
            gr.Warning(say("question_too_long", page, length=len(question), limit=limit))
            yield gr.update(), chat, answers, gr.update()
            return
        lang = question_language(question)  # the answer's frame is worded in the question's language
        chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        # The conversation on screen is the history: "New conversation" clears both at once.
        history = [
            Turn(role=role, content=text)
            for a in answers
            for role, text in (("user", a["question"]), ("assistant", a["answer"]["answer"]))
        ]
        try:
            asked = AskRequest(
                question=question, history=history, filters=filters.spec(province, year_from, year_to, doc_type)
            )
        except (ValidationError, ValueError, TypeError) as exc:
            chat[-1] = {"role": "assistant", "content": error_markdown(refused(exc, lang), lang)}
            yield question, chat, answers, gr.update()
            return
        streamed = ""
        try:
            for piece in service.stream(asked):
                if isinstance(piece, Answer):
                    chat[-1] = {"role": "assistant", "content": answer_markdown(piece, lang)}
                    answers = [*answers, {"question": question, "answer": piece.model_dump()}]
                    yield "", chat, answers, sources.listed(piece.citations)
                else:
                    # The pieces are document text too: shown escaped, like the final answer.
                    streamed += piece
                    chat[-1] = {"role": "assistant", "content": text_markdown(streamed)}
                    yield "", chat, answers, gr.update()
        except DanvanError as exc:
            chat[-1] = {"role": "assistant", "content": error_markdown(exc.message, lang)}
            yield question, chat, answers, gr.update()
        except Exception:  # noqa: BLE001 - the page must never show a stack trace
            chat[-1] = {"role": "assistant", "content": error_markdown(say("service_failed", lang), lang)}
            yield question, chat, answers, gr.update()

    return respond


def wire(shared: Shared, part: Chat, cited: sources.Sources) -> None:
    respond = _answering(shared)
    inputs = [part.box, part.chat, shared.answers, part.province, part.year_from, part.year_to, part.doc_type]
    outputs = [part.box, part.chat, shared.answers, cited.sources]
    # One function for both events: they share its concurrency limit.
    part.ask.click(respond, inputs, outputs, concurrency_limit=4)
    part.box.submit(respond, inputs, outputs, concurrency_limit=4)


def wire_new_conversation(shared: Shared, part: Chat, cited: sources.Sources, status: gr.Markdown) -> None:
    """A new session id (its feedback apart), no answers, and nothing left shown of the last one."""

    def new_conversation():
        return str(uuid.uuid4()), [], [], *sources.cleared(), ""

    part.new.click(new_conversation, None, [shared.session, part.chat, shared.answers, *cited.components, status])
