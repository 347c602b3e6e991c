"""Briefs for trainers on the sample corpus: every figure, quote and key point verbatim in the
file it cites, the documents referenced complete, exports that open, honest "not covered"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.models import BriefRequest
from tests.helpers.answers import (
    assert_a_provinces_figures_and_documents,
    assert_a_topic_not_covered_is_said_so,
    assert_brief_verbatim_and_traceable,
)
from tests.helpers.stores import SAMPLE

pytestmark = pytest.mark.slow
TOPICS = ["Skillful Mass Mobilization models", "complaints and denunciations", "religious affairs"]


@pytest.mark.parametrize("topic", TOPICS)
def test_a_brief_is_verbatim_and_traceable(service, topic):
    assert_brief_verbatim_and_traceable(service, service.brief(BriefRequest(topic=topic)), (SAMPLE,))


def test_figures_and_documents_of_a_province(service):
    assert_a_provinces_figures_and_documents(service)


def test_a_topic_the_documents_do_not_cover_is_said_so(service):
    assert_a_topic_not_covered_is_said_so(service)


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
