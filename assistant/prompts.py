"""Prompts and fixed user-facing texts live as files in `prompts/`, loaded by name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.md"
    if not path.is_file():
        from .errors import ConfigError

        raise ConfigError(f"prompt {name!r} not found in {PROMPTS_DIR}")
    return path.read_text(encoding="utf-8")
