"""Prompts and fixed user-facing texts live as files in `prompts/`, loaded by name."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=None)
def load_prompt(name: str, language: str = "en") -> str:
    """`name.LANG.md` when there is one for the language, else `name.md` (English)."""
    for path in (PROMPTS_DIR / f"{name}.{language}.md", PROMPTS_DIR / f"{name}.md"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    from core.errors import ConfigError

    raise ConfigError(f"prompt {name!r} not found in {PROMPTS_DIR}")


@lru_cache(maxsize=None)
def _reasons(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    path = PROMPTS_DIR / f"reasons.{language}.tsv"
    if not path.is_file():
        return ()
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return tuple((re.compile(pattern), wording) for pattern, wording in rows)


def word_reason(reason: str, language: str) -> str:
    """A refusal's reason in the question's language (the English one when there is no wording)."""
    for pattern, wording in _reasons(language):
        if pattern.match(reason):
            return pattern.sub(wording, reason)
    return reason
