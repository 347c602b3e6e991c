"""`danvan ask --json -` in-process on the hashed store: one JSON object per input line, in the
shape the API answers with, errors included (the real executable is tested in
tests/integration/test_cli.py)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.models import Answer


@pytest.fixture
def danvan(hashed_settings, monkeypatch):
    from assistant.settings import get_settings
    from danvan.cli import app

    monkeypatch.setenv("DANVAN_DATA_DIR", str(hashed_settings.data_dir))
    monkeypatch.setenv("DANVAN_EMBEDDER", "hash")
    get_settings.cache_clear()
    yield lambda *args, input: CliRunner().invoke(app, list(args), input=input)
    get_settings.cache_clear()


def test_ask_json_stdin_lines_and_sessions(danvan):
    lines = [
        "Which directive did the Ban Che District Party Standing Committee in Quang Ninh issue on mobilizing people?",
        json.dumps(
            {
                "question": "How many of Que Phong's 2014 skillful mass mobilization models were in the political "
                "system building field?",
                "session": "s1",
            }
        ),
        json.dumps({"question": "How many of them were collective, and how many individual?", "session": "s1"}),
        json.dumps({"question": "How long is Quang Tri province's border with Laos?"}),
        json.dumps({"question": "Giá gạo ở Hà Nội là bao nhiêu?"}, ensure_ascii=False),
        json.dumps({"question": ""}),
        "{not json",
        "",
    ]
    out = danvan("ask", "--json", "-", input="\n".join(lines) + "\n")
    assert out.exit_code == 0, out.output
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(answers) == len(lines) - 1  # one JSON object per question line, errors included; blank lines skipped
    for a in answers[:5]:
        Answer.model_validate(a)  # the API's schema
        for c in a["citations"]:
            assert set(c) >= {"n", "source", "title", "quote", "chunk_id"}
    assert "22-CT/HU" in answers[0]["answer"]
    assert answers[0]["citations"][0]["source"] == "quang-ninh-2024-mass-mobilization.txt"
    assert "14 collective" in answers[2]["answer"]  # the session gave "them" its meaning
    assert answers[3]["refused"] is True and answers[3]["citations"] == []
    assert answers[4]["answer"].startswith("Các tài liệu không trả lời")  # in the question's language
    for a in answers[5:]:
        assert a["error"] and a["refused"] is True and a["answer"] == "" and a["citations"] == []
    assert "at least 1 character" in answers[5]["error"] and answers[6]["error"].startswith("invalid request")


def test_filters_from_the_command_line(danvan):
    out = danvan(
        "ask", "--json", "--province", "Quang Ninh", "How many skillful mass mobilization models were built?", input=""
    )
    assert out.exit_code == 0, out.output
    (answer,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert {c["source"] for c in answer["citations"]} == {"quang-ninh-2024-mass-mobilization.txt"}
