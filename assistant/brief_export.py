"""A Brief as Markdown or as a Word document (python-docx), its headings and fixed sentences in
the topic's language (`prompts/texts.LANG.json`); what comes from the documents stays verbatim."""

from __future__ import annotations

import io
import re

from core.language import detect

from .markup import md_cell, md_text
from .models import Brief
from .texts import language_of, text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# XML 1.0 has no place for most control characters (a topic may contain them); Word files are XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def brief_language(brief: Brief, language: str | None = None) -> str:
    """The language a brief is worded in: the one asked for, else the topic's."""
    return language_of(language or detect(brief.topic))


def _texts(brief: Brief, language: str | None):
    lang = brief_language(brief, language)
    return lang, (lambda key, **values: text("brief", key, lang, **values))


def _title(brief: Brief, lang: str, t) -> str:
    # The service words its title in English ("Briefing: topic"); another language gets its own.
    return t("title", topic=brief.topic) if lang != "en" and brief.title == f"Briefing: {brief.topic}" else brief.title


def _message(brief: Brief, lang: str, t) -> str:
    return t("not_covered", topic=brief.topic) if lang != "en" or not brief.message else brief.message


# The rows of the brief's two tables, one list each for Markdown and Word.
def _figure_rows(brief: Brief) -> list[list[str | None]]:
    return [[f.figure, f.counts, f.place, f.period, f.source, f.sentence] for f in brief.figures]


def _document_rows(brief: Brief) -> list[list[str | None]]:
    return [[r.code, r.kind, r.date, r.issuer, r.about, ", ".join(r.cited_by)] for r in brief.documents_referenced]


def _md_table(head: list[str], rows: list[list[str | None]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"] + [
        "| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows
    ]


def _scope(brief: Brief, t, escape) -> str:
    s = brief.scope
    parts = [t("documents", n=s.documents_used)]
    if s.period_from or s.period_to:
        parts.append(t("covering", start=escape(s.period_from or "?"), end=escape(s.period_to or "?")))
    if s.filters:
        parts.append(t("filters", filters=", ".join(f"{escape(k)}={escape(str(v))}" for k, v in s.filters.items())))
    return t("scope", parts="; ".join(parts))


def to_markdown(brief: Brief, language: str | None = None) -> str:
    """The brief as Markdown. Every text from a document (or the topic) is escaped: a viewer shows
    a source's `<script>` or `[link](...)` as the characters it is, never renders it."""
    lang, t = _texts(brief, language)
    lines = [f"# {md_text(_title(brief, lang, t))}", ""]
    lines += [f"*{_scope(brief, t, md_text)}*", ""]
    if not brief.covered:
        return "\n".join(lines + [md_text(_message(brief, lang, t)), ""])
    if brief.overview:
        lines += [
            f"## {t('overview')}",
            "",
            md_text(brief.overview),
            "",
            f"*{md_text(t('overview_credit', backend=brief.overview_backend))}*",
            "",
        ]
    elif brief.overview_note:  # a model is configured: say why its summary is not here
        lines += [f"*{md_text(t('no_overview', note=brief.overview_note))}*", ""]
    lines += [f"## {t('key_points')}", ""]
    lines += [f"- {md_text(p.text)} " + "".join(f"[{n}]" for n in p.citations) for p in brief.key_points]
    if brief.figures:
        lines += ["", f"## {t('figures')}", "", *_md_table(t("figure_columns"), _figure_rows(brief))]
    if brief.quotes:
        lines += ["", f"## {t('quotes')}", ""]
        lines += [
            f"> {md_text(q.text)}\n>\n> — {md_text(q.speaker or t('unattributed'))} ({md_text(q.source)})\n"
            for q in brief.quotes
        ]
    if brief.documents_referenced:
        lines += ["", f"## {t('documents_referenced')}", "", *_md_table(t("document_columns"), _document_rows(brief))]
    lines += ["", f"## {t('sources')}", ""]
    lines += [
        f"{src.n}. {md_text(src.source)}: {md_text(src.title)}"
        + (f" ({md_text(src.province)}, {md_text(src.period)})" if src.province else "")
        for src in brief.sources
    ]
    return "\n".join(lines) + "\n"


def to_docx(brief: Brief, language: str | None = None) -> bytes:
    from docx import Document

    lang, t = _texts(brief, language)
    doc = Document()
    doc.add_heading(_x(_title(brief, lang, t)), level=0)
    doc.add_paragraph(_x(_scope(brief, t, str)))
    if not brief.covered:
        doc.add_paragraph(_x(_message(brief, lang, t)))
    else:
        if brief.overview:
            doc.add_heading(t("overview"), level=1)
            doc.add_paragraph(_x(brief.overview))
            doc.add_paragraph(_x(t("overview_credit", backend=brief.overview_backend)), style="Caption")
        doc.add_heading(t("key_points"), level=1)
        for p in brief.key_points:
            doc.add_paragraph(_x(f"{p.text} " + "".join(f"[{n}]" for n in p.citations)), style="List Bullet")
        if brief.figures:
            doc.add_heading(t("figures"), level=1)
            _table(doc, t("figure_columns"), _figure_rows(brief))
        if brief.quotes:
            doc.add_heading(t("quotes"), level=1)
            for q in brief.quotes:
                doc.add_paragraph(_x(q.text), style="Intense Quote")
                doc.add_paragraph(_x(f"— {q.speaker or t('unattributed')} ({q.source})"))
        if brief.documents_referenced:
            doc.add_heading(t("documents_referenced"), level=1)
            _table(doc, t("document_columns"), _document_rows(brief))
        doc.add_heading(t("sources"), level=1)
        for src in brief.sources:
            doc.add_paragraph(_x(f"[{src.n}] {src.source}: {src.title}"), style="List Number")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, header: list[str], rows: list[list[str | None]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header):
        cell.text = label
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = _x(value)
