"""Prompts and fixed user-facing texts live as files in the `prompts` package, loaded by name
through `importlib.resources`: a checkout and an installed wheel read them the same way."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from core.errors import ConfigError


def read_resource(name: str) -> str | None:
    """The text of `prompts/<name>`, or None when there is no such file."""
    found = files("prompts").joinpath(name)
    return found.read_text(encoding="utf-8") if found.is_file() else None


@lru_cache(maxsize=None)
def load_prompt(name: str, language: str = "en") -> str:
    """`name.LANG.md` when there is one for the language, else `name.md` (English)."""
    for candidate in (f"{name}.{language}.md", f"{name}.md"):
        text = read_resource(candidate)
        if text is not None:
            return text
    raise ConfigError(f"prompt {name!r} not found in the prompts package")


@lru_cache(maxsize=None)
def _reasons(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    text = read_resource(f"reasons.{language}.tsv")
    if text is None:
        return ()
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((re.compile(pattern), wording) for pattern, wording in rows)


def word_reason(reason: str, language: str) -> str:
    """A refusal's reason in the question's language (the English one when there is no wording)."""
    for pattern, wording in _reasons(language):
        if pattern.match(reason):
            return pattern.sub(wording, reason)
    return reason
