"""`danvan`: ingest, ask, brief, eval, serve, status. Thin: every command calls the service or pipeline;
`serve` runs the app `danvan.app` composes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.settings import get_settings
from core.errors import DanvanError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Answers about mass-mobilization work from the documents, with citations.",
)


def _fail(exc: DanvanError) -> None:
    typer.secho(f"error: {exc.message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.callback()
def _check_settings() -> None:
    """Settings are checked before any command runs: a bad one is named, not met halfway through."""
    try:
        get_settings()
    except DanvanError as exc:
        _fail(exc)


def _service():
    from assistant.service import AnswerService

    try:
        return AnswerService.from_settings(get_settings())
    except DanvanError as exc:
        _fail(exc)


@app.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="files or folders (default: the sample corpus)")] = None,
    prune: Annotated[bool, typer.Option(help="remove stored files that are no longer under PATHS")] = False,
    report: Annotated[Optional[Path], typer.Option(help="write the ingest report as JSON here")] = None,
) -> None:
    """Load, clean, chunk and embed documents into the store (idempotent).

    Formats: .txt .md .html .pdf .docx .doc .rtf; others are listed as skipped."""
    from tqdm import tqdm

    from assistant.components import build_embedder, build_store
    from ingest.pipeline import Ingestor

    s = get_settings()
    paths = paths or s.corpus
    for p in paths:
        if not p.exists():
            typer.secho(f"error: {p} does not exist", fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
    try:
        ingestor = Ingestor(
            build_store(s),
            build_embedder(s),
            s.lexical_path,
            s.chunk_size,
            s.chunk_overlap,
            progress=lambda files: tqdm(files, desc="ingest", unit="file", file=sys.stderr, disable=None),
            max_bytes=s.max_file_bytes,
        )
        result = ingestor.run(paths, prune=prune)
    except DanvanError as exc:
        _fail(exc)
    for name, reason in result.skipped:
        typer.secho(f"skipped {name}: {reason}", fg=typer.colors.YELLOW, err=True)
    if result.repaired:
        typer.echo(f"repaired leftovers of an interrupted run: {', '.join(result.repaired)}", err=True)
    typer.echo(f"ingested {result.summary()}")
    payload = json.dumps(
        {"finished_at": _now(), "paths": [str(p) for p in paths], **result.to_dict()}, indent=2, ensure_ascii=False
    )
    s.data_dir.mkdir(parents=True, exist_ok=True)
    (s.data_dir / LAST_INGEST).write_text(payload, encoding="utf-8")  # what `danvan status` reports
    if report:
        report.write_text(payload, encoding="utf-8")


LAST_INGEST = "last-ingest.json"


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _print_answer(answer) -> None:
    typer.echo(answer.answer)
    cites = answer.citations or answer.related
    if cites:
        typer.echo("\nSources:" if answer.citations else "\nRelated passages (not an answer):")
        for c in cites:
            typer.echo(f"  [{c.n}] {c.source} — {c.title}\n      “{c.quote}”")


def _request(line: str):
    from assistant.models import AskRequest

    line = line.strip()
    if line.startswith("{"):
        return AskRequest.model_validate_json(line)
    return AskRequest(question=line)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question, or - to read one per line from stdin")],
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON answer per question")] = False,
    province: Annotated[Optional[str], typer.Option(help="only documents about this province")] = None,
    year: Annotated[Optional[int], typer.Option(help="only documents covering this year")] = None,
    doc_type: Annotated[Optional[str], typer.Option(help="only this document type, e.g. directive")] = None,
) -> None:
    """Answer a question (or, with `-`, one question or JSON request per stdin line)."""
    from pydantic import ValidationError

    from assistant.models import FilterSpec

    service = _service()
    filters = FilterSpec(province=province, year=year, doc_type=doc_type) if (province or year or doc_type) else None
    lines = sys.stdin if question == "-" else [json.dumps({"question": question})]
    for line in lines:
        if not line.strip():
            continue
        try:
            request = _request(line)
            if filters and request.filters is None:
                request.filters = filters
            answer = service.ask(request)
        except (DanvanError, ValidationError, ValueError) as exc:
            message = exc.message if isinstance(exc, DanvanError) else f"invalid request: {exc}"
            if not json_out:
                typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
                continue
            typer.echo(
                json.dumps({"answer": "", "refused": True, "citations": [], "error": message}, ensure_ascii=False)
            )
            continue
        if json_out:
            typer.echo(answer.model_dump_json())
        else:
            _print_answer(answer)
        sys.stdout.flush()


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="what the brief is about")],
    *,
    out: Annotated[
        Optional[Path],
        typer.Option("-o", "--out", help="write brief.md, brief.docx or brief.json (default: Markdown on stdout)"),
    ] = None,
    province: Annotated[Optional[str], typer.Option(help="only documents about this province")] = None,
    year: Annotated[Optional[int], typer.Option(help="only documents covering this year")] = None,
    doc_type: Annotated[Optional[str], typer.Option(help="only this document type, e.g. directive")] = None,
    max_documents: Annotated[int, typer.Option(help="at most this many documents (1-20)")] = 8,
) -> None:
    """A sourced brief on a topic: key points, figures, quotes, documents referenced, sources."""
    from pydantic import ValidationError

    from assistant.brief_export import to_docx, to_markdown
    from assistant.models import BriefRequest, FilterSpec

    if out and out.suffix.lower() not in (".md", ".docx", ".json"):
        typer.secho(f"error: {out.name}: the output must end in .md, .docx or .json", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        filters = (
            FilterSpec(province=province, year=year, doc_type=doc_type) if (province or year or doc_type) else None
        )
        result = _service().brief(BriefRequest(topic=topic, filters=filters, max_documents=max_documents))
    except DanvanError as exc:
        _fail(exc)
    except ValidationError as exc:
        typer.secho(f"error: invalid brief request: {exc.errors()[0]['msg']}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if out is None:
        typer.echo(to_markdown(result))
    else:
        suffix = out.suffix.lower()
        out.write_bytes(
            to_docx(result)
            if suffix == ".docx"
            else (result.model_dump_json(indent=2) if suffix == ".json" else to_markdown(result)).encode()
        )
        typer.echo(
            f"wrote {out} ({result.scope.documents_used} documents, {len(result.figures)} figures, "
            f"{len(result.quotes)} quotes{'' if result.covered else '; the documents do not cover this topic'})"
        )


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="QA file in the dev_qa.jsonl schema")],
    out: Annotated[Path, typer.Option(help="JSON report")] = Path("reports/eval.json"),
) -> None:
    """Accuracy, citation rate, refusals and false refusals on a QA file; writes a JSON report."""
    from assistant import evaluation

    service = _service()
    texts = {d.source: None for d in service.documents()}

    def text_of(source: str) -> str | None:
        if source in texts and texts[source] is None:
            texts[source] = service.document(source).text
        return texts.get(source)

    summary, outcomes = evaluation.run(evaluation.read_cases(file), service.ask, text_of)
    for o in outcomes:
        if not o.correct:
            why = (
                "refused"
                if o.refused
                else (f"missing {o.missing}" if o.missing else ("wrong source" if o.answerable else "not refused"))
            )
            typer.echo(f"  FAIL {o.id} [{o.kind}] {why}: {o.question}")
    typer.echo(_table(summary))
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"file": str(file), "backend": service.answerer.name, "documents": len(texts)}
    out.write_text(json.dumps(evaluation.report(summary, outcomes, meta), indent=2, ensure_ascii=False))
    typer.echo(f"report: {out}")


def _table(summary: dict) -> str:
    cols = ["items", "accuracy", "false_refusals", "refusal_rate", "citation_rate", "quotes_verbatim_rate"]
    rows = [("all", summary), *summary["by_kind"].items()]
    fmt = "{:<14}" + "".join("{:>%d}" % (len(c) + 2) for c in cols)
    out = [fmt.format("kind", *cols)]
    for name, block in rows:
        out.append(fmt.format(name, *("-" if block[c] is None else block[c] for c in cols)))
    return "\n".join(out)


@app.command()
def status() -> None:
    """What the store holds."""
    from assistant.components import build_store

    s = get_settings()
    store = build_store(s)
    docs = store.documents()
    last = max((d.ingested_at for d in docs), default="never")
    typer.echo(f"store: {s.chroma_url or s.chroma_path} (collection {s.collection})")
    typer.echo(f"files: {len(docs)}  chunks: {store.count()}  last file stored: {last}")
    last_run = s.data_dir / LAST_INGEST
    if last_run.is_file():
        run = json.loads(last_run.read_text(encoding="utf-8"))
        typer.echo(
            f"last ingest run: {run['finished_at']}, {len(run['added'])} new, {len(run['updated'])} updated, "
            f"{run['unchanged']} unchanged, {len(run['removed'])} removed, {len(run['skipped'])} failed"
        )
        for item in run["skipped"]:
            typer.echo(f"  failed: {item['file']}: {item['reason']}")


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option()] = None,
    port: Annotated[Optional[int], typer.Option()] = None,
) -> None:
    """Start the answer service (API + chat UI) on localhost."""
    import uvicorn

    from .app import create_app

    s = get_settings()
    host, port = host or s.host, port or s.port
    application = create_app(_service())
    typer.echo(f"danvan is serving on http://{host}:{port}/  (chat UI: /ui/, API docs: /docs)")
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: on one machine any client could
    # then choose its own address (and rate-limit bucket). Only listed proxies are believed.
    uvicorn.run(
        application,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=bool(s.trusted_proxies),
        forwarded_allow_ips=",".join(s.trusted_proxies) or None,
    )


if __name__ == "__main__":
    app()
