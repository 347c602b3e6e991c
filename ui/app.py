"""The Gradio chat UI. It calls AnswerService (the same code path as the API), never the stores.

It sits behind the process's one boundary (`assistant.boundary`): with keys configured every
request to it needs a login, and its calls are rate-limited and size-limited like `/v1`. Its
downloads are made in memory and served by the app (`/exports/...`), never written to disk.

Its words are in English and Vietnamese (`ui.texts`, from `prompts/texts.LANG.json`): the page's
in the browser's language (switched in Gradio's settings), an answer's in its question's.

The page is made of parts, a module each: `ui.chat`, `ui.sources`, `ui.feedback`, `ui.briefing`;
`build_ui` lays them out and wires them through what they share (`ui.shared`).
"""

from __future__ import annotations

import gradio as gr

from assistant.exports import Exports
from assistant.feedback import FeedbackStore
from assistant.service import AnswerService

from . import briefing, chat, filters, sources
from . import feedback as feedback_ui
from .render import CSS
from .shared import shared
from .texts import I18N, LOCALE_JS, t


def build_ui(
    service: AnswerService, feedback: FeedbackStore, exports: Exports | None = None, with_keys: bool = False
) -> gr.Blocks:
    options = filters.choices(service)
    with gr.Blocks(title="danvan") as ui:
        parts = shared(service, feedback, exports or Exports())
        gr.Markdown(t("intro"))
        if with_keys:
            gr.HTML(t("html_log_out"))
        with gr.Tab(t("tab_ask"), elem_id="tab-ask"), gr.Row():
            with gr.Column(scale=3):
                asking = chat.build(options)
            with gr.Column(scale=2):
                cited = sources.build()
                verdict = feedback_ui.build()
        with gr.Tab(t("tab_brief"), elem_id="tab-brief"):
            brief = briefing.build(options)

        # Wired once every part exists (an answer updates the sources list). The handlers' names are
        # the call routes' (/gradio_api/call/respond); the events' order is their fn_index and the
        # order of the suffixes of repeated names (respond_1).
        chat.wire(parts, asking, cited)
        sources.wire(parts, cited)
        feedback_ui.wire(parts, verdict)
        chat.wire_new_conversation(parts, asking, cited, verdict.status)
        briefing.wire(parts, brief)
        ui.load(filters.refreshing(service), None, [*asking.dropdowns, brief.province, brief.year])
    return ui


def mount(
    app,
    service: AnswerService,
    feedback: FeedbackStore,
    exports: Exports | None = None,
    *,
    with_keys: bool = False,
    path: str = "/ui",
):
    # The boundary has authenticated every request before Gradio sees it; Gradio takes the
    # identity it established as its user, so handlers know who asks (the downloads' owner).
    # No uploads (the boundary refuses the route too) and no run history kept in the browser.
    # "settings" is Gradio's panel, where the page's language is switched (LOCALE_JS adds Vietnamese).
    return gr.mount_gradio_app(
        app,
        build_ui(service, feedback, exports, with_keys),
        path=path,
        css=CSS,
        footer_links=["api", "settings"],
        i18n=I18N,
        js=LOCALE_JS,
        auth_dependency=lambda request: request.scope.get("state", {}).get("identity"),
        max_file_size=1,
        run_history=False,
    )
