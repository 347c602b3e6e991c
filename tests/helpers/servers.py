"""Real server processes for the tests: start one, wait until it answers, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.helpers.stores import ROOT

DANVAN = str(Path(sys.executable).parent / "danvan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(
    cmd: list[str], ready_url: str, *, env: dict | None = None, cwd=None, timeout: float = 120, log_path=None
) -> subprocess.Popen:
    """Start `cmd` and return once `ready_url` answers 200; fail with the process's output if it dies.
    `log_path`: where its output goes (for tests that read it), else an anonymous file."""
    # Output to a file, not a pipe: a chatty server would block once a pipe nobody reads fills up.
    log = open(log_path, "w+") if log_path else tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{cmd[0]} exited: {log.read()[-2000:]}")
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{cmd[0]} did not answer at {ready_url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def run_danvan(*args: str, env: dict, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`danvan <args>` run to its end from the project's folder, its output captured as text."""
    return subprocess.run(
        [DANVAN, *args], input=input, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )


def data_env(settings) -> dict:
    """The environment for a `danvan` process on `settings`' data folder."""
    return {**os.environ, "DANVAN_DATA_DIR": str(settings.data_dir)}


def start_server(settings, log_path=None, **env):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = spawn(
        [DANVAN, "serve", "--port", str(port)],
        f"{base}/healthz",
        env={**data_env(settings), **env},
        cwd=ROOT,
        log_path=log_path,
    )
    return proc, base
