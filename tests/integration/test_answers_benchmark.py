"""bench.answers end to end on a tiny set through the real model and Chroma: every system runs
in the one run, the report has the figures docs/benchmarks.md and the README's results table are
generated from (bench.benchmarks_page renders a fresh report), and a second run reuses the stores."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench import benchmarks_page
from tests.helpers.stores import ROOT

pytestmark = pytest.mark.slow

DOCS = {
    "river-town.txt": "River Town Report\n\nThe commune built 12 km of concrete roads in 2021. "
    "People donated 3,400 square metres of land for the new school. "
    "The flood of October 2020 damaged 85 houses, which were all rebuilt by March 2021.",
    "hill-district.txt": "Hill District Review\n\n"
    "The district held 42 dialogues between leaders and the people in 2022. "
    "Complaints fell by a third compared with the year before. "
    "The mass mobilization committee trained 600 cadres in skillful mass mobilization.",
    "xa-vi.txt": "Báo cáo xã Hòa Bình\n\nNăm 2023, nhân dân xã Hòa Bình đã hiến 2.000 m2 đất để làm đường. "
    "Xã đã xây dựng 15 nhà đại đoàn kết cho hộ nghèo.",
}
QA = [
    {
        "id": "t1",
        "kind": "number",
        "question": "How many km of concrete roads did the commune build in 2021?",
        "must": [["12 km"]],
        "sources": ["river-town.txt"],
    },
    {
        "id": "t2",
        "kind": "number",
        "question": "How many dialogues between leaders and the people did the district hold in 2022?",
        "must": [["42"]],
        "sources": ["hill-district.txt"],
    },
    {
        "id": "t3",
        "kind": "number",
        "question": "How many houses did the October 2020 flood damage?",
        "must": [["85"]],
        "sources": ["river-town.txt"],
    },
    {
        "id": "t4",
        "kind": "span",
        "question": "Xã Hòa Bình đã xây dựng bao nhiêu nhà đại đoàn kết?",
        "must": [["15 nhà đại đoàn kết"]],
        "sources": ["xa-vi.txt"],
    },
    {
        "id": "u1",
        "kind": "unanswerable",
        "question": "How many bridges did the province build in 2030?",
        "must": [],
        "sources": [],
    },
    {
        "id": "u2",
        "kind": "unanswerable",
        "question": "Who won the football cup in Hill District?",
        "must": [],
        "sources": [],
    },
]


def bench(tmp_path, *extra):
    out = tmp_path / "answers.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.answers",
            "--sets",
            str(tmp_path / "tiny"),
            "--workdir",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--plot",
            str(tmp_path / "curve.png"),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run, json.loads(out.read_text())


def test_the_answer_benchmark_runs_danvan_and_both_baselines_in_one_run(tmp_path):
    docs = tmp_path / "tiny" / "docs"
    docs.mkdir(parents=True)
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "tiny" / "qa.jsonl").write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in QA), encoding="utf-8"
    )

    run, report = bench(tmp_path)
    assert report["commit"]["head"] and isinstance(report["commit"]["dirty"], bool)
    s = report["sets"]["tiny"]
    assert (s["documents"], s["questions"], s["answerable"], s["unanswerable"]) == (3, 6, 4, 2)
    assert set(s["systems"]) == {"danvan", "danvan_model", "picker", "langchain"}
    for name, block in s["systems"].items():
        assert block["items"] == 6, name
        for k in ("accuracy", "unanswerable_refused_rate", "quotes_verbatim_rate", "false_refusal_share"):
            assert 0 <= block[k] <= 1, (name, k)
        assert (
            block["latency_p95_s"] >= block["latency_p50_s"] >= 0
            and block["answer_words_p90"] >= block["answer_words_median"] > 0
        )
        assert "number" in block["by_kind"] and "unanswerable" in block["by_kind"]
    for name in ("picker", "langchain"):  # neither ever refuses, and quotes what it read
        assert s["systems"][name]["unanswerable_refused_rate"] == 0 and s["systems"][name]["quotes_verbatim_rate"] == 1
    assert s["systems"]["picker"]["accuracy"] >= 0.5  # the figures are in sentences whose words the questions share
    assert s["systems"]["danvan"]["quotes_verbatim_rate"] == s["systems"]["danvan_model"]["quotes_verbatim_rate"] == 1
    assert all(
        s["seconds"][k] > 0 for k in ("danvan_ingest", "danvan_answers", "langchain_ingest", "langchain_answers")
    )

    items = [json.loads(line) for line in (tmp_path / "answers_items.jsonl").read_text().splitlines()]
    assert [i["id"] for i in items] == [q["id"] for q in QA]
    assert all({"danvan", "danvan_model", "danvan_open", "picker", "langchain"} <= set(i) for i in items)
    assert all(i["picker"]["refused"] is False and i["langchain"]["refused"] is False for i in items)
    threshold = s["threshold"]
    assert threshold["curve"], threshold  # every answer carries the answer model's confidence
    assert (tmp_path / "curve.png").stat().st_size > 1000 and "operating" in threshold
    assert "tiny" in run.stdout and "langchain" in run.stdout and "picker" in run.stdout
    section = benchmarks_page.answers_section({"answers.json": report})
    assert "| tiny | danvan | 6 |" in section and "| tiny | langchain | 6 |" in section
    block = benchmarks_page.results_block({"answers.json": report})
    assert f"| tiny, 6 | {benchmarks_page.figure(s['systems']['danvan']['accuracy'])} |" in block

    _, again = bench(tmp_path)  # the stores are reused: nothing is embedded again
    s2 = again["sets"]["tiny"]
    assert s2["langchain_store_rebuilt"] is False and s2["danvan_ingest"]["chunks_written"] == 0
    assert s2["systems"]["picker"]["accuracy"] == s["systems"]["picker"]["accuracy"]
