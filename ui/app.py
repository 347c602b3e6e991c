"""The Gradio chat UI. It calls AnswerService (the same code path as the API), never the stores.

It sits behind the process's one boundary (`assistant.boundary`): with keys configured every
request to it needs a login, and its calls are rate-limited and size-limited like `/v1`. Its
downloads are made in memory and served by the app (`/exports/...`), never written to disk.
"""

from __future__ import annotations

import uuid

import gradio as gr
from pydantic import ValidationError

from assistant.brief_export import DOCX, to_docx, to_markdown
from assistant.errors import DanvanError
from assistant.exports import Exports
from assistant.feedback import Feedback, FeedbackStore
from assistant.models import Answer, AskRequest, BriefRequest, Citation, FilterSpec, Turn
from assistant.service import AnswerService

from .render import CSS, answer_markdown, choice_label, document_html, error_markdown, message_html, passage_html, text_markdown

ANY = "Any"
EXAMPLES = [
    "How many km of concrete rural roads did Que Phong build in 2014?",
    "Which directive did the Ban Che District Party Standing Committee in Quang Ninh issue on mobilizing people?",
    "Who chaired the discussion session at Nghe An's mid-2022 mass mobilization review conference?",
    "How many religious followers in Quang Tri are Party members?",
]


def _invalid(exc: ValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    return f"The input was not accepted: {first.get('msg', 'invalid input')}."


def _caller(request: gr.Request | None) -> str | None:
    # The boundary's identity, handed to Gradio as its user (see `mount`).
    return getattr(request, "username", None) if request is not None else None


def build_ui(service: AnswerService, feedback: FeedbackStore, exports: Exports | None = None,
             with_keys: bool = False) -> gr.Blocks:
    exports = exports or Exports()
    def choices() -> tuple[list[str], list[str], list[str]]:
        """The provinces, kinds and years the store holds now, each after "Any"."""
        f = service.facets()
        return [ANY, *f["provinces"]], [ANY, *f["doc_types"]], [ANY, *map(str, f["years"])]

    places, kinds, years = choices()
    limit = service.settings.max_question_chars

    def _filters(province, year_from, year_to, doc_type) -> FilterSpec | None:
        spec = FilterSpec(
            province=None if province in (None, ANY) else province,
            doc_type=None if doc_type in (None, ANY) else doc_type,
            year_from=None if year_from in (None, ANY) else int(year_from),
            year_to=None if year_to in (None, ANY) else int(year_to),
        )
        return spec if spec.model_dump(exclude_none=True) else None

    def respond(question, chat, answers, province, year_from, year_to, doc_type):
        question = (question or "").strip() if isinstance(question, str) else ""
        chat = chat if isinstance(chat, list) else []
        if not question:
            gr.Warning("Type a question first.")
            yield gr.update(), chat, answers, gr.update()
            return
        if len(question) > limit:
            gr.Warning(f"The question is too long ({len(question)} characters; the limit is {limit}).")
            yield gr.update(), chat, answers, gr.update()
            return
        chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        # The conversation on screen is the history: "New conversation" clears both at once.
        history = [Turn(role=role, content=text) for a in answers
                   for role, text in (("user", a["question"]), ("assistant", a["answer"]["answer"]))]
        try:
            request = AskRequest(question=question, history=history, filters=_filters(province, year_from, year_to, doc_type))
        except (ValidationError, ValueError, TypeError) as exc:
            chat[-1] = {"role": "assistant", "content": error_markdown(_invalid(exc) if isinstance(exc, ValidationError)
                                                                       else "a filter was not one of the choices.")}
            yield question, chat, answers, gr.update()
            return
        streamed = ""
        try:
            for piece in service.stream(request):
                if isinstance(piece, Answer):
                    chat[-1] = {"role": "assistant", "content": answer_markdown(piece)}
                    answers = [*answers, {"question": question, "answer": piece.model_dump()}]
                    cites = piece.citations
                    yield "", chat, answers, gr.update(choices=[choice_label(c.n, c.source) for c in cites], value=None,
                                                       label="Sources of the last answer" if cites else "No sources: the documents do not answer")
                else:
                    # The pieces are document text too: shown escaped, like the final answer.
                    streamed += piece
                    chat[-1] = {"role": "assistant", "content": text_markdown(streamed)}
                    yield "", chat, answers, gr.update()
        except DanvanError as exc:
            chat[-1] = {"role": "assistant", "content": error_markdown(exc.message)}
            yield question, chat, answers, gr.update()
        except Exception:  # noqa: BLE001 - the page must never show a stack trace
            chat[-1] = {"role": "assistant", "content": "**Error:** the answer service failed; please try again."}
            yield question, chat, answers, gr.update()

    def _last_citation(label, answers):
        if not answers or not label or not isinstance(label, str):
            return None
        for c in answers[-1]["answer"]["citations"]:
            if choice_label(c["n"], c["source"]) == label:
                return c
        return None

    def refresh_filters():
        """Each page load offers the places, years and kinds the store holds now (an ingest may
        have added some since the server started)."""
        places, kinds, years = choices()
        return (gr.update(choices=places), gr.update(choices=kinds), gr.update(choices=years), gr.update(choices=years),
                gr.update(choices=places), gr.update(choices=years))

    def show_passage(label, answers):
        c = _last_citation(label, answers)
        if c is None:
            return "", gr.update(visible=False), ""
        cite = Citation(**c)
        try:
            text = service.passage(cite.chunk_id).text
        except DanvanError as exc:
            return message_html(exc.message), gr.update(visible=False), ""
        return passage_html(cite, text), gr.update(visible=True), ""

    def open_document(label, answers):
        c = _last_citation(label, answers)
        if c is None:
            return ""
        cite = Citation(**c)
        try:
            return document_html(cite, service.document(cite.source).text)
        except DanvanError as exc:  # removed by an ingest since the answer
            return message_html(exc.message)

    def give_feedback(helpful: bool):
        def handler(comment, answers, session):
            if not answers:
                gr.Warning("Ask a question first.")
                return comment, ""
            last = answers[-1]
            try:
                fid = feedback.add(Feedback(question=last["question"], answer=Answer(**last["answer"]), helpful=helpful,
                                            comment=(comment if isinstance(comment, str) else "")[:2000], session=session))
            except ValidationError as exc:
                gr.Warning(_invalid(exc))
                return comment, ""
            return "", f"Thank you: feedback #{fid} saved ({'helpful' if helpful else 'not helpful'})."
        return handler

    def make_brief(topic, province, year, request: gr.Request):
        topic = (topic or "").strip() if isinstance(topic, str) else ""
        if not topic:
            gr.Warning("Type a topic first.")
            return gr.update(), ""
        try:
            result = service.brief(BriefRequest(topic=topic, filters=_filters(province, year, year, ANY)))
        except DanvanError as exc:
            return error_markdown(exc.message), ""
        except (ValidationError, ValueError, TypeError) as exc:
            return error_markdown(_invalid(exc) if isinstance(exc, ValidationError) else "a filter was not one of the choices."), ""
        markdown = to_markdown(result)
        if not result.covered:
            return markdown, ""
        who = _caller(request)
        docx = exports.put(who, "brief.docx", DOCX, to_docx(result))
        md = exports.put(who, "brief.md", "text/markdown; charset=utf-8", markdown.encode("utf-8"))
        return markdown, (f'<a id="brief-docx" class="dv-download" href="/exports/{docx}" download="brief.docx">Download DOCX</a> '
                          f'<a id="brief-md" class="dv-download" href="/exports/{md}" download="brief.md">Download Markdown</a>')

    def new_conversation():
        return str(uuid.uuid4()), [], [], gr.update(choices=[], value=None, label="Sources of the last answer"), "", gr.update(visible=False), "", ""

    with gr.Blocks(title="danvan: mass-mobilization documents") as ui:
        session = gr.State(lambda: str(uuid.uuid4()))  # groups the feedback of one conversation
        answers = gr.State([])
        gr.Markdown("## danvan\nAsk about mass-mobilization work. Every answer quotes the documents; "
                    "when they do not say, danvan tells you so.")
        if with_keys:
            gr.HTML('<a href="/logout" id="logout">Log out</a>')
        with gr.Tab("Ask", elem_id="tab-ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    # No LaTeX: a document's "$$...$$" is text, not something to typeset.
                    chat = gr.Chatbot(label="Conversation", height=480, elem_id="chat", feedback_options=None,
                                      latex_delimiters=[], allow_tags=False)
                    with gr.Row():
                        box = gr.Textbox(placeholder="Ask a question in plain words…", show_label=False, scale=8,
                                         elem_id="question", lines=1, max_lines=4)
                        ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    new = gr.Button("New conversation", size="sm", elem_id="new-conversation")
                    gr.Examples(EXAMPLES, inputs=box, label="Examples from the sample corpus")
                    with gr.Accordion("Filters", open=False):
                        with gr.Row():
                            province = gr.Dropdown(places, value=ANY, label="Province", elem_id="f-province")
                            doc_type = gr.Dropdown(kinds, value=ANY, label="Document type", elem_id="f-doctype")
                        with gr.Row():
                            year_from = gr.Dropdown(years, value=ANY, label="From year", elem_id="f-year-from")
                            year_to = gr.Dropdown(years, value=ANY, label="To year", elem_id="f-year-to")
                with gr.Column(scale=2):
                    sources = gr.Radio(choices=[], label="Sources of the last answer", elem_id="sources")
                    passage = gr.HTML(elem_id="passage")
                    open_doc = gr.Button("Open the whole document", visible=False, size="sm", elem_id="open-document")
                    document = gr.HTML(elem_id="document")
                    with gr.Accordion("Was the last answer helpful?", open=True):
                        comment = gr.Textbox(label="Comment (optional)", lines=2, max_length=2000, elem_id="fb-comment")
                        with gr.Row():
                            up = gr.Button("Helpful", size="sm", elem_id="fb-up")
                            down = gr.Button("Not helpful", size="sm", elem_id="fb-down")
                        status = gr.Markdown(elem_id="fb-status")
                        gr.HTML('<a id="fb-export" class="dv-download" href="/exports/feedback.jsonl" '
                                'download="danvan-feedback.jsonl">Export feedback (JSONL)</a>')

        with gr.Tab("Briefing", elem_id="tab-brief"):
            gr.Markdown("A topic in, a brief out: key points, figures, quotes and the documents referenced, "
                        "each lifted verbatim from a cited source.")
            with gr.Row():
                topic = gr.Textbox(placeholder="e.g. complaints and denunciations", label="Topic", scale=6,
                                   elem_id="brief-topic", max_length=500)
                b_province = gr.Dropdown(places, value=ANY, label="Province", scale=2, elem_id="brief-province")
                b_year = gr.Dropdown(years, value=ANY, label="Year", scale=1, elem_id="brief-year")
                build = gr.Button("Build brief", variant="primary", scale=1, elem_id="brief-build")
            downloads = gr.HTML(elem_id="brief-downloads")
            brief_out = gr.Markdown(elem_id="brief-output", latex_delimiters=[])

        inputs = [box, chat, answers, province, year_from, year_to, doc_type]
        outputs = [box, chat, answers, sources]
        ask.click(respond, inputs, outputs, concurrency_limit=4)
        box.submit(respond, inputs, outputs, concurrency_limit=4)
        sources.change(show_passage, [sources, answers], [passage, open_doc, document])
        open_doc.click(open_document, [sources, answers], document).then(
            None, None, None, js="() => document.querySelector('#document mark')?.scrollIntoView({block: 'center'})")
        up.click(give_feedback(True), [comment, answers, session], [comment, status])
        down.click(give_feedback(False), [comment, answers, session], [comment, status])
        new.click(new_conversation, None, [session, chat, answers, sources, passage, open_doc, document, status])
        brief_outputs = [brief_out, downloads]
        build.click(make_brief, [topic, b_province, b_year], brief_outputs, concurrency_limit=2)
        topic.submit(make_brief, [topic, b_province, b_year], brief_outputs, concurrency_limit=2)
        ui.load(refresh_filters, None, [province, doc_type, year_from, year_to, b_province, b_year])
    return ui


def mount(app, service: AnswerService, feedback: FeedbackStore, exports: Exports | None = None, with_keys: bool = False,
          path: str = "/ui"):
    # The boundary has authenticated every request before Gradio sees it; Gradio takes the
    # identity it established as its user, so handlers know who asks (the downloads' owner).
    # No uploads (the boundary refuses the route too) and no run history kept in the browser.
    return gr.mount_gradio_app(app, build_ui(service, feedback, exports, with_keys), path=path, css=CSS, footer_links=["api"],
                               auth_dependency=lambda request: request.scope.get("state", {}).get("identity"),
                               max_file_size=1, run_history=False)
