"""Pure sentence and clause segmentation with character offsets, so quotes stay verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One list of abbreviations: a period after these ends no sentence. English titles and references
# ("No. 40", "Mr. Bao", "Fig. 3", "e.g."), and the Vietnamese degrees and titles written before a name
# ("TS. Nguyễn Quang Định", "ThS.", "PGS.TS.") and "TP. Hồ Chí Minh" (thành phố). Not "TCN"/"CN"
# (before/after Christ), which end sentences: "năm 900 TCN. Chúng ta ...".
ABBREVIATIONS = (
    "No",
    "Nos",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Art",
    "Vol",
    "Fig",
    "e.g",
    "i.e",
    "vs",
    "approx",
    "TS",
    "ThS",
    "Th.S",
    "PGS",
    "GS",
    "TP",
    "Tp",
    "BS",
    "KS",
)
# An initial is a lone capital after a space, a period or a bracket ("H. Nam", "Đ. Thắng",
# "J.R.R."), not the last letter of "°C" or "R&B".
_INITIAL = r"(?<![^\s.(])[A-ZĐ]"
_ABBREVIATION = "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))

# No break after an abbreviation or an initial, nor after a list marker that opens a line
# ("1. Mobilize people to ...").
_NO_BREAK = re.compile(rf"(?:\b(?:{_ABBREVIATION})|{_INITIAL}|(?:^|\n)\s*(?:\d{{1,2}}|[a-z]|[IVX]{{1,4}}))\.$")
# A citation marker ("... in 2023.[1] Next", "... in 2023 [1] Next") stays with the sentence it ends:
# generated answers are split with the same rules as documents.
_MARKERS = r"(?:\s?\[\d{1,2}\])"
_BOUNDARY = re.compile(rf"[.!?…]+[\"”’)]*{_MARKERS}*\s+(?=[\"“‘(]?[A-ZĐÀ-Ỹ0-9])|(?<=\S){_MARKERS}+\s+(?=[A-ZĐÀ-Ỹ])|\n+")

# The chunker's sentence end (a regex separator for a text splitter: zero-width look-behinds keep the
# punctuation with its sentence). Unlike _BOUNDARY it needs no capital after it, so it is a
# look-behind per abbreviation rather than a test of the next word.
SENTENCE_END = (
    r"(?<=[.!?…])"
    + "".join(rf"(?<!\b{re.escape(a)}\.)" for a in ABBREVIATIONS)
    + rf"(?<!{_INITIAL}\.)"
    + r"[\"”’)]*\s+"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _spans(text: str, cuts: list[int]) -> list[Span]:
    spans, start = [], 0
    for cut in [*cuts, len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append(Span(offset, offset + len(stripped), stripped))
        start = cut
    return spans


def split_sentences(text: str) -> list[Span]:
    cuts = []
    for m in _BOUNDARY.finditer(text):
        head = text[: m.start() + 1]
        if m.group(0)[0] in "\n[ " or not _NO_BREAK.search(head):
            cuts.append(m.end())
    return _spans(text, cuts)


_CLAUSE = re.compile(r";\s+")


def split_clauses(sentence: Span) -> list[Span]:
    """A long sentence's `;`-separated clauses (one item lists often run on this way)."""
    cuts = [m.end() for m in _CLAUSE.finditer(sentence.text)]
    return [Span(sentence.start + s.start, sentence.start + s.end, s.text) for s in _spans(sentence.text, cuts)]


SHORT_LINE = 80
_ITEM = re.compile(r"(?:[-*•+]|\d{1,2}[.)]|[a-z][.)])\s")  # a list item stands alone, however short


def split_units(text: str) -> list[Span]:
    """Sentences, except that a run of short lines (a letterhead, a signature block:
    "No. 27-CT/TU / Dong Nai, March 26, 2013", "DEPUTY SECRETARY / (signed) / Do Ngoc Xuan")
    is one unit, since its lines only make sense together."""
    units: list[Span] = []
    run: list[Span] = []

    def flush() -> None:
        if len(run) >= 2:
            units.append(Span(run[0].start, run[-1].end, text[run[0].start : run[-1].end]))
        else:
            units.extend(run)
        run.clear()

    line_start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= SHORT_LINE and not _ITEM.match(stripped):
            offset = line_start + line.index(stripped)
            run.append(Span(offset, offset + len(stripped), stripped))
        else:
            flush()
            if stripped:
                units.extend(Span(line_start + s.start, line_start + s.end, s.text) for s in split_sentences(line))
        line_start += len(line) + 1
    flush()
    return units
