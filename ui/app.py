"""The Gradio chat UI. It calls AnswerService (the same code path as the API), never the stores.

It sits behind the process's one boundary (`assistant.boundary`): with keys configured every
request to it needs a login, and its calls are rate-limited and size-limited like `/v1`. Its
downloads are made in memory and served by the app (`/exports/...`), never written to disk.

Its words are in English and Vietnamese (`ui.texts`, from `prompts/texts.LANG.json`): the page's
in the browser's language (switched in Gradio's settings), an answer's in its question's.
"""

from __future__ import annotations

import uuid

import gradio as gr
from pydantic import ValidationError

from core.errors import DanvanError
from assistant.exports import Exports
from assistant.feedback import FeedbackStore
from assistant.models import Answer, AskRequest, Turn
from assistant.service import AnswerService

from . import feedback as feedback_ui  # `feedback` is the store, a parameter of build_ui
from . import briefing, sources
from .filters import ANY, choices, refreshing, spec
from .render import CSS, answer_markdown, error_markdown, text_markdown
from .shared import refused, shared
from .texts import I18N, LANGUAGES, LOCALE_JS, examples, page_language, question_language, say, t

def build_ui(service: AnswerService, feedback: FeedbackStore, exports: Exports | None = None,
             with_keys: bool = False) -> gr.Blocks:
    exports = exports or Exports()
    options = choices(service)
    places, kinds, years = options
    limit = service.settings.max_question_chars

    def respond(question, chat, answers, province, year_from, year_to, doc_type, request: gr.Request = None):
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
        history = [Turn(role=role, content=text) for a in answers
                   for role, text in (("user", a["question"]), ("assistant", a["answer"]["answer"]))]
        try:
            request = AskRequest(question=question, history=history, filters=spec(province, year_from, year_to, doc_type))
        except (ValidationError, ValueError, TypeError) as exc:
            chat[-1] = {"role": "assistant", "content": error_markdown(refused(exc, lang), lang)}
            yield question, chat, answers, gr.update()
            return
        streamed = ""
        try:
            for piece in service.stream(request):
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

    def new_conversation():
        return str(uuid.uuid4()), [], [], *sources.cleared(), ""

    with gr.Blocks(title="danvan") as ui:
        parts = shared(service, feedback, exports)
        session, answers = parts.session, parts.answers
        gr.Markdown(t("intro"))
        if with_keys:
            gr.HTML(t("html_log_out"))
        with gr.Tab(t("tab_ask"), elem_id="tab-ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    # No LaTeX: a document's "$$...$$" is text, not something to typeset.
                    chat = gr.Chatbot(label=t("conversation"), height=480, elem_id="chat", feedback_options=None,
                                      latex_delimiters=[], allow_tags=False)
                    with gr.Row():
                        box = gr.Textbox(placeholder=t("question_placeholder"), show_label=False, scale=8,
                                         elem_id="question", lines=1, max_lines=4)
                        ask = gr.Button(t("ask"), variant="primary", scale=1, elem_id="ask")
                    new = gr.Button(t("new_conversation"), size="sm", elem_id="new-conversation")
                    # One set of examples per language; the page shows the one in its language (CSS).
                    for language in LANGUAGES:
                        with gr.Column(elem_classes=[f"dv-lang-{language}"], elem_id=f"examples-{language}"):
                            gr.Examples(examples(language), inputs=box, label=t("examples"))
                    with gr.Accordion(t("filters"), open=False):
                        with gr.Row():
                            province = gr.Dropdown(places, value=ANY, label=t("province"), elem_id="f-province")
                            doc_type = gr.Dropdown(kinds, value=ANY, label=t("doc_type"), elem_id="f-doctype")
                        with gr.Row():
                            year_from = gr.Dropdown(years, value=ANY, label=t("year_from"), elem_id="f-year-from")
                            year_to = gr.Dropdown(years, value=ANY, label=t("year_to"), elem_id="f-year-to")
                with gr.Column(scale=2):
                    cited = sources.build()
                    verdict = feedback_ui.build()

        with gr.Tab(t("tab_brief"), elem_id="tab-brief"):
            brief = briefing.build(options)

        inputs = [box, chat, answers, province, year_from, year_to, doc_type]
        outputs = [box, chat, answers, cited.sources]
        ask.click(respond, inputs, outputs, concurrency_limit=4)
        box.submit(respond, inputs, outputs, concurrency_limit=4)
        sources.wire(parts, cited)
        feedback_ui.wire(parts, verdict)
        new.click(new_conversation, None, [session, chat, answers, *cited.components, verdict.status])
        briefing.wire(parts, brief)
        ui.load(refreshing(service), None, [province, doc_type, year_from, year_to, brief.province, brief.year])
    return ui


def mount(app, service: AnswerService, feedback: FeedbackStore, exports: Exports | None = None, with_keys: bool = False,
          path: str = "/ui"):
    # The boundary has authenticated every request before Gradio sees it; Gradio takes the
    # identity it established as its user, so handlers know who asks (the downloads' owner).
    # No uploads (the boundary refuses the route too) and no run history kept in the browser.
    # "settings" is Gradio's panel, where the page's language is switched (LOCALE_JS adds Vietnamese).
    return gr.mount_gradio_app(app, build_ui(service, feedback, exports, with_keys), path=path, css=CSS,
                               footer_links=["api", "settings"], i18n=I18N, js=LOCALE_JS,
                               auth_dependency=lambda request: request.scope.get("state", {}).get("identity"),
                               max_file_size=1, run_history=False)
