"""Pure checks of generated text against the passages it cites: a figure, a document code or a
name that the cited passages do not contain is an invention."""

from __future__ import annotations

import re

from core.gazetteer import fold
from core.numbers import numbers, ungrouped
from core.sentences import split_sentences
from ingest.metadata import find_codes

MARKER = re.compile(r"\[(\d{1,2})\]")
_NAME = re.compile(r"\b[A-ZĐ][\wà-ỹđ]+(?:\s+[A-ZĐ][\wà-ỹđ]+)+")


def cited_numbers(text: str) -> list[int]:
    return [int(n) for n in MARKER.findall(text)]


def unsupported_sentences(text: str, evidence: str, min_share: float = 0.5) -> list[str]:
    """Sentences of `text` whose content words are mostly absent from `evidence`."""
    from core.tokenize import tokenize

    known = set(tokenize(evidence))
    weak = []
    for sentence in (s.text for s in split_sentences(MARKER.sub(" ", text))):
        words = tokenize(sentence)
        if words and sum(w in known for w in words) / len(words) < min_share:
            weak.append(sentence)
    return weak


def unsupported(text: str, evidence: str) -> list[str]:
    """Figures, codes and multi-word names in `text` (citation markers aside) absent from `evidence`."""
    body = MARKER.sub(" ", text)
    plain_evidence, folded_evidence = ungrouped(evidence), fold(evidence)
    missing = []
    for code in find_codes(body):
        if code not in evidence:
            missing.append(code)
        body = body.replace(code, " ")
    for n in numbers(body):
        # Every number is checked, even one run into a word or a range ("20km", "2023-2025"), except a
        # lone digit run into a word or a fraction ("3rd", "5G", "1/2").
        after = body[n.start + len(n.value) : n.start + len(n.value) + 1]
        if len(n.value) == 1 and (after.isalnum() or after in "_/"):
            continue
        for value in filter(None, (n.value, n.to)):  # both ends of a range
            if not re.search(rf"(?<![\d]){re.escape(ungrouped(value))}(?![\d])", plain_evidence):
                missing.append(value)
    for name in _NAME.findall(body):
        words = name.split()
        # A sentence's first word is capitalised anyway: judge the rest of the run.
        if (
            len(words) >= 2
            and fold(" ".join(words)) not in folded_evidence
            and fold(" ".join(words[1:])) not in folded_evidence
        ):
            missing.append(name)
    return missing
