"""Briefs through AnswerService over the hashed store of both sample corpora: every key point,
figure and quote verbatim in the file it cites, the documents referenced complete, a filter's
scope, an honest "not covered", exports worded in the topic's language (the real model's briefs
are tests/integration/test_brief.py)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from assistant.brief_export import to_docx, to_markdown
from assistant.citations import quote_in
from assistant.models import BriefRequest, FilterSpec
from ingest.metadata import find_codes
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
    assert brief.covered and brief.message is None and brief.key_points and brief.figures and brief.sources
    text = {s.source: hashed_service.document(s.source).text for s in brief.sources}
    numbers = {s.n: s.source for s in brief.sources}
    assert sorted(numbers) == list(range(1, len(brief.sources) + 1))
    assert all((SAMPLE / s).is_file() or (SAMPLE_VI / s).is_file() for s in text)
    assert brief.scope.documents_used == len(brief.sources) >= 2  # many reports, not one
    for point in brief.key_points:
        assert point.citations and all(quote_in(point.text, text[numbers[n]]) for n in point.citations)
    for f in brief.figures:
        assert quote_in(f.sentence, text[f.source]) and f.figure in f.sentence and f.counts
    for q in brief.quotes:
        assert quote_in(q.text, text[q.source])
        assert q.speaker is None or q.speaker in q.text
    cited = {code for t in text.values() for code in find_codes(t)}
    assert {r.code for r in brief.documents_referenced} == cited
    for r in brief.documents_referenced:
        assert r.cited_by and all(r.code in find_codes(text[s]) for s in r.cited_by)


def test_a_vietnamese_topic_is_briefed_from_the_vietnamese_documents(briefs):
    brief = briefs["mô hình dân vận khéo"]
    assert {s.source for s in brief.sources} <= {p.name for p in SAMPLE_VI.iterdir()}
    assert any("mô hình" in f.sentence for f in brief.figures)


def test_figures_and_documents_of_a_province(hashed_service):
    brief = hashed_service.brief(
        BriefRequest(topic="skillful mass mobilization models", filters=FilterSpec(province="Quang Ninh"))
    )
    assert [s.source for s in brief.sources] == ["quang-ninh-2024-mass-mobilization.txt"]
    refs = {r.code: r for r in brief.documents_referenced}
    assert {"38-CTr/TU", "40-CTr/TU"} <= refs.keys()
    assert refs["38-CTr/TU"].kind == "action programme" and refs["38-CTr/TU"].date == "April 10, 2024"
    assert brief.scope.filters == {"province": "Quang Ninh"}
    assert any(f.figure == "62" and "models" in f.counts for f in brief.figures)


def test_max_documents_bounds_the_sources(hashed_service):
    brief = hashed_service.brief(BriefRequest(topic="religious affairs", max_documents=2))
    assert brief.covered and len(brief.sources) <= 2
    assert {f.source for f in brief.figures} | {q.source for q in brief.quotes} <= {s.source for s in brief.sources}


def test_a_topic_the_documents_do_not_cover_is_said_so(hashed_service):
    brief = hashed_service.brief(BriefRequest(topic="the Mars colony's oxygen supply"))
    assert not brief.covered and "do not cover" in brief.message
    assert not (brief.key_points or brief.figures or brief.quotes or brief.sources or brief.documents_referenced)


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
