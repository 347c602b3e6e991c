"""Document metadata: from `manifest.jsonl` when the corpus has one, inferred from the text otherwise."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from core.documents import DocumentMeta
from core.gazetteer import MONTH_ALT, MONTHS, district_name, find_provinces, fold

MANIFEST = "manifest.jsonl"

# The Party's codes: 38-CTr/TU, 43-NQ/TW, 978-QD/HU, 06 - DA/TU, 30a/CP. The State's: number, year
# (in legal documents), kind and issuer: 1234/QĐ-UBND, 45/2023/NĐ-CP, 05/CT-TTg, 08/2012/QH13.
_CODE = re.compile(
    r"(?<![\w/-])(\d{1,4}[a-z]?)\s?-\s?([A-ZĐ][A-Za-zĐđ]{0,4}(?:/[A-ZĐ]{1,6}){1,2})(?![\w-])"
    r"|(?<![\w/-])(\d{1,5}(?:/(?:19|20)\d\d)?/[A-ZĐ][A-Za-zĐđ]{0,4}-[A-ZĐ][A-Za-zĐđ]{0,7}\d{0,2}"
    r"|\d{1,5}/(?:19|20)\d\d/[A-ZĐ]{2,6}\d{0,2}|\d{1,4}[a-z]?/[A-ZĐ]{2,6})(?![\w/-])"
)


def code_mentions(text: str) -> dict[str, int]:
    """Each document code the text cites, normalised ("06 - DA/TU" -> "06-DA/TU"), with the end
    offset of its first mention; first mention first."""
    seen: dict[str, int] = {}
    for m in _CODE.finditer(text):
        code = f"{m.group(1)}-{m.group(2)}" if m.group(1) else m.group(3)
        # "06-ĐA/TU" is cited as "06-DA/TU" as often: one form, as the tokenizer folds it.
        seen.setdefault(code.replace("Đ", "D").replace("đ", "d"), m.end())
    return seen


def find_codes(text: str) -> tuple[str, ...]:
    """Document codes the text cites, normalised, first mention first."""
    return tuple(code_mentions(text))


def read_manifest(folder: Path) -> dict[str, dict]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # one bad line must not cost the other documents their metadata
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            entries[entry["file"]] = entry
    return entries


_MONTH_SPAN = re.compile(r"((?:19|20)\d\d)-(\d\d)\s*/\s*((?:19|20)\d\d)-(\d\d)")
_YEAR_SPAN = re.compile(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def parse_period(period: str | None) -> tuple[int | None, int | None, str | None, str | None]:
    """(year_from, year_to, month_from, month_to) from a period string such as
    "2022-01/2022-06 (conference on June 30, 2022)", "2022-2023", "2014" or
    "June 11 (year not stated; context points to 2025)"."""
    if not period:
        return None, None, None, None
    if m := _MONTH_SPAN.search(period):
        y1, m1, y2, m2 = m.groups()
        return int(y1), int(y2), f"{y1}-{m1}", f"{y2}-{m2}"
    if m := _YEAR_SPAN.search(period):
        return int(m.group(1)), int(m.group(2)), None, None
    years = [int(y) for y in _YEAR.findall(period)]
    if years:
        return min(years), max(years), None, None
    return None, None, None, None


_PARTIAL_YEAR = (
    (re.compile(r"first (?:6|six) months of ((?:19|20)\d\d)|first half of ((?:19|20)\d\d)", re.I), "01", "06"),
    (re.compile(r"first (?:9|nine) months of ((?:19|20)\d\d)|january to september ((?:19|20)\d\d)", re.I), "01", "09"),
    # Vietnamese reports, matched folded: "sơ kết 6 tháng đầu năm 2022", "9 tháng đầu năm", "6 tháng cuối năm"
    (re.compile(r"\b(?:6|sau) thang dau nam ((?:19|20)\d\d)"), "01", "06"),
    (re.compile(r"\b(?:6|sau) thang cuoi nam ((?:19|20)\d\d)"), "07", "12"),
    (re.compile(r"\b(?:9|chin) thang (?:dau )?nam ((?:19|20)\d\d)"), "01", "09"),
    (re.compile(r"\bquy (?:i|1) (?:nam )?((?:19|20)\d\d)"), "01", "03"),
)


_TITLE_DATE = re.compile(r"\bngay\s+\d{1,2}(?:\s+thang\s+|/|-)\d{1,2}(?:\s+nam\s+|/|-)(?:19|20)\d\d")


def infer_period(title: str, text: str, issued: str | None = None) -> str | None:
    """A partial year named near the top; else the year the title names; else, for an issued
    document (plan, directive, ...), the year it was issued, since the years in its first lines
    are often those of the documents it implements; else the commonest year near the top."""
    lead = f"{title}\n{text[:800]}"
    # The date of a resolution the title implements is not the title's year ("... Nghị quyết số
    # 43-NQ/TW ngày 24/11/2023", "Resolution 43 dated November 24, 2023").
    undated = _TITLE_DATE.sub(" ", fold(title))
    title_years = [
        y for y in _YEAR.findall(undated) if not re.search(rf"\b(?:dated|of)\s+\S+\s+\d{{1,2}},?\s+{y}", undated)
    ]
    for scope in (title, lead):  # the title's own period first: a plan for the second half reviews the first
        folded = fold(scope)
        for pattern, m1, m2 in _PARTIAL_YEAR:
            m = pattern.search(folded if pattern.pattern.startswith("\\b") else scope)
            year = next((g for g in m.groups() if g), None) if m else None
            # Below the title, a part of another year than the title's is something else the text
            # mentions ("... năm 2023" reporting a 2022 conference).
            if year and (scope is title or not title_years or year in title_years):
                return f"{year}-{m1}/{year}-{m2}"
    if title_years:
        return title_years[-1] if len(set(title_years)) == 1 else f"{min(title_years)}-{max(title_years)}"
    if issued and infer_doc_type(title) != "news_report":
        return issued[:4]
    years = Counter(_YEAR.findall(lead)) or Counter(_YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


# Kinds of official documents, by the word their title opens with, in English and (folded) Vietnamese.
_DOC_TYPES = (
    (re.compile(r"^\s*(?:directive|chi thi)\b", re.I), "directive"),
    (re.compile(r"^\s*(?:action program|chuong trinh hanh dong)", re.I), "action_programme"),
    (re.compile(r"^\s*(?:plan|ke hoach)\b", re.I), "plan"),
    (re.compile(r"^\s*(?:notice|thong bao)\b", re.I), "notice"),
    (re.compile(r"^\s*(?:resolution|nghi quyet)\b", re.I), "resolution"),
    (re.compile(r"^\s*(?:decision|quyet dinh)\b", re.I), "decision"),
    (re.compile(r"^\s*(?:report|bao cao)\b(?!\s+(?:vien|chi))", re.I), "report"),
    (re.compile(r"^\s*(?:conclusion|ket luan)\b", re.I), "conclusion"),
    (re.compile(r"^\s*(?:guidance|instruction|huong dan)\b", re.I), "guidance"),
    (re.compile(r"^\s*(?:regulation|quy che)\b", re.I), "regulation"),
    (re.compile(r"^\s*(?:project|de an)\b", re.I), "project"),
)


_NAMED_DATE = re.compile(r"\b(" + MONTH_ALT + r")\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/((?:19|20)\d\d)\b")


_VI_DATE = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+((?:19|20)\d\d)\b")


def infer_date(text: str) -> str | None:
    """The issue or publication date from a document's first lines (a letterhead's "Dong Nai,
    March 26, 2013" or "Hà Tĩnh, ngày 12 tháng 3 năm 2023", a page's "Friday, 09/20/2024"): ISO
    when the month is named, else the year (day and month order differ between sites)."""
    head = "\n".join(text.split("\n")[:12])
    if m := _VI_DATE.search(fold(head)):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
    if m := _NAMED_DATE.search(head):
        month = MONTHS.index(m.group(1).lower()) + 1
        return f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"
    if m := _NUMERIC_DATE.search(head):
        return m.group(1)
    return None


def infer_doc_type(title: str) -> str:
    folded = fold(title)
    return next((kind for pattern, kind in _DOC_TYPES if pattern.search(folded)), "news_report")


_DISTRICT = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){0,2}) [Dd]istrict\b")
# A letterhead line in capitals: "LAM HA DISTRICT PARTY ORGANIZATION, NINH THUAN PROVINCE" (a
# commune's plan may name its district nowhere else).
_DISTRICT_LETTERHEAD = re.compile(r"^[#*_\s]*(?:[A-Z'’ ]+ OF )?([A-Z]+(?: [A-Z]+){0,2}) DISTRICT\b", re.M)


_KIND_LINE = re.compile(
    r"^[#*_\s]*(ACTION PROGRAM(?:ME)?|PLAN|DIRECTIVE|NOTICE|RESOLUTION|DECISION|REPORT|CONCLUSION|PROJECT|REGULATION"
    r"|INSTRUCTION|CHỈ THỊ|NGHỊ QUYẾT|KẾ HOẠCH|CHƯƠNG TRÌNH HÀNH ĐỘNG|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|KẾT LUẬN|BÁO CÁO"
    r"|THÔNG BÁO|HƯỚNG DẪN|QUY CHẾ"
    r"|ĐỀ ÁN)[*_\s]*$"
)
_NUMBER_LINE = re.compile(r"^\s*(?:No\.?|Số:?)\s*(\S+)\s*$")
# A Vietnamese letterhead names the issuing district: "HUYỆN ỦY QUỲ HỢP", "BAN DÂN VẬN HUYỆN ỦY QUỲ HỢP".
_VI_DISTRICT_LETTERHEAD = re.compile(
    r"^[#*_\s]*(?:BAN [A-ZÀ-ỸĐ ]+ )?HUYỆN [ỦU]Y ([A-ZÀ-ỸĐ]+(?: [A-ZÀ-ỸĐ]+){0,2})\s*$", re.M
)
# Issued by a province ("TỈNH ỦY QUẢNG BÌNH / BAN DÂN VẬN"): the districts its lead names are its parts.
_VI_PROVINCE_LETTERHEAD = re.compile(r"^[#*_\s]*TỈNH [ỦU]Y\b", re.M)
_VI_DISTRICT = re.compile(r"\bhuyện ([A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?: [A-ZĐÀ-Ỹ][a-zà-ỹđ]+){0,2})")


def letterhead_title(text: str) -> str | None:
    """An official document's title from its letterhead: the kind ("ACTION PROGRAMME"), the
    number line ("No. 53-CTr/TU") and the subject line under the kind ("on continuing to ...")."""
    lines = [line.strip() for line in text.split("\n")[:20]]
    for i, line in enumerate(lines):
        m = _KIND_LINE.match(line)
        if not m:
            continue
        kind = m.group(1).capitalize() if not m.group(1).isascii() else m.group(1).title()
        subject = next((line.strip("*_ ") for line in lines[i + 1 : i + 4] if line.strip("*_ ")), "")
        if not subject[:1].islower():
            subject = ""  # the body starts at once: no subject line
        number = next((n.group(1) for line in lines[:i] if (n := _NUMBER_LINE.match(line))), None)
        label = ("No." if m.group(1).isascii() else "số") if number else None
        return " ".join(filter(None, [kind, f"{label} {number}" if number else None, subject]))[:200]
    return None


def infer_title(text: str, hint: str = "") -> str:
    if hint:
        return hint
    if official := letterhead_title(text):
        return official
    for line in text.split("\n"):
        line = line.strip()
        # A dateline ("Friday, 09/20/2024") is not a title.
        if line and not re.fullmatch(r"[\w ,|–-]*\d{1,4}/\d{1,2}/\d{2,4}[\d: ]*", line):
            return line[:200]
    return ""


def build_meta(text: str, title_hint: str, entry: dict | None) -> DocumentMeta:
    """Manifest fields win; whatever the manifest leaves out is inferred from the text."""
    entry = entry or {}
    title = (entry.get("title") or "").strip() or infer_title(text, title_hint)
    lead = f"{title}\n{text[:1000]}"
    province = entry.get("province") or next(iter(find_provinces(lead) or find_provinces(text)), None)
    district = entry.get("district")
    if district is None and not entry:
        if m := _DISTRICT.search(lead):
            district = district_name(m.group(1))
        elif m := _DISTRICT_LETTERHEAD.search(text[:600]):
            district = district_name(m.group(1).title())
        elif m := _VI_DISTRICT_LETTERHEAD.search(text[:600]) or (
            not _VI_PROVINCE_LETTERHEAD.search(text[:300]) and _VI_DISTRICT.search(lead)
        ):
            district = fold(m.group(1)).title()  # stored as the English documents name it: "Quy Hop"
    period = entry.get("period") or (str(entry["year"]) if entry.get("year") else None)
    date = entry.get("date") or infer_date(text)
    period = period or infer_period(title, text, date)
    y1, y2, m1, m2 = parse_period(period)
    return DocumentMeta(
        title=title,
        doc_type=entry.get("doc_type") or infer_doc_type(title),
        province=province,
        district=district,
        period=period,
        year_from=y1,
        year_to=y2,
        month_from=m1,
        month_to=m2,
        codes=find_codes(text),
        outlet=entry.get("outlet"),
        date=date,
    )
