"""Prompt and fixed user-facing text files (Markdown, JSON, TSV), shipped as package data and
read through `importlib.resources` (`assistant.prompts`), so an installed copy has them too."""
