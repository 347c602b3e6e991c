"""Pure rendering of answers and passages for the chat UI (Markdown / HTML strings). Everything
that comes from a document (answers quote them) is escaped: it is shown, never rendered. The
frame around it (headings, the refusal, labels) is worded in the language given, the question's;
the quotes stay in the document's."""

from __future__ import annotations

import html

from assistant.markup import md_text
from assistant.models import Answer, Citation
from assistant.prompts import load_prompt, word_reason

from .texts import say


def refusal_text(answer: Answer, language: str = "en") -> str:
    """The refusal in the question's language: the service's when it already is, else the
    language's refusal sentence and its reason worded in that language."""
    sentence = load_prompt("refusal", language).strip()
    if answer.answer.startswith(sentence):
        return answer.answer
    return f"{sentence} ({word_reason(answer.reason, language)})" if answer.reason else sentence


def answer_markdown(answer: Answer, language: str = "en") -> str:
    if answer.refused:
        lines = [f"**⚠ {md_text(refusal_text(answer, language))}**"]
        if answer.related:
            lines.append(f"\n*{md_text(say('related', language))}*")
            lines += [
                f"- {md_text(c.source)}: “{md_text(c.quote[:220])}{'…' if len(c.quote) > 220 else ''}”"
                for c in answer.related
            ]
        return "\n".join(lines)
    lines = [text_markdown(answer.answer), "", f"**{md_text(say('sources', language))}**"]
    lines += [f"- [{c.n}] {md_text(c.source)} — {md_text(c.title)}" for c in answer.citations]
    return "\n".join(lines)


def text_markdown(text: str) -> str:
    """Document text (an answer, or the part of it streamed so far), line by line, escaped."""
    return "\n".join(md_text(line) for line in text.split("\n"))


def error_markdown(message: str, language: str = "en") -> str:
    return f"**{md_text(say('error', language))}:** {md_text(message)}"


def message_html(message: str) -> str:
    return f"<p>{html.escape(message)}</p>"


def choice_label(n: int, source: str) -> str:
    return f"[{n}] {source}"


def _highlight(text: str, quote: str) -> str:
    """Escaped text with the quote marked (first occurrence, whitespace-insensitive)."""
    pos = text.find(quote)
    if pos < 0:
        return html.escape(text)
    return (
        html.escape(text[:pos])
        + f"<mark id='quote'>{html.escape(quote)}</mark>"
        + html.escape(text[pos + len(quote) :])
    )


def passage_html(c: Citation, passage_text: str, language: str = "en") -> str:
    meta = " · ".join(filter(None, [c.province, c.period]))
    return (
        f"<div class='dv-passage'><div class='dv-label'>{html.escape(say('cited_passage', language))}</div>"
        f"<div class='dv-title'>[{c.n}] {html.escape(c.title)}</div>"
        f"<div class='dv-meta'><code>{html.escape(c.source)}</code>{' · ' + html.escape(meta) if meta else ''}</div>"
        f"<p class='dv-text'>{_highlight(passage_text, c.quote)}</p></div>"
    )


def document_html(c: Citation, text: str, language: str = "en") -> str:
    body = "<br>".join(_highlight(text, c.quote).split("\n"))
    return (
        f"<div class='dv-document'><div class='dv-label'>{html.escape(say('whole_document', language))}</div>"
        f"<div class='dv-title'>{html.escape(c.title)}</div><div class='dv-text'>{body}</div></div>"
    )


CSS = """
.dv-passage, .dv-document { padding: 8px 12px; border-radius: 8px; background: var(--block-background-fill); }
.dv-label { font-size: 0.8em; opacity: 0.7; }
.dv-title { font-weight: 600; margin-bottom: 4px; }
.dv-meta { font-size: 0.85em; opacity: 0.8; margin-bottom: 8px; }
.dv-document { max-height: 480px; overflow-y: auto; }
mark { background: #ffe58a; color: inherit; padding: 0 2px; }
/* The examples in the page's language (Gradio sets <html lang> when its locale changes). */
html:not([lang|="vi"]) .dv-lang-vi, html[lang|="vi"] .dv-lang-en { display: none !important; }
"""
