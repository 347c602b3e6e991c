"""Answer quality on real documents: danvan against two naive baselines, in one run.

    .venv/bin/python -m bench.answers [--sets NAME|FOLDER|QA.jsonl:CORPUS ...] [--workdir DIR]
                                      [--out reports/answers.json] [--plot docs/answers_threshold.png]
                                      [--items reports/answers_items.jsonl] [--limit N] [--seed S]
    .venv/bin/python -m bench.answers --markdown reports/answers.json   # the table, for docs
    .venv/bin/python -m bench.answers --redraw reports/answers.json     # the plot again

A set is a folder with `docs/` and `qa.jsonl` (every such folder of ../shared/eval and of this
repo's eval/), or a QA file asked against a corpus folder (`PAIRS`: ../shared/eval/dev_qa.jsonl
on corpus/sample, eval/sample-vi/*.jsonl on corpus/sample-vi, ...). danvan's ingest reads a
manifest.jsonl inside the documents folder; one beside docs/ (eval/real-en) is description only.
Each set gets its own stores under the work dir, and three systems answer it:

- danvan, ingested by its own pipeline and asked through `AnswerService`, twice: with the
  default settings (the operating point) and with the answer threshold out of the way, which
  gives every question its best answer and confidence; thresholds are then applied post hoc
  to draw answered-vs-refused precision and recall as the threshold moves;
- the naive sentence picker: no model, never refuses; every sentence is scored by the
  IDF-weighted share of the question's words it holds (diacritics folded), and the answer is
  the two best sentences of the file holding the best sentence;
- the naive LangChain pipeline of `bench.baseline` (dense top-4, the best chunk is the answer).

All three are scored by `assistant.evaluation` (the rule of `danvan eval`). The report holds the
figures per set and system, the curve, timings and the commit; per-item outcomes go to a
separate JSON-lines file (compact) and, whole, to the work dir.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.evaluation import Case, Outcome, read_cases, run, summarize
from assistant.models import Answer, AskRequest, Citation
from bench import baseline

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
# QA files asked against a corpus folder rather than a set folder's own docs/ (eval/README.md and
# eval/sample-vi/README.md say which corpus each is asked over); named here, as most are "qa".
PAIRS = [
    ("dev_qa", SHARED_EVAL / "dev_qa.jsonl", ROOT / "corpus" / "sample"),
    ("sample-vi", ROOT / "eval" / "sample-vi" / "qa.jsonl", ROOT / "corpus" / "sample-vi"),
    ("sample-vi-cross", ROOT / "eval" / "sample-vi" / "cross.jsonl", ROOT / "corpus" / "sample-vi"),
    ("sample-en-vi", ROOT / "eval" / "sample-en-vi.jsonl", ROOT / "corpus" / "sample"),
]
DOC_SUFFIXES = {".txt", ".md", ".html", ".htm"}  # what the naive baselines can read
OPEN_THRESHOLD = -1e9  # below any confidence: danvan gives every question its best answer
SYSTEMS = ("danvan", "danvan_model", "picker", "langchain")
MAX_CURVE_POINTS = 200


# --- sets --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvalSet:
    name: str
    qa: Path
    docs: Path  # a folder: a set's docs/, or a corpus (which may hold a manifest.jsonl)


def folder_sets(parents: Iterable[Path]) -> list[EvalSet]:
    """Every child folder with docs/ and qa.jsonl, in name order per parent."""
    found = []
    for parent in parents:
        if parent.is_dir():
            found += [
                EvalSet(f.name, f / "qa.jsonl", f / "docs")
                for f in sorted(parent.iterdir())
                if (f / "docs").is_dir() and (f / "qa.jsonl").is_file()
            ]
    return found


def pair_sets(pairs: Iterable[tuple[str, Path, Path]]) -> list[EvalSet]:
    """The pairs whose QA file and corpus both exist."""
    return [EvalSet(name, qa, docs) for name, qa, docs in pairs if qa.is_file() and docs.is_dir()]


def unique_names(sets: list[EvalSet]) -> list[EvalSet]:
    """The repo's eval/squad2 and the shared squad2 would share a work dir: number the later ones."""
    seen: Counter[str] = Counter()
    out = []
    for s in sets:
        seen[s.name] += 1
        out.append(s if seen[s.name] == 1 else EvalSet(f"{s.name}-{seen[s.name]}", s.qa, s.docs))
    return out


def default_sets() -> list[EvalSet]:
    return unique_names(folder_sets([SHARED_EVAL, ROOT / "eval"]) + pair_sets(PAIRS))


def parse_set(spec: str, known: list[EvalSet]) -> EvalSet:
    """A known set's name, a set folder, or QA.jsonl:CORPUS."""
    by_name = {s.name: s for s in known}
    if spec in by_name:
        return by_name[spec]
    if ":" in spec:
        qa, docs = (Path(p) for p in spec.split(":", 1))
        if not (qa.is_file() and docs.is_dir()):
            raise SystemExit(f"{spec}: needs an existing QA file and corpus folder")
        return EvalSet(qa.stem, qa, docs)
    folder = Path(spec)
    if (folder / "docs").is_dir() and (folder / "qa.jsonl").is_file():
        return EvalSet(folder.name, folder / "qa.jsonl", folder / "docs")
    raise SystemExit(
        f"{spec}: not a set name ({', '.join(by_name) or 'none found'}), a folder with docs/ and "
        "qa.jsonl, or QA.jsonl:CORPUS"
    )


def doc_files(folder: Path) -> list[Path]:
    """The documents the baselines read: text and HTML files, without danvan's manifest."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DOC_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def files_stamp(files: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def sample(cases: list[Case], limit: int | None, seed: int) -> list[Case]:
    """At most `limit` items, chosen with `seed`, in file order; the turns of a multi-turn item
    stay together (a later turn needs the earlier ones)."""
    groups: dict[str, list[Case]] = {}
    for c in cases:
        groups.setdefault(c.session or c.id, []).append(c)
    keys = list(groups)
    if limit is not None and limit < len(keys):
        keep = set(random.Random(seed).sample(keys, limit))
        keys = [k for k in keys if k in keep]
    return [c for k in keys for c in groups[k]]


# --- the naive sentence picker (pure) ----------------------------------------------------------
@dataclass(frozen=True)
class Sentence:
    source: str
    index: int  # position in its file
    text: str
    words: frozenset[str]


@dataclass(frozen=True)
class PickerIndex:
    sentences: list[Sentence]
    idf: dict[str, float]


def fold(text: str) -> str:
    """Lower case without diacritics ("Đảng ủy" -> "dang uy"), so unaccented questions match."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", fold(text)))


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")


def split_sentences(text: str) -> list[str]:
    """Naive on purpose: a break after . ! ? … and at every line break."""
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if s]


def build_picker(texts: dict[str, str]) -> PickerIndex:
    """Sentences of every file, and each word's IDF over those sentences."""
    sentences = [
        Sentence(source, i, s, words(s)) for source, text in texts.items() for i, s in enumerate(split_sentences(text))
    ]
    df = Counter(w for s in sentences for w in s.words)
    n = len(sentences)
    return PickerIndex(sentences, {w: math.log(1 + n / d) for w, d in df.items()})


def sentence_score(question: frozenset[str], sentence: frozenset[str], idf: dict[str, float], unseen: float) -> float:
    """IDF-weighted share of the question's words the sentence holds."""
    weight = {w: idf.get(w, unseen) for w in question}
    total = sum(weight.values())
    return sum(v for w, v in weight.items() if w in sentence) / total if total else 0.0


def pick(index: PickerIndex, question: str, n: int = 2) -> list[Sentence]:
    """The `n` best sentences of the file holding the best sentence, in document order (ties:
    the earlier sentence)."""
    if not index.sentences:
        return []
    q = words(question)
    unseen = math.log(1 + len(index.sentences))  # a word no sentence holds weighs most
    scored = [(sentence_score(q, s.words, index.idf, unseen), -k, s) for k, s in enumerate(index.sentences)]
    best = max(scored, key=lambda t: t[:2])[2]
    same_file = sorted((t for t in scored if t[2].source == best.source), key=lambda t: t[:2], reverse=True)
    return sorted((t[2] for t in same_file[:n]), key=lambda s: s.index)


def cited_answer(passages: list[tuple[str, str, str]], seconds: float, backend: str) -> Answer:
    """An answer that states each passage (source, quote, id) with its citation, never refused:
    the baselines are scored by the same rule as danvan."""
    citations = [
        Citation(n=i, source=source, title=source, quote=quote, chunk_id=pid)
        for i, (source, quote, pid) in enumerate(passages, start=1)
    ]
    text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
    return Answer(answer=text, refused=False, citations=citations, backend=backend, seconds=round(seconds, 4))


def picker_answer(index: PickerIndex, question: str) -> Answer:
    started = time.perf_counter()
    chosen = pick(index, question)
    return cited_answer(
        [(s.source, s.text, f"{s.source}#s{s.index}") for s in chosen], time.perf_counter() - started, "picker"
    )


# --- the threshold curve (pure) ----------------------------------------------------------------
def decide(row: dict, threshold: float) -> tuple[bool, bool]:
    """(refused, correct) of an outcome of the open run once `threshold` applies. No confidence
    means nothing to hold against the threshold: the answer stands."""
    conf = row.get("confidence")
    refused = row["refused"] or (conf is not None and conf < threshold)
    correct = (row["correct"] and not refused) if row["answerable"] else refused
    return refused, correct


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def curve_point(rows: list[dict], threshold: float) -> dict:
    decided = [(r["answerable"], *decide(r, threshold)) for r in rows]
    answered = [d for d in decided if not d[1]]
    refused = [d for d in decided if d[1]]
    right = sum(a and c for a, _, c in answered)
    answerable = sum(d[0] for d in decided)
    un_refused = sum(not a for a, _, _ in refused)
    return {
        "threshold": threshold,
        "answered": len(answered),
        "refused": len(refused),
        "answered_precision": _share(right, len(answered)),
        "answered_recall": _share(right, answerable),
        "refusal_precision": _share(un_refused, len(refused)),
        "refusal_recall": _share(un_refused, len(decided) - answerable),
    }


def thresholds(confidences: Iterable[float], limit: int = MAX_CURVE_POINTS) -> list[float]:
    """Each distinct confidence (at threshold c, confidences below c are refused) and one above
    the highest (everything refused); thinned evenly by rank when there are more than `limit`."""
    values = sorted(set(confidences))
    if not values:
        return []
    if len(values) > limit - 1:
        step = (len(values) - 1) / (limit - 2)
        values = sorted({values[round(i * step)] for i in range(limit - 1)})
    top = values[-1]
    return [*values, top + max(abs(top) * 1e-6, 1e-9)]


def curve(rows: list[dict]) -> list[dict] | None:
    """Precision and recall of answering and refusing as the threshold moves; None when no
    answer carries a confidence."""
    confidences = [r["confidence"] for r in rows if r.get("confidence") is not None]
    if not confidences:
        return None
    return [curve_point(rows, t) for t in thresholds(confidences)]


def compare_operating(open_rows: list[dict], normal_rows: list[dict], threshold: float) -> dict:
    """The open run with the default threshold applied post hoc against the normal run: they
    should refuse the same items (they can differ if the service refuses for other reasons)."""
    by_id = {r["id"]: r for r in normal_rows}
    differ = [r["id"] for r in open_rows if r["id"] in by_id and decide(r, threshold)[0] != by_id[r["id"]]["refused"]]
    return {
        "post_hoc": curve_point(open_rows, threshold),
        "normal_run": curve_point(normal_rows, threshold),
        "refusal_disagreements": len(differ),
        "disagreeing_ids": differ[:20],
        "agree": not differ,
    }


# --- summaries (pure) --------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    """Nearest rank."""
    if not values:
        return None
    xs = sorted(values)
    return xs[max(0, math.ceil(q * len(xs)) - 1)]


def answer_words(text: str) -> int:
    return len(re.sub(r"\[\d+\]", " ", text).split())


def system_summary(rows: list[dict]) -> dict:
    """`danvan eval`'s summary of the outcomes, plus false refusals as a share, answer length
    (of answers given, not refusals) and answer latency."""
    outcomes = [Outcome(**{k: r[k] for k in Outcome.__dataclass_fields__}) for r in rows]
    base = summarize(outcomes)
    answerable = base["answerable"]
    lengths = [answer_words(r["answer"]) for r in rows if not r["refused"]]
    seconds = [r["seconds"] for r in rows]
    return {
        "items": base["items"],
        "answerable": answerable,
        "unanswerable": base["unanswerable"],
        "accuracy": base["accuracy"],  # of the answerable items, as `danvan eval` reports it
        "correct_all": _share(sum(r["correct"] for r in rows), len(rows)),  # refusing what must be refused counts
        "unanswerable_refused_rate": base["refusal_rate"],
        "false_refusals": base["false_refusals"],
        "false_refusal_share": _share(base["false_refusals"], answerable),
        "citation_rate": base["citation_rate"],
        "quotes_verbatim_rate": base["quotes_verbatim_rate"],
        "answer_words_median": statistics.median(lengths) if lengths else None,
        "answer_words_p90": percentile(lengths, 0.9),
        "latency_p50_s": percentile(seconds, 0.5),
        "latency_p95_s": percentile(seconds, 0.95),
        "by_kind": base["by_kind"],
    }


TABLE_COLUMNS = [  # (report key, heading)
    ("accuracy", "accuracy"),
    ("correct_all", "all correct"),
    ("unanswerable_refused_rate", "unans. refused"),
    ("false_refusal_share", "false refusals"),
    ("quotes_verbatim_rate", "verbatim"),
    ("answer_words_median", "words p50"),
    ("answer_words_p90", "words p90"),
    ("latency_p50_s", "latency p50 s"),
    ("latency_p95_s", "latency p95 s"),
]


def cell(value) -> str:
    """A report value as a table cell: floats to 3 significant digits, None as "-"."""
    return "-" if value is None else f"{value:.3g}" if isinstance(value, float) else str(value)


def table_rows(report: dict) -> list[list[str]]:
    rows = []
    for name, s in report["sets"].items():
        for system in SYSTEMS:
            block = s["systems"].get(system)
            if block is None:
                continue
            cells = [cell(block.get(k)) for k, _ in TABLE_COLUMNS]  # .get: reports of older versions lack some
            cells[3] = f"{block['false_refusals']} ({cells[3]})"
            rows.append([name, system, str(block["items"]), *cells])
    return rows


def markdown(head: list[str], rows: list[list], left: int = 1, shown: Callable[[object], str] = cell) -> str:
    """A Markdown table; the first `left` columns are text, the others right-aligned figures (each
    value not already a string shown by `shown`)."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * left + "---:|" * (len(head) - left)]
    lines += ["| " + " | ".join(v if isinstance(v, str) else shown(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown_table(report: dict) -> str:
    """The set x system table as Markdown (for the README and docs)."""
    return markdown(["set", "system", "items", *(h for _, h in TABLE_COLUMNS)], table_rows(report), left=2)


def text_table(report: dict) -> str:
    head = ["set", "system", "items", *(h for _, h in TABLE_COLUMNS)]
    rows = [head, *table_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows
    )


TIMING_COLUMNS = [
    "danvan_ingest",
    "danvan_answers",
    "danvan_model_answers",
    "danvan_open_answers",
    "picker_answers",
    "langchain_ingest",
    "langchain_answers",
    "total",
]


def timing_table(report: dict) -> str:
    """Seconds per stage and set (a reused work dir makes the ingest stages short)."""
    rows = [["set", *TIMING_COLUMNS]]
    rows += [[name, *(str(s["seconds"].get(k, "-")) for k in TIMING_COLUMNS)] for name, s in report["sets"].items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows
    )


def item_row(set_name: str, system: str, outcome: Outcome, answer: Answer) -> dict:
    return {
        "set": set_name,
        "system": system,
        **asdict(outcome),
        "confidence": answer.confidence,
        "reason": answer.reason,
    }


def compact(rows: list[dict]) -> list[dict]:
    """What the committed items file keeps: one line per item (set and id), each system's outcome
    under its name, without the answer texts (megabytes; they stay in the work dir's file)."""
    items: dict[tuple[str, str], dict] = {}
    for r in rows:
        item = items.setdefault(
            (r["set"], r["id"]), {"set": r["set"], "id": r["id"], "kind": r["kind"], "answerable": r["answerable"]}
        )
        item[r["system"]] = {
            "correct": r["correct"],
            "refused": r["refused"],
            "confidence": r["confidence"],
            "seconds": round(r["seconds"], 4),
            "words": answer_words(r["answer"]),
            "sources": list(dict.fromkeys(r["sources_cited"])),
            "source_ok": r["source_ok"],
            "missing": bool(r["missing"]),
            "quotes_verbatim": r["quotes_verbatim"],
        }
    return list(items.values())


# --- running the systems (I/O) -----------------------------------------------------------------
def ask_all(
    cases: list[Case], ask: Callable[[AskRequest], Answer], texts: Callable[[str], str | None]
) -> list[tuple[Outcome, Answer]]:
    """`danvan eval`'s loop (multi-turn sessions included), keeping each Answer for its confidence."""
    answers: list[Answer] = []

    def keep(request: AskRequest) -> Answer:
        answers.append(ask(request))
        return answers[-1]

    _, outcomes = run(cases, keep, texts)
    return list(zip(outcomes, answers))


def danvan_settings(data_dir: Path, corpus: Path, **overrides):
    from assistant.settings import Settings

    return Settings(data_dir=data_dir, corpus=[corpus], **overrides)


def ingest_danvan(evalset: EvalSet, data_dir: Path) -> dict:
    """danvan's own ingest (idempotent: unchanged files are skipped), as `danvan ingest` runs it."""
    from assistant.components import build_embedder, build_store
    from ingest.pipeline import Ingestor

    s = danvan_settings(data_dir, evalset.docs)
    ingestor = Ingestor(
        build_store(s), build_embedder(s), s.lexical_path, s.chunk_size, s.chunk_overlap, max_bytes=s.max_file_bytes
    )
    result = ingestor.run([evalset.docs], prune=True)
    for name, reason in result.skipped:
        print(f"  danvan skipped {name}: {reason}", file=sys.stderr)
    return {"summary": result.summary(), "chunks_written": result.chunks_written, "skipped": len(result.skipped)}


def danvan_texts(service) -> Callable[[str], str | None]:
    """Cleaned text of a stored file (what `danvan eval` checks quotes against), read once."""
    known = {d.source for d in service.documents()}
    cache: dict[str, str] = {}

    def text_of(source: str) -> str | None:
        if source not in known:
            return None
        if source not in cache:
            cache[source] = service.document(source).text
        return cache[source]

    return text_of


def run_danvan(evalset: EvalSet, data_dir: Path, cases: list[Case], overrides: dict) -> list[tuple[Outcome, Answer]]:
    from assistant.service import AnswerService

    service = AnswerService.from_settings(danvan_settings(data_dir, evalset.docs, **overrides))
    return ask_all(cases, service.ask, danvan_texts(service))


def langchain_store(files: list[Path], folder: Path, embedding) -> tuple[object, bool]:
    """The baseline's store of these files; rebuilt unless its stamp (file hashes and the
    baseline's description) matches. Returns (store, rebuilt)."""
    stamp_path = folder.with_name(folder.name + ".stamp.json")
    # The embedder is part of the stamp: vectors of one model are no index for another's queries.
    stamp = {"baseline": baseline.description(), "embedding": type(embedding).__name__, "files": files_stamp(files)}
    if folder.exists() and stamp_path.is_file() and json.loads(stamp_path.read_text()) == stamp:
        return baseline.open_store(folder, embedding), False
    stamp_path.unlink(missing_ok=True)
    store = baseline.open_store(folder, embedding)
    # Emptied through Chroma, not by deleting its folder: this process may hold a client on it.
    store.reset_collection()
    baseline.add_chunks(store, baseline.split([baseline.load_naive(p) for p in files]))
    stamp_path.write_text(json.dumps(stamp, indent=1))  # last: a killed build is rebuilt
    return store, True


def langchain_answer(store, question: str) -> Answer:
    started = time.perf_counter()
    docs = store.similarity_search(question, k=baseline.TOP_K)
    best = docs[:1]  # the best of the top-4 is the answer
    return cited_answer(
        [(d.metadata["source"], d.page_content, f"{d.metadata['source']}#lc") for d in best],
        time.perf_counter() - started,
        "langchain",
    )


def naive_texts(files: list[Path]) -> dict[str, str]:
    return {p.name: baseline.read_text(p) for p in files}


# --- plot --------------------------------------------------------------------------------------
CURVE_LINES = [
    ("answered_precision", "answered precision"),
    ("answered_recall", "answered recall"),
    ("refusal_precision", "refusal precision"),
    ("refusal_recall", "refusal recall"),
]


def plot(report: dict, path: Path) -> bool:
    """One subplot per set with a curve; the operating threshold marked. False when no set has one."""
    drawn = {n: s for n, s in report["sets"].items() if s["threshold"].get("curve")}
    if not drawn:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(4, len(drawn))
    rows = -(-len(drawn) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.6 * cols, 4.6 * rows), squeeze=False)
    for ax in axes.flat[len(drawn) :]:
        ax.set_visible(False)
    op = report["operating_threshold"]
    for ax, (name, s) in zip(axes.flat, drawn.items()):
        points = s["threshold"]["curve"]
        xs = [p["threshold"] for p in points]
        for key, label in CURVE_LINES:
            ax.plot(xs, [p[key] if p[key] is not None else float("nan") for p in points], label=label)
        at = s["threshold"]["operating"]["post_hoc"]
        ax.axvline(op, color="grey", linestyle="--", linewidth=1)
        for key, _ in CURVE_LINES:
            if at[key] is not None:
                ax.plot([op], [at[key]], "ko", markersize=4)
        others = ", ".join(f"{sys_} {s['systems'][sys_]['accuracy']:.2f}" for sys_ in SYSTEMS if sys_ in s["systems"])
        ax.set_title(f"{name} ({s['questions']} questions)\naccuracy: {others}", fontsize=8)
        ax.set_xlabel(f"answer threshold (operating point {op}, dashed)", fontsize=8)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("share")
    axes[0][0].legend(fontsize=8, loc="best")
    fig.suptitle(
        f"danvan: answered vs refused as the threshold moves (commit {report['commit']['head'][:8]})", fontsize=10
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# --- the run -----------------------------------------------------------------------------------
def git_state() -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "head": git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def threshold_block(open_rows: list[dict], normal_rows: list[dict], op: float) -> dict:
    """The curve, and the operating point both ways (post hoc from the open run, and the normal
    run): compared even without confidences, when the two runs should refuse alike."""
    operating = compare_operating(open_rows, normal_rows, op)
    points = curve(open_rows)
    if points is None:
        return {
            "curve": None,
            "operating": operating,
            "skipped": "no danvan answer carries a confidence: the threshold curve needs Answer.confidence "
            "(nothing to plot for this set)",
        }
    return {"curve": points, "operating": operating}


def evaluate_set(
    evalset: EvalSet, workdir: Path, embedding, op: float, *, limit: int | None, seed: int
) -> tuple[dict, list[dict]]:
    timings: dict[str, float] = {}

    def timed(key, fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        timings[key] = round(time.perf_counter() - t0, 2)
        return out

    started = time.perf_counter()
    home = workdir / evalset.name
    home.mkdir(parents=True, exist_ok=True)
    cases = sample(read_cases(evalset.qa), limit, seed)
    files = doc_files(evalset.docs)
    print(f"[{evalset.name}] {len(cases)} questions, {len(files)} documents", file=sys.stderr)
    ingest = timed("danvan_ingest", ingest_danvan, evalset, home / "danvan")
    normal = timed("danvan_answers", run_danvan, evalset, home / "danvan", cases, {})
    modelled = timed("danvan_model_answers", run_danvan, evalset, home / "danvan", cases, {"answer_policy": "model"})
    opened = timed(
        "danvan_open_answers",
        run_danvan,
        evalset,
        home / "danvan",
        cases,
        {"answer_policy": "model", "answer_threshold": OPEN_THRESHOLD},
    )
    texts = naive_texts(files)
    index = timed("picker_index", build_picker, texts)
    picked = timed("picker_answers", ask_all, cases, lambda r: picker_answer(index, r.question), texts.get)
    store, rebuilt = timed("langchain_ingest", langchain_store, files, home / "langchain", embedding)
    chained = timed("langchain_answers", ask_all, cases, lambda r: langchain_answer(store, r.question), texts.get)
    rows = {
        "danvan": [item_row(evalset.name, "danvan", o, a) for o, a in normal],
        "danvan_model": [item_row(evalset.name, "danvan_model", o, a) for o, a in modelled],
        "danvan_open": [item_row(evalset.name, "danvan_open", o, a) for o, a in opened],
        "picker": [item_row(evalset.name, "picker", o, a) for o, a in picked],
        "langchain": [item_row(evalset.name, "langchain", o, a) for o, a in chained],
    }
    timings["total"] = round(time.perf_counter() - started, 2)
    block = {
        "qa": _rel(evalset.qa),
        "docs": _rel(evalset.docs),
        "documents": len(files),
        "questions": len(cases),
        "answerable": sum(r["answerable"] for r in rows["danvan"]),
        "unanswerable": sum(not r["answerable"] for r in rows["danvan"]),
        "danvan_ingest": ingest,
        "langchain_store_rebuilt": rebuilt,
        "seconds": timings,
        "systems": {name: system_summary(rows[name]) for name in SYSTEMS},
        "danvan_open": system_summary(rows["danvan_open"]),
        "threshold": threshold_block(rows["danvan_open"], rows["danvan_model"], op),
    }
    return block, [r for name in ("danvan", "danvan_model", "danvan_open", "picker", "langchain") for r in rows[name]]


def _rel(path: Path) -> str:
    """Paths as the repo's docs write them: corpus/sample, ../shared/eval/squad2/qa.jsonl."""
    path = path.resolve()
    if path.is_relative_to(ROOT):
        return str(path.relative_to(ROOT))
    if path.is_relative_to(ROOT.parent):
        return str(Path("..") / path.relative_to(ROOT.parent))
    return str(path)


def write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", help="set names, set folders or QA.jsonl:CORPUS (default: every set found)")
    ap.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "answers", help="stores per set (reused)")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "answers.json")
    ap.add_argument("--plot", type=Path, default=ROOT / "docs" / "answers_threshold.png")
    ap.add_argument("--items", type=Path, help="compact per-item outcomes (default: beside --out, *_items.jsonl)")
    ap.add_argument("--limit", type=int, help="at most this many items per set (seeded sample)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--markdown", type=Path, metavar="REPORT", help="only print this report's table as Markdown")
    ap.add_argument("--redraw", type=Path, metavar="REPORT", help="only draw this report's plot (to --plot)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from assistant.settings import Settings

    commit = git_state()  # first: the code this run is, before anyone edits the tree under it
    args = parse_args(argv)
    if args.markdown:
        print(markdown_table(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return
    if args.redraw:
        plot(json.loads(args.redraw.read_text(encoding="utf-8")), args.plot)
        return
    known = default_sets()
    sets = unique_names([parse_set(s, known) for s in args.sets]) if args.sets else known
    if not sets:
        raise SystemExit("no evaluation sets found")
    items_path = args.items or args.out.with_name(args.out.stem + "_items.jsonl")
    op = Settings().answer_threshold
    embedding = baseline.embeddings()  # loaded once for every set's baseline
    report = {
        "benchmark": "answers",
        "commit": commit,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "embedder": baseline.embedder(),  # danvan's and the LangChain baseline's
        "limit": args.limit,
        "seed": args.seed,
        "operating_threshold": op,
        "open_threshold": OPEN_THRESHOLD,
        "systems": {
            "danvan": "AnswerService with default settings (answer_policy=rules: the hand-set checks decide)",
            "danvan_model": "AnswerService with answer_policy=model: one threshold on the fitted answer model "
            "(operating "
            f"point); the curve comes from a third run with answer_threshold={OPEN_THRESHOLD}, "
            "thresholds applied post hoc",
            "picker": "no model, never refuses: sentences scored by the IDF-weighted share of the question's words "
            "(diacritics folded); answer = the two best sentences of the file holding the best one",
            "langchain": baseline.description(),
        },
        "scoring": "assistant.evaluation.score: every must group in the answer and a cited source among sources; "
        "unanswerable must be refused. Quotes are checked against danvan's cleaned text for danvan and "
        "against the text the baselines read for them. Baselines answer each multi-turn turn alone.",
        "items_file": _rel(items_path),
        "sets": {},
    }
    everything: list[dict] = []
    for evalset in sets:
        block, rows = evaluate_set(evalset, args.workdir, embedding, op, limit=args.limit, seed=args.seed)
        report["sets"][evalset.name] = block
        everything += rows
        print(f"[{evalset.name}] done in {block['seconds']['total']} s", file=sys.stderr)
        if block["threshold"]["curve"] is None:
            print(f"[{evalset.name}] threshold curve skipped: {block['threshold']['skipped']}", file=sys.stderr)
        if not block["threshold"]["operating"]["agree"]:
            print(
                f"[{evalset.name}] note: the post-hoc operating point and the normal run refuse differently on "
                f"{block['threshold']['operating']['refusal_disagreements']} items",
                file=sys.stderr,
            )
    report["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    write_jsonl(args.workdir / "items_full.jsonl", everything)
    write_jsonl(items_path, compact(everything))
    report["plot"] = _rel(args.plot) if plot(report, args.plot) else None
    if report["plot"] is None:
        print("no plot: no set has a threshold curve (danvan's answers carry no confidence yet)", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(text_table(report))
    print("\nseconds per stage:\n" + timing_table(report))
    print(f"wrote {args.out}, {items_path}" + (f", {args.plot}" if report["plot"] else ""))


if __name__ == "__main__":
    main()
