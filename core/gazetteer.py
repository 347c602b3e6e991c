"""Place names, and the diacritic folding that lets "Quảng Ninh" and "Quang Ninh" match."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ALT = "|".join(MONTHS)  # for regexes


def fold(text: str) -> str:
    """Lower-case ASCII skeleton of Vietnamese text: "Đảng ủy" -> "dang uy"."""
    if text.isascii():  # most of an English corpus: nothing to strip (a third of ingest's tokenizing time)
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return decomposed.translate(_combining_marks()).lower()


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every code point `unicodedata.combining` flags, for str.translate (a per-character Python
    test cost 0.3 s per 1,000 chunks)."""
    return {cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp))}


# The 63 provinces and centrally-run cities (pre-2025 map, the one the documents use),
# each with the aliases people type.
PROVINCES: dict[str, tuple[str, ...]] = {
    "An Giang": (),
    "Ba Ria - Vung Tau": ("Ba Ria-Vung Tau", "Ba Ria Vung Tau", "Vung Tau"),
    "Bac Giang": (),
    "Bac Kan": ("Bac Can",),
    "Bac Lieu": (),
    "Bac Ninh": (),
    "Ben Tre": (),
    "Binh Dinh": (),
    "Binh Duong": (),
    "Binh Phuoc": (),
    "Binh Thuan": (),
    "Ca Mau": (),
    "Can Tho": (),
    "Cao Bang": (),
    "Da Nang": (),
    "Dak Lak": ("Dac Lac", "Daklak"),
    "Dak Nong": ("Daknong",),
    "Dien Bien": (),
    "Dong Nai": (),
    "Dong Thap": (),
    "Gia Lai": (),
    "Ha Giang": (),
    "Ha Nam": (),
    "Hanoi": ("Ha Noi",),
    "Ha Tinh": (),
    "Hai Duong": (),
    "Hai Phong": ("Haiphong",),
    "Hau Giang": (),
    "Hoa Binh": (),
    "Hung Yen": (),
    "Khanh Hoa": (),
    "Kien Giang": (),
    "Kon Tum": ("Kontum",),
    "Lai Chau": (),
    "Lam Dong": (),
    "Lang Son": (),
    "Lao Cai": (),
    "Long An": (),
    "Nam Dinh": (),
    "Nghe An": (),
    "Ninh Binh": (),
    "Ninh Thuan": (),
    "Phu Tho": (),
    "Phu Yen": (),
    "Quang Binh": (),
    "Quang Nam": (),
    "Quang Ngai": (),
    "Quang Ninh": (),
    "Quang Tri": (),
    "Soc Trang": (),
    "Son La": (),
    "Tay Ninh": (),
    "Thai Binh": (),
    "Thai Nguyen": (),
    "Thanh Hoa": (),
    "Ho Chi Minh City": ("HCMC", "Ho Chi Minh city", "Saigon"),
    "Thua Thien Hue": ("Thua Thien - Hue", "Thua Thien-Hue", "Hue"),
    "Tien Giang": (),
    "Tra Vinh": (),
    "Tuyen Quang": (),
    "Vinh Long": (),
    "Vinh Phuc": (),
    "Yen Bai": (),
}


def mentions(text: str, name: str) -> re.Match | None:
    """Where `name` occurs in `text` as whole words, diacritics and case aside."""
    return re.search(r"(?<![a-z])" + re.escape(fold(name)) + r"(?![a-z])", fold(text))


def _alternation(forms) -> re.Pattern[str]:
    """Any of these folded forms as whole words, the longest first at a position ("lang son"
    before "son la", "que phong" before "phong")."""
    return re.compile(r"(?<![a-z])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")(?![a-z])")


def _first_mentions(text: str, pattern: re.Pattern[str], canonical: dict[str, str]) -> dict[str, int]:
    """Canonical name -> offset of its first mention in the folded text, in order of mention."""
    seen: dict[str, int] = {}
    for m in pattern.finditer(fold(text)):
        seen.setdefault(canonical[m.group(1)], m.start())
    return seen


def find_names(text: str, names: frozenset[str]) -> list[tuple[str, int]]:
    """Each of `names` that `text` mentions as whole words (diacritics aside), with the offset of
    its first mention, in order of mention. Where names overlap the leftmost wins, then the longest
    ("Que Phong", not also "Phong"); spellings that fold alike count as one name.

    A mention is written as a name: capitalised, unless the whole text is in lower case (typed
    fast), and a one-word name always is. Folded, a district learned from one document ("huyện
    Tân") is also a common syllable: "tấn công" (attack), "tân binh" (recruit)."""
    pattern, canonical = _names_pattern(names)
    if not pattern:
        return []
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    aligned = len(folded) == len(text)  # NFC letters fold one for one; offsets then point into text
    lowercase = not any(c.isupper() for c in text)
    seen: dict[str, int] = {}
    for m in pattern.finditer(folded):
        name = canonical[m.group(1)]
        if aligned and not text[m.start()].isupper() and (not lowercase or " " not in name):
            continue
        seen.setdefault(name, m.start())
    return list(seen.items())


@lru_cache(maxsize=8)
def _names_pattern(names: frozenset[str]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    # One pattern for all names: a pattern per name overflowed re's cache of 512 at a few hundred
    # districts and recompiled every one of them for every question (~110 ms each at 20k documents).
    canonical: dict[str, str] = {}
    for name in sorted(names):
        canonical.setdefault(fold(name), name)
    return (_alternation(canonical) if canonical else None), canonical


@lru_cache(maxsize=1)
def _province_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    canonical = {}
    for name, aliases in PROVINCES.items():
        for form in (name, *aliases):
            canonical[fold(form)] = name
    return _alternation(canonical), canonical


def starts_with_province(text: str) -> bool:
    """Whether `text` begins with a province's name or alias ("Ha Tinh Provincial ...")."""
    return _province_pattern()[0].match(fold(text)) is not None


def find_provinces(text: str) -> list[str]:
    """Canonical province names in order of first mention (diacritics optional)."""
    return list(_first_mentions(text, *_province_pattern()))


# Capitalised English words that start a sentence before "district" ("The district Party
# Committee ...", "In Que Phong district ..."): not part of a district's name.
_NOT_A_NAME = frozenset("the in of for at by this that each every whole entire our all across from within".split())


def district_name(words: str) -> str | None:
    """The district name in the capitalised words before "district", or None when they are only
    English words ("The district ..." named a district "The" in earlier stores)."""
    parts = words.split()
    while parts and parts[0].lower() in _NOT_A_NAME:
        parts.pop(0)
    return " ".join(parts) or None
