"""bench.benchmarks_page: docs/benchmarks.md and the README's results block come from reports/*.json."""

from __future__ import annotations

import json
import re

import pytest

from bench import benchmarks_page as page
from tests.helpers.stores import ROOT


def system(recall: float, accuracy: float, refused: float, false: int, **more) -> dict:
    return {
        "recall_at_1": recall,
        "recall_at_5": 0.9,
        "mrr": 0.8,
        "accuracy": accuracy,
        "refusal_rate": refused,
        "false_refusals": false,
        "false_refusal_rate": false / 100,
        "retrieval_p50_ms": 30.0,
        "retrieval_p95_ms": 60.0,
        "answer_p50_ms": 40.0,
        "answer_p95_ms": 70.0,
        "eval_peak_rss_mb": 1686.0,
        "answerable": 100,
        "unanswerable": 20,
        "by_kind": {"code": accuracy, "number": accuracy / 2},
        **more,
    }


def quality_report(baseline: bool = True) -> dict:
    ingest = {
        "danvan": {
            "ingest_seconds": 2925.8,
            "ingest_docs_per_s": 6.84,
            "ingest_chunks_per_s": 42.6,
            "embedder_share": 0.773,
            "ingest_peak_rss_mb": 2767.2,
            "rerun_seconds": 34.8,
            "rerun_share": 0.0119,
        },
        "same_shards": {
            "shards": 2,
            "docs_per_s_ratio": 1.86,
            "danvan": {"ingest_seconds": 587.5, "ingest_docs_per_s": 6.81, "ingest_peak_rss_mb": 1391},
            "baseline": {"ingest_seconds": 1090.8, "ingest_docs_per_s": 3.67, "ingest_peak_rss_mb": 1611},
        },
    }
    briefs = [{"topic": "new rural areas", "seconds": 0.2, "documents": 8, "figures": 20, "quotes": 0, "codes": 10}]
    return {
        "benchmark": "quality",
        "docs": 2000,
        "seed": 7,
        "shards": 10,
        "baseline": "naive pipeline",
        "machine": {"cpus": 2, "python": "3.11.7", "commit": "9c412467c1d9"},
        "danvan": system(0.8413, 0.9527, 0.9725, 2, chunks=12000, briefs=briefs, brief_seconds_max=0.2),
        "danvan_no_rerank": None,
        "baseline_results": system(0.2347, 0.134, 0.0, 0) if baseline else None,
        "ratio_danvan_over_baseline": {"recall_at_1": 3.58 if baseline else None, "ingest_docs_per_s": 1.86},
        "baseline_store_from": None,
        "seeded_from": None,
        "ingest": ingest,
    }


def answers_report() -> dict:
    def block(accuracy: float, refused: float, false: int) -> dict:
        return {
            "items": 10,
            "accuracy": accuracy,
            "correct_all": accuracy,
            "unanswerable_refused_rate": refused,
            "false_refusals": false,
            "false_refusal_share": false / 8,
        }

    systems = {"danvan": block(0.575, 0.234, 2), "picker": block(0.761, 0.0, 0), "langchain": block(0.89, 0.0, 0)}
    return {
        "sets": {"squad2": {"questions": 10, "systems": systems}},
        "scoring": "must strings",
        "systems": {name: f"the {name} system" for name in systems},
        "machine": {"cpus": 2, "python": "3.11.7"},
        "commit": {"head": "4b7a1389812e", "dirty": False},
    }


def test_a_quality_section_puts_each_figure_beside_the_baseline_and_says_how_to_run_it():
    text = page.quality_section("quality_2k.json", quality_report())
    row = next(line for line in text.splitlines() if line.startswith("| recall@1"))
    assert row == "| recall@1 (source file) | 0.841 | 0.235 |"
    assert "| false refusals | 2 (0.02) | 0 (0) |" in text
    assert "| peak RSS answering MB | 1,686 | 1,686 |" in text  # thousands written out, not 1.69e+03
    assert "python -m bench.quality --docs 2000 --shards 10 --seed 7" in text
    assert "--baseline-shards 2" in text and "`9c41246`" in text and "recall@1 3.58x" in text
    assert "danvan, no reranker" not in text  # no ablation in this report: no column


def test_without_a_baseline_the_section_says_so_instead_of_a_column():
    text = page.quality_section("quality_100k.json", quality_report(baseline=False))
    assert (
        "| recall@1 (source file) | 0.841 |" in text and "LangChain baseline |\n|---|---:|---:|\n| recall" not in text
    )
    assert "The baseline was not evaluated at this size" in text


def test_the_results_block_holds_every_set_and_scale_beside_its_baselines():
    reports = {
        "answers.json": answers_report(),
        "quality_20k.json": {**quality_report(), "docs": 20000},
        "quality_100k.json": {**quality_report(baseline=False), "docs": 100000},
        "quality_2k.json": quality_report(),  # a small run (a latency check): on the page only
    }
    block = page.results_block(reports)
    assert block.startswith(page.BEGIN) and block.endswith(page.END)
    lines = block.splitlines()
    assert "| SQuAD 2.0 dev (English), 10 | 0.575 | 0.234 | 0.25 | 0.761 | 0.89 |" in lines
    assert (
        "| 20,000 generated look-alike documents, all-MiniLM-L6-v2, 120 | 0.953 | 0.973 | 0.02 | - | 0.134 |" in lines
    )
    assert not any(line.startswith("| 2,000") for line in lines)
    assert lines.index(
        "| 20,000 generated look-alike documents, all-MiniLM-L6-v2, 120 | 0.953 | 0.973 | 0.02 | - | 0.134 |"
    ) < next(i for i, line in enumerate(lines) if line.startswith("| 100,000"))
    assert (
        "| 100,000 generated look-alike documents, all-MiniLM-L6-v2, 120 | 0.953 | 0.973 | 0.02 | - | not run |"
        in lines
    )


def test_a_run_with_the_multilingual_embedder_and_no_baseline_is_labelled_and_says_why():
    r = {**quality_report(baseline=False), "embedder": "e5"}
    r["ingest"] = {**r["ingest"], "same_shards": None}
    r["ratio_danvan_over_baseline"] = {"recall_at_1": None, "ingest_docs_per_s": None, "retrieval_p95_ms": None}
    text = page.quality_section("quality_2k_e5.json", r)
    assert text.startswith("## Quality at scale: 2,000 generated documents, multilingual-e5-small")
    assert "The baseline was not run" in text and "--baseline-shards 0" in text
    assert "DANVAN_EMBEDDER" not in text  # e5 is the default: the command needs no variable
    assert "first 2 shards" not in text and "| every shard: docs/s | 6.84 |" in text
    older = page.quality_section("quality_2k.json", quality_report())
    assert "DANVAN_EMBEDDER=minilm python -m bench.quality" in older  # made with MiniLM, then the default
    block = page.results_block(
        {
            "answers.json": answers_report(),
            "quality_20k.json": {**quality_report(), "docs": 20000},
            "quality_20k_e5.json": {**r, "docs": 20000},
        }
    )
    rows = [line for line in block.splitlines() if "generated look-alike" in line]
    assert [row.split(",")[2].strip() for row in rows] == ["all-MiniLM-L6-v2", "multilingual-e5-small"]


def test_the_block_is_replaced_between_its_markers_and_a_readme_without_them_is_an_error():
    readme = f"# danvan\n\nintro\n\n{page.BEGIN}\nold figures\n{page.END}\n\nrest\n"
    assert page.replace_block(readme, f"{page.BEGIN}\nnew\n{page.END}") == (
        f"# danvan\n\nintro\n\n{page.BEGIN}\nnew\n{page.END}\n\nrest\n"
    )
    with pytest.raises(ValueError, match="results:begin"):
        page.replace_block("# danvan\n", "x")


def test_a_report_no_section_renders_is_an_error():
    with pytest.raises(ValueError, match="reports/new_benchmark.json"):
        page.render_page({"new_benchmark.json": {}})


def test_check_names_the_stale_files_and_writes_nothing_then_a_run_writes_them(tmp_path, capsys):
    for folder in ("reports", "docs"):
        (tmp_path / folder).mkdir()
    for name, report in {"answers.json": answers_report(), "quality_2k.json": quality_report()}.items():
        (tmp_path / "reports" / name).write_text(json.dumps(report))
    readme, benchmarks = tmp_path / "README.md", tmp_path / "docs" / "benchmarks.md"
    readme.write_text(f"# x\n\n{page.BEGIN}\nold\n{page.END}\n")
    benchmarks.write_text("stale\n")

    assert page.main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert (
        "docs/benchmarks.md differs" in err and "README.md differs" in err and "python -m bench.benchmarks_page" in err
    )
    assert benchmarks.read_text() == "stale\n" and "old" in readme.read_text()

    assert page.main(["--root", str(tmp_path)]) == 0
    assert "| squad2 | danvan | 10 | 0.575 |" in benchmarks.read_text()
    assert "| SQuAD 2.0 dev (English), 10 | 0.575 |" in readme.read_text() and readme.read_text().startswith("# x")
    assert page.main(["--check", "--root", str(tmp_path)]) == 0


def test_the_committed_page_and_readme_block_are_what_the_reports_give(capsys):
    assert page.main(["--check"]) == 0, capsys.readouterr().err


def test_the_readme_is_short_and_quotes_figures_only_in_the_generated_block():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    start, end = readme.index(page.BEGIN), readme.index(page.END)
    outside = (readme[:start] + readme[end:]).splitlines()
    # Settings' defaults (0.24, 0.38) are configuration, not results.
    prose = [line for line in outside if not line.startswith("| `DANVAN_")]
    figures = [line for line in prose if re.search(r"\b\d+(\.\d+)?\s?%|\b0\.\d{2,}\b|\b\d+(\.\d+)?x\b", line)]
    assert not figures, figures
