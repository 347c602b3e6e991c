"""Lexical tokenization shared by the BM25 index and answer scoring (pure).

Keeps document codes (`25-CT/HU`) and figures (`3,315`, `2.4`) whole, folds diacritics so a
question typed without them still matches, and stems English words. Stopwords are the text's
language's: folded, Vietnamese "cán bộ" would otherwise lose "can" to the English list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from core.language import (
    ENGLISH_STOPWORDS,
    VI,
    VIETNAMESE_FOLDED_STOPWORDS,
    VIETNAMESE_STOPWORDS,
    detect,
    fold_keep_offsets,
    marked_share,
)

MARKED = 0.02  # share of marked letters above which a Vietnamese text was typed with its marks

_TOKEN = re.compile(
    r"\d+[a-z]?\s?-\s?[a-z]{1,5}(?:/[a-z]{1,6}){1,2}"  # 38-ctr/tu, 06 - da/tu
    r"|\d{1,5}(?:/(?:19|20)\d\d)?/[a-z]{1,5}-[a-z]{1,8}\d{0,2}(?![a-z0-9])"  # 1234/qd-ubnd, 45/2023/nd-cp
    r"|\d{1,5}/(?:19|20)\d\d/[a-z]{2,6}\d{0,2}(?![a-z0-9])"  # 08/2012/qh13
    r"|\d+[a-z]?/[a-z]{2,6}(?![a-z])"  # 30a/cp
    r"|\d+(?:[.,]\d+)*"  # 3,315  2.4  137/152 -> 137, 152
    r"|(?<![a-z])k?m2(?![a-z0-9])"  # 600 m2, 90,541m2 (m² folds to m2)
    r"|[a-z]+(?:'[a-z]+)?"
)

STOPWORDS = ENGLISH_STOPWORDS  # the words a keyword search of English text drops


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _normal(token: str) -> str:
    if token[0].isdigit():
        return re.sub(r"\s", "", token).replace(",", "") if "-" in token or "/" in token else token.replace(",", "")
    return token


# Spellings and units people use interchangeably, folded to one token.
_SYNONYMS = {
    "kilometr": "km",
    "kilomet": "km",
    "kilometer": "km",
    "kilometre": "km",
    "m2": "m2",
    "sqm": "m2",
    "percent": "%",
    "programm": "program",
    "labour": "labor",
    # "Dan van kheo" is translated every way: Skillful, Skilful, Clever, Smart Mass Mobilization.
    "skil": "skill",
    "clever": "skill",
    "smart": "skill",
    "dexter": "skill",
}
_AREA = {"meter": "m2", "metr": "m2", "km": "km2"}  # after "square"
VERSION = "7"  # bump when tokens change: lexical indexes built with other tokens are rebuilt


def tokenizer_id() -> str:
    """This tokenizer and the stemmer it stands on: indexes keep old chunks' tokens, so an index
    made by another (a PyStemmer upgrade too) must be rebuilt, not extended."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        stemmer = version("PyStemmer")
    except PackageNotFoundError:
        stemmer = "unknown"
    return f"{VERSION}+pystemmer-{stemmer}"


def _is_stopword(word: str, original: str, language: str, in_name: bool, marked: bool) -> bool:
    """`word` folded, `original` as written (lower-cased). In text written with its marks
    (`marked`), a word is a Vietnamese stopword only as written ("bao" of "bao nhiêu" is one, "báo"
    is not); in Vietnamese typed without marks, by its folded form; in English, a word inside a
    run of capitalised words ("Nghe An", "Can Tho") is a name, not a stopword."""
    if original != word or (language == VI and marked):
        return original in VIETNAMESE_STOPWORDS
    if language == VI:
        return word in VIETNAMESE_FOLDED_STOPWORDS
    return word in ENGLISH_STOPWORDS and not in_name


_CAPITALISED = re.compile(r"[A-ZĐÀ-Ỹ][^\W\d_]*")


def _name_words(text: str, matches: list[re.Match]) -> set[int]:
    """Starts of the word tokens that stand in a run of two or more capitalised words."""
    starts: set[int] = set()
    caps = [m for m in matches if _CAPITALISED.fullmatch(text, m.start(), m.end())]
    for a, b in zip(caps, caps[1:]):
        if not text[a.end() : b.start()].strip(" "):
            starts |= {a.start(), b.start()}
    return starts


# Answering reads the same sentences, passages and documents many times: their tokens are kept,
# many short texts and a few long ones, so that neither ingest (every chunk once) nor whole documents
# fill memory for nothing (tens of MB at most).
TOKEN_CACHE = 20000
CACHED_CHARS = 600
LONG_CACHE = 256


def tokenize(text: str, keep_stopwords: bool = False, language: str | None = None) -> list[str]:
    """`language`: the text's, when the caller knows it (default: detected)."""
    cached = _tokens if len(text) <= CACHED_CHARS else _cached_long
    return list(cached(text, keep_stopwords, language))


@lru_cache(maxsize=TOKEN_CACHE)
def _tokens(text: str, keep_stopwords: bool, language: str | None) -> tuple[str, ...]:
    return _tokenized(text, keep_stopwords, language)


@lru_cache(maxsize=LONG_CACHE)
def _cached_long(text: str, keep_stopwords: bool, language: str | None) -> tuple[str, ...]:
    return _tokenized(text, keep_stopwords, language)


def _tokenized(text: str, keep_stopwords: bool, language: str | None) -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", text.replace("²", "2"))
    folded = fold_keep_offsets(text)
    matches = list(_TOKEN.finditer(folded))
    if not keep_stopwords:
        language = language or detect(text)
        names = _name_words(text, [m for m in matches if m.group(0)[0].isalpha()]) if language != VI else set()
        marked = language == VI and marked_share(text) >= MARKED
        lower = text.lower()
        matches = [
            m
            for m in matches
            if m.group(0)[0].isdigit()
            or not _is_stopword(m.group(0), lower[m.start() : m.end()], language, m.start() in names, marked)
        ]
    stem = _stemmer().stemWord
    out: list[str] = []
    for m in matches:
        t = _normal(m.group(0))
        if not t[0].isdigit():
            t = stem(t)
            t = _SYNONYMS.get(t, t)
            if out and out[-1] == "squar" and t in _AREA:  # "square meters" is "m2"
                out[-1] = _AREA[t]
                continue
        out.append(t)
    return tuple(out)
