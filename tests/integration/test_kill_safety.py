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
from tests.conftest import ROOT, SHARED, make_settings

pytestmark = pytest.mark.slow
DANVAN = str(Path(sys.executable).parent / "danvan")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    subprocess.run([sys.executable, str(SHARED / "tools" / "gen_corpus.py"), "--out", str(out), "--docs", "60",
                    "--seed", "5", "--formats", "txt,md,html"], check=True, capture_output=True)
    return out / "docs"


def _ingest(data: Path, corpus: Path, kill_after: float | None = None) -> int:
    env = {**os.environ, "DANVAN_DATA_DIR": str(data)}
    proc = subprocess.Popen([DANVAN, "ingest", str(corpus)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is None:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        return 0
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return proc.returncode


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
    _ingest(tmp_path / "clean", corpus)
    clean = _state(tmp_path / "clean")
    assert clean["duplicates"] == 0 and not clean["orphans"] and len(clean["docs"]) == 60

    data = tmp_path / "killed"
    killed_mid_run = 0
    for delay in (7.0, 9.5, 12.0, 15.0):  # after the model has loaded: during embedding and writing
        if _ingest(data, corpus, kill_after=delay) == -signal.SIGKILL:
            killed_mid_run += 1
    assert killed_mid_run >= 2  # the kills really interrupted runs
    _ingest(data, corpus)
    assert _state(data) == clean
