"""Briefs for trainers (pure): a topic and the passages retrieved for it in, a structured brief out.

Everything in a brief is lifted verbatim from the cleaned documents: key points are sentences,
figures keep the sentence that states them, quotes are sentences that report speech, and the
documents referenced are the codes the sources cite, with what the citing sentence says of them.
Nothing is written that a source does not say, so there is nothing to invent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from core.documents import DocumentMeta
from core.gazetteer import MONTH_ALT, starts_with_province
from core.numbers import is_year, numbers
from core.sentences import split_sentences
from ingest.metadata import code_mentions
from vectorstore.models import Hit

from . import evidence
from .models import Brief, BriefScope, BriefSource, Figure, KeyPoint, Quote, ReferencedDocument
from .query import Constraints

MAX_KEY_POINTS = 10
MAX_FIGURES = 20
MAX_QUOTES = 8
PER_DOCUMENT = 3  # passages read per document: breadth over depth

_KINDS = {
    "CT": "directive",
    "NQ": "resolution",
    "CTr": "action programme",
    "QĐ": "decision",
    "QD": "decision",
    "KH": "plan",
    "KL": "conclusion",
    "TB": "notice",
    "DA": "project",
    "HD": "guidance",
    "BC": "report",
    "QC": "regulation",
}
_ISSUERS = {
    "TW": "Party Central Committee",
    "TU": "Provincial Party Committee",
    "HU": "District Party Committee",
    "ĐU": "Party Committee",
    "DU": "Party Committee",
    "BDVTU": "Provincial Party Committee's Mass Mobilization Commission",
    "BDVHU": "District Party Committee's Mass Mobilization Committee",
    "CP": "Government",
    "TTg": "Prime Minister",
}
_DATE = re.compile(
    rf"^\s*,?\s*(?:dated|of|issued on|on)?\s*((?:{MONTH_ALT})\s+\d{{1,2}},\s*\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{MONTH_ALT})\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})",
    re.I,
)
_ISSUER = re.compile(
    r"^\s*of\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s*){1,8}?)(?=\s+(?:on|implementing|about|regarding|dated)\b|[,.;]|$)"
)
_ABOUT = re.compile(r"^[^.;]{0,160}?\b(?:on|about|regarding)\s+(.+?)(?=[.;:]|\s\(|,\s(?:the|and|which)\b|$)")
_SPEECH = re.compile(
    r"\b(?:said|stressed|emphasi[sz]ed|affirmed|noted|requested|asked|suggested|proposed|urged|stated|"
    r"pointed out|highlighted|called on|shared|expressed|added|acknowledged|confided|explained|told)\b",
    re.I,
)
_TITLED = re.compile(r"\b(?:[Cc]omrade|Mr\.?|Ms\.?|Mrs\.?)\s+((?:[A-ZĐ][a-zà-ỹđ]+\s?){2,4})")
# A Vietnamese personal name: a family name, then one to three capitalised syllables. Requiring a
# family name keeps "Provincial Party Committee said" from reading as a person.
_FAMILY = (
    "Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Giap Mac Mong Dinh Trinh Truong "
    "Lam Luong Doan Ha Cao Chu Dao Ta Thai Quach Kieu Lo Vi Lu Hua Lai Tong Nong Luu Khuat Ton Kim La Sung "
    "Thao Vang Giang Tieu Trieu Hau Mai Au Bach Diep Tang Thach Ninh Quan Phung Khong Nghiem"
).split()
# ... and no institution's word after it: "Son La Provincial Party Committee" names no one.
_INSTITUTION = (
    "Provincial|Province|Party|Committee|District|People|Front|Union|Mass|Mobilization|Commission|Board|"
    "Council|Standing|Department|City|Town|Commune|Ward|Youth|Women|Farmers|Veterans|Association|"
    "Fatherland|Central|Government|Office|Secretary|Chairman|Chairwoman|Vice|Deputy|Head|Member"
)
_NAME = re.compile(
    rf"\b(?:{'|'.join(sorted(set(_FAMILY), key=len, reverse=True))})"
    rf"(?:\s(?!(?:{_INSTITUTION})s?\b)[A-ZĐ][a-zà-ỹđ]+){{1,3}}\b"
)


@dataclass
class _Doc:
    source: str
    meta: DocumentMeta
    text: str  # the whole cleaned document


def diversify(hits: list[Hit], max_documents: int) -> dict[str, list[Hit]]:
    """At most `max_documents` files, in the order retrieval ranks them, each with its best
    few passages: a brief draws on many reports, not on ten passages of one. One kind of document
    fills at most half the places while others are ranked (at 20k documents a topic's eight best
    matches were eight plans with that topic as their title, and no report of what was done)."""
    order = list(dict.fromkeys(h.chunk.source for h in hits))
    kind = {h.chunk.source: h.chunk.meta.doc_type for h in hits}
    cap = max(1, -(-max_documents // 2))
    chosen: list[str] = []
    for capped in (True, False):  # first with the cap, then fill what is left in rank order
        for source in order:
            if len(chosen) >= max_documents:
                break
            if source not in chosen and not (capped and sum(kind[c] == kind[source] for c in chosen) >= cap):
                chosen.append(source)
    rank = {source: i for i, source in enumerate(order)}
    by_source: dict[str, list[Hit]] = {s: [] for s in sorted(chosen, key=rank.get)}
    for h in hits:
        passages = by_source.get(h.chunk.source)
        if passages is not None and len(passages) < PER_DOCUMENT:
            passages.append(h)
    return by_source


def _counts(sentence: str, end: int) -> str:
    """The words after a figure, up to the next punctuation: what the figure counts."""
    rest = re.split(r"[,;:.()]|\s(?:and|with|in|at|of|for|to|from|during|by)\s(?=\d)", sentence[end:], maxsplit=1)[0]
    return " ".join(rest.split()[:8]).strip(" \"“”'")


def figures_in(sentence: str) -> list[tuple[str, str]]:
    """(figure, what it counts) for each figure of a sentence: not years, days of dates, code
    numbers or list markers; nor fractions, which are days and months as often ("ngày 12/3"), nor
    ranges."""
    out = []
    for n in numbers(evidence.figure_text(sentence)):
        if not n.bounded or n.fraction or n.to or is_year(n.value):
            continue
        counts = _counts(sentence, n.end)
        if counts:
            out.append((n.text, counts))
    return out


@lru_cache(maxsize=4096)  # a brief asks it of a sentence twice: to choose the documents to search whole, then to quote
def speaker(sentence: str) -> str | None:
    """Who a sentence reports speaking: "Comrade/Mr. X ...", "X, <role>, said: ...", "..., said
    X, <role>" or "<role>, X, emphasised: ..."; None when it names no person."""
    if m := _TITLED.search(sentence):
        return " ".join(m.group(1).split())
    verb = _SPEECH.search(sentence)
    if not verb:
        return None
    outside = _outside_quotes(sentence)
    names = [m for m in _NAME.finditer(sentence) if outside[m.start()] and not _is_place(sentence, m)]
    after = [m for m in names if 0 <= m.start() - verb.end() <= 2]  # '"...," shared Hoang Duc Tien, ...'
    before = [m for m in names if m.end() <= verb.start()]
    chosen = after[0] if after else before[-1] if before else None
    return chosen.group(0) if chosen else None


_PLACE_NOUN = re.compile(r"\s+(?:province|city|district|town|commune|ward|village|hamlet|border|area)\b", re.I)


def _is_place(sentence: str, name: re.Match) -> bool:
    """ "Ha Tinh", "Cao Loc district": family names begin place names too."""
    return bool(_PLACE_NOUN.match(sentence, name.end())) or starts_with_province(name.group(0))


def _outside_quotes(sentence: str) -> list[bool]:
    """Per character: not inside quotation marks (the speaker is never in what is said)."""
    out, inside = [], False
    for ch in sentence:
        if ch in '“”"':
            inside = ch == "“" or (ch == '"' and not inside)
        out.append(not inside)
    return out


def select_quotes(sentences: list[tuple[str, str]], per_document: int = 2) -> list[Quote]:
    """Sentences (text, source), best first -> those reporting speech, named speakers first, at
    most `per_document` from one file."""
    speech = [
        Quote(text=text, speaker=speaker(text), source=source)
        for text, source in dict.fromkeys(sentences)
        if _SPEECH.search(text)
    ]
    found, taken = [], {}
    for q in sorted(speech, key=lambda q: q.speaker is None):  # stable: rank order within each
        if taken.get(q.source, 0) < per_document and len(found) < MAX_QUOTES:
            taken[q.source] = taken.get(q.source, 0) + 1
            found.append(q)
    return found


def referenced(docs: list[_Doc]) -> list[ReferencedDocument]:
    """The codes the sources cite, merged across sources; date, issuer and subject from the
    words that follow the first mention."""
    found: dict[str, ReferencedDocument] = {}
    for d in docs:
        for code, at in code_mentions(d.text).items():
            ref = found.get(code)
            if ref is None:
                prefix = re.match(r"\d+[a-z]?-?([A-Za-zĐđ]+)", code)
                suffix = code.rsplit("/", 1)[-1]
                ref = found[code] = ReferencedDocument(
                    code=code,
                    kind=_KINDS.get(prefix.group(1)) if prefix else None,
                    issuer=_ISSUERS.get(suffix),
                    cited_by=[],
                )
            if d.source not in ref.cited_by:
                ref.cited_by.append(d.source)
            after = d.text[at : at + 400]
            if ref.date is None and (m := _DATE.match(after)):
                ref.date = m.group(1)
                after = after[m.end() :]
            if (m := _ISSUER.match(after)) and (ref.issuer is None or ref.issuer in _ISSUERS.values()):
                ref.issuer = m.group(1).strip()
            if ref.about is None and (m := _ABOUT.match(after.replace("No. ", "No "))):
                ref.about = " ".join(m.group(1).split())[:200]
    return sorted(found.values(), key=lambda r: (-len(r.cited_by), r.code))


def _period_bounds(metas: list[DocumentMeta]) -> tuple[str | None, str | None]:
    starts = [m.month_from or (str(m.year_from) if m.year_from else None) or m.date for m in metas]
    ends = [m.month_to or (str(m.year_to) if m.year_to else None) or m.date for m in metas]
    starts, ends = [s for s in starts if s], [e for e in ends if e]
    return (min(starts) if starts else None, max(ends) if ends else None)


def build(
    topic: str,
    hits: list[Hit],
    idf: Callable[[str], float],
    document_text: Callable[[str], str],
    *,
    max_documents: int,
    min_support: float,
    filters: dict[str, str | int] | None = None,
) -> Brief:
    """A brief from broadly retrieved `hits`; `document_text(source)` gives a file's cleaned text."""
    chosen = diversify(hits, max_documents)
    passages = [h for hs in chosen.values() for h in hs]
    ranked = evidence.rank_units(evidence.asked_of(topic, "", Constraints(), idf), passages)
    relevant = [u for u in ranked if u.coverage >= min_support]
    used = list(dict.fromkeys(u.chunk.source for u in relevant))  # retrieval order is kept below
    used = [s for s in chosen if s in used]
    scope = BriefScope(filters=filters or {})
    title = f"Briefing: {topic}"
    if not used:
        return Brief(
            title=title,
            topic=topic,
            covered=False,
            scope=scope,
            message=f"The documents do not cover this topic ({topic!r}): no passage says enough about it to brief on.",
        )

    numbers = {s: n for n, s in enumerate(used, start=1)}
    metas = {u.chunk.source: u.chunk.meta for u in relevant}
    docs = [_Doc(s, metas[s], document_text(s)) for s in used]

    key_points, seen_sentences = [], set()
    for source in used:  # the best sentence of each document first, then the next best ones
        # A document's title is already in the sources list: it is not a point about the topic.
        own = [
            u for u in relevant if u.chunk.source == source and u.sentence.text.strip() != u.chunk.meta.title.strip()
        ]
        for u in own[:2]:
            if u.sentence.text not in seen_sentences and len(key_points) < MAX_KEY_POINTS:
                seen_sentences.add(u.sentence.text)
                key_points.append(KeyPoint(text=u.sentence.text, citations=[numbers[source]]))

    figures, seen_figures = [], set()
    for u in relevant:
        sentence, meta = u.sentence.text, u.chunk.meta
        for value, counts in figures_in(sentence):
            key = (value, counts, u.chunk.source)
            if key not in seen_figures and len(figures) < MAX_FIGURES:
                seen_figures.add(key)
                figures.append(
                    Figure(
                        figure=value,
                        counts=counts,
                        place=meta.district or meta.province,
                        period=meta.period,
                        source=u.chunk.source,
                        sentence=sentence,
                    )
                )
    # What people said seldom repeats the topic's words, so quotes come from the documents used:
    # their passages on the topic (relevant sentences first); a document whose passages name no
    # speaker is searched whole for a named one (a report's quote is rarely in the passage
    # retrieval picked). Named speakers before unnamed ones.
    others = [u for u in ranked if u.chunk.source in numbers and 0 < u.coverage < min_support]
    near = [(u.sentence.text, u.chunk.source) for u in relevant + others]
    quoted = {source for text, source in near if _SPEECH.search(text) and speaker(text)}
    rest = [
        (s.text, d.source) for d in docs if d.source not in quoted for s in split_sentences(d.text) if speaker(s.text)
    ]
    quotes = select_quotes(near + rest)

    start, end = _period_bounds([d.meta for d in docs])
    scope.documents_used, scope.period_from, scope.period_to = len(used), start, end
    return Brief(
        title=title,
        topic=topic,
        covered=True,
        scope=scope,
        key_points=key_points,
        figures=figures,
        quotes=quotes,
        documents_referenced=referenced(docs),
        sources=[
            BriefSource(
                n=numbers[d.source], source=d.source, title=d.meta.title, province=d.meta.province, period=d.meta.period
            )
            for d in docs
        ],
    )
