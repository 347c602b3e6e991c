"""Briefs through AnswerService over the hashed store of both sample corpora: every key point,
figure and quote verbatim in the file it cites, the documents referenced complete, a filter's
scope, an honest "not covered", exports worded in the topic's language (the real model's briefs
are tests/integration/test_brief.py)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from assistant.brief_export import to_docx, to_markdown
from assistant.models import BriefRequest
from tests.helpers.answers import (
    assert_a_provinces_figures_and_documents,
    assert_a_topic_not_covered_is_said_so,
    assert_brief_verbatim_and_traceable,
)
from tests.helpers.stores import SAMPLE, SAMPLE_VI

TOPICS = [
    "Skillful Mass Mobilization models",
    "complaints and denunciations",
    "religious affairs",
    "mô hình dân vận khéo",
]


@pytest.fixture(scope="module")
def briefs(hashed_service):
    return {topic: hashed_service.brief(BriefRequest(topic=topic)) for topic in TOPICS}


@pytest.mark.parametrize("topic", TOPICS)
def test_a_brief_is_verbatim_and_traceable(hashed_service, briefs, topic):
    brief = briefs[topic]
    assert_brief_verbatim_and_traceable(hashed_service, brief, (SAMPLE, SAMPLE_VI))
    assert brief.message is None and brief.figures
    assert sorted(s.n for s in brief.sources) == list(range(1, len(brief.sources) + 1))


def test_a_vietnamese_topic_is_briefed_from_the_vietnamese_documents(briefs):
    brief = briefs["mô hình dân vận khéo"]
    assert {s.source for s in brief.sources} <= {p.name for p in SAMPLE_VI.iterdir()}
    assert any("mô hình" in f.sentence for f in brief.figures)


def test_figures_and_documents_of_a_province(hashed_service):
    assert_a_provinces_figures_and_documents(hashed_service)


def test_max_documents_bounds_the_sources(hashed_service):
    brief = hashed_service.brief(BriefRequest(topic="religious affairs", max_documents=2))
    assert brief.covered and len(brief.sources) <= 2
    assert {f.source for f in brief.figures} | {q.source for q in brief.quotes} <= {s.source for s in brief.sources}


def test_a_topic_the_documents_do_not_cover_is_said_so(hashed_service):
    assert_a_topic_not_covered_is_said_so(hashed_service)


def test_exports_open_and_hold_the_figures_table(briefs):
    brief = briefs["Skillful Mass Mobilization models"]
    doc = Document(io.BytesIO(to_docx(brief)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert {"Key points", "Figures", "Sources"} <= set(headings)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Figure", "What it counts"]
    assert len(table.rows) == len(brief.figures) + 1
    assert table.rows[1].cells[5].text == brief.figures[0].sentence
    md = to_markdown(brief)
    assert md.startswith("# Briefing: Skillful Mass Mobilization models")
    assert "## Figures" in md and "## Sources" in md and brief.sources[0].source in md


def test_a_vietnamese_topic_gets_vietnamese_headings(briefs):
    brief = briefs["mô hình dân vận khéo"]
    md = to_markdown(brief)
    assert md.startswith("# Bản tóm tắt: mô hình dân vận khéo\n")
    for heading in ("## Điểm chính", "## Số liệu", "## Nguồn"):
        assert heading in md, heading
    assert "## Key points" not in md and "## Figures" not in md
    doc = Document(io.BytesIO(to_docx(brief)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Bản tóm tắt: mô hình dân vận khéo" and {"Điểm chính", "Số liệu", "Nguồn"} <= set(headings)
    assert [c.text for c in doc.tables[0].rows[0].cells][:2] == ["Con số", "Nội dung"]


def test_control_characters_in_a_topic_do_not_break_the_word_export(hashed_service):
    brief = hashed_service.brief(BriefRequest(topic="religious\x13 affairs\x06"))
    assert Document(io.BytesIO(to_docx(brief))).paragraphs[0].text == "Briefing: religious affairs"
