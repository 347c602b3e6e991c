"""SIGKILL a real `danvan ingest` at several points; the next run must leave exactly the store a
clean run gives (same chunk ids and counts, no duplicates, no orphans)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.components import build_store
from tests.helpers.stores import ROOT, SHARED, make_settings

pytestmark = pytest.mark.slow
DANVAN = str(Path(sys.executable).parent / "danvan")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "gen_corpus.py"),
            "--out",
            str(out),
            "--docs",
            "60",
            "--seed",
            "5",
            "--formats",
            "txt,md,html",
        ],
        check=True,
        capture_output=True,
    )
    return out / "docs"


def _ingest(data: Path, corpus: Path, kill_after: float | None = None) -> tuple[int, float]:
    """(exit code, seconds)"""
    env = {**os.environ, "DANVAN_DATA_DIR": str(data)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [DANVAN, "ingest", str(corpus)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if kill_after is None:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        return 0, time.perf_counter() - started
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return proc.returncode, time.perf_counter() - started


def _state(data: Path):
    store = build_store(make_settings(data))
    chunks = list(store.iter_chunks())
    ids = [c.id for c in chunks]
    return {
        "ids": sorted(ids),
        "duplicates": len(ids) - len(set(ids)),
        "docs": sorted((d.source, d.key, d.n_chunks) for d in store.documents()),
        "orphans": store.chunk_sources() - {d.source for d in store.documents()},
        "count": store.count(),
    }


def test_sigkill_at_any_point_then_rerun_equals_a_clean_run(tmp_path, corpus):
    (tmp_path / "empty").mkdir()
    _, start_up = _ingest(tmp_path / "startup", tmp_path / "empty")  # imports, model and store loading
    _, whole = _ingest(tmp_path / "clean", corpus)
    clean = _state(tmp_path / "clean")
    assert clean["duplicates"] == 0 and not clean["orphans"] and len(clean["docs"]) == 60

    # Kill points in the work after start-up (parsing, embedding, writing, the lexical index), as
    # shares of a clean run's, so they land mid-run on a faster or slower machine alike: each
    # killed run resumes the last, so these add up to more than one run's work.
    data = tmp_path / "killed"
    killed_mid_run = 0
    for share in (0.2, 0.3, 0.4, 0.5):
        code, _ = _ingest(data, corpus, kill_after=start_up + share * max(whole - start_up, 1.0))
        killed_mid_run += code == -signal.SIGKILL
    assert killed_mid_run >= 2  # the kills really interrupted runs
    _ingest(data, corpus)
    assert _state(data) == clean
