"""An LLM writes the answer from the passages the evidence selection found; the text is verified
before it reaches the user, and replaced by the extractive answer when it fails."""

from __future__ import annotations

import re

from core.errors import BackendUnavailable
from core.sentences import split_sentences
from core.tokenize import tokenize

from ..citations import cite
from ..llm.base import ChatModel
from ..models import Answer, Citation
from ..prompts import load_prompt
from ..query import Query
from ..verify import MARKER, cited_numbers, unsupported, unsupported_sentences
from .base import PartEvidence
from .extractive import ExtractiveAnswerer

NOT_FOUND = "NOT IN DOCUMENTS"
MAX_PASSAGES = 5


def _fence(text: str) -> str:
    # Passages are data: they may not close the fence or open a new one.
    return re.sub(r"</?\s*passages?\b[^>]*>", " ", text, flags=re.I)


class GenerativeAnswerer:
    def __init__(self, llm: ChatModel, max_tokens: int = 256):
        self.chat = llm  # also lent to briefs for their overview
        self.name = llm.name
        self.max_tokens = max_tokens
        self._extractive = ExtractiveAnswerer()

    def compose(self, query: Query, parts: list[PartEvidence]) -> Answer:
        base = self._extractive.compose(query, parts)
        base.backend = self.name
        if base.refused:
            return base  # what the evidence cannot support, the model does not get to answer
        # Only the passages the evidence selection found supporting: a short context for a small
        # model, and an injected instruction elsewhere in the store never reaches it.
        chunks = []
        for chunk in (u.chunk for p in parts for u in p.selection.units):
            if all(c.id != chunk.id for c in chunks):
                chunks.append(chunk)
        chunks = chunks[:MAX_PASSAGES]
        passages = "\n".join(
            f'<passage n="{i}" source="{c.source}">\n{_fence(c.text)}\n</passage>'
            for i, c in enumerate(chunks, start=1)
        )
        messages = [
            {"role": "system", "content": load_prompt("answer_system")},
            {
                "role": "user",
                "content": load_prompt("answer_user").format(passages=passages, question=query.standalone),
            },
        ]
        try:
            text = self.chat.complete(messages, self.max_tokens).strip()
        except BackendUnavailable as exc:
            # The documents still answer: degrade to the extractive answer rather than fail.
            base.fallback = f"the language model is unavailable ({exc.message})"
            return base
        problem = self._problem(text, chunks)
        if problem:
            base.fallback = problem
            return base
        return self._cited(text, chunks, base)

    @staticmethod
    def _problem(text: str, chunks) -> str | None:
        if not text or NOT_FOUND in text.upper():
            return "the model found no answer in the passages"
        numbers = cited_numbers(text)
        if not numbers:
            return "the generated answer cited no passage"
        if any(n < 1 or n > len(chunks) for n in numbers):
            return "the generated answer cited a passage it was not given"
        evidence = "\n".join(chunks[n - 1].text for n in set(numbers))
        missing = unsupported(text, evidence)
        if missing:
            return f"the generated answer states what its passages do not: {', '.join(missing[:5])}"
        weak = unsupported_sentences(text, evidence)
        if weak:
            return f"the generated answer says what its passages do not: {weak[0][:80]!r}"
        return None

    @staticmethod
    def _cited(text: str, chunks, base: Answer) -> Answer:
        order: list[int] = []
        for n in cited_numbers(text):
            if n not in order:
                order.append(n)
        citations: list[Citation] = []
        said = [s.text for s in split_sentences(text)]
        for new, old in enumerate(order, start=1):
            chunk = chunks[old - 1]
            # The quote: the passage sentence closest to what the answer says with this marker.
            claims = set(tokenize(" ".join(s for s in said if f"[{old}]" in s)))
            best = max(split_sentences(chunk.text), key=lambda s: len(claims & set(tokenize(s.text))))
            citations.append(cite(new, chunk, best.text))
        renumbered = MARKER.sub(lambda m: f"[{order.index(int(m.group(1))) + 1}]", text)
        return base.model_copy(update={"answer": renumbered, "citations": citations})
