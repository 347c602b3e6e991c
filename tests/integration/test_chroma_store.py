"""The Chroma store as deployed: a real `chroma run` server, handles reopened after another process's
ingest, two opens of one folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.models import AskRequest
from tests.helpers.servers import free_port, spawn, stop
from tests.helpers.stores import SAMPLE, ingest_into, make_settings, service_over

pytestmark = pytest.mark.slow
CHROMA = str(Path(sys.executable).parent / "chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    path = tmp_path_factory.mktemp("chroma-server")
    proc = spawn(
        [CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)], f"{url}/api/v2/heartbeat"
    )
    yield url
    stop(proc)


def test_ingest_and_answer_through_a_chroma_server(tmp_path, embedder, chroma_server):
    settings = make_settings(tmp_path / "data", chroma_url=chroma_server)
    store, report = ingest_into(settings, embedder, [SAMPLE])
    assert len(report.added) == 5 and store.count() == report.chunks_written
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded on this side
    store, again = ingest_into(settings, embedder, [SAMPLE])
    assert again.chunks_written == 0 and len(again.unchanged) == 5

    service = service_over(settings, embedder, store)
    a = service.ask(
        AskRequest(
            question=(
                "Which directive did the Ban Che District Party Standing Committee in Quang Ninh "
                "issue on mobilizing people?"
            )
        )
    )
    assert "22-CT/HU" in a.answer and a.citations[0].source == "quang-ninh-2024-mass-mobilization.txt"


def test_after_each_ingest_by_another_process_the_service_finds_the_new_chunks_by_vector(
    tmp_path, embedder, corpus_copy
):
    """Chroma's in-process vector index never learns of chunks an ingest process added: each
    reload after an ingest answers from a reopened handle, which finds them (twice: the second
    reopen uses yet another spelling of the folder)."""
    import os
    import subprocess

    from tests.helpers.stores import ROOT

    settings = make_settings(tmp_path / "data")
    store, _ = ingest_into(settings, embedder, [corpus_copy])
    service = service_over(settings, embedder, store)
    danvan = str(Path(sys.executable).parent / "danvan")
    env = {**os.environ, "DANVAN_DATA_DIR": str(settings.data_dir)}
    texts = {
        "canals.txt": "Hamlet 7 of Tan Hoa commune dredged 12 km of irrigation canals with 900 working days in 2023.",
        "wells.txt": (
            "Ban Ve village of Tan Hoa commune dug 35 clean-water wells "
            "with the help of 60 youth union members in 2024."
        ),
    }
    handles = [service.library.current().store]
    for n, (name, text) in enumerate(texts.items(), start=1):
        added = tmp_path / f"added-{n}"
        added.mkdir()
        (added / name).write_text(text, encoding="utf-8")
        out = subprocess.run(
            [danvan, "ingest", str(added)], capture_output=True, text=True, cwd=ROOT, timeout=300, env=env
        )
        assert out.returncode == 0, out.stderr
        assert service.library.reload() is True
        lib = service.library.current()
        assert len(lib.docs) == 5 + n and lib.store is not handles[-1]
        assert lib.store.search(embedder.embed_query(text), 1)[0].chunk.source == name  # by vector alone
        handles.append(lib.store)
        assert service.ask(AskRequest(question=text.split(" with ")[0] + "?")).citations[0].source == name
    assert handles[0].count() > 0  # a handle from before a swap keeps working until its grace ends


def test_opening_an_embedded_store_twice_leaves_both_handles_working(tmp_path):
    """Only reopens take fresh spellings of the folder: two plain opens share Chroma's client
    (a reopen registry that also held plain opens closed the first when the second came)."""
    from vectorstore.chroma import ChromaStore

    first = ChromaStore.persistent(str(tmp_path / "chroma"))
    second = ChromaStore.persistent(str(tmp_path / "chroma"))
    assert first.count() == second.count() == 0
    fresh = second.reopened()
    assert fresh.count() == 0 and first.count() == 0
    fresh.close()
    assert first.count() == 0
