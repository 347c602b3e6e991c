"""Query understanding (pure): follow-up resolution, constraints named in the question, and the
split of a question that asks about several places into one part per place."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from core.gazetteer import MONTHS, find_names, find_provinces, fold
from ingest.metadata import find_codes

from .models import Turn

# Words that point back into the conversation ("How many of them...", "that directive").
_ANAPHORA = re.compile(
    r"\b(they|them|their|those|these|he|him|his|she|her|it|its|that|this|there|the same|"
    r"the above|the latter|the former|which one)\b",
    re.I,
)
_QUESTION_WORDS = re.compile(r"^\s*(and|what about|how about|also)\b", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?![\d-])")
_PART_SPLIT = re.compile(
    r",\s*(?:and|va)\s+|;\s+|\s+and\s+(?=(?:in|for|at|by|of)\b)|\s+(?:and|va|voi|so voi|or|hay|hoac|to|den)\s+"
    r"|\s+(?:compared (?:with|to)|versus|vs\.?)\s+"
)
# "2021-2025", "2020–2025": one period, not two years to compare.
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")

_MONTHS = {m: i for i, m in enumerate(MONTHS, 1)}
_PERIODS = (
    (
        re.compile(
            r"\b(?:first (?:6|six) months|first half|mid-?)\s*(?:of\s+)?(?:the year\s+)?((?:19|20)\d\d)(?:\s+review)?",
            re.I,
        ),
        1,
        6,
    ),
    (re.compile(r"\b(?:second half|last (?:6|six) months)\s*(?:of\s+)?((?:19|20)\d\d)", re.I), 7, 12),
    (re.compile(r"\b(?:first (?:9|nine) months)\s*(?:of\s+)?((?:19|20)\d\d)", re.I), 1, 9),
    (re.compile(r"\b(?:first (?:3|three) months|first quarter)\s*(?:of\s+)?((?:19|20)\d\d)", re.I), 1, 3),
)
# The same in Vietnamese, matched on the folded question: "6 tháng đầu năm 2022", "quý I/2023".
_PERIODS_VI = (
    (re.compile(r"\b(?:6|sau) thang dau (?:nam )?((?:19|20)\d\d)"), 1, 6),
    (re.compile(r"\b(?:6|sau) thang cuoi (?:nam )?((?:19|20)\d\d)"), 7, 12),
    (re.compile(r"\b(?:9|chin) thang (?:dau )?(?:nam )?((?:19|20)\d\d)"), 1, 9),
    (re.compile(r"\bquy (?:i|1)(?: nam |/)((?:19|20)\d\d)"), 1, 3),
)
# The same spans named in a passage, where the year may go unsaid ("Trong 6 tháng đầu năm, ...").
_SPANS = {
    (1, 6): r"first (?:6|six) months|first half|(?:6|sau) thang dau",
    (7, 12): r"second half|last (?:6|six) months|(?:6|sau) thang cuoi",
    (1, 9): r"first (?:9|nine) months|(?:9|chin) thang (?:dau )?nam",
    (1, 3): r"first (?:3|three) months|first quarter|quy (?:i|1)\b|(?:3|ba) thang dau",
}


def states_period(text: str, period: "Period") -> bool:
    """Whether `text` names `period`'s months itself (of its year or of none) and no other span: a
    plan for the second half of a year reviews the first half in its own words, but a title naming
    both halves ("sơ kết 6 tháng đầu năm, phương hướng 6 tháng cuối năm") says nothing of either."""
    folded = fold(text)

    def named(span: tuple[int, int]) -> bool:
        pattern = rf"\b(?:{_SPANS[span]})(?:(?:\s+(?:of\s+)?(?:the year\s+)?(?:nam\s+)?|\s*/\s*)((?:19|20)\d\d))?"
        return any(m.group(1) in (None, str(period.year)) for m in re.finditer(pattern, folded))

    asked = (period.month_from, period.month_to)
    return asked in _SPANS and named(asked) and not any(named(s) for s in _SPANS if s != asked)


# "tháng 5/2022" is that month; "đến tháng 5/2022" (by May 2022) is a running total, no month of its own.
_MONTH_YEAR_VI = re.compile(r"(?<!den )(?<!toi )(?<!truoc )\bthang (\d{1,2})(?: nam |/)((?:19|20)\d\d)\b")
_MONTH_RANGE = re.compile(
    r"\b(?:from\s+|between\s+)?("
    + "|".join(_MONTHS)
    + r")\s+(?:to|-|–|through|until|and)\s+("
    + "|".join(_MONTHS)
    + r")\s*(?:of\s+)?((?:19|20)\d\d)",
    re.I,
)
_MONTH_YEAR = re.compile(r"\b(?:in|during|of)\s+(" + "|".join(_MONTHS) + r")\s*(?:of\s+)?((?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True)
class Period:
    year: int
    month_from: int = 1
    month_to: int = 12
    phrase: str = ""  # as the question put it ("mid-2022", "January to September 2019")

    @property
    def partial(self) -> bool:
        return (self.month_from, self.month_to) != (1, 12)


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # province | district | commune
    start: int  # offset in the question


@dataclass(frozen=True)
class Constraints:
    places: tuple[Place, ...] = ()
    years: tuple[int, ...] = ()
    periods: tuple[Period, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def words(self) -> str:
        """The question's words that these constraints account for (checked, not scored)."""
        return " ".join([*(p.name for p in self.places), *map(str, self.years), *(p.phrase for p in self.periods)])


@dataclass(frozen=True)
class QueryPart:
    """What one part of a question asks, with its own constraints."""

    text: str
    constraints: Constraints


@dataclass(frozen=True)
class Query:
    question: str  # as asked
    standalone: str  # with the conversation folded in: what retrieval sees
    context: str = ""  # earlier questions of the conversation, weighted lower when scoring
    previous_answer: str = ""  # what "them"/"he" most likely points into
    followup: bool = False
    constraints: Constraints = field(default_factory=Constraints)
    parts: tuple[QueryPart, ...] = ()  # more than one when the question compares places


_YEARS = re.compile(r"(?<![\d/-])((?:19|20)\d\d)(?![\d/])")


_RANGE_END = re.compile(r"(?<![\d/-])(?:19|20)\d\d\s*[-–]\s*((?:19|20)\d\d)(?![\d/])")


def stated_years(text: str) -> set[str]:
    """Years the text states (not the tail of a code or of a dd/mm/yyyy date); a range states both
    its ends ("giai đoạn 2019-2023" is about 2023 as a question's "2019-2023" is)."""
    return set(_YEARS.findall(text)) | set(_RANGE_END.findall(text))


def find_periods(text: str) -> tuple[Period, ...]:
    found = []
    for pattern, m1, m2 in _PERIODS:
        found += [Period(int(m.group(1)), m1, m2, m.group(0)) for m in pattern.finditer(text)]
    folded = fold(text)
    for pattern, m1, m2 in _PERIODS_VI:
        found += [Period(int(m.group(1)), m1, m2, m.group(0)) for m in pattern.finditer(folded)]
    found += [
        Period(int(m.group(2)), int(m.group(1)), int(m.group(1)), m.group(0))
        for m in _MONTH_YEAR_VI.finditer(folded)
        if 1 <= int(m.group(1)) <= 12
    ]
    ranges = list(_MONTH_RANGE.finditer(text))
    for m in ranges:
        found.append(Period(int(m.group(3)), _MONTHS[m.group(1).lower()], _MONTHS[m.group(2).lower()], m.group(0)))
    for m in _MONTH_YEAR.finditer(text):  # "in August 2023", unless it ends a range
        if not any(r.start() <= m.start(1) < r.end() for r in ranges):
            month = _MONTHS[m.group(1).lower()]
            found.append(Period(int(m.group(2)), month, month, m.group(0)))
    return tuple(found)


# A district, town or commune the question names by its administrative word ("huyện Tuyên Hóa",
# "xã Tà Hộc"), whether or not the store knows it as a document's place: a figure for it is not
# the province's. Only the marked words (unmarked "Xa", "Huyen" are English names' syllables) and a
# capitalised name of at most two syllables, as nearly all are: capitals mark where the name ends.
_VI_UNIT = re.compile(
    r"(?<![^\W\d_])(?:(huyện|quận|thị xã)|(xã|phường|thị trấn))\s+"
    r"(?!(?:ủy|uỷ|đoàn|đội|hội)\b)"  # "Huyện ủy", "Huyện đoàn": the district's Party or Youth Union
    r"([^\W\d_]+(?:\s+[^\W\d_]+)?)",
    re.I,
)


def _capitalised(words: str) -> str:
    """The leading capitalised words ("Tuyên Hóa hiến" -> "Tuyên Hóa")."""
    return " ".join(itertools.takewhile(lambda w: w[0].isupper(), words.split()))


def find_places(text: str, districts: frozenset[str] = frozenset()) -> tuple[Place, ...]:
    """Provinces (built-in list), districts known to the store and districts or communes named
    by their administrative word, in order of mention."""
    folded = fold(text)
    places = []
    for name in find_provinces(text):
        places.append(Place(name, "province", folded.find(fold(name).split(" - ")[0])))
    for name, start in find_names(text, districts):
        if not any(p.name == name for p in places):
            places.append(Place(name, "district", start))
    for m in _VI_UNIT.finditer(text):
        name = fold(_capitalised(m.group(3))).title()  # as the store names districts: "Quy Hop"
        taken = any(fold(p.name) == fold(name) or p.start == m.start(3) for p in places)
        if name and not taken and not find_provinces(name):
            places.append(Place(name, "district" if m.group(1) else "commune", m.start(3)))
    # A district named like its province ("Lang Son city") is still one place.
    return tuple(sorted(places, key=lambda p: p.start))


def constraints_of(text: str, districts: frozenset[str] = frozenset()) -> Constraints:
    periods = find_periods(text)
    return Constraints(
        places=find_places(text, districts),
        years=tuple(dict.fromkeys(int(y) for y in _YEAR.findall(text))),
        periods=periods,
        codes=find_codes(text),
    )


def is_followup(question: str, history: list[Turn]) -> bool:
    if not any(t.role == "user" for t in history):
        return False
    words = re.findall(r"\w+", question)
    return bool(_ANAPHORA.search(question) or _QUESTION_WORDS.search(question) or len(words) <= 4)


def split_parts(question: str, places: tuple[Place, ...]) -> tuple[str, ...]:
    """Cut a question naming several places (or years: anything with a `start`) at the
    conjunction between consecutive mentions."""
    if len(places) < 2:
        return (question,)
    folded = fold(question)
    cuts = []
    for left, right in zip(places, places[1:]):
        between = [m for m in _PART_SPLIT.finditer(folded, left.start, right.start)]
        if not between:
            return (question,)  # "Cao Loc district, Lang Son": one place, named twice
        # Prefer ", and" / ";" over a bare "and" (which may join words inside one part).
        strong = [m for m in between if "," in m.group(0) or ";" in m.group(0)]
        cuts.append((strong or between)[0])
    pieces, start = [], 0
    for m in cuts:
        pieces.append(question[start : m.start()].strip())
        start = m.end()
    pieces.append(question[start:].strip())
    return tuple(p for p in pieces if p)


def understand(question: str, history: list[Turn], districts: frozenset[str] = frozenset()) -> Query:
    followup = is_followup(question, history)
    earlier = [t.content for t in history if t.role == "user"]
    context = " ".join(earlier[-2:]) if followup else ""
    constraints = constraints_of(question, districts)
    if followup:
        # Constraints the follow-up does not restate carry over from the conversation.
        carried = constraints_of(context, districts)
        constraints = Constraints(
            places=constraints.places or carried.places,
            years=constraints.years or carried.years,
            periods=constraints.periods or carried.periods,
            codes=constraints.codes or carried.codes,
        )
    parts: tuple[QueryPart, ...] = ()
    places = _distinct(constraints.places)
    if len(places) >= 2 and not followup:
        texts = split_parts(question, places)
        if len(texts) >= 2:
            parts = tuple(QueryPart(t, constraints_of(t, districts)) for t in texts)
    elif len(set(constraints.years)) >= 2 and not followup and not _YEAR_RANGE.search(question):
        # "Did the number of models rise from 2022 to 2023?": each year answered (or not) on its own,
        # about the place the question names.
        years = tuple(Place(m.group(1), "year", m.start(1)) for m in _YEAR.finditer(question))
        texts = split_parts(question, years)
        if len(texts) >= 2:
            parts = tuple(QueryPart(t, _with_places(constraints_of(t, districts), constraints.places)) for t in texts)
    standalone = f"{context} {question}".strip() if followup else question
    previous = next((t.content for t in reversed(history) if t.role == "assistant"), "") if followup else ""
    return Query(question, standalone, context, previous, followup, constraints, parts)


def _with_places(c: Constraints, places: tuple[Place, ...]) -> Constraints:
    return c if c.places else Constraints(places=places, years=c.years, periods=c.periods, codes=c.codes)


def _distinct(places: tuple[Place, ...]) -> tuple[Place, ...]:
    seen: dict[str, Place] = {}
    for p in places:
        seen.setdefault(p.name, p)
    return tuple(seen.values())
