"""Quality and ingest benchmark at scale: danvan against the naive LangChain pipeline, in one run.

    .venv/bin/python -m bench.quality [--docs 20000] [--workdir DIR] [--questions 1500]
                                      [--shards 10] [--out reports/quality_20k.json]

1. Generates a look-alike corpus with ../shared/tools/gen_corpus.py (txt, md and html; no
   manifest, so danvan infers metadata from the text) under the work dir, never in the repo.
2. Ingests it shard by shard, each shard first with `danvan ingest` (the CLI, as users run it),
   then with the baseline: RecursiveCharacterTextSplitter(1000, 200) + the same embedding model
   + `Chroma.add_documents` (what `Chroma.from_documents` does). Alternating shards puts both
   under the same machine load, and a killed run resumes at the shard it was in: reuse a work
   dir to skip what is done (ingest embedding is tens of minutes at 20k documents).
3. Re-runs `danvan ingest` on the unchanged corpus.
4. Asks a seeded sample of the answerable questions plus every unanswerable one, and scores
   both systems with the rule of `danvan eval`. The baseline answers with its best chunk (cited)
   and never refuses: that is what dense top-k without a generator gives.

Each stage runs in its own process, so peak RSS is per stage. Prints a table, writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import baseline

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "tools" / "gen_corpus.py"
DANVAN = str(Path(sys.executable).parent / "danvan")
RANK_DEPTH = 20  # chunks retrieved for recall@k / MRR
BRIEF_TOPICS = [
    "skillful mass mobilization models",
    "direct dialogue between leaders and the people",
    "building new rural areas",
    "complaints and denunciations",
    "Great Solidarity houses for poor households",
]


# --- stage plumbing ---------------------------------------------------------------------------
def measured(cmd: list[str], env: dict | None = None) -> dict:
    """Runs a command in a child of a fresh helper, so the peak RSS is that command's alone."""
    helper = [sys.executable, "-m", "bench.quality", "_measure", "--", *cmd]
    started = time.perf_counter()
    out = subprocess.run(helper, env={**os.environ, **(env or {})}, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"stage failed: {' '.join(cmd)}\n{out.stderr[-3000:]}")
    peak = json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    return {"seconds": round(seconds, 2), "peak_rss_mb": peak}


def _measure(cmd: list[str]) -> None:
    code = subprocess.run(cmd, stdout=sys.stderr).returncode
    if code:
        sys.exit(code)
    print(json.dumps({"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}))


class State:
    """What is done, kept in the work dir so a killed run resumes."""

    def __init__(self, path: Path):
        self.path = path
        self.data = json.loads(path.read_text()) if path.exists() else {}

    def get(self, key: str):
        return self.data.get(key)

    def put(self, key: str, value) -> None:
        self.data[key] = value
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1))
        tmp.replace(self.path)


# --- baseline ---------------------------------------------------------------------------------
def _baseline_store(workdir: Path):
    return baseline.open_store(workdir / "baseline")


def baseline_ingest(workdir: Path, files: list[Path], shard: int) -> None:
    if (workdir / "baseline").is_symlink():
        raise SystemExit(f"{workdir}/baseline is another run's store (--baseline-from): not adding to it")
    store = _baseline_store(workdir)
    store.delete(where={"shard": shard}) if store.get(where={"shard": shard}, limit=1)["ids"] else None
    chunks = baseline.split([baseline.load_naive(p) for p in files])
    for c in chunks:
        c.metadata["shard"] = shard
    baseline.add_chunks(store, chunks)
    print(json.dumps({"chunks": len(chunks)}), file=sys.stderr)


# --- questions and scoring --------------------------------------------------------------------
def sample_cases(qa: Path, answerable: int, seed: int = 0):
    from assistant.evaluation import read_cases

    cases = read_cases(qa)
    ans = [c for c in cases if c.must]
    un = [c for c in cases if not c.must]
    picked = random.Random(seed).sample(ans, min(answerable, len(ans)))
    return picked + un


def _ranks(case, ranked_sources: list[str]) -> dict:
    rank = next((i + 1 for i, s in enumerate(ranked_sources) if s in case.sources), None)
    return {"rank": rank}


def _unique(sources) -> list[str]:
    seen: dict[str, None] = {}
    for s in sources:
        seen.setdefault(s, None)
    return list(seen)


def eval_danvan(workdir: Path, qa: Path, answerable: int, out: Path) -> None:
    from assistant.evaluation import score
    from assistant.models import AskRequest, BriefRequest
    from assistant.service import AnswerService
    from assistant.settings import Settings

    t0 = time.perf_counter()
    service = AnswerService.from_settings(Settings(data_dir=workdir / "danvan"))
    startup = time.perf_counter() - t0  # what a server start costs at this size (file records, indexes, model)
    texts = lambda source: service.document(source).text  # noqa: E731
    rows = []
    for case in sample_cases(qa, answerable):
        t0 = time.perf_counter()
        hits = service.search(case.question, RANK_DEPTH)
        t1 = time.perf_counter()
        outcome = score(case, service.ask(AskRequest(question=case.question)), texts)
        rows.append(
            {
                "id": case.id,
                "kind": case.kind,
                "answerable": outcome.answerable,
                "correct": outcome.correct,
                "refused": outcome.refused,
                "retrieval_ms": (t1 - t0) * 1000,
                "answer_ms": outcome.seconds * 1000,
                **_ranks(case, _unique(h.chunk.source for h in hits)),
            }
        )
    out.write_text(json.dumps(rows))
    briefs = []
    for topic in BRIEF_TOPICS:  # issue 6: brief generation time at this scale
        t0 = time.perf_counter()
        b = service.brief(BriefRequest(topic=topic))
        briefs.append(
            {
                "topic": topic,
                "seconds": round(time.perf_counter() - t0, 3),
                "documents": b.scope.documents_used,
                "figures": len(b.figures),
                "quotes": len(b.quotes),
                "codes": len(b.documents_referenced),
            }
        )
    out.with_suffix(".briefs.json").write_text(json.dumps(briefs))
    out.with_suffix(".startup.json").write_text(json.dumps({"startup_seconds": round(startup, 2)}))


def eval_baseline(workdir: Path, qa: Path, answerable: int, out: Path) -> None:
    from assistant.evaluation import missing_groups

    store = _baseline_store(workdir)
    rows = []
    for case in sample_cases(qa, answerable):
        t0 = time.perf_counter()
        docs = store.similarity_search(case.question, k=RANK_DEPTH)
        t1 = time.perf_counter()
        best = docs[0] if docs else None  # the answer: the best of the top-4 chunks, cited
        answer = best.page_content if best else ""
        answerable_case = bool(case.must)
        correct = bool(best) and not missing_groups(answer, case.must) and best.metadata["source"] in case.sources
        rows.append(
            {
                "id": case.id,
                "kind": case.kind,
                "answerable": answerable_case,
                "correct": correct if answerable_case else False,
                "refused": False,
                "retrieval_ms": (t1 - t0) * 1000,
                "answer_ms": (t1 - t0) * 1000,
                **_ranks(case, _unique(d.metadata["source"] for d in docs)),
            }
        )
    out.write_text(json.dumps(rows))


def summarize(rows: list[dict]) -> dict:
    ans = [r for r in rows if r["answerable"]]
    un = [r for r in rows if not r["answerable"]]
    ranks = [r["rank"] for r in ans]
    lat = sorted(r["retrieval_ms"] for r in rows)
    answer_lat = sorted(r["answer_ms"] for r in rows)
    pct = lambda xs, q: round(xs[min(len(xs) - 1, int(q * len(xs)))], 1)  # noqa: E731
    return {
        "answerable": len(ans),
        "unanswerable": len(un),
        "recall_at_1": round(sum(r == 1 for r in ranks) / len(ans), 4),
        "recall_at_5": round(sum(r is not None and r <= 5 for r in ranks) / len(ans), 4),
        "mrr": round(sum(1 / r for r in ranks if r) / len(ans), 4),
        "accuracy": round(sum(r["correct"] for r in ans) / len(ans), 4),
        "refusal_rate": round(sum(r["refused"] for r in un) / len(un), 4) if un else None,
        "false_refusals": sum(r["refused"] for r in ans),
        "false_refusal_rate": round(sum(r["refused"] for r in ans) / len(ans), 4),
        "retrieval_p50_ms": pct(lat, 0.5),
        "retrieval_p95_ms": pct(lat, 0.95),
        "answer_p50_ms": pct(answer_lat, 0.5),
        "answer_p95_ms": pct(answer_lat, 0.95),
        "by_kind": {
            k: round(statistics.mean(r["correct"] for r in ans if r["kind"] == k), 4)
            for k in sorted({r["kind"] for r in ans})
        },
    }


# --- the run ----------------------------------------------------------------------------------
def generate(workdir: Path, docs: int, seed: int) -> Path:
    corpus = workdir / "corpus"
    if not (corpus / "qa.jsonl").exists():
        subprocess.run(
            [
                sys.executable,
                str(GEN),
                "--out",
                str(corpus),
                "--docs",
                str(docs),
                "--seed",
                str(seed),
                "--formats",
                "txt,md,html",
                "--quiet",
                "--overwrite",
            ],
            check=True,
        )
    return corpus


def stage_files(files: list[Path], into: Path) -> None:
    """The danvan corpus grows shard by shard: hard links, so nothing is copied."""
    into.mkdir(parents=True, exist_ok=True)
    for f in files:
        target = into / f.name
        if not target.exists():
            try:
                os.link(f, target)
            except OSError:
                shutil.copy2(f, target)


def shard_size(docs: int, shards: int) -> int:
    return -(-docs // shards)  # the last shard takes the rest


def seed_from(other: Path, workdir: Path, corpus: Path, state: State, shards: int) -> None:
    """Start from another run whose corpus is a prefix of this one (the generator writes document i
    from the seed and i alone) and whose shards are this run's first ones: its danvan store and
    the figures of its shards are taken over, after checking the documents are byte-identical."""
    if state.get("seeded_from") == str(other):
        return
    if state.get("danvan-0-started"):
        raise SystemExit(f"{workdir} has started ingesting: --seed-from only starts a run")
    theirs, mine = State(other / "state.json"), state.get("config")
    cfg = theirs.get("config") or {}
    files = sorted((corpus / "docs").iterdir())
    size = shard_size(len(files), shards)
    if cfg.get("seed") != mine["seed"] or shard_size(cfg.get("docs", 0), cfg.get("shards", 1)) != size:
        raise SystemExit(f"{other} is not a run with seed {mine['seed']} and {size}-document shards")
    done = [i for i in range(cfg["shards"]) if theirs.get(f"danvan-{i}")]
    if len(done) != cfg["shards"]:
        raise SystemExit(f"{other} has not ingested every shard")
    prefix = sorted((other / "corpus" / "docs").iterdir())
    if [f.name for f in prefix] != [f.name for f in files[: len(prefix)]] or any(
        a.read_bytes() != b.read_bytes() for a, b in zip(prefix, files)
    ):
        raise SystemExit(f"{other}'s documents are not the first ones of this corpus")
    shutil.copytree(other / "danvan", workdir / "danvan")
    stage_files(files[: len(prefix)], workdir / "danvan-corpus")
    for i in done:
        for system in ("danvan", "baseline"):
            if theirs.get(f"{system}-{i}"):
                state.put(f"{system}-{i}", theirs.get(f"{system}-{i}"))
    state.put("seeded_from", str(other))


def ingest_all(workdir: Path, corpus: Path, shards: int, state: State, env: dict, *, baseline_shards: int) -> None:
    files = sorted((corpus / "docs").iterdir())
    size = shard_size(len(files), shards)
    staged = workdir / "danvan-corpus"
    for i in range(shards):
        part = files[i * size : (i + 1) * size]
        if not state.get(f"danvan-{i}"):
            if state.get(f"danvan-{i}-started"):
                # Killed inside this shard: undo it, so the timed run does the whole shard's work.
                for f in part:
                    (staged / f.name).unlink(missing_ok=True)
                subprocess.run(
                    [DANVAN, "ingest", str(staged), "--prune"],
                    env={**os.environ, **env},
                    check=True,
                    capture_output=True,
                )
            state.put(f"danvan-{i}-started", True)
            stage_files(part, staged)
            report = workdir / f"danvan-ingest-{i}.json"
            m = measured([DANVAN, "ingest", str(staged), "--report", str(report)], env)
            r = json.loads(report.read_text())
            state.put(
                f"danvan-{i}",
                {
                    **m,
                    "docs": len(r["added"]) + len(r["updated"]),
                    "chunks": r["chunks_written"],
                    "chunks_embedded": r["chunks_embedded"],
                    "embed_seconds": r["embed_seconds"],
                },
            )
        if i < baseline_shards and not state.get(f"baseline-{i}"):
            listing = workdir / f"baseline-files-{i}.txt"
            listing.write_text("\n".join(map(str, part)))
            m = measured(
                [sys.executable, "-m", "bench.quality", "_baseline_ingest", str(workdir), str(listing), str(i)]
            )
            state.put(f"baseline-{i}", {**m, "docs": len(part)})
        print(f"shard {i + 1}/{shards} ingested", file=sys.stderr)
    if not state.get("danvan-rerun"):
        m = measured([DANVAN, "ingest", str(staged), "--report", str(workdir / "danvan-rerun.json")], env)
        state.put("danvan-rerun", m)


def totals(state: State, system: str, shards: int) -> dict:
    """Ingest figures over the first `shards` shards."""
    parts = [state.get(f"{system}-{i}") for i in range(shards)]
    seconds = sum(p["seconds"] for p in parts)
    docs = sum(p["docs"] for p in parts)
    out = {
        "ingest_seconds": round(seconds, 1),
        "ingest_docs_per_s": round(docs / seconds, 2),
        "ingest_peak_rss_mb": max(p["peak_rss_mb"] for p in parts),
    }
    if system == "danvan":
        chunks = sum(p["chunks"] for p in parts)
        embed = sum(p["embed_seconds"] for p in parts)
        out |= {
            "chunks": chunks,
            "ingest_chunks_per_s": round(chunks / seconds, 2),
            "embedder_share": round(embed / seconds, 3),
        }
    return out


def ingest_report(state: State, shards: int, baseline_shards: int) -> dict:
    """Both systems over the shards both ingested (same corpus, same machine, alternating), and
    danvan over all of them. With no baseline shard, `same_shards` is None."""
    every = totals(state, "danvan", shards)
    rerun = state.get("danvan-rerun")["seconds"]
    out = {
        "danvan": every | {"rerun_seconds": rerun, "rerun_share": round(rerun / every["ingest_seconds"], 4)},
        "same_shards": None,
    }
    if baseline_shards:
        same_d, same_b = totals(state, "danvan", baseline_shards), totals(state, "baseline", baseline_shards)
        out["same_shards"] = {
            "shards": baseline_shards,
            "danvan": same_d,
            "baseline": same_b,
            "docs_per_s_ratio": round(same_d["ingest_docs_per_s"] / same_b["ingest_docs_per_s"], 2),
        }
    return out


def baseline_from(other: Path, workdir: Path, state: State, shards: int) -> None:
    """Evaluate the baseline store another run on the same corpus built (linked, not copied)."""
    theirs = State(other / "state.json")
    if theirs.get("config") != state.get("config") or not all(theirs.get(f"baseline-{i}") for i in range(shards)):
        raise SystemExit(f"{other} holds no whole baseline store for {state.get('config')}")
    link = workdir / "baseline"
    if link.is_symlink():
        link.unlink()
    elif link.exists():
        link.rename(workdir / "baseline-partial")  # this run's shards: the evaluation needs the whole store
    link.symlink_to(other / "baseline", target_is_directory=True)


def machine() -> dict:
    """Where and with which code the run was made (a run spans sessions: the commit says which code)."""
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "commit": commit or None}


def print_ingest(report: dict) -> None:
    same = report["same_shards"]
    if same:
        print(f"ingest, first {same['shards']} shards, both systems: {'danvan':>10}{'baseline':>10}")
        for k in ("ingest_seconds", "ingest_docs_per_s", "ingest_peak_rss_mb"):
            print(f"  {k:<40}{same['danvan'][k]!s:>10}{same['baseline'][k]!s:>10}")
        print(f"  docs/s ratio danvan/baseline: {same['docs_per_s_ratio']}x")
    d = report["danvan"]
    print(
        f"danvan over every shard: {d['ingest_seconds']} s, {d['ingest_docs_per_s']} docs/s, "
        f"{d['ingest_chunks_per_s']} chunks/s, "
        f"embedder {d['embedder_share']:.0%} of the time, peak RSS {d['ingest_peak_rss_mb']} MB"
    )
    print(f"re-run of unchanged corpus: {d['rerun_seconds']} s ({d['rerun_share']:.1%} of the first ingest)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        return _measure(sys.argv[3:])
    if len(sys.argv) > 1 and sys.argv[1] == "_baseline_ingest":
        workdir, listing, shard = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
        return baseline_ingest(workdir, [Path(p) for p in listing.read_text().splitlines()], shard)
    if len(sys.argv) > 1 and sys.argv[1] in ("_eval_danvan", "_eval_baseline"):
        fn = eval_danvan if sys.argv[1] == "_eval_danvan" else eval_baseline
        return fn(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--questions", type=int, default=1500, help="answerable questions sampled (all unanswerable ones are asked)"
    )
    ap.add_argument("--shards", type=int, default=10, help="a killed run loses at most one shard's work")
    ap.add_argument("--workdir", type=Path, help="reuse this dir (resumes; default: a new temp dir)")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "quality.json")
    ap.add_argument("--skip-eval", action="store_true", help="stop after ingesting (writes the ingest report to --out)")
    ap.add_argument(
        "--baseline-shards",
        type=int,
        help="ingest only this many shards with the baseline (default: all; "
        "its answers are evaluated only from a whole store; 0: none, for an embedder whose baseline "
        "ingest would take hours)",
    )
    ap.add_argument(
        "--baseline-from",
        type=Path,
        help="evaluate the baseline store a run on the same corpus built in this "
        "work dir (the baseline does not change between danvan versions; with --baseline-shards, ingest "
        "speed is still compared on the shards both ingested in this run)",
    )
    ap.add_argument(
        "--seed-from",
        type=Path,
        help="start from a finished run on the first documents of this corpus "
        "(same --seed, same shard size): its store and shard figures are taken over (100k from 20k)",
    )
    ap.add_argument("--ablation", action="store_true", help="also evaluate danvan without the reranker")
    args = ap.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="danvan-quality-"))
    workdir.mkdir(parents=True, exist_ok=True)
    state = State(workdir / "state.json")
    if state.get("config") and state.get("config") != {"docs": args.docs, "seed": args.seed, "shards": args.shards}:
        raise SystemExit(f"{workdir} holds a run with {state.get('config')}; use another --workdir")
    state.put("config", {"docs": args.docs, "seed": args.seed, "shards": args.shards})
    env = {"DANVAN_DATA_DIR": str(workdir / "danvan")}
    print(f"work dir: {workdir}", file=sys.stderr)

    baseline_shards = args.shards if args.baseline_shards is None else args.baseline_shards
    if not 0 <= baseline_shards <= args.shards:
        raise SystemExit(f"--baseline-shards must be 0..{args.shards}")
    if baseline_shards == 0 and args.baseline_from:
        raise SystemExit("--baseline-from needs at least one baseline shard in this run (the ingest comparison)")
    # The baseline answers only from its whole store: with fewer shards (and no --baseline-from) it
    # is compared on ingest speed alone (a 100k baseline store would take as long again to build).
    whole_baseline = baseline_shards == args.shards or bool(args.baseline_from)
    corpus = generate(workdir, args.docs, args.seed)
    if args.seed_from:
        seed_from(args.seed_from.resolve(), workdir, corpus, state, args.shards)
    ingest_all(workdir, corpus, args.shards, state, env, baseline_shards=baseline_shards)
    if args.baseline_from and not args.skip_eval:
        baseline_from(args.baseline_from.resolve(), workdir, state, args.shards)
    ingest = ingest_report(state, args.shards, baseline_shards)
    if args.skip_eval:
        print_ingest(ingest)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            json.dumps(
                {
                    "benchmark": "ingest",
                    "docs": args.docs,
                    "seed": args.seed,
                    "shards": args.shards,
                    "machine": machine(),
                    **ingest,
                    "stages": state.data,
                },
                indent=2,
            )
        )
        print(f"wrote {args.out}")
        return

    results = {}
    variants = [("danvan", "danvan", {})] + ([("baseline", "baseline", {})] if whole_baseline else [])
    if args.ablation:  # the reranker measured against none, in the same run
        variants.append(("danvan_no_rerank", "danvan", {"DANVAN_RERANK_WEIGHT": "0"}))
    for name, system, extra in variants:
        rows_path = workdir / f"eval-{name}-{args.questions}.json"
        m = measured(
            [
                sys.executable,
                "-m",
                "bench.quality",
                f"_eval_{system}",
                str(workdir),
                str(corpus / "qa.jsonl"),
                str(args.questions),
                str(rows_path),
            ],
            {**env, **extra},
        )
        shards = args.shards if system == "danvan" else baseline_shards
        results[name] = {
            **summarize(json.loads(rows_path.read_text())),
            **totals(state, system, shards),
            "eval_peak_rss_mb": m["peak_rss_mb"],
        }
        if system == "danvan":
            briefs = json.loads(rows_path.with_suffix(".briefs.json").read_text())
            results[name] |= {
                "briefs": briefs,
                "brief_seconds_max": max(b["seconds"] for b in briefs),
                **json.loads(rows_path.with_suffix(".startup.json").read_text()),
            }
    results["danvan"] |= {k: ingest["danvan"][k] for k in ("rerun_seconds", "rerun_share")}
    d, b = results["danvan"], results.get("baseline")
    ratios = {
        "recall_at_1": round(d["recall_at_1"] / b["recall_at_1"], 2) if b and b["recall_at_1"] else None,
        # the shards both ingested in this run
        "ingest_docs_per_s": ingest["same_shards"]["docs_per_s_ratio"] if ingest["same_shards"] else None,
        "retrieval_p95_ms": round(d["retrieval_p95_ms"] / b["retrieval_p95_ms"], 2) if b else None,
    }
    report = {
        "benchmark": "quality",
        "docs": args.docs,
        "seed": args.seed,
        "shards": args.shards,
        "questions_answerable": args.questions,
        "machine": machine(),
        "embedder": baseline.embedder(),
        "baseline": baseline.description(),
        "danvan": d,
        "baseline_results": b,
        "ratio_danvan_over_baseline": ratios,
        "danvan_no_rerank": results.get("danvan_no_rerank"),
        "baseline_store_from": str(args.baseline_from) if args.baseline_from else None,
        "seeded_from": state.get("seeded_from"),
        "ingest": ingest,
        "stages": state.data,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    keys = [
        "recall_at_1",
        "recall_at_5",
        "mrr",
        "accuracy",
        "refusal_rate",
        "false_refusal_rate",
        "retrieval_p50_ms",
        "retrieval_p95_ms",
        "answer_p95_ms",
        "ingest_docs_per_s",
        "ingest_peak_rss_mb",
        "eval_peak_rss_mb",
    ]
    print(f"{'metric':<22}{'danvan':>12}{'baseline':>12}")
    for k in keys:
        print(f"{k:<22}{d[k]!s:>12}{(b[k] if b else '-')!s:>12}")
    if "danvan_no_rerank" in results:
        n = results["danvan_no_rerank"]
        print(
            f"without the reranker: recall@1 {n['recall_at_1']}, accuracy {n['accuracy']}, "
            f"false refusals {n['false_refusal_rate']}"
        )
    print(f"brief generation: at most {d['brief_seconds_max']} s over {len(d['briefs'])} topics")
    print(f"service start (file records, indexes, embedding model): {d['startup_seconds']} s")
    print(f"re-run of unchanged corpus: {d['rerun_seconds']} s ({d['rerun_share']:.1%} of the first ingest)")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
