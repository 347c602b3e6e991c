"""The fixed texts a reader sees (the chat UI's, a brief's headings), one file per language:
`prompts/texts.LANG.json`. English is the fallback for a language or a key that has none."""

from __future__ import annotations

import json
from functools import lru_cache

from .prompts import read_resource

LANGUAGES = ("en", "vi")


@lru_cache(maxsize=None)
def texts(language: str) -> dict:
    found = read_resource(f"texts.{language}.json")
    return json.loads(found) if found is not None else {}


def language_of(code: str | None) -> str:
    """'vi-VN', 'vi' -> 'vi'; anything we have no texts for -> 'en'."""
    primary = (code or "").split("-")[0].split("_")[0].lower()
    return primary if primary in LANGUAGES else "en"


def text(section: str, key: str, language: str = "en", **values) -> str | list[str]:
    found = texts(language_of(language)).get(section, {}).get(key)
    if found is None:
        found = texts("en")[section][key]
    return found.format(**values) if values and isinstance(found, str) else found
