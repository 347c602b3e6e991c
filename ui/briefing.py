"""The briefing tab: a brief on a topic, with its Markdown and DOCX downloads (made in memory)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr
from pydantic import ValidationError

from assistant.brief_export import DOCX, to_docx, to_markdown
from assistant.models import BriefRequest
from core.errors import DanvanError

from . import filters
from .render import error_markdown
from .shared import Shared, refused
from .texts import page_language, question_language, say, t


@dataclass(frozen=True)
class Briefing:
    topic: gr.Textbox
    province: gr.Dropdown
    year: gr.Dropdown
    build: gr.Button
    downloads: gr.HTML
    output: gr.Markdown


def build(options: filters.Choices) -> Briefing:
    gr.Markdown(t("brief_intro"))
    with gr.Row():
        topic = gr.Textbox(
            placeholder=t("topic_placeholder"), label=t("topic"), scale=6, elem_id="brief-topic", max_length=500
        )
        province = gr.Dropdown(
            options.places, value=filters.ANY, label=t("province"), scale=2, elem_id="brief-province"
        )
        year = gr.Dropdown(options.years, value=filters.ANY, label=t("year"), scale=1, elem_id="brief-year")
        button = gr.Button(t("build_brief"), variant="primary", scale=1, elem_id="brief-build")
    downloads = gr.HTML(elem_id="brief-downloads")
    output = gr.Markdown(elem_id="brief-output", latex_delimiters=[])
    return Briefing(topic, province, year, button, downloads, output)


def _caller(request: gr.Request | None) -> str | None:
    # The boundary's identity, handed to Gradio as its user (see `ui.app.mount`).
    return getattr(request, "username", None) if request is not None else None


def _links(docx: str, md: str, page: str) -> str:
    # The export tokens are URL-safe; the words come from the texts, so they are escaped.
    return (
        f'<a id="brief-docx" class="dv-download" href="/exports/{docx}" download="brief.docx">'
        f"{html.escape(say('download_docx', page))}</a> "
        f'<a id="brief-md" class="dv-download" href="/exports/{md}" download="brief.md">'
        f"{html.escape(say('download_md', page))}</a>"
    )


def wire(shared: Shared, part: Briefing) -> None:
    service, exports = shared.service, shared.exports

    def make_brief(topic, province, year, request: gr.Request = None):
        topic = (topic or "").strip() if isinstance(topic, str) else ""
        page = page_language(request)
        if not topic:
            gr.Warning(say("type_topic_first", page))
            return gr.update(), ""
        lang = question_language(topic)  # a brief is worded in its topic's language
        try:
            result = service.brief(BriefRequest(topic=topic, filters=filters.spec(province, year, year, filters.ANY)))
        except DanvanError as exc:
            return error_markdown(exc.message, lang), ""
        except (ValidationError, ValueError, TypeError) as exc:
            return error_markdown(refused(exc, lang), lang), ""
        markdown = to_markdown(result, lang)
        if not result.covered:
            return markdown, ""
        who = _caller(request)
        docx = exports.put(who, "brief.docx", DOCX, to_docx(result, lang))
        md = exports.put(who, "brief.md", "text/markdown; charset=utf-8", markdown.encode("utf-8"))
        return markdown, _links(docx, md, page)

    inputs, outputs = [part.topic, part.province, part.year], [part.output, part.downloads]
    # One function for both events: they share its concurrency limit.
    part.build.click(make_brief, inputs, outputs, concurrency_limit=2)
    part.topic.submit(make_brief, inputs, outputs, concurrency_limit=2)
