"""A built wheel, unpacked away from the checkout, still answers: its prompts and UI texts come
as package data (read through importlib.resources), not from files beside the source tree."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.helpers.stores import ROOT

pytestmark = pytest.mark.slow

SCRIPT = r"""
import json, sys
from pathlib import Path
site, corpus, data = map(Path, sys.argv[1:4])

import assistant, prompts
assert Path(assistant.__file__).is_relative_to(site), assistant.__file__  # the wheel's copy, not the checkout
assert Path(prompts.__file__).is_relative_to(site), prompts.__file__

from assistant.components import build_embedder, build_store
from assistant.models import AskRequest
from assistant.service import AnswerService
from assistant.settings import Settings
from assistant.texts import text
from ingest.pipeline import Ingestor

settings = Settings(data_dir=data, corpus=[corpus])
Ingestor(build_store(settings), build_embedder(settings), settings.lexical_path, settings.chunk_size,
         settings.chunk_overlap).run([corpus])
service = AnswerService.from_settings(settings)
asked = service.ask(AskRequest(question="Chỉ thị 15-CT/TU của Tỉnh ủy Hà Tĩnh ban hành ngày nào?"))
refused = service.ask(AskRequest(question="Tỉnh ủy Hà Tĩnh có bao nhiêu tàu vũ trụ năm 2031?"))
print(json.dumps({"answer": asked.model_dump(), "refusal": refused.model_dump(),
                  "ui_title": text("ui", "tab_ask", "vi")}, ensure_ascii=False))
"""


def test_a_wheel_outside_the_checkout_answers_with_its_prompts(tmp_path):
    # Built from a copy of the project's files: a build/ folder left in the checkout would
    # otherwise be reused, with whatever an older build put there.
    source = tmp_path / "source"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        cwd=tmp_path,
    )
    site = tmp_path / "site"
    with zipfile.ZipFile(next(wheels.glob("danvan-*.whl"))) as wheel:
        wheel.extractall(site)
    assert (site / "prompts" / "refusal.vi.md").is_file()

    # -P: the working directory is not put on sys.path; the unpacked wheel comes before the
    # checkout's editable install, which the assertions in SCRIPT check.
    run = subprocess.run(
        [sys.executable, "-P", "-c", SCRIPT, str(site), str(ROOT / "corpus" / "sample-vi"), str(tmp_path / "data")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    answer, refusal = out["answer"], out["refusal"]
    assert not answer["refused"] and answer["citations"], answer
    assert refusal["refused"]
    assert (ROOT / "prompts" / "refusal.vi.md").read_text(encoding="utf-8").strip() in refusal["answer"]
    assert (
        out["ui_title"] == json.loads((ROOT / "prompts" / "texts.vi.json").read_text(encoding="utf-8"))["ui"]["tab_ask"]
    )
