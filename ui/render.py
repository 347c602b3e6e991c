"""Pure rendering of answers and passages for the chat UI (Markdown / HTML strings). Everything
that comes from a document (answers quote them) is escaped: it is shown, never rendered."""

from __future__ import annotations

import html

from assistant.markup import md_text
from assistant.models import Answer, Citation


def answer_markdown(answer: Answer) -> str:
    if answer.refused:
        lines = [f"**⚠ {md_text(answer.answer)}**"]
        if answer.related:
            lines.append("\n*Related passages (they do not answer the question):*")
            lines += [f"- {md_text(c.source)}: “{md_text(c.quote[:220])}{'…' if len(c.quote) > 220 else ''}”" for c in answer.related]
        return "\n".join(lines)
    lines = [text_markdown(answer.answer), "", "**Sources**"]
    lines += [f"- [{c.n}] {md_text(c.source)} — {md_text(c.title)}" for c in answer.citations]
    return "\n".join(lines)


def text_markdown(text: str) -> str:
    """Document text (an answer, or the part of it streamed so far), line by line, escaped."""
    return "\n".join(md_text(line) for line in text.split("\n"))


def error_markdown(message: str) -> str:
    return f"**Error:** {md_text(message)}"


def message_html(message: str) -> str:
    return f"<p>{html.escape(message)}</p>"


def choice_label(n: int, source: str) -> str:
    return f"[{n}] {source}"


def _highlight(text: str, quote: str) -> str:
    """Escaped text with the quote marked (first occurrence, whitespace-insensitive)."""
    pos = text.find(quote)
    if pos < 0:
        return html.escape(text)
    return (html.escape(text[:pos]) + f"<mark id='quote'>{html.escape(quote)}</mark>"
            + html.escape(text[pos + len(quote):]))


def passage_html(c: Citation, passage_text: str) -> str:
    meta = " · ".join(filter(None, [c.province, c.period]))
    return (
        f"<div class='dv-passage'><div class='dv-title'>[{c.n}] {html.escape(c.title)}</div>"
        f"<div class='dv-meta'><code>{html.escape(c.source)}</code>{' · ' + html.escape(meta) if meta else ''}</div>"
        f"<p class='dv-text'>{_highlight(passage_text, c.quote)}</p></div>"
    )


def document_html(c: Citation, text: str) -> str:
    body = "<br>".join(_highlight(text, c.quote).split("\n"))
    return f"<div class='dv-document'><div class='dv-title'>{html.escape(c.title)}</div><div class='dv-text'>{body}</div></div>"


CSS = """
.dv-passage, .dv-document { padding: 8px 12px; border-radius: 8px; background: var(--block-background-fill); }
.dv-title { font-weight: 600; margin-bottom: 4px; }
.dv-meta { font-size: 0.85em; opacity: 0.8; margin-bottom: 8px; }
.dv-document { max-height: 480px; overflow-y: auto; }
mark { background: #ffe58a; color: inherit; padding: 0 2px; }
"""
