"""Document text made inert for Markdown. Documents are data: a `<script>`, an `<img src=...>` or
a `[link](...)` in a source must reach a reader as the characters it is, never as markup that a
Markdown viewer (or the chat) renders, runs or fetches."""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones that can
# start markup: HTML (<), links and images ([ ] !), code, emphasis, tables, math, entities (&).
_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~$&#])")
_LINE_ENDS = re.compile(r"[\r\n\u2028\u2029\x85]+")
# GitHub-flavoured renderers (the chat's) turn a bare URL into a link: an escaped colon or dot
# after the scheme keeps it text.
_BARE_URL = re.compile(r"(?i)\b(https?|ftp|www)([:.])")
# A citation marker "[3]" stays readable: it is a link only when "(" or ":" follows it, and then
# it stays escaped.
_MARKER = re.compile(r"\\\[(\d{1,3})\\\](?![(:])")


def md_text(text: str | None) -> str:
    """Inline text: every markup character escaped, line ends made spaces (a line of its own
    could start a heading, a list or a raw HTML block)."""
    text = _SPECIAL.sub(r"\\\1", _LINE_ENDS.sub(" ", text or ""))
    return _MARKER.sub(r"[\1]", _BARE_URL.sub(r"\1\\\2", text))


def md_cell(text: str | None) -> str:
    """A table cell: as `md_text` (which escapes `|` too)."""
    return md_text(text)
