"""Briefs for trainers on the sample corpus: every figure, quote and key point verbatim in the
file it cites, the documents referenced complete, exports that open, honest "not covered"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.citations import quote_in
from assistant.models import BriefRequest, FilterSpec
from ingest.metadata import find_codes
from tests.helpers.stores import SAMPLE

pytestmark = pytest.mark.slow
TOPICS = ["Skillful Mass Mobilization models", "complaints and denunciations", "religious affairs"]


@pytest.mark.parametrize("topic", TOPICS)
def test_a_brief_is_verbatim_and_traceable(service, topic):
    brief = service.brief(BriefRequest(topic=topic))
    assert brief.covered and brief.key_points and brief.sources
    text = {s.source: service.document(s.source).text for s in brief.sources}
    numbers = {s.n: s.source for s in brief.sources}
    assert all((SAMPLE / s).is_file() for s in text)
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


def test_figures_and_documents_of_a_province(service):
    brief = service.brief(
        BriefRequest(topic="skillful mass mobilization models", filters=FilterSpec(province="Quang Ninh"))
    )
    assert [s.source for s in brief.sources] == ["quang-ninh-2024-mass-mobilization.txt"]
    refs = {r.code: r for r in brief.documents_referenced}
    assert {"38-CTr/TU", "40-CTr/TU"} <= refs.keys()
    assert refs["38-CTr/TU"].kind == "action programme" and refs["38-CTr/TU"].date == "April 10, 2024"
    assert brief.scope.filters == {"province": "Quang Ninh"}
    assert any(f.figure == "62" and "models" in f.counts for f in brief.figures)


def test_a_topic_the_documents_do_not_cover_is_said_so(service):
    brief = service.brief(BriefRequest(topic="the Mars colony's oxygen supply"))
    assert not brief.covered and "do not cover" in brief.message
    assert not (brief.key_points or brief.figures or brief.quotes or brief.sources or brief.documents_referenced)


def test_briefs_over_http(service):
    from danvan.app import create_app

    client = TestClient(create_app(service, ui=False))
    r = client.post("/v1/briefs", json={"topic": "religious affairs", "max_documents": 3})
    assert r.status_code == 200 and r.json()["covered"] and len(r.json()["sources"]) <= 3
    r = client.post("/v1/briefs?format=docx", json={"topic": "religious affairs"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.content[:2] == b"PK"  # a zip container, as .docx is
    r = client.post("/v1/briefs?format=md", json={"topic": "religious affairs"})
    assert r.text.startswith("# Briefing: religious affairs")
    r = client.post("/v1/briefs", json={"topic": "  "})
    assert r.status_code == 422 and r.json()["error"]["code"]
    assert client.post("/v1/briefs", json={"topic": "x", "max_documents": 99}).status_code == 422


def test_brief_command_writes_docx_and_markdown(sample_settings, tmp_path):
    danvan = str(Path(sys.executable).parent / "danvan")
    env = {**os.environ, "DANVAN_DATA_DIR": str(sample_settings.data_dir)}
    out = subprocess.run(
        [danvan, "brief", "complaints and denunciations", "--province", "Nghe An", "-o", str(tmp_path / "b.docx")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "b.docx").read_bytes()[:2] == b"PK" and "wrote" in out.stdout
    out = subprocess.run(
        [danvan, "brief", "complaints", "-o", str(tmp_path / "b.pdf")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 2 and ".md, .docx or .json" in out.stderr
