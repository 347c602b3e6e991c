"""Numbers as English and Vietnamese texts write them (pure): one recogniser for every use.

English writes "2,071" (two thousand seventy-one) and "2.5"; Vietnamese writes "2.071" and "2,5". A
number is recognised whole whatever its marks ("1,234.5", "12.000.000") and kept verbatim, since
quotes and figures are shown as written; `parse` reads its value, by language where the marks are
ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .language import EN, VI, detect

# Units and magnitudes, which may be glued to the number ("541m2", "6.000m²"); longest first.
UNITS = ("km²", "km2", "km", "m²", "m2", "ha", "billion", "million")

NUMBER = re.compile(
    r"(?<![\w/.,-])"  # not the tail of a word, a code ("15-CT/TU"), a date ("12/3") or a longer number
    r"(?P<figure>"
    r"(?P<value>\d+(?:[.,]\d+)*)"  # 2071, 2,071, 2.071, 2,5, 1,234.5, 12.000.000
    r"(?:/(?P<over>\d{1,3})|-(?P<to>\d+(?:[.,]\d+)*))?"  # a fraction, 3/4, or a range: 50-60, 2021-2025
    r"(?P<percent>\s?%)?"  # 40%, 40 %
    r")"
    rf"(?P<unit>\s?(?:{'|'.join(UNITS)})(?!\w))?"  # 5 km, 541m2, 2 billion
)
_RUN_ON = re.compile(r"[\w/-]")  # what a figure never runs into: "15th", "2020-2025", "12/3/2023"


@dataclass(frozen=True)
class Number:
    text: str  # as written, with its fraction, range and percent sign: "2,071", "40 %", "3/4", "50-60"
    value: str  # the (first) number's digits and marks alone: "2,071", "40", "3", "50"
    start: int  # offsets of `text`
    end: int
    percent: bool
    fraction: bool
    to: str  # a range's upper end ("60" of "50-60"), or ""
    unit: str  # "km", "billion", ... or ""
    bounded: bool  # nothing of a word or a date runs on after it (or after its glued unit): not "15th", "12/3/2023"


def numbers(text: str) -> Iterator[Number]:
    """Every number of `text`, left to right."""
    for m in NUMBER.finditer(text):
        unit = m.group("unit") or ""
        # A glued unit is part of the token ("541m2;"); after a spaced one anything may follow ("1.060 km/giờ").
        stop = m.end() if unit and not unit[0].isspace() else m.end("figure")
        yield Number(
            text=m.group("figure"),
            value=m.group("value"),
            start=m.start("figure"),
            end=m.end("figure"),
            percent=bool(m.group("percent")),
            fraction=m.group("over") is not None,
            to=m.group("to") or "",
            unit=unit.strip(),
            # a percent sign closes a number: "3%/năm" is three percent a year
            bounded=bool(m.group("percent")) or not _RUN_ON.match(text, stop),
        )


# Counts written as words ("six months", "bảy người"). Not "one" nor Vietnamese "một", "năm", "ba":
# they are also "a", "year", "father". Vietnamese ones only with their marks and in lower case
# ("sau" is "after", "Hai Phong" a city, "thứ hai" an ordinal); English ones only in English text
# (unmarked "ten" is "tên").
_SPELLED_EN = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?"
    r"|thousands?|dozens?)\b",
    re.I,
)
_SPELLED_VI = re.compile(r"(?<!thứ )\b(?:hai|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn)\b")


def spelled_count(text: str, question: str = "") -> bool:
    """Whether `text` writes a count in words that `question` does not use itself."""
    pattern = _SPELLED_VI if detect(text) == VI else _SPELLED_EN
    asked = {w.lower() for w in pattern.findall(question)}
    return any(w.lower() not in asked for w in pattern.findall(text))


_YEAR = re.compile(r"(?:19|20)\d\d")


def is_year(value: str) -> bool:
    return bool(_YEAR.fullmatch(value))


_THOUSANDS_MARK = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")


def ungrouped(text: str) -> str:
    """`text` with the marks before three-digit groups taken out, so that a figure written either
    way compares equal: "35,990" and "35.990" -> "35990" (and English "2.071" too: texts compared
    this way never tell a decimal from a thousand, which is the safe side for finding a figure)."""
    return _THOUSANDS_MARK.sub("", text)


def parse(value: str, lang: str = EN) -> float:
    """The value of a number as written. Only one shape is ambiguous, a single mark before three
    digits after a non-zero integer part ("2,071", "2.071"): English reads a comma as thousands and a
    point as decimals, Vietnamese the other way round. Otherwise the marks tell: two kinds, the last
    is the decimal one ("1,234.5", "1.234,5"); one kind repeated is thousands ("12.000.000"); one mark
    before other than three digits is decimal ("2,5", "2.5", "0,125")."""
    marks = [c for c in value if c in ".,"]
    if not marks:
        return float(value)
    if len(set(marks)) == 2:
        decimal = marks[-1]
    elif len(marks) > 1:
        decimal = None
    else:
        whole, _, tail = value.partition(marks[0])
        if len(tail) != 3 or whole == "0" or len(whole) > 3:
            decimal = marks[0]
        else:
            decimal = "," if lang == VI else "."
            decimal = marks[0] if marks[0] == decimal else None
    if decimal is None:
        return float(re.sub(r"[.,]", "", value))
    whole, _, tail = value.rpartition(decimal)
    return float(re.sub(r"[.,]", "", whole) + "." + tail)
