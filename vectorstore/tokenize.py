"""Lexical tokenization shared by the BM25 index and answer scoring (pure).

Keeps document codes (`25-CT/HU`) and figures (`3,315`, `2.4`) whole, folds diacritics so a
question typed without them still matches, and stems English words.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from ingest.gazetteer import fold

_TOKEN = re.compile(
    r"\d+[a-z]?\s?-\s?[a-z]{1,5}(?:/[a-z]{1,6}){1,2}"  # 38-ctr/tu, 06 - da/tu
    r"|\d+[a-z]?/[a-z]{2,6}(?![a-z])"  # 30a/cp
    r"|\d+(?:[.,]\d+)*"  # 3,315  2.4  137/152 -> 137, 152
    r"|(?<![a-z])k?m2(?![a-z0-9])"  # 600 m2, 90,541m2 (m² folds to m2)
    r"|[a-z]+(?:'[a-z]+)?"
)

STOPWORDS = frozenset(
    """a an and are as at be been by did do does for from had has have he her his how i if in into
    is it its many much of on or our she so than that the their them there these they this those to
    was were what when where which who whom whose why will with would you your about after all also
    any can could each other over per s some such up us we well more most only own same then
    tell give list please me according report document documents say says said""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _normal(token: str) -> str:
    if token[0].isdigit():
        return re.sub(r"\s", "", token).replace(",", "") if "-" in token or "/" in token else token.replace(",", "")
    return token


# Spellings and units people use interchangeably, folded to one token.
_SYNONYMS = {
    "kilometr": "km", "kilomet": "km", "kilometer": "km", "kilometre": "km",
    "m2": "m2", "sqm": "m2",
    "percent": "%",
    "programm": "program", "labour": "labor",
    # "Dan van kheo" is translated every way: Skillful, Skilful, Clever, Smart Mass Mobilization.
    "skil": "skill", "clever": "skill", "smart": "skill", "dexter": "skill",
}
_AREA = {"meter": "m2", "metr": "m2", "km": "km2"}  # after "square"
VERSION = "4"  # bump when tokens change: lexical indexes built with other tokens are rebuilt


def tokenizer_id() -> str:
    """This tokenizer and the stemmer it stands on: indexes keep old chunks' tokens, so an index
    made by another (a PyStemmer upgrade too) must be rebuilt, not extended."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        stemmer = version("PyStemmer")
    except PackageNotFoundError:
        stemmer = "unknown"
    return f"{VERSION}+pystemmer-{stemmer}"


def tokenize(text: str, keep_stopwords: bool = False) -> list[str]:
    raw = [_normal(t) for t in _TOKEN.findall(fold(text.replace("²", "2")))]
    words = [t for t in raw if keep_stopwords or t not in STOPWORDS]
    stem = _stemmer().stemWord
    out: list[str] = []
    for t in words:
        if not t[0].isdigit():
            t = stem(t)
            t = _SYNONYMS.get(t, t)
            if out and out[-1] == "squar" and t in _AREA:  # "square meters" is "m2"
                out[-1] = _AREA[t]
                continue
        out.append(t)
    return out
