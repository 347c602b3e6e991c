"""The last answer's sources: a citation opens its passage, then the whole document, quote marked."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from assistant.models import Citation
from core.errors import DanvanError

from .render import choice_label, document_html, message_html, passage_html
from .shared import Shared
from .texts import question_language, t

SCROLL_TO_QUOTE = "() => document.querySelector('#document mark')?.scrollIntoView({block: 'center'})"


@dataclass(frozen=True)
class Sources:
    sources: gr.Radio
    passage: gr.HTML
    open_doc: gr.Button
    document: gr.HTML

    @property
    def components(self) -> list:
        return [self.sources, self.passage, self.open_doc, self.document]


def build() -> Sources:
    return Sources(
        sources=gr.Radio(choices=[], label=t("sources_label"), elem_id="sources"),
        passage=gr.HTML(elem_id="passage"),
        open_doc=gr.Button(t("open_document"), visible=False, size="sm", elem_id="open-document"),
        document=gr.HTML(elem_id="document"),
    )


def listed(citations: list[Citation]):
    """The sources list's update for a new answer (nothing chosen yet)."""
    return gr.update(
        choices=[choice_label(c.n, c.source) for c in citations],
        value=None,
        label=str(t("sources_label") if citations else t("no_sources_label")),
    )


def cleared() -> tuple:
    """Updates for `Sources.components` when the conversation starts again."""
    return gr.update(choices=[], value=None, label=str(t("sources_label"))), "", gr.update(visible=False), ""


def _last_citation(label, answers) -> dict | None:
    # Only the last answer's citations are listed; the label is the browser's, so it may be anything.
    if not answers or not label or not isinstance(label, str):
        return None
    for c in answers[-1]["answer"]["citations"]:
        if choice_label(c["n"], c["source"]) == label:
            return c
    return None


def _answer_language(answers) -> str:
    return question_language(answers[-1]["question"]) if answers else "en"


def wire(shared: Shared, part: Sources) -> None:
    service = shared.service

    def show_passage(label, answers):
        c = _last_citation(label, answers)
        if c is None:
            return "", gr.update(visible=False), ""
        cite = Citation(**c)
        try:
            text = service.passage(cite.chunk_id).text
        except DanvanError as exc:
            return message_html(exc.message), gr.update(visible=False), ""
        return passage_html(cite, text, _answer_language(answers)), gr.update(visible=True), ""

    def open_document(label, answers):
        c = _last_citation(label, answers)
        if c is None:
            return ""
        cite = Citation(**c)
        try:
            return document_html(cite, service.document(cite.source).text, _answer_language(answers))
        except DanvanError as exc:  # removed by an ingest since the answer
            return message_html(exc.message)

    part.sources.change(show_passage, [part.sources, shared.answers], [part.passage, part.open_doc, part.document])
    part.open_doc.click(open_document, [part.sources, shared.answers], part.document).then(
        None, None, None, js=SCROLL_TO_QUOTE
    )
