"""An overview paragraph for a brief, written by the configured language model from the brief's
own key points, figure sentences and quotes, and kept only when every sentence cites a source and
states nothing (figure, code, name, or mostly unknown words) that its cited sources do not."""

from __future__ import annotations

import re

from core.errors import BackendUnavailable
from core.sentences import split_sentences

from .llm.base import ChatModel
from .models import Brief
from .prompts import load_prompt
from .verify import MARKER, cited_numbers, unsupported, unsupported_sentences

MAX_TOKENS = 320


def source_material(brief: Brief) -> dict[int, list[str]]:
    """What the brief already holds from each source, by source number: verbatim sentences only."""
    number = {s.source: s.n for s in brief.sources}
    material: dict[int, list[str]] = {s.n: [] for s in brief.sources}
    for point in brief.key_points:
        for n in point.citations:
            material[n].append(point.text)
    for source, text in [*((f.source, f.sentence) for f in brief.figures), *((q.source, q.text) for q in brief.quotes)]:
        if source in number and text not in material[number[source]]:
            material[number[source]].append(text)
    return {n: lines for n, lines in material.items() if lines}


def _fence(text: str) -> str:
    return re.sub(r"</?\s*sources?\b[^>]*>", " ", text, flags=re.I)


def messages(brief: Brief, material: dict[int, list[str]]) -> list[dict]:
    titles = {s.n: s.title for s in brief.sources}
    sources = "\n".join(
        f'<source n="{n}" title="{_fence(titles[n])}">\n'
        + "\n".join(f"- {_fence(line)}" for line in lines)
        + "\n</source>"
        for n, lines in material.items()
    )
    return [
        {"role": "system", "content": load_prompt("brief_system")},
        {"role": "user", "content": load_prompt("brief_user").format(sources=sources, topic=brief.topic)},
    ]


def problem(text: str, material: dict[int, list[str]]) -> str | None:
    """Why a generated overview cannot be shown (pure); None when every sentence holds up."""
    if not text.strip():
        return "the model wrote nothing"
    for sentence in (s.text for s in split_sentences(text)):
        numbers = cited_numbers(sentence)
        if not numbers:
            return f"a sentence cites no source: {sentence[:80]!r}"
        if any(n not in material for n in numbers):
            return "the overview cites a source it was not given"
        evidence = "\n".join(line for n in set(numbers) for line in material[n])
        missing = unsupported(sentence, evidence)
        if missing:
            return f"the overview states what its sources do not: {', '.join(missing[:5])}"
        if unsupported_sentences(sentence, evidence):
            return f"the overview says what its sources do not: {MARKER.sub('', sentence)[:80]!r}"
    return None


def write_overview(brief: Brief, chat: ChatModel) -> Brief:
    """The brief with an overview, or with the reason it has none; the rest is never changed."""
    material = source_material(brief)
    if not brief.covered or not material:
        return brief
    try:
        text = chat.complete(messages(brief, material), MAX_TOKENS).strip()
    except BackendUnavailable as exc:
        return brief.model_copy(update={"overview_note": f"the language model is unavailable ({exc.message})"})
    why = problem(text, material)
    if why:
        return brief.model_copy(update={"overview_note": f"the model's overview failed the source check ({why})"})
    return brief.model_copy(update={"overview": text, "overview_backend": chat.name})
