"""The `danvan` executable as users run it: `ask --json -` with sessions, a plain answer with its sources,
`ingest` reporting failures and `status` showing them."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers.servers import data_env, run_danvan

pytestmark = pytest.mark.slow


def test_ask_json_stdin_lines_and_sessions(sample_settings):
    lines = [
        "Que Phong 2014: how many working days did people put into new rural construction?",
        json.dumps(
            {
                "question": (
                    "How many of Que Phong's 2014 skillful mass mobilization models "
                    "were in the political system building field?"
                ),
                "session": "s1",
            }
        ),
        json.dumps({"question": "How many of them were collective, and how many individual?", "session": "s1"}),
        json.dumps({"question": "How long is Quang Tri province's border with Laos?"}),
        json.dumps({"question": ""}),
        "{not json",
    ]
    out = run_danvan("ask", "--json", "-", input="\n".join(lines) + "\n", env=data_env(sample_settings))
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(answers) == len(lines)  # one JSON object per input line, errors included
    for a in answers:
        assert {"answer", "refused", "citations"} <= set(a)
        for c in a["citations"]:
            assert set(c) >= {"n", "source", "title", "quote", "chunk_id"}
    assert (
        "35,990" in answers[0]["answer"]
        and answers[0]["citations"][0]["source"] == "que-phong-2014-mass-mobilization.txt"
    )
    assert "14 collective" in answers[2]["answer"]  # the session gave "them" its meaning
    assert answers[3]["refused"] is True and answers[3]["citations"] == []
    assert answers[4]["error"] and answers[5]["error"]


def test_cli_ingest_reports_failures_and_status_shows_them(tmp_path, corpus_copy):
    (corpus_copy / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    env = {**os.environ, "DANVAN_DATA_DIR": str(tmp_path / "data")}
    out = run_danvan("ingest", str(corpus_copy), "--report", str(tmp_path / "r.json"), env=env)
    assert out.returncode == 0, out.stderr
    assert "5 new" in out.stdout and "1 skipped" in out.stdout and "broken.pdf" in out.stderr
    assert json.loads((tmp_path / "r.json").read_text())["skipped"][0]["file"].endswith("broken.pdf")
    status = run_danvan("status", env=env, timeout=120)
    assert "files: 5" in status.stdout and "1 failed" in status.stdout and "broken.pdf" in status.stdout


def test_ask_plain_prints_answer_and_sources(sample_settings):
    out = run_danvan(
        "ask", "How many km of concrete rural roads did Que Phong build in 2014?", env=data_env(sample_settings)
    )
    assert out.returncode == 0, out.stderr
    assert "39 km" in out.stdout and "Sources:" in out.stdout and "que-phong-2014-mass-mobilization.txt" in out.stdout
