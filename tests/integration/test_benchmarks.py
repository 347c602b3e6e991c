"""The quality/ingest benchmark end to end on a tiny generated corpus: it must keep running and
report every metric docs/benchmarks.md renders (the 20k run takes hours; this catches a broken script)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench import benchmarks_page
from tests.helpers.stores import ROOT, SHARED

pytestmark = pytest.mark.slow
NEEDS_GEN_CORPUS = pytest.mark.skipif(
    not (SHARED / "tools" / "gen_corpus.py").exists(), reason="needs ../shared/tools/gen_corpus.py"
)


def run_quality(workdir, out, *, docs, shards, questions, extra=()):
    """bench.quality on a generated corpus: the finished process, and the report it wrote when it succeeded."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.quality",
            "--docs",
            str(docs),
            "--shards",
            str(shards),
            "--questions",
            str(questions),
            "--workdir",
            str(workdir),
            "--out",
            str(out),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return run, (json.loads(out.read_text()) if run.returncode == 0 else None)


@NEEDS_GEN_CORPUS
def test_quality_benchmark_runs_end_to_end(tmp_path):
    run, report = run_quality(
        tmp_path / "work", tmp_path / "quality.json", docs=30, shards=2, questions=12, extra=["--ablation"]
    )
    assert run.returncode == 0, run.stderr[-2000:]
    d, b = report["danvan"], report["baseline_results"]
    for system in (d, b, report["danvan_no_rerank"]):
        for k in ("recall_at_1", "recall_at_5", "mrr", "accuracy", "refusal_rate", "false_refusal_rate"):
            assert 0 <= system[k] <= 1, k
        assert system["retrieval_p95_ms"] >= system["retrieval_p50_ms"] > 0
        assert system["ingest_docs_per_s"] > 0 and system["ingest_peak_rss_mb"] > 100
    assert b["refusal_rate"] == 0  # the baseline never refuses
    assert d["chunks"] > 30 and 0 < d["embedder_share"] < 1 and 0 < d["rerun_share"] < 1
    assert len(d["briefs"]) == 5 and all(brief["seconds"] > 0 for brief in d["briefs"]) and d["startup_seconds"] > 0
    assert set(report["ratio_danvan_over_baseline"]) == {"recall_at_1", "ingest_docs_per_s", "retrieval_p95_ms"}
    assert report["ingest"]["same_shards"]["shards"] == 2
    assert "recall_at_1" in run.stdout and "wrote" in run.stdout
    section = benchmarks_page.quality_section("quality.json", report)  # what the page would show of it
    assert "| recall@1 (source file) |" in section
    assert "danvan, no reranker" in section and "LangChain baseline" in section


@NEEDS_GEN_CORPUS
def test_a_partial_baseline_is_compared_on_ingest_and_can_borrow_a_whole_store(tmp_path):
    """At 100k the baseline ingests a few shards only: danvan is evaluated alone; --baseline-from
    then evaluates the baseline store an earlier run of the same corpus built."""

    def bench(work, *extra):
        out = tmp_path / f"{work}-{len(extra)}.json"
        run, report = run_quality(tmp_path / work, out, docs=20, shards=2, questions=6, extra=extra)
        assert run.returncode == 0, run.stderr[-2000:]
        return report

    whole = bench("whole")
    partial = bench("partial", "--baseline-shards", "1")
    assert partial["baseline_results"] is None and partial["ratio_danvan_over_baseline"]["recall_at_1"] is None
    assert (
        partial["ingest"]["same_shards"]["shards"] == 1
        and partial["ratio_danvan_over_baseline"]["ingest_docs_per_s"] > 0
    )
    assert 0 <= partial["danvan"]["accuracy"] <= 1
    assert "The baseline was not evaluated at this size" in benchmarks_page.quality_section("partial.json", partial)

    borrowed = bench("partial", "--baseline-shards", "1", "--baseline-from", str(tmp_path / "whole"))
    assert (tmp_path / "partial" / "baseline").resolve() == (tmp_path / "whole" / "baseline").resolve()
    assert borrowed["baseline_results"]["recall_at_1"] == whole["baseline_results"]["recall_at_1"]
    assert borrowed["ingest"] == partial["ingest"]  # nothing ingested again


@NEEDS_GEN_CORPUS
def test_a_bigger_run_can_start_from_a_smaller_one_on_the_same_first_documents(tmp_path):
    def bench(work, docs, shards, *extra):
        out = tmp_path / f"{work}.json"
        return run_quality(tmp_path / work, out, docs=docs, shards=shards, questions=4, extra=extra)

    _, small = bench("small", 10, 1)
    run, big = bench("big", 20, 2, "--baseline-shards", "1", "--seed-from", str(tmp_path / "small"))
    assert run.returncode == 0, run.stderr[-2000:]
    assert big["seeded_from"] == str(tmp_path / "small")
    assert big["stages"]["danvan-0"] == small["stages"]["danvan-0"]  # taken over, not ingested again
    assert big["stages"]["danvan-1"]["docs"] == 10 and big["danvan"]["chunks"] > small["danvan"]["chunks"]
    # Another seed's documents are not a prefix of this corpus: refused, nothing taken over.
    run, _ = bench("other", 20, 2, "--seed", "8", "--seed-from", str(tmp_path / "small"))
    assert run.returncode != 0 and "not a run with seed 8" in run.stderr
