"""schemathesis against the live OpenAPI schema of a real server: no 5xx, no schema violations,
no schema-valid request rejected, no schema-violating request accepted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.servers import start_server, stop

pytestmark = pytest.mark.slow
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")


def test_live_schema_holds_under_fuzzing(sample_settings, tmp_path):
    # A copy of the store: the fuzzer posts feedback, which must not land in the shared data dir.
    data = tmp_path / "data"
    shutil.copytree(sample_settings.data_dir, data)
    proc, base = start_server(
        sample_settings, DANVAN_RATE_LIMIT_PER_MINUTE="100000000", DANVAN_UI="false", DANVAN_DATA_DIR=str(data)
    )
    try:
        # The coverage phase is left out: on Python 3.11 it crashes inside hypothesis's lambda
        # introspection ("AST constructor recursion depth mismatch"), before any request is sent.
        run = subprocess.run(
            [
                SCHEMATHESIS,
                "run",
                f"{base}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                "40",
                "--seed",
                "7",
                "--workers",
                "2",
                "--phases",
                "examples,fuzzing,stateful",
                "--request-timeout",
                "60",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,
        )
    finally:
        stop(proc)
    tail = run.stdout[-4000:]
    assert run.returncode == 0, tail
    assert " passed" in tail and "failed" not in tail.split("SUMMARY")[-1]
