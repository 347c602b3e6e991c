"""The quality/ingest benchmark end to end on a tiny generated corpus: it must keep running and
report every metric the README quotes (the 20k run takes hours; this catches a broken script)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not (SHARED / "tools" / "gen_corpus.py").exists(), reason="needs ../shared/tools/gen_corpus.py")
def test_quality_benchmark_runs_end_to_end(tmp_path):
    out = tmp_path / "quality.json"
    run = subprocess.run([sys.executable, "-m", "bench.quality", "--docs", "30", "--shards", "2", "--questions", "12",
                          "--ablation", "--workdir", str(tmp_path / "work"), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(out.read_text())
    d, b = report["danvan"], report["baseline_results"]
    for system in (d, b, report["danvan_no_rerank"]):
        for k in ("recall_at_1", "recall_at_5", "mrr", "accuracy", "refusal_rate", "false_refusal_rate"):
            assert 0 <= system[k] <= 1, k
        assert system["retrieval_p95_ms"] >= system["retrieval_p50_ms"] > 0
        assert system["ingest_docs_per_s"] > 0 and system["ingest_peak_rss_mb"] > 100
    assert b["refusal_rate"] == 0  # the baseline never refuses
    assert d["chunks"] > 30 and 0 < d["embedder_share"] < 1 and 0 < d["rerun_share"] < 1
    assert len(d["briefs"]) == 5 and all(brief["seconds"] > 0 for brief in d["briefs"])
    assert set(report["ratio_danvan_over_baseline"]) == {"recall_at_1", "ingest_docs_per_s", "retrieval_p95_ms"}
    assert report["ingest"]["same_shards"]["shards"] == 2
    assert "recall_at_1" in run.stdout and "wrote" in run.stdout
