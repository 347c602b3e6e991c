"""The HTTP API served by a real `danvan serve` (uvicorn) process on localhost: answers, documents and
errors, and documents ingested by another process while it runs."""

from __future__ import annotations

import os
import subprocess
import time

import httpx
import pytest

from tests.helpers.servers import DANVAN, free_port, spawn, stop
from tests.helpers.stores import ROOT

pytestmark = pytest.mark.slow


def test_api_answer_documents_and_errors(server):
    health = httpx.get(f"{server}/healthz").json()
    assert health["status"] == "ok" and health["documents"] == 5 and health["chunks"] > 20

    r = httpx.post(
        f"{server}/v1/answer",
        json={
            "question": "Who chaired the discussion session at Nghe An's mid-2022 mass mobilization review conference?"
        },
        timeout=60,
    )
    assert r.status_code == 200
    body = r.json()
    assert "Manh Khoi" in body["answer"] and body["citations"][0]["source"] == "nghe-an-2022-first-half-review.txt"

    r = httpx.post(
        f"{server}/v1/answer",
        json={"question": "How many models were built?", "filters": {"province": "Quang Ninh"}},
        timeout=60,
    )
    assert {c["source"] for c in r.json()["citations"]} == {"quang-ninh-2024-mass-mobilization.txt"}

    for bad, status in [({"question": ""}, 422), ({"question": "x" * 10000}, 422), ({}, 422), ({"question": 5}, 422)]:
        r = httpx.post(f"{server}/v1/answer", json=bad, timeout=60)
        assert r.status_code == status
        assert set(r.json()["error"]) == {"code", "message"}

    docs = httpx.get(f"{server}/v1/documents").json()
    assert {d["source"] for d in docs} == {p.name for p in (ROOT / "corpus" / "sample").glob("*.txt")}
    doc = httpx.get(f"{server}/v1/documents/quang-ninh-2024-mass-mobilization.txt").json()
    assert "38-CTr/TU" in doc["codes"] and "Comment (0)" not in doc["text"]
    missing = httpx.get(f"{server}/v1/documents/nope.txt")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "document_not_found"
    assert httpx.get(f"{server}/openapi.json").json()["info"]["title"] == "danvan"


NEW_REPORT = """Tan Hoa commune builds bridges with skillful mass mobilization in 2023
In 2023, the Party Committee of Tan Hoa commune, Que Phong district, Nghe An province mobilized residents to \
build 4 suspension bridges over the Nam Giai river, with 2,480 working days contributed by local people.
Comrade Lo Van Thanh, Secretary of the commune Party Committee, said the bridges end the isolation of three \
villages in the rainy season.
"""


def test_a_running_server_answers_from_documents_ingested_after_it_started(tmp_path, corpus_copy):
    """`danvan ingest` in another process while `danvan serve` runs: the server answers from the
    new file without a restart (and keeps answering meanwhile)."""
    env = {**os.environ, "DANVAN_DATA_DIR": str(tmp_path / "data")}
    first = subprocess.run(
        [DANVAN, "ingest", str(corpus_copy)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    assert first.returncode == 0, first.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = spawn([DANVAN, "serve", "--port", str(port)], f"{base}/healthz", env=env, cwd=ROOT)
    try:
        question = {
            "question": "How many suspension bridges did Tan Hoa commune build over the Nam Giai river in 2023?"
        }
        assert httpx.post(f"{base}/v1/answer", json=question, timeout=60).json()["refused"] is True
        added = tmp_path / "added"
        added.mkdir()
        (added / "tan-hoa-2023-bridges.txt").write_text(NEW_REPORT, encoding="utf-8")
        out = subprocess.run(
            [DANVAN, "ingest", str(added)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
        )
        assert out.returncode == 0 and "1 new" in out.stdout, out.stderr
        deadline, body = time.time() + 60, {}
        while time.time() < deadline:
            body = httpx.post(f"{base}/v1/answer", json=question, timeout=60).json()  # answered meanwhile too
            if not body["refused"]:
                break
            time.sleep(0.5)
        assert "4 suspension bridges" in body["answer"] and body["citations"][0]["source"] == "tan-hoa-2023-bridges.txt"
        assert httpx.get(f"{base}/healthz").json()["documents"] == 6
        assert "tan-hoa-2023-bridges.txt" in {d["source"] for d in httpx.get(f"{base}/v1/documents").json()}
    finally:
        stop(proc)
