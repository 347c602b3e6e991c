"""A Brief as Markdown or as a Word document (python-docx)."""

from __future__ import annotations

import io
import re

from .markup import md_cell, md_text
from .models import Brief

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# XML 1.0 has no place for most control characters (a topic may contain them); Word files are XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown. Every text from a document (or the topic) is escaped: a viewer shows
    a source's `<script>` or `[link](...)` as the characters it is, never renders it."""
    s = brief.scope
    lines = [f"# {md_text(brief.title)}", ""]
    scope = [f"{s.documents_used} documents"]
    if s.period_from or s.period_to:
        scope.append(f"covering {md_text(s.period_from or '?')} to {md_text(s.period_to or '?')}")
    if s.filters:
        scope.append("filters: " + ", ".join(f"{md_text(k)}={md_text(str(v))}" for k, v in s.filters.items()))
    lines += [f"*Scope: {'; '.join(scope)}.*", ""]
    if not brief.covered:
        return "\n".join(lines + [md_text(brief.message or "The documents do not cover this topic."), ""])
    if brief.overview:
        lines += ["## Overview", "", md_text(brief.overview), "", f"*{md_text(_overview_credit(brief))}*", ""]
    elif brief.overview_note:  # a model is configured: say why its summary is not here
        lines += [f"*No overview: {md_text(brief.overview_note)}.*", ""]
    lines += ["## Key points", ""]
    lines += [f"- {md_text(p.text)} " + "".join(f"[{n}]" for n in p.citations) for p in brief.key_points]
    if brief.figures:
        lines += ["", "## Figures", "", "| Figure | What it counts | Place | Period | Source | Sentence |", "|---|---|---|---|---|---|"]
        lines += [f"| {md_cell(f.figure)} | {md_cell(f.counts)} | {md_cell(f.place)} | {md_cell(f.period)} | {md_cell(f.source)} | {md_cell(f.sentence)} |"
                  for f in brief.figures]
    if brief.quotes:
        lines += ["", "## Quotes", ""]
        lines += [f"> {md_text(q.text)}\n>\n> — {md_text(q.speaker or 'unattributed')} ({md_text(q.source)})\n" for q in brief.quotes]
    if brief.documents_referenced:
        lines += ["", "## Documents referenced", "", "| Code | Kind | Date | Issued by | About | Cited by |", "|---|---|---|---|---|---|"]
        lines += [f"| {md_cell(r.code)} | {md_cell(r.kind)} | {md_cell(r.date)} | {md_cell(r.issuer)} | {md_cell(r.about)} | {md_cell(', '.join(r.cited_by))} |"
                  for r in brief.documents_referenced]
    lines += ["", "## Sources", ""]
    lines += [f"{src.n}. {md_text(src.source)}: {md_text(src.title)}" + (f" ({md_text(src.province)}, {md_text(src.period)})" if src.province else "")
              for src in brief.sources]
    return "\n".join(lines) + "\n"


def _overview_credit(brief: Brief) -> str:
    return f"Written by {brief.overview_backend}; every sentence was checked against the sources it cites."


def to_docx(brief: Brief) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(_x(brief.title), level=0)
    s = brief.scope
    doc.add_paragraph(_x(f"Scope: {s.documents_used} documents, covering {s.period_from or '?'} to {s.period_to or '?'}"
                      + (f"; filters: {', '.join(f'{k}={v}' for k, v in s.filters.items())}" if s.filters else "") + "."))
    if not brief.covered:
        doc.add_paragraph(_x(brief.message or "The documents do not cover this topic."))
    else:
        if brief.overview:
            doc.add_heading("Overview", level=1)
            doc.add_paragraph(_x(brief.overview))
            doc.add_paragraph(_x(_overview_credit(brief)), style="Caption")
        doc.add_heading("Key points", level=1)
        for p in brief.key_points:
            doc.add_paragraph(_x(f"{p.text} " + "".join(f"[{n}]" for n in p.citations)), style="List Bullet")
        if brief.figures:
            doc.add_heading("Figures", level=1)
            _table(doc, ["Figure", "What it counts", "Place", "Period", "Source", "Sentence"],
                   [[f.figure, f.counts, f.place, f.period, f.source, f.sentence] for f in brief.figures])
        if brief.quotes:
            doc.add_heading("Quotes", level=1)
            for q in brief.quotes:
                doc.add_paragraph(_x(q.text), style="Intense Quote")
                doc.add_paragraph(_x(f"— {q.speaker or 'unattributed'} ({q.source})"))
        if brief.documents_referenced:
            doc.add_heading("Documents referenced", level=1)
            _table(doc, ["Code", "Kind", "Date", "Issued by", "About", "Cited by"],
                   [[r.code, r.kind, r.date, r.issuer, r.about, ", ".join(r.cited_by)] for r in brief.documents_referenced])
        doc.add_heading("Sources", level=1)
        for src in brief.sources:
            doc.add_paragraph(_x(f"[{src.n}] {src.source}: {src.title}"), style="List Number")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, header: list[str], rows: list[list[str | None]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = _x(text)
