"""Load benchmark (bounded, localhost only): N concurrent clients for T seconds against
POST /v1/answer with the extractive backend, and against GET /healthz as the in-run baseline.

    .venv/bin/python -m bench.load [--clients 32] [--seconds 60] [--out reports/bench_load.json]

Serves the sample corpus from a temporary data dir; prints a table and writes a JSON report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DANVAN = str(Path(sys.executable).parent / "danvan")
QUESTIONS = [
    "How many km of concrete rural roads did Que Phong build in 2014?",
    "Which directive did the Ban Che District Party Standing Committee in Quang Ninh issue on mobilizing people?",
    "Who chaired the discussion session at Nghe An's mid-2022 mass mobilization review conference?",
    "How many religious followers in Quang Tri are Party members?",
    "How long is Quang Tri province's border with Laos?",
    "As of May 2022, how many citizens had agencies and units in Nghe An received?",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _run(base: str, clients: int, seconds: float, request) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker(i: int) -> None:
            nonlocal errors
            n = i
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    r = await request(client, n)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok
                n += clients

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_load.json")
    args = ap.parse_args()

    data = Path(tempfile.mkdtemp(prefix="danvan-load-"))
    env = {
        **os.environ,
        "DANVAN_DATA_DIR": str(data),
        "DANVAN_RATE_LIMIT_PER_MINUTE": "100000000",
        "DANVAN_UI": "false",
    }
    subprocess.run([DANVAN, "ingest"], env=env, check=True, capture_output=True)
    port = _port()
    server = subprocess.Popen(
        [DANVAN, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        health = asyncio.run(_run(base, args.clients, min(args.seconds, 15), lambda c, n: c.get("/healthz")))
        answer = asyncio.run(
            _run(
                base,
                args.clients,
                args.seconds,
                lambda c, n: c.post("/v1/answer", json={"question": QUESTIONS[n % len(QUESTIONS)]}),
            )
        )
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    report = {
        "benchmark": "load",
        "clients": args.clients,
        "seconds": args.seconds,
        "backend": "extractive",
        "corpus": "corpus/sample (5 files)",
        "machine": f"{os.cpu_count()} cores, {platform.python_version()}",
        "answer": answer,
        "baseline_healthz": health,
        "server_peak_rss_mb": round(rss, 1),
        "answer_vs_healthz_rps_ratio": round(answer["rps"] / health["rps"], 3) if health["rps"] else None,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"{'endpoint':<14}{'requests':>10}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, r in (("/v1/answer", answer), ("/healthz", health)):
        print(
            f"{name:<14}{r['requests']:>10}{r['errors']:>8}{r['rps']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}"
        )
    print(f"server peak RSS {rss:.0f} MB; /v1/answer throughput is {report['answer_vs_healthz_rps_ratio']}x /healthz's")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
