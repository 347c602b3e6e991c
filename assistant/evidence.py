"""Evidence selection (pure): which sentences of the retrieved passages answer the question, and
whether any of them does at all.

Candidate units are sentences (or the `;` clauses of long ones). Each is scored by how much of the
question's IDF-weighted vocabulary it covers, itself or through its document's context, and must
pass three checks before it can support an answer:
  * answer type: a "how many" question needs a figure, a "who" question a name, a "which
    directive" question a document code, a "when" question a date;
  * constraints: the place, year and period the question names must be those of the document
    (or be stated in the sentence);
  * names: every proper name in the question must occur in the passage or its document's title.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from core.documents import Chunk
from core.gazetteer import MONTH_ALT, MONTHS, find_provinces, fold, mentions
from core.glossary import translate
from core.language import EN, VI, detect, marked_share
from core.numbers import Number, is_year, numbers, spelled_count
from core.sentences import Span, split_clauses, split_units
from core.tokenize import STOPWORDS, tokenize
from ingest.metadata import find_codes
from vectorstore.models import Hit

from .answerability import AnswerModel, Signals
from .query import Constraints, Period, stated_years, states_period
from .rerank import agreement

LONG_SENTENCE = 260  # characters; longer sentences are judged clause by clause

IN_SENTENCE, IN_CONTEXT = 0.4, 0.35  # credit for a question term found beside the unit, not in it


# --- answer types ------------------------------------------------------------------------------
_TYPES = (
    (
        "code",
        re.compile(
            r"\b(?:which|what)\s+(?:[\w'-]+\s+){0,3}?(?:decision|directive|resolution|program(?:me)?|plan|project|conclusion|regulation|instruction)s?\b(?!\s+(?:about|on)\b)"
            r"|\b(?:number|code)\s+(?:and\s+\w+\s+)?of\s+the\s+(?:[\w'-]+\s+){0,8}?(?:decision|directive|resolution|program(?:me)?|plan|project|conclusion|regulation|instruction)\b"
            r"|\bwhat is the number\b|\b(?:directive|decision|plan|document) number\b",
            re.I,
        ),
    ),
    (
        "number",
        re.compile(
            r"\bhow (?:many|much|long|far|large|big|high)\b|\b(?:length|number|area|size) of\b"
            r"|\bwhat (?:percentage|share|proportion|rate|amount|number|total)\b"
            r"|\b(?:rate|percentage|share|proportion) (?:of|for)\b",
            re.I,
        ),
    ),
    (
        "person",
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (?:comrade|official|leader|person|party member)\b|\bname of the\b",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(
            r"\bhow much (?:money|funding|funds|capital)\b"
            r"|\bhow much did .{0,60}\b(?:cost|spend|contribute|donate|raise)\b"
            r"|\bwhat (?:was the )?(?:total )?cost\b",
            re.I,
        ),
    ),
    (
        "date",
        re.compile(
            r"\bwhen\b|\bwhat (?:date|day|year|time)\b|\bwhich (?:date|day|year|period|multi-year period)\b"
            r"|\bmulti-year period\b",
            re.I,
        ),
    ),
)


_ASKS_DAY = re.compile(r"\b(?:what|which) (?:date|day)\b", re.I)


# The same kinds asked in Vietnamese, matched on the folded question ("bao nhiêu" and "bao nhieu").
_KINDS_VI = (
    r"(?:chi thi|nghi quyet|ke hoach|chuong trinh(?: hanh dong)?|quyet dinh|ket luan|de an|huong dan|quy che"
    r"|thong bao|van ban)"
)
# "số mấy" asks for a number as a label; "dân số / tổng số / chỉ số bao nhiêu" asks for a count.
_WHICH_NUMBER_VI = r"(?<!\bdan )(?<!\btong )(?<!\bchi )(?<!\bhe )(?<!\bcon )\bso (?:may|bao nhieu)\b"
_TYPES_VI = (
    ("code", re.compile(rf"\bso hieu\b|\b{_KINDS_VI}\s+(?:so\s+)?(?:nao|gi|may|bao nhieu)\b|{_WHICH_NUMBER_VI}")),
    ("number", re.compile(r"\bbao nhieu\b|\bmay\s+(?!gio\b)[a-z]+|\bso luong\b|\bty le\b|\bphan tram\b")),
    (
        "person",
        re.compile(
            r"\bai\b|\b(?:dong chi|ong|ba|nguoi|vi|lanh dao|can bo|chu tich|bi thu|truong ban)\s+nao\b"
            # "Bí thư Huyện ủy Quỳ Hợp tên là gì?": an office's holder asked by name
            r"|^\s*(?:(?:dong chi|ong|ba)\s+)?(?:pho\s+)?"
            r"(?:chu tich|bi thu|truong ban|giam doc|truong phong|chinh uy)\b[^,?]{0,50}\bten (?:la )?gi\b"
            r"|\bho (?:va )?ten\b"
        ),
    ),
    (
        "money",
        re.compile(
            r"\bbao nhieu tien\b|\bkinh phi\b|\b(?:bao nhieu|may)\s+(?:ty|trieu|nghin)\s+dong\b"
            r"|\btong (?:von|so tien)\b"
        ),
    ),
    ("date", re.compile(r"\bkhi nao\b|\bbao gio\b|\b(?:ngay|nam|thang|thoi gian|luc|dip|thoi diem)\s+nao\b")),
)
_ASKS_DAY_VI = re.compile(r"\bngay\s+(?:nao|bao nhieu|may)\b")


_YEAR_VI = re.compile(r"(?<!\bmoi )(?<!\bca )(?<!\btrong )(?<!\bhang )\bnam (?:bao nhieu|may)\b")  # not "mỗi năm"


def answer_types(question: str) -> tuple[str, ...]:
    """What kinds of facts the question asks for (several for "number and date of ...").
    "On what date" asks for a day ("March 12, 2017"), which "in 2017" does not state."""
    if detect(question) == VI:
        folded = fold(question)
        found = [name for name, pattern in _TYPES_VI if pattern.search(folded)]
        if _YEAR_VI.search(folded):  # "vào năm bao nhiêu" asks for a year ("bao nhiêu năm", how many years)
            found = [k for k in found if k != "number"] + ["date"]
        asks_day = bool(_ASKS_DAY_VI.search(folded))
    else:
        found = [name for name, pattern in _TYPES if pattern.search(question)]
        asks_day = bool(_ASKS_DAY.search(question))
    if "date" in found and asks_day:
        found[found.index("date")] = "day"
    if "code" in found:
        found = [k for k in found if k != "number"]  # "the number of the plan" is its code
        if re.search(r"\bdate\b|\bngay\b", fold(question)):
            found.append("date")
    return tuple(dict.fromkeys(found))


_DATE = re.compile(
    rf"\b(?:{MONTH_ALT})\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|(?<!\d)(?:19|20)\d\d(?!\d)|\b(?:ngày|tháng)\s+\d{1,2}\b"
    # Years of any century after the words that introduce them ("in 1568", "năm 938", unless a
    # count follows: "in 120 villages"), centuries, decades, eras and spans back from now:
    # when-questions are not only about this century.
    r"|\b(?:in|since|until|till|circa|c\.)\s+(?:1\d{3}(?![\d.,]?\d)|\d{3}(?![\d.,]?\d)(?!\s+[a-z]))"
    r"|\bnăm\s+\d{3,4}(?![\d.,]?\d)"
    r"|(?<!\d)\d{3,4}s\b|\b\d{1,2}(?:st|nd|rd|th)[- ]centur(?:y|ies)\b|\bthế\s+k[ỷỉ]\s+(?:\d+|[IVXL]+)\b"
    r"|\bthập\s+(?:niên|kỷ|kỉ)\s+\d"
    r"|(?<![\w.])\d[\d,.]*\s*(?-i:BCE|BC|CE|AD|TCN|SCN)\b|\b\d[\d,.]*\s+(?:(?:million|thousand|billion|triệu|nghìn)\s+)?(?:years?\s+ago|năm\s+trước)\b",
    re.I,
)
_MONEY = re.compile(r"\b(?:VND|dong|USD|billion|million|trillion)\b|₫", re.I)
_NAME_WORD = r"[A-ZĐ][a-zà-ỹđ]+"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}\b")
TITLE_WORDS = frozenset(
    """party committee committees provincial province district commune city town village mass
    mobilization mobilisation commission department people people's peoples council front fatherland
    union standing deputy head secretary chairman chairwoman vice member comrade mr ms mrs
    central government state national vietnam vietnamese the of and in on for a an at by
    resolution directive decision program programme plan office bloc board ward youth women
    farmers veterans police army border guard command security defense defence public political
    system socio organization organizations agencies agency association executive politburo
    school hospital market management customs industry trade president minister ministry
    conclusion regulation notice instruction project report action no emulation movement campaign
    skillful skilled smart new rural this that these those it with from to as is was were be""".split()
) | frozenset(MONTHS)


# Capitalised Vietnamese words of titles and bodies ("Ban Dân vận Tỉnh ủy", "Phó Bí thư"), with their
# marks: folded, "vận" would be "Văn", the commonest middle name.
VI_TITLE_WORDS = frozenset(
    """ban dân vận tỉnh ủy uỷ huyện xã thành phố thị trấn phường bí thư phó chủ tịch hội đồng nhân mặt trận
    tổ quốc việt nam đảng cộng sản thường vụ trưởng phòng sở nông thôn mới liên hiệp phụ nữ cựu chiến binh
    đoàn niên công an quân sự biên giáo dục tế kinh hóa hoá chính phủ trung ương bộ trị ngày tháng năm chỉ
    thị nghị quyết kế hoạch chương trình định kết luận báo cáo thông đề án hướng dẫn quy chế đồng ông bà anh
    nhà nước hoạt về việc các tại từ trong theo mẹ""".split()
)


_DATE_TEXT = re.compile(
    rf"\b(?:{MONTH_ALT})\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}\s+(?:{MONTH_ALT})\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bngày\s+\d{1,2}\b",
    re.I,
)


_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s", re.M)  # "1. Mobilize ..." states no figure


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def figure_text(text: str) -> str:
    """The text with what holds digits but states no figure blanked out, offsets kept: document
    codes, days and months of dates, list markers and the spans of a year ("6 tháng đầu năm", "first 9 months")."""
    for code in find_codes(text):
        text = text.replace(code, " " * len(code))
    for blanked in (_LIST_MARKER, _DATE_TEXT, _SPAN_OF_YEAR, _MONTH_VI):
        text = blanked.sub(_blank, text)
    return text


_MONTH_VI = re.compile(r"\btháng\s+\d{1,2}(?!\d)", re.I)  # "tháng 6" is June ("6 tháng", six months)


_SPAN_OF_YEAR = re.compile(
    r"\b(?:\d{1,2}|sáu|chín|ba)\s+(?:tháng|thang)\s+(?:đầu|cuối|dau|cuoi)\b"
    r"|\b(?:first|last)\s+(?:\d{1,2}|six|nine|three)\s+months\b",
    re.I,
)


def _figures(text: str) -> Iterator[Number]:
    """The numbers that can state a figure: whole ones ("2,071", "40%", "3/4", "5 km", "541m2"), not
    run into a word or a date ("15th", "12/3/2023"). A range is one with a unit or a grouped number
    ("VND 50-60 million", "50.000-60.000 người"): plain ones are as often reigns and periods
    ("284-305", "1661-1676")."""
    for n in numbers(text):
        if not n.bounded or (n.fraction and len(n.value) > 3):
            continue
        if n.to and not (n.unit or any(c in ".," for c in n.value)):
            continue
        yield n


def question_numbers(question: str) -> set[str]:
    """The figures a question states itself: a passage that only repeats them gives no new one."""
    return {n.text for n in _figures(question)}


_ASKS_SHARE = re.compile(r"%|\b(?:percent|percentage|rate|share|proportion|ratio)\b", re.I)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent\b)", re.I)


def _has_number(text: str, question_numbers: set[str], shares: bool = True) -> bool:
    """A figure: not a year, not a day of a date, not part of a document code; with
    `shares=False` not a percentage either ("100% of Party organizations register models" does
    not say how many models)."""
    text = figure_text(text)
    for n in _figures(text):
        if n.text in question_numbers or (is_year(n.value) and not n.percent):  # "2023", "2021-2025"
            continue
        if not shares and (n.percent or _PERCENT_AFTER.match(text, n.end)):
            continue
        return True
    return False


_PLACE_AFTER = re.compile(
    rf"\s*(?:district|commune|province|village|city|town|ward|hamlet|county)\b|,\s*(?:{MONTH_ALT})\b", re.I
)
_WORD = re.compile(r"[A-Za-zÀ-ỹĐđ][A-Za-zÀ-ỹĐđ'’]*")


def _bare(word: str) -> str:
    return re.sub(r"['’]s?$", "", word.lower())  # "Committee's", "Veterans'": "committee", "veterans"


def _lone_name(text: str, start: int, end: int) -> bool:
    """One capitalised word is a name too ("Chopin", "Sassou", "ông Hùng"), but not where any word is
    capitalised (at the start of the text, of a sentence or of a list item), nor after a capitalised
    word of a body's name ("Provincial Xyz"), nor the first word of a province ("Quang" of "Quang
    Nam", "Bà" of "Bà Rịa"). A lone Vietnamese syllable is a name only after a form of address:
    "Văn phòng", "Ban Tuyên giáo" are bodies."""
    word = text[start:end]
    before = text[:start].rstrip(" \t\"'“‘(")
    words = before.split()
    if not words:
        return False
    # One look for a province that starts at the word or at the one before it ("Rịa" of "Bà Rịa").
    starts = {fold(word), fold(words[-1])}
    if any(fold(p.split()[0]) in starts for p in find_provinces(f"{words[-1]} {text[start : end + 30]}")):
        return False
    if _ADDRESSED.search(before):  # before the punctuation test: "Mr. Smith"
        return True
    if before[-1] in ".!?:;\n*-–—•)" or words[-1][:1].isupper() or marked_share(word) > 0:
        return False
    return True


# Forms of address before a given name: "ông Hùng", "đồng chí Hùng", "Mr. Smith" (not "Tạp chí").
_ADDRESSED = re.compile(r"(?:^|\s)(?:ông|bà|anh|chị|đồng chí|mr\.?|mrs\.?|ms\.?|dr\.?|comrade)$", re.I)


def _has_name(text: str) -> bool:
    """A person's name: a run of two to four capitalised words that are not titles ("Party",
    "Committee"), not a province, and not a place ("Tan Tien village", "Dong Nai, March 26")."""
    runs: list[list[re.Match]] = [[]]
    for m in _WORD.finditer(text):
        word = m.group(0)
        if (
            word[0].isupper()
            and word[1:].islower()
            and _bare(word) not in TITLE_WORDS
            and _bare(word) not in VI_TITLE_WORDS
        ):
            last = runs[-1]
            if last and text[last[-1].end() : m.start()].strip(" "):  # punctuation or a line break between
                runs.append([])
            runs[-1].append(m)
        elif runs[-1]:
            runs.append([])
    for run in runs:
        if not (2 <= len(run) <= 4 or (len(run) == 1 and _lone_name(text, run[0].start(), run[0].end()))):
            continue
        phrase = text[run[0].start() : run[-1].end()]
        if find_provinces(phrase) or _PLACE_AFTER.match(text, run[-1].end()):
            continue
        return True
    return False


# A document code's letters say its kind (Quyết định 979-QĐ/HU, Chỉ thị 15-CT/TU, Quy định
# 11-QĐi/TW): "which decision ..." is answered by a decision's code, not by another code the
# sentence cites.
_CODE_KINDS = (
    (re.compile(r"\b(?:decisions?|quyet dinh)\b"), {"QD"}),
    (re.compile(r"\b(?:directives?|chi thi)\b"), {"CT"}),
    (re.compile(r"\b(?:resolutions?|nghi quyet)\b"), {"NQ"}),
    (re.compile(r"\b(?:plans?|ke hoach)\b"), {"KH"}),
    (re.compile(r"\b(?:program(?:me)?s?|chuong trinh)\b"), {"CTR"}),
    (re.compile(r"\b(?:conclusions?|ket luan)\b"), {"KL"}),
    (re.compile(r"\b(?:projects?|schemes?|de an)\b"), {"DA"}),
    (re.compile(r"\b(?:guidance|guidelines?|instructions?|huong dan)\b"), {"HD"}),
    (re.compile(r"\b(?:regulations?|quy che|quy dinh)\b"), {"QC", "QDI"}),
    (re.compile(r"\b(?:notices?|announcements?|thong bao)\b"), {"TB"}),
    (re.compile(r"\b(?:reports?|bao cao)\b"), {"BC"}),
    (re.compile(r"\b(?:decrees?|nghi dinh)\b"), {"ND"}),
    (re.compile(r"\b(?:circulars?|thong tu)\b"), {"TT"}),
)


def code_kinds(question: str) -> set[str]:
    """The code letters of the kind of document the question asks about: the one the question word
    goes with ("Chương trình 08-CTr/TU thực hiện nghị quyết nào", "which resolution"), else the first
    named that the question does not identify by its code ("the notice announcing the conclusions",
    "quyết định ... ban hành quy chế"); empty when it names none."""
    folded = fold(question)
    if _ASKS_ANY_DOCUMENT.search(folded):  # "thực hiện văn bản nào": whatever its kind
        return set()
    found = []
    for pattern, letters in _CODE_KINDS:
        for m in pattern.finditer(folded):
            asked = bool(_ASKED_AFTER.match(folded, m.end()) or _ASKED_BEFORE.search(folded, 0, m.start()))
            named = bool(_CODE_AFTER.match(folded, m.end()))
            found.append((not asked, named, m.start(), sorted(letters)))
    return set(min(found)[3]) if found else set()


_ASKS_ANY_DOCUMENT = re.compile(r"\bvan ban\s+(?:so\s+)?(?:nao|gi)\b|\b(?:which|what)\s+documents?\b")
_ASKED_AFTER = re.compile(r"(?:\s+hanh dong)?\s+(?:so\s+)?(?:nao|gi|may|bao nhieu)\b")
_ASKED_BEFORE = re.compile(r"\b(?:which|what)\s+(?:[\w'-]+\s+){0,2}$")
_CODE_AFTER = re.compile(r"(?:\s+hanh dong)?\s+(?:so\s+|no\.?\s+|number\s+)?\d")


def _code_letters(code: str) -> set[str]:
    return {part.upper() for part in re.split(r"[-/]", code) if part.isalpha()}


# "What share ...", "tỷ lệ ... bao nhiêu": answered by a percentage or a fraction ("121/142"), not a count.
_ASKS_PERCENT = re.compile(r"%|\b(?:percent|percentage|share|proportion|phan tram|ty le|ti le)\b", re.I)
_SHARE = re.compile(r"\d\s*%|\d\s*(?:percent|phần trăm)\b|(?<![\d/])\d+/(?!(?:19|20)\d\d\b)\d+(?![\d/])", re.I)


def type_ok(kind: str, text: str, question: str) -> bool:
    if kind == "number":
        if _ASKS_PERCENT.search(fold(question)):
            return bool(_SHARE.search(figure_text(text)))
        shares = bool(_ASKS_SHARE.search(question)) or "how many" not in question.lower()
        # a count in words ("six months", "bảy người") unless the question says it too ("the two communes")
        return _has_number(text, question_numbers(question), shares=shares) or spelled_count(
            figure_text(text), question
        )
    if kind == "person":
        return _has_name(text)
    if kind == "code":
        codes = set(find_codes(text)) - set(find_codes(question))
        kinds = code_kinds(question)
        return any(not kinds or kinds & _code_letters(c) for c in codes)
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "day":
        return bool(_DATE_TEXT.search(text))
    if kind == "money":
        return bool(_MONEY.search(text)) and _has_number(text, set())
    return True


# --- constraints -------------------------------------------------------------------------------
def _period_overlaps(chunk: Chunk, period: Period) -> bool:
    m1, m2 = chunk.meta.month_from, chunk.meta.month_to
    if not (m1 and m2):
        return True  # the document gives no finer period than the year
    lo, hi = f"{period.year}-{period.month_from:02d}", f"{period.year}-{period.month_to:02d}"
    return m1 <= hi and lo <= m2


def _looks_back(unit_text: str, chunk: Chunk, period: Period) -> bool:
    """A passage that names the span asked for, earlier than its document's own, reports on it
    (a plan for the second half reviews the first in its own words); a later one it plans for."""
    own_start = chunk.meta.month_from or ""
    return own_start > f"{period.year}-{period.month_to:02d}" and states_period(unit_text, period)


def constraint_problem(unit_text: str, chunk: Chunk, constraints: Constraints, letterhead: str = "") -> str | None:
    """Why this passage cannot answer for the place/year/period asked about; None if it can.
    `letterhead` is the head of the unit's document, when known: a commune's plan names its
    district there ("NGOC HOI DISTRICT PARTY ORGANIZATION")."""
    meta = chunk.meta
    scope = f"{meta.title}\n{letterhead[:LETTERHEAD_CHARS]}\n{unit_text}"
    for place in constraints.places:
        if place.name in (meta.province, meta.district) or mentions(scope, place.name):
            continue
        # Provincial reports quote district figures: the district named in the sentence is enough.
        return f"the closest passage is about {meta.district or meta.province or 'another place'}, not {place.name}"
    stated = stated_years(unit_text)
    issued = int(meta.date[:4]) if meta.date and meta.date[:4].isdigit() else None
    for year in constraints.years:
        covered = (
            meta.year_from is not None and meta.year_from <= year <= (meta.year_to or meta.year_from)
        ) or year == issued
        if not covered and str(year) not in unit_text:
            return f"the closest passage is about {meta.period or 'another year'}, not {year}"
    if constraints.years and stated and not stated & {str(y) for y in constraints.years}:
        # "... 382 houses in 2023" does not answer a question about 2024, whatever the document's year.
        return f"the closest passage is about {', '.join(sorted(stated))}, not {', '.join(map(str, constraints.years))}"
    for period in constraints.periods:
        if period.partial and not _period_overlaps(chunk, period) and not _looks_back(unit_text, chunk, period):
            return (
                f"the closest passage covers {meta.month_from} to {meta.month_to}, "
                f"not {period.year}-{period.month_from:02d} to {period.year}-{period.month_to:02d}"
            )
        if period.month_from == period.month_to and not _in_month(unit_text, chunk, period):
            # "at the dialogue in June 2024": a year's or a half-year's total is not that event's figure
            asked = f"{MONTHS[period.month_from - 1].title()} {period.year}"
            return f"the closest passage covers {meta.period or 'another period'}, not {asked}"
    return None


def _code_key(code: str) -> str:
    """ "05-CT/TW" and "5-CT/TW" are one code."""
    return code.lstrip("0") or code


def _other_period(chunk: Chunk, constraints: Constraints) -> str | None:
    """A document-level fact (its number, signer, date) of "the 9-month report" is not the
    6-month report's: the document's own period must be the one asked."""
    m1, m2 = chunk.meta.month_from, chunk.meta.month_to
    for period in constraints.periods:
        lo, hi = f"{period.year}-{period.month_from:02d}", f"{period.year}-{period.month_to:02d}"
        if period.partial and period.month_from != period.month_to and m1 and m2 and (m1, m2) != (lo, hi):
            return f"the closest passage covers {m1} to {m2}, not {lo} to {hi}"
    return None


def _in_month(unit_text: str, chunk: Chunk, period: Period) -> bool:
    """Whether the passage is about that one month: its document covers just that month or is
    dated in it, or the passage names the month."""
    month = f"{period.year}-{period.month_from:02d}"
    meta = chunk.meta
    if (meta.month_from, meta.month_to) == (month, month) or (meta.date or "")[:7] == month:
        return True
    if re.search(rf"\b{MONTHS[period.month_from - 1]}\b", unit_text, re.I):
        return True
    # Vietnamese names a month by its number: "tháng 5 năm 2014", "tháng 05/2014" ("tháng 5" is
    # not "tháng 50").
    return bool(re.search(rf"\bthang 0?{period.month_from}(?!\d)", fold(unit_text)))


_PROPER = re.compile(r"(?<![\w'])([A-ZĐ][\wà-ỹđ]+(?:['’]s)?)")


_NOT_NAMES = frozenset(
    "who which what how when where why is are was were did do does in on at for".split()
) | frozenset(MONTHS)


_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_AFTER_NAME = re.compile(r"[A-ZĐ][\wà-ỹđ]*\s+$")
_ALTERNATIVE = re.compile(r"(?:\b[A-ZĐ][\wà-ỹđ]*\s+){1,3}(?=or\s)|(?<=\bor\s)(?:[A-ZĐ][\wà-ỹđ]*\s*){1,3}")


def question_names(question: str, places: tuple[str, ...] = ()) -> list[str]:
    """Proper names in the question: not its first word, not the places it names (those are
    constraints), not codes, months or question words."""
    for code in find_codes(question):  # "46-NQ/TW" is a code, not the names "NQ" and "TW"
        question = question.replace(code, " ")
    question = _ALTERNATIVE.sub(" ", question)  # "Great Solidarity or charity houses": either will do
    first = re.match(r"\s*([\w'’]+)", question)
    place_tokens = set(tokenize(" ".join(places), keep_stopwords=True))
    names = []
    for match in _PROPER.finditer(question):
        word = match.group(1)
        if first and word == first.group(1):
            continue
        base = re.sub(r"['’]s$", "", word)
        if base.lower() in STOPWORDS or base.lower() in _NOT_NAMES or set(tokenize(base)) <= place_tokens:
            continue
        if len(base) > 1 and _ROMAN.fullmatch(base) and not _AFTER_NAME.search(question, 0, match.start()):
            continue  # "thế kỉ XII", "Đại hội XIII": a number; "Pope John XXIII": part of a name
        if tokenize(base, keep_stopwords=True):
            names.append(base)
    return names


def missing_names(
    question: str, passage: str, places: tuple[str, ...] = (), names: list[str] | None = None
) -> list[str]:
    """The question's proper names (`names`, when the caller has them) that the passage never uses."""
    known = set(tokenize(passage, keep_stopwords=True))
    missing = [
        n
        for n in (question_names(question, places) if names is None else names)
        if not all(t in known for t in tokenize(n, keep_stopwords=True))
    ]
    if missing:  # the other spellings are looked for only when a name is not found as written
        known = {_i_for_y(t) for t in known}
        missing = [n for n in missing if not all(_i_for_y(t) in known for t in tokenize(n, keep_stopwords=True))]
    return [n for n in missing if not (_ACRONYM.fullmatch(n) and _spelled_out(n, passage))]


_ACRONYM = re.compile(r"[A-ZĐ]{2,6}")
_WORD_OR_MARK = re.compile(r"[\wà-ỹđ'’-]+|[^\w\s]")
_JOINING = frozenset({"of", "the", "and", "for", "&"})


def _spelled_out(acronym: str, passage: str) -> bool:
    """Whether the passage spells the acronym out: the initials of capitalised words, "of" and "the"
    between them aside ("New York City", "Union of Soviet Socialist Republics"), or, for three
    letters or more, of consecutive words from a capitalised one ("Ủy ban nhân dân", "Mặt trận Tổ
    quốc")."""
    acronym = fold(acronym).upper()
    n = len(acronym)
    words = _WORD_OR_MARK.findall(passage.replace("_", " "))  # a title slug: "New_York_City", as tokenize reads it
    for i, w in enumerate(words):
        if not w[0].isupper() or fold(w[0]).upper() != acronym[0]:
            continue
        run = words[i : i + n]
        if n >= 3 and all(x[0].isalnum() for x in run) and _initials(run) == acronym:
            return True
        caps = []
        for x in words[i:]:
            if x[0].isupper():
                caps.append(x)
                if len(caps) == n:
                    break
            elif x.lower() not in _JOINING:
                break
        if len(caps) == n and _initials(caps) == acronym:
            return True
    return False


def _initials(words: list[str]) -> str:
    return "".join(fold(w[0]).upper() for w in words)


def _i_for_y(token: str) -> str:
    """Vietnamese writes a syllable's final y after a consonant as i too: "Mỹ" and "Mĩ", "lý" and
    "lí", "kỹ" and "kĩ" are one word."""
    return token[:-1] + "i" if len(token) > 1 and token[-1] == "y" and token[-2] not in "aeiouy" else token


# --- scoring -----------------------------------------------------------------------------------
@dataclass
class Unit:
    chunk: Chunk
    span: Span  # offsets within chunk.text
    sentence: Span
    rank: int  # of its passage in the fused retrieval
    coverage: float = 0.0
    score: float = 0.0
    covered: frozenset[str] = frozenset()
    problem: str | None = None
    measure: float = 0.0  # share of what a figure question counts that the unit names
    uncounted: bool = False  # names none of what a figure question counts (its measure less `UNCOUNTED`)
    tokens: frozenset[str] = frozenset()  # the unit's own
    document_fact: bool = False  # it states the document-level fact asked (signer, issue date)
    context: frozenset[str] = frozenset()  # its passage's, with the document's title and place
    other_place: bool = False
    signals: Signals | None = None
    probability: float = 0.0  # that this unit answers the question (AnswerModel)

    @property
    def text(self) -> str:
        return self.span.text


@dataclass
class Selection:
    units: list[Unit] = field(default_factory=list)
    refused: str | None = None  # the reason, when nothing can support an answer
    closest: list[Unit] = field(default_factory=list)
    confidence: float = 0.0  # the answer model's probability for the unit answered (or the closest)
    # scored units, best first: every candidate under the model policy, the one reported under the rules
    candidates: list[Unit] = field(default_factory=list)


PLACE_WORDS = frozenset(tokenize("province provincial district commune city town"))
_COMPARATIVE = re.compile(
    r"\b(?:most|least|highest|lowest|largest|smallest|biggest|fewest|more than|fewer than|compared?)\b", re.I
)


# Text addressed to an AI rather than to readers: never evidence, whatever it matches.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:previous|prior|above|all|earlier)\b.{0,20}\b(?:instructions?|prompts?|rules?)\b"
    r"|\bsystem\s*prompt\b|\bdeveloper mode\b|\byou are now\b|\bnew instructions?\s*:|^\s*(?:system|assistant)\s*:",
    re.I | re.M,
)


def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION.search(text))


def units_of(hits: list[Hit], whole_sentences: bool = False) -> list[Unit]:
    """Sentences, or the clauses of long ones unless the question compares items of a list
    ("which field had the most"): then the whole list is the answer."""
    units = []
    rank, last = -1, None
    for hit in hits:
        if hit.score != last:  # passages of a file read whole share its best rank
            rank, last = rank + 1, hit.score
        for sentence in split_units(hit.chunk.text):
            if looks_like_injection(sentence.text):
                continue
            if not whole_sentences and len(sentence.text) > LONG_SENTENCE and ";" in sentence.text:
                units += [Unit(hit.chunk, c, sentence, rank) for c in split_clauses(sentence)]
            else:
                units.append(Unit(hit.chunk, sentence, sentence, rank))
    return units


# Words that name the kind of answer; the answer-type check stands for them.
# Words that frame a question rather than say what it is about.
TYPE_WORDS = frozenset(
    tokenize(
        "money cost number date amount total figure much many year time long length compare comparison "
        "reports two both respectively aim call"
    )
)


# What a figure question counts ("how many DAYS OF LABOR did ..."): the sentence that answers it
# names that, whatever place and year words it shares with the question.
_HOW_MANY = r"\bhow (?:many|much)\s+(?P<m>(?!were\b|was\b|did\b|do\b|does\b)[^?]+?)\s+"
_MEASURE = (
    # up to the verb ("models in national defense DID ..."), else up to a place or a past tense
    re.compile(
        r"\bhow many of [^?]+? (?:were|was) (?:in|on|for|about) (?P<m>[^?,]+)", re.I
    ),  # "of the models, ... were in FIELD"
    re.compile(_HOW_MANY + r"(?:did|does|do|were|was|are|is|had|has|have|will|would|could|can)\b", re.I),
    re.compile(_HOW_MANY + r"(?:in|at|during|between|from|across|[a-z]+ed)\b", re.I),
    re.compile(
        r"\bwhat (?:percentage|share|proportion|rate|number|amount|total|length|area) of\s+(?P<m>[^?]+?)"
        r"\s+(?:did|does|do|were|was|are|is|had|has|have|got)\b",
        re.I,
    ),
    re.compile(
        r"\bwhat (?:was|is) the (?P<m>[^?]*?\b(?:rate|percentage|share|proportion)\b[^?]*?)"
        r"\s+(?:in|at|during|did|does|were|was)\b",
        re.I,
    ),
    re.compile(r"\bhow many (?:were|was) (?:in|on|for|about)\s+(?P<m>[^?,]+)", re.I),
    # "of the models ..., how many BELONGED TO the cultural and social field / CONCERNED defense"
    re.compile(
        r"\bhow many (?:belonged to|belong to|related to|were related to|concerned|fell (?:in|under)|came under)"
        r"\s+(?:the\s+)?(?P<m>[^?,]+)",
        re.I,
    ),
    # the role a "who" question asks about: who CHAIRED, which official PRESIDED over
    re.compile(
        r"\b(?:who|which (?:official|comrade|leader|person))\s+(?P<m>(?!is\b|was\b|are\b|were\b|did\b)[a-z]+ed)\b", re.I
    ),
)
# Words the documents use for the same role or field ("hosted the dialogue" is reported as "held a
# direct dialogue"; "the cultural and social field" as "culture and society").
_SYNONYMS = {
    t: frozenset(tokenize(group))
    for group in ("chaired presided hosted held", "social society")
    for t in tokenize(group)
}
MEASURE_WEIGHT = 0.4
# Measure words that say in what, not what, is counted ("bao nhiêu GAM", "bao nhiêu NGƯỜI"): a
# sentence need not repeat them ("68 g", "500 đại biểu") to answer.
UNCOUNTED = frozenset(tokenize("người lần gam kg km mét m2 ha tấn năm tuổi ngày tháng đồng tỷ triệu nghìn"))
# The same in Vietnamese, on the folded question: what follows "bao nhiêu"/"mấy" up to a verb of
# passive, a preposition or a time ("hiến bao nhiêu M2 ĐẤT trong 6 tháng"), or the subject of
# "... là bao nhiêu" up to its owner ("THU NHẬP BÌNH QUÂN ĐẦU NGƯỜI của xã Tà Hộc ... là bao nhiêu").
_VI_STOP = r"(?:\s+(?:duoc|da|trong|tai|o|cua|nam|thang|giai doan|den|tu|cho|voi|va|vao|la|thi|nhu|so voi)\b|[,?.;]|$)"
_MEASURE_VI = (
    # "bao nhiêu phần trăm", "bao nhiêu lần" name a unit, not what is counted
    re.compile(r"\b(?P<t>bao nhieu|may)\s+(?!la\b|phan tram\b|lan\b|ty le\b)(?P<m>[a-z0-9 ]+?)" + _VI_STOP),
    re.compile(r"^(?:\s*(?:trong|nam|giai doan)\b[^,]*,)?\s*(?P<m>[a-z0-9 ]+?)\s+(?:cua|nam)\b[^?]*\bla bao nhieu\b"),
)


def _forms(text: str) -> tuple[str, str, str]:
    """`text` composed (NFC), folded and lower-cased: the three keep the same offsets, so a match
    in the folded text can be read back with its marks."""
    text = unicodedata.normalize("NFC", text)
    return text, fold(text), text.lower()


def measure_terms(question: str) -> frozenset[str]:
    """The tokens naming what a figure question counts; empty when it asks no such thing."""
    if detect(question) != VI:
        for pattern in _MEASURE:
            if m := pattern.search(question):
                return frozenset(t for t in tokenize(m.group("m")) if t not in TYPE_WORDS and not t[:1].isdigit())
        return frozenset()
    text, folded, lower = _forms(question)
    for pattern in _MEASURE_VI:
        for m in pattern.finditer(folded):
            if (
                "t" in m.groupdict()
                and m.group("t") == "may"
                and folded != lower
                and lower[m.start("t") : m.end("t")] != "mấy"
            ):
                continue  # "máy móc" (machines), not "mấy" (how many)
            words = text[m.start("m") : m.end("m")]  # tokenized with its marks, as the passages are
            return frozenset(t for t in tokenize(words) if t not in TYPE_WORDS and not t[:1].isdigit())
    return frozenset()


def _has(term: str, tokens: set[str]) -> bool:
    return term in tokens or bool(_SYNONYMS.get(term, frozenset()) & tokens)


def term_weights(text: str, context: str, idf: Callable[[str], float]) -> dict[str, float]:
    """IDF weights of the question's terms; the context's (earlier turns, the rest of a
    comparison) count half, or fully when the question itself says next to nothing."""
    own = {t: idf(t) for t in tokenize(text) if t not in TYPE_WORDS}
    share = 0.5 if len(own) >= 3 else 1.0
    for t in tokenize(context):
        if t not in TYPE_WORDS:
            own.setdefault(t, share * idf(t))
    return own


def term_weights_across(question: str, context: str, idf: Callable[[str], float], places: tuple[str, ...]) -> dict:
    """`term_weights` for a question asked in one language about passages in the other. Only
    what carries over is weighed: the glossary's terms in the passages' language, and the names,
    places, figures and codes the question states; its other words (and the glossary wordings the
    store never uses) say nothing about any passage."""
    language = detect(question)
    other = EN if language == VI else VI
    unseen = idf("")  # no passage has the empty token: the weight of a term the store never uses
    weights: dict[str, float] = {}
    for text, share in ((question, 1.0), (context, 0.5)):
        rest, terms = translate(text, language)
        carried = " ".join([*question_names(rest, places), *places, *find_codes(rest)])
        tokens = tokenize(carried, language=language) + [t for t in tokenize(rest, language=language) if t[0].isdigit()]
        for t in tokens + tokenize(" ".join(terms), language=other):
            if t not in TYPE_WORDS and idf(t) < unseen:
                weights.setdefault(t, share * idf(t))
    return weights


def _context_tokens(chunk: Chunk) -> set[str]:
    m = chunk.meta
    return set(tokenize(" ".join(filter(None, [m.title, m.province, m.district, m.period, chunk.text]))))


# Facts about a document itself live in its letterhead and signature block, short lines that share
# few words with the question: there the document's words count as the line's own.
_ASKS_SIGNER = re.compile(r"\bwho signed\b|\bsigned by\b|\bsignatory\b", re.I)
_ASKS_ISSUED = re.compile(r"\b(?:issue|issued|sign|signed|promulgate|promulgated|adopt|adopted)\b", re.I)
_SIGNED = re.compile(r"\(signed\)|\(đã ký\)", re.I)
# The same asked in Vietnamese (folded): "ai ký", "ký ngày nào", "số hiệu của kế hoạch"
_ASKS_SIGNER_VI = re.compile(r"\b(?:ai|nguoi) ky\b|\bky boi\b")
_ASKS_ISSUED_VI = re.compile(r"\bban hanh\b|\bky\b")
# A document's own number is in its letterhead ("Số 15-CT/TU"), asked as "the number of X's plan";
# "which decision promulgated ..." asks for a number the text cites.
_ASKS_OWN_CODE = re.compile(r"\b(?:number|code)\s+(?:and\s+\w+\s+)?of\b|\bwhat is the number\b|\bso hieu\b", re.I)
_ASKS_WHICH_NUMBER_VI = re.compile(_WHICH_NUMBER_VI)


def _asks_number_label(question: str) -> bool:
    """Whether the question asks for a number as a label in so many words ("số mấy", "số hiệu",
    "the number of the decision"), not only by a kind word ("what decision")."""
    folded = fold(question)
    return bool(_ASKS_OWN_CODE.search(folded) or _ASKS_WHICH_NUMBER_VI.search(folded) or re.search(r"\bcode\b", folded))


def _asks_own_code(question: str) -> bool:
    """Whether the question asks for the number of the document it is about: "the number of ...",
    "số hiệu", or "Chỉ thị về ... số mấy?" when it names no code ("Kế hoạch 45-KH/HU thực hiện nghị
    quyết số mấy?" asks for another's)."""
    folded = fold(question)
    return bool(_ASKS_OWN_CODE.search(folded) or (_ASKS_WHICH_NUMBER_VI.search(folded) and not find_codes(question)))


LETTERHEAD_CHARS = 600


def _own_code(u: Unit) -> str | None:
    """The unit's document's own number: its letterhead's, the first code the document cites."""
    return u.chunk.meta.codes[0] if u.chunk.meta.codes else None


def _states_own_code(u: Unit, question: str) -> bool:
    """False when the question asks for the number of the document itself, the document is one
    that carries its number in its letterhead (not a news report), and the unit states another."""
    own = _own_code(u)
    if u.chunk.meta.doc_type == NEWS or own is None or not _asks_own_code(question):
        return True
    return own in find_codes(u.sentence.text)


def _in_letterhead(u: Unit) -> bool:
    return u.chunk.index == 0 and u.span.start < LETTERHEAD_CHARS


def document_fact(question: str) -> Callable[[Unit], bool] | None:
    """Which units state the document-level fact the question asks for, if it asks for one."""
    folded = fold(question)
    if _ASKS_SIGNER.search(question) or _ASKS_SIGNER_VI.search(folded):
        return lambda u: bool(_SIGNED.search(u.span.text))
    asks_day = _ASKS_DAY.search(question) or _ASKS_DAY_VI.search(folded)
    if asks_day and (_ASKS_ISSUED.search(question) or _ASKS_ISSUED_VI.search(folded)):
        return lambda u: _in_letterhead(u) and bool(_DATE_TEXT.search(u.span.text))
    if "code" in answer_types(question) and _asks_own_code(question):
        return lambda u: _in_letterhead(u) and _own_code(u) in find_codes(u.span.text)
    return None


_NAMED_PLACE = re.compile(r"\b((?:[A-ZĐ][a-zà-ỹđ]+ ){1,3})(?:commune|ward|village|hamlet|town|district)\b")
OTHER_PLACE_PENALTY = 0.2


def other_places(text: str, question: str, places: tuple[str, ...]) -> bool:
    """The unit speaks of a commune, district or village the question does not name, and not of
    the place it does name: "19 houses in Loc Luong commune" for a question about its district."""
    named = {m.group(1).strip() for m in _NAMED_PLACE.finditer(text)}
    foreign = {n for n in named if n.lower() not in question.lower() and n.split()[0].lower() not in TITLE_WORDS}
    return bool(foreign) and not any(mentions(text, p) for p in places)


@dataclass(frozen=True)
class Asked:
    """What a question asks, worked out once for all its candidate units."""

    question: str
    weights: dict[str, float]  # each question term's weight (IDF, lower for the context's terms)
    constraint_terms: frozenset[str] = frozenset()  # place, year, period: checked as constraints, not scored
    phrases: tuple[tuple[str, str], ...] = ()  # the question's adjacent term pairs
    measure: frozenset[str] = frozenset()  # what a figure question counts
    places: tuple[str, ...] = ()  # places a figure must be about (figure questions only)
    fact: Callable[[Unit], bool] | None = None  # a letterhead or signature fact answers it
    previous_answer: str = ""  # a follow-up most likely continues from it


def asked_of(
    question: str,
    context: str,
    constraints: Constraints,
    idf: Callable[[str], float],
    previous_answer: str = "",
    *,
    across: bool = False,
) -> Asked:
    """What `question` asks; `across`: of passages in the other language."""
    constraint_terms = set(tokenize(constraints.words))
    if constraints.places:  # "Nghe An province": the word "province" is part of the place
        constraint_terms |= PLACE_WORDS
    q_seq = tokenize(question)
    # A figure for a commune is no answer to a question about its district; a "which village"
    # question, though, is answered by naming one.
    figure = bool({"number", "money"} & set(answer_types(question)))
    return Asked(
        question=question,
        weights=term_weights_across(question, context, idf, tuple(p.name for p in constraints.places))
        if across
        else term_weights(question, context, idf),
        constraint_terms=frozenset(constraint_terms),
        phrases=tuple(zip(q_seq, q_seq[1:])),
        measure=measure_terms(question),
        places=tuple(p.name for p in constraints.places) if figure else (),
        fact=document_fact(question),
        previous_answer=previous_answer,
    )


def score_units(units: list[Unit], asked: Asked, n_hits: int) -> None:
    weights, constraint_terms, places, question = asked.weights, asked.constraint_terms, asked.places, asked.question
    total = sum(weights.values()) or 1.0
    measure = {t: weights[t] for t in asked.measure if t in weights and t not in constraint_terms}
    measure_total = sum(measure.values())
    counted = [t for t in measure if t not in UNCOUNTED]
    contexts: dict[str, set[str]] = {}
    before = set(tokenize(asked.previous_answer))
    for u in units:
        ctx = contexts.get(u.chunk.id)
        if ctx is None:
            ctx = contexts[u.chunk.id] = _context_tokens(u.chunk)
        own_seq = tokenize(u.span.text)
        own, sent = set(own_seq), set(tokenize(u.sentence.text))
        u.tokens, u.context = frozenset(own), frozenset(ctx)
        u.document_fact = asked.fact is not None and asked.fact(u)
        if u.document_fact:
            own = own | ctx
        got, covered = 0.0, set()
        for t, w in weights.items():
            if _has(t, own):
                got += w
                covered.add(t)
            elif t in constraint_terms:  # place, year, period: checked as constraints, not scored
                got += w
            elif _has(t, sent):
                got += IN_SENTENCE * w
            elif _has(t, ctx):
                got += IN_CONTEXT * w
        # Question phrases found as phrases ("working regulations") beat the same words scattered.
        pairs = set(zip(own_seq, own_seq[1:]))
        got += sum(0.25 * (weights.get(a, 0) + weights.get(b, 0)) for a, b in asked.phrases if (a, b) in pairs)
        u.coverage = min(got / total, 1.0)
        u.covered = frozenset(covered)
        # Retrieval rank breaks near-ties; a very long unit is a weaker quote.
        u.score = u.coverage + 0.08 * (1 - u.rank / max(n_hits, 1)) - 0.05 * max(0, len(u.span.text) - 400) / 400
        u.uncounted = bool(counted) and not any(_has(t, own) or _has(t, sent) for t in counted)
        if measure_total:  # a sentence about what is counted beats one that only shares place and time
            u.measure = (
                sum(w if _has(t, own) else 0.5 * w if _has(t, sent) else 0.0 for t, w in measure.items())
                / measure_total
            )
            u.score += MEASURE_WEIGHT * u.measure
        district = u.chunk.meta.district
        u.other_place = bool(
            places and (other_places(u.span.text, question, places) or (district and district not in places))
        )
        if u.other_place:
            # About a place inside the one asked (or a district's report for a province question).
            u.score -= OTHER_PLACE_PENALTY
        if before:  # a follow-up most likely continues from what was just said
            u.score += 0.1 * len(own & before) / (len(own | before) or 1)


def rank_units(asked: Asked, hits: list[Hit]) -> list[Unit]:
    """Every candidate unit of the hits, scored, best first."""
    units = units_of(hits, whole_sentences=bool(_COMPARATIVE.search(asked.question)))
    score_units(units, asked, len(hits))
    return sorted(units, key=lambda u: -u.score)


# A plan's targets are not results, and a report's results are not the targets a plan sets.
_ASKS_TARGET = re.compile(
    r"\b(?:aim(?:s|ed)? (?:for|at|to)|calls? for|targets?|targeted|plan(?:s|ned)? to|strive|set out to)\b", re.I
)
_ASKS_RESULT = re.compile(r"\b(?:did|were|was|had|has been|have been)\b", re.I)
_STATES_TARGET = re.compile(
    r"\b(?:no fewer than|no less than|at least|strive|striving|aim(?:s|ing)? (?:for|at|to)|targets?)\b", re.I
)
NEWS = "news_report"


def purpose_problem(u: Unit, question: str) -> str | None:
    """Whether a unit states a target where the question asks for a result, or the reverse.
    A plan's "at least 55 models" is a target; a news report's "at least 90% were resolved" is a
    result, unless it says what someone aims for."""
    kind = u.chunk.meta.doc_type
    states_target = bool(_STATES_TARGET.search(u.sentence.text))
    if _ASKS_TARGET.search(question):
        return (
            "the closest passage reports results, not the target asked for"
            if kind == NEWS and not states_target
            else None
        )
    if _ASKS_RESULT.search(question) and states_target and kind not in (None, NEWS):
        return "the closest passage states a target, not a result"
    return None


@dataclass(frozen=True)
class Problems:
    """What speaks against a unit, each as the reason a refusal would give (None: nothing)."""

    constraint: str | None = None
    names: str | None = None
    names_share: float = 0.0  # of the question's names, the share the document never uses
    answer_type: str | None = None
    purpose: str | None = None

    @property
    def first(self) -> str | None:
        return self.constraint or self.names or self.answer_type or self.purpose


# Offices a "who" question may ask for (folded, not stemmed: "commander" is not "command"), and the
# words that make another office of one ("Vice Chairman" is not the Chairman).
_ROLES = re.compile(
    r"\b(chairman|chairwoman|chairperson|chair|secretary|director|head|chief|commander|president|minister|"
    r"governor|mayor|principal|editor|spokes(?:man|person|woman)|chu tich|bi thu|truong ban|giam doc|chi huy truong|"
    r"truong phong|chinh uy)\b"
)
_DEPUTY = re.compile(r"\b(?:vice|deputy|standing deputy|assistant|acting|former|pho)\s+$")
# The Vietnamese name of an office is its English one: a question in one language may be answered
# from a passage in the other.
_ROLE_NAMES = {
    "chu tich": "chairman",
    "bi thu": "secretary",
    "truong ban": "head",
    "truong phong": "head",
    "giam doc": "director",
    "chi huy truong": "commander",
}


# The tier an office belongs to, read just after it ("Chủ tịch UBND XÃ", "Secretary of the PROVINCIAL
# Party Committee") or, in English, just before it ("the DISTRICT Party Secretary"): the commune's
# chairman is not the district's. Vietnamese tiers are read with their marks ("tình hình" is not
# "tỉnh"), unmarked syllables only in a question typed without marks.
_TIERS = ("commune", "district", "province", "branch")
_TIER_WORDS = {
    "marked": (r"thị trấn|xã|phường", r"thị xã|huyện|thị ủy|quận", r"tỉnh", r"chi bộ|thôn|ấp"),
    "unmarked": (r"thi tran|xa|phuong", r"thi xa|huyen|thi uy|quan", r"tinh", r"chi bo|thon|ap"),
    "english": (r"commune|ward", r"district", r"provincial|province", r"village|hamlet"),
}
_TIER = {
    way: re.compile(r"(?:" + "|".join(f"(?P<{t}>{w})" for t, w in zip(_TIERS, words)) + r")(?![^\W\d_])")
    for way, words in _TIER_WORDS.items()
}
_TIER_BEFORE = re.compile(  # "district Party Secretary", "the provincial party's secretary"
    r"(?<![^\W\d_])(?:" + "|".join(f"(?P<{t}>{w})" for t, w in zip(_TIERS, _TIER_WORDS["english"])) + r")"
    r"(?:'s)?\s+(?:party(?:'s)?\s+)?$"
)
_OFFICE_BODY = re.compile(
    r"^\s*(?:of the |of |cua )?(?:ubnd|uy ban nhan dan|hdnd|ubmttq|mttq|people's committee|"
    r"party committee|party|dang uy|ban dan van|dan van|ban thuong vu)?\s*(?:of )?(?:the )?"
)


def _tier(match: re.Match | None) -> str | None:
    return next((t for t in _TIERS if match and match.group(t)), None)


def _roles(text: str) -> set[tuple[str, str | None]]:
    """The offices `text` names, each with the qualifier before it ("vice chairman") and its tier
    when stated."""
    text, folded, lower = _forms(text)
    ways = ("english", "marked") if folded != lower else ("english", "unmarked") if detect(text) == VI else ("english",)
    out = set()
    for m in _ROLES.finditer(folded):
        deputy = _DEPUTY.search(folded[max(0, m.start() - 16) : m.start()])
        role = _ROLE_NAMES.get(m.group(1), m.group(1))
        at = m.end() + _OFFICE_BODY.match(folded[m.end() : m.end() + 40]).end()
        tier = next((t for way in ways if (t := _tier(_TIER[way].match(lower, at)))), None)
        tier = tier or _tier(_TIER_BEFORE.search(folded[max(0, m.start() - 30) : m.start()]))
        out.add((f"deputy {role}" if deputy else role, tier))
    return out


def missing_role(question: str, sentence: str) -> str | None:
    """The office a "who" question asks about when the sentence names none of it (an office of
    another tier is another office)."""
    asked = _roles(question)
    if not asked:
        return None
    stated = _roles(sentence)
    for role, level in asked:
        if any(r == role and (level is None or lv is None or lv == level) for r, lv in stated):
            return None
    return f"role {sorted(r for r, _ in asked)[0]}"


def names_absent(names: list[str], text: str) -> float:
    """Share of the question's names that `text` (a sentence and the one before it) never uses."""
    if not names:
        return 0.0
    return len(missing_names("", text, (), names)) / len(names)


def unit_problems(
    u: Unit,
    question: str,
    constraints: Constraints,
    *,
    document: str = "",
    letterhead: str = "",
    names: list[str] | None = None,
) -> Problems:
    """Place/year/period, unknown names, answer type, purpose. `document` is what the caller has
    of the unit's file: names may be stated anywhere in it; `letterhead` is its first passage,
    when the caller has it; `names`, the question's proper names, when the caller has them."""
    m = u.chunk.meta
    passage = "\n".join(filter(None, [m.title, m.province, m.district, m.outlet, document or u.chunk.text]))
    # Only the question's own names: earlier turns or the other parts of a comparison name
    # things this passage need not mention.
    places = tuple(p.name for p in constraints.places)
    names = question_names(question, places) if names is None else names
    missing = missing_names(question, passage, places, names)
    types = answer_types(question)
    if "code" in types and not _asks_number_label(question) and not (m.codes or find_codes(passage)):
        # A document that cites no code is no directive: there "decision" or "programme" is a plain
        # word ("what legal decision", "what types of programs", "đã có quyết định gì").
        types = tuple(k for k in types if k != "code")
    kind = next(
        (k for k in types if not type_ok(k, u.span.text, question) and not type_ok(k, u.sentence.text, question)), None
    )
    if kind is None and "person" in types and (role := missing_role(question, u.sentence.text)):
        kind = role  # "Who chairs the People's Committee?" is not answered by the Party secretary's name
    if kind is None and "code" in types and not _states_own_code(u, question):
        kind = "code"
    if kind is None and u.uncounted and {"number", "money"} & set(types) and detect(question) == VI:
        # "26 văn bản" is no answer to how many square metres of land were donated. English figure
        # questions name what they count in words the passages often replace ("hectares": "ha"), so
        # there the counted thing only weighs (`MEASURE_WEIGHT`).
        kind = "counted"
    # A document code the question names identifies the document: one that neither is it nor
    # cites it is about something else ("Chỉ thị 16-CT/TU của Tỉnh ủy Hà Tĩnh" where Hà Tĩnh's
    # documents cite 15-CT/TU).
    # One code cited is enough: "Kế hoạch 45-KH/HU thực hiện Nghị quyết 43" may be answered from either.
    uncited = []
    if constraints.codes:  # the document is read for codes only when the question names one
        cited = {_code_key(c) for c in (*find_codes(passage), *m.codes)}
        uncited = [] if any(_code_key(c) in cited for c in constraints.codes) else list(constraints.codes)
    return Problems(
        constraint=constraint_problem(u.sentence.text, u.chunk, constraints, letterhead)
        or (f"the closest passage is from a document that does not cite {', '.join(uncited)}" if uncited else None)
        or (
            _other_period(u.chunk, constraints) if u.document_fact or ("code" in types and _in_letterhead(u)) else None
        ),
        names=f"the documents do not mention {', '.join(missing)}" if missing else None,
        names_share=len(missing) / len(names) if names else 0.0,
        answer_type=(
            f"no passage names the holder of the {kind[5:]} role asked about"
            if kind and kind.startswith("role ")
            else "no passage gives a figure for what the question counts"
            if kind == "counted"
            else f"no passage states the {kind} asked for"
            if kind
            else None
        ),
        purpose=purpose_problem(u, question),
    )


# A clause that only continues the one before ("87 models were built ...; BY FIELD, there were 29
# in ...") says nothing alone.
_DEPENDENT_CLAUSE = re.compile(
    r"^(?:by (?:field|sector|area|type)|of (?:which|these|them)|including|in particular|among them)\b", re.I
)


def _widened(u: Unit, question: str) -> Unit:
    """The whole sentence when the clause lacks what the question asks for and the sentence
    has it ("... met with village heads; 19 meetings were held"), or only continues the clause
    before it."""
    if u.span == u.sentence:
        return u
    if _DEPENDENT_CLAUSE.match(u.span.text) or not all(
        type_ok(kind, u.span.text, question) for kind in answer_types(question)
    ):
        return replace(u, span=u.sentence)
    return u


CANDIDATES = 12  # best-scored units per question that the answer model weighs
LANGUAGE_SAMPLE = 4000  # characters of the best file read to tell its language
CROSS_CANDIDATES = 24  # sentences of the top passages added when question and passage differ in language


def _previous_units(units: list[Unit]) -> dict[int, Unit]:
    """Each unit's predecessor in its passage (by `id`)."""
    by_chunk: dict[str, list[Unit]] = {}
    for u in units:
        by_chunk.setdefault(u.chunk.id, []).append(u)
    out = {}
    for group in by_chunk.values():
        group.sort(key=lambda u: u.span.start)
        out.update((id(b), a) for a, b in zip(group, group[1:]) if a.span.end <= b.span.start)
    return out


@dataclass(frozen=True)
class Vocabulary:
    """What the question's terms weigh, in the store and among the retrieved passages, and
    which of them each retrieved document holds."""

    weights: dict[str, float]  # store IDF
    local: dict[str, float]  # IDF among the retrieved units
    documents: dict[str, set[str]]  # source -> tokens

    @classmethod
    def of(cls, weights: dict[str, float], units: list[Unit]) -> "Vocabulary":
        """`units` scored (`score_units` gave them their tokens)."""
        docs: dict[str, set[str]] = {}
        for u in units:
            docs.setdefault(u.chunk.source, set()).update(u.context)
        n = len(units) or 1
        local = {t: math.log(1 + n / (1 + sum(_has(t, u.tokens) for u in units))) for t in weights}
        return cls(weights, local, docs)

    def signals(self, u: Unit) -> tuple[float, float, float]:
        """(local coverage, heaviest unmatched term, share off the document)."""
        own, passage = u.tokens, u.tokens | u.context
        document = self.documents.get(u.chunk.source, passage)
        total_local = sum(self.local.values()) or 1.0
        heaviest = max(self.weights.values(), default=0.0) or 1.0
        local = sum(w for t, w in self.local.items() if _has(t, own)) / total_local
        unmatched = max((w for t, w in self.weights.items() if not _has(t, passage)), default=0.0) / heaviest
        off = sum(w for t, w in self.weights.items() if not _has(t, document)) / (sum(self.weights.values()) or 1.0)
        return local, unmatched, off


@dataclass(frozen=True)
class Pool:
    """What a candidate's signals are measured against: the question's constraints and names,
    the number of hits, the best candidate's coverage and the candidates' vocabulary."""

    constraints: Constraints
    names: list[str]
    n_hits: int
    best_coverage: float
    vocabulary: Vocabulary


def signals_of(u: Unit, problems: Problems, pool: Pool, similarity: float, before: Unit | None) -> Signals:
    constraints, names, n_hits, best_coverage = pool.constraints, pool.names, pool.n_hits, pool.best_coverage
    a = agreement(u.chunk, constraints)
    local, unmatched, off = pool.vocabulary.signals(u)
    around = f"{before.sentence.text if before else ''}\n{u.sentence.text}"
    asked = {str(y) for y in constraints.years}
    return Signals(
        coverage=u.coverage,
        heuristic=u.score,
        similarity=similarity,
        measure=u.measure,
        rank=1 - u.rank / max(n_hits, 1),
        lead=u.coverage - best_coverage,
        before=before.coverage if before else 0.0,
        names_absent=names_absent(names, around),
        stated_off=float(bool(asked and (stated := stated_years(u.sentence.text)) and not stated & asked)),
        place_absent=(
            sum(not mentions(around, p.name) for p in constraints.places) / len(constraints.places)
            if constraints.places
            else 0.0
        ),
        heading=float(len(u.span.text.split()) < 5 and not _has_number(u.span.text, set())),
        document_fact=float(u.document_fact),
        local=local,
        unmatched=unmatched,
        off_document=off,
        type_missing=float(problems.answer_type is not None),
        # Metadata inferred from a dated report or letterhead is surer than from an undated text.
        constraint_off=float(problems.constraint is not None and bool(u.chunk.meta.date)),
        undated_off=float(problems.constraint is not None and not u.chunk.meta.date),
        agreement=1.0 if a is None else a,
        names_missing=problems.names_share,
        purpose_off=float(problems.purpose is not None),
        other_place=float(u.other_place),
        length=max(0, len(u.span.text) - 400) / 400,
    )


@dataclass(frozen=True)
class Decision:
    """How the answer is decided: `policy` "model" by the answer model's threshold, "rules" by the
    hand-set checks (`_by_rules`, with `min_support` the least coverage a first unit needs),
    quoting at most `max_units` units."""

    model: AnswerModel = field(default_factory=AnswerModel)
    policy: str = "rules"
    max_units: int = 3
    min_support: float = 0.38


def select(
    question: str,
    context: str,
    constraints: Constraints,
    hits: list[Hit],
    idf: Callable[[str], float],
    *,
    decision: Decision = Decision(),
    previous_answer: str = "",
    similarity: Callable[[list[str]], list[float]] | None = None,
) -> Selection:
    """Units -> signals -> probability -> decision. `similarity` gives each text's cosine to the
    question (the embedder's); the model's confidence is reported whichever policy decides."""
    model, max_units = decision.model, decision.max_units
    if not hits:
        return Selection(refused="no passage in the store matches the question")
    documents: dict[str, str] = {}
    heads = {h.chunk.source: h.chunk.text for h in hits if h.chunk.index == 0}
    for h in hits:
        documents[h.chunk.source] = documents.get(h.chunk.source, "") + "\n" + h.chunk.text
    # Across languages the question's words are not the passage's: its names, figures, codes and
    # the glossary's terms are weighed instead, and the sentences of the best-retrieved passages
    # (found by meaning) join the candidates. The best file's language is told from all of it that
    # was read (a title line alone says little: "Kim Tan district (Ho Chi Minh City) honors ..." has
    # more Vietnamese names than English words).
    language = detect(question)
    cross = detect(documents[hits[0].chunk.source][:LANGUAGE_SAMPLE]) != language
    asked = asked_of(question, context, constraints, idf, previous_answer, across=cross)
    weights, constraint_terms = asked.weights, asked.constraint_terms
    ranked = rank_units(asked, hits)
    if not ranked:
        return Selection(refused="no passage in the store matches the question")
    # Across languages the glossary's terms ("Provincial Party Standing Committee") are not names
    # the passage must use: they are said in its language.
    named = translate(question, language)[0] if cross else question
    names = question_names(named, tuple(p.name for p in constraints.places))

    candidates = ranked[:CANDIDATES]
    if cross:
        candidates += [u for u in ranked[CANDIDATES:] if u.rank <= 1][:CROSS_CANDIDATES]
    best_coverage = max(u.coverage for u in candidates)
    # Place and year words are constraints, weighed by their own signals.
    vocabulary = Vocabulary.of({t: w for t, w in weights.items() if t not in constraint_terms}, ranked)
    previous = _previous_units(ranked)
    pool = Pool(constraints, names, len(hits), best_coverage, vocabulary)

    found: dict[int, Problems] = {}  # by id: the rules ask again for a unit they have checked

    def problems_of(u: Unit) -> Problems:
        if id(u) not in found:
            found[id(u)] = unit_problems(
                u,
                question,
                constraints,
                document=documents.get(u.chunk.source, ""),
                letterhead=heads.get(u.chunk.source, ""),
                names=names,
            )
        return found[id(u)]

    def scored(units: list[Unit]) -> list[Unit]:
        """`units` with their problems, signals and probability. Embedding them for their
        similarity is most of an answer's time, so the rules score only what they report on."""
        if similarity is None:  # no embedder (unit tests, a fake one): the words' cosine stands in
            q = set(tokenize(question))
            sims = [len(q & u.tokens) / math.sqrt(len(q) * len(u.tokens)) if q and u.tokens else 0.0 for u in units]
        else:
            sims = similarity([u.text for u in units])
        for u, sim in zip(units, sims):
            problems = problems_of(u)
            u.problem = problems.first
            u.signals = signals_of(u, problems, pool, sim, previous.get(id(u)))
            u.probability = model.probability(u.signals)
        return units

    if decision.policy == "rules":
        return _by_rules(ranked, asked, decision, lambda u: problems_of(u).first, scored)
    candidates = sorted(scored(candidates), key=lambda u: -model.preference(u.signals))
    best = candidates[0]
    if best.probability < model.threshold:
        reason = best.problem or "no passage covers what the question asks"
        return Selection(refused=reason, closest=candidates[:3], confidence=best.probability, candidates=candidates)
    chosen = _complemented(
        _widened(best, question), candidates[1:], asked, max_units, lambda u: u.probability >= model.threshold
    )
    return Selection(units=chosen, confidence=best.probability, candidates=candidates)


def _complemented(
    first: Unit, rest: list[Unit], asked: Asked, max_units: int, acceptable: Callable[[Unit], bool]
) -> list[Unit]:
    """`first`, then the `acceptable` units of `rest` (best first) that state what the question
    asks and the chosen ones do not (place and year words do not count: every passage of the
    right document has them)."""
    weights, constraint_terms = asked.weights, asked.constraint_terms
    chosen = [first]
    covered = set(first.covered) | constraint_terms
    content = sum(w for t, w in weights.items() if t not in constraint_terms) or 1.0
    for u in rest:
        if len(chosen) >= max_units:
            break
        gain = sum(weights[t] for t in u.covered - covered) / content
        if gain >= 0.2 and u.sentence != first.sentence and acceptable(u):
            chosen.append(u)
            covered |= u.covered
    return chosen


def _by_rules(
    ranked: list[Unit],
    asked: Asked,
    decision: Decision,
    problem: Callable[[Unit], str | None],
    scored: Callable[[list[Unit]], list[Unit]],
) -> Selection:
    """The first unit, by score, that covers `min_support` of the question and has no problem
    (place, year or period, names, answer type, purpose) answers; then complementary units. The
    confidence reported is the answer model's for that unit (for the best-scored one when refused)."""
    question, min_support = asked.question, decision.min_support
    first = None
    first_problem = None
    for u in ranked:
        if u.coverage < min_support:
            break
        u.problem = problem(u)
        if u.problem is None:
            first = u
            break
        first_problem = first_problem or u.problem
    if first is None:
        best = scored(ranked[:1])[0]
        return Selection(
            refused=first_problem or "no passage covers what the question asks",
            closest=ranked[:3],
            confidence=best.probability,
            candidates=[best],
        )
    scored([first])
    supported = list(itertools.takewhile(lambda u: u.coverage >= min_support, ranked[1:]))
    chosen = _complemented(
        _widened(first, question), supported, asked, decision.max_units, lambda u: problem(u) is None
    )
    return Selection(units=chosen, confidence=first.probability, candidates=[first])
