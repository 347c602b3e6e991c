"""Pure text -> text cleaning functions, one per kind of junk, and `clean` composing them.

The cleaned text is the ground truth for citations: every quote must appear in it verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def normalize_unicode(text: str) -> str:
    """NFC (so "dân vận" typed either way matches), unified line ends, no zero-width chars."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    # Unicode line and paragraph separators are line ends: quotes must not carry them into JSONL.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", text)


_IMAGE_LINE = re.compile(r"^[ \t]*!\[[^\]]*\]\([^)]*\)[ \t]*\|?[ \t]*(?:\n|$)", re.MULTILINE)
_IMAGE_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)[ \t]*\|?")


def strip_image_markup(text: str) -> str:
    """Scraped `![]() |` leftovers: the picture is gone, only its markup remains."""
    return _IMAGE_MARKUP.sub("", _IMAGE_LINE.sub("", text))


_TRAILING_PIPE = re.compile(r"[ \t]*\|[ \t]*$", re.MULTILINE)


def strip_table_pipes(text: str) -> str:
    """Captions scraped from layout tables end in a lone `|`."""
    return _TRAILING_PIPE.sub("", text)


# "... at the conference. Photo: Mai Hoa", "... session - Photo: Le Minh", "(Photo: VNA)".
# The caption's own words are kept: they can carry facts (who chaired a meeting).
_PHOTO_CREDIT = re.compile(
    r"(?:\s+[-–—]\s*|\s+)\(?(?:Photo|Photos|Ảnh|Image)\s*:\s*[^.\n|()]{1,60}\)?[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def strip_photo_credits(text: str) -> str:
    return _PHOTO_CREDIT.sub("", text)


_BOILERPLATE_LINE = re.compile(
    r"^(?:source|nguồn|comments?\s*\(\d+\)|bình luận\s*\(\d+\)|share|print|facebook|zalo|twitter"
    r"|related news|related articles|tin liên quan|read more|xem thêm|tags?:.*|back to top"
    r"|send|your comment\.*|full name)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def strip_boilerplate_lines(text: str) -> str:
    """Whole lines of page furniture: `Source`, `Comment (0)`, share and related-news links."""
    return _BOILERPLATE_LINE.sub("", text)


_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HARD_BREAK = re.compile(r"[ \t]{2,}$|\\$", re.MULTILINE)
_MD_RULE = re.compile(r"^\s*(?:\*\s*){3,}$|^\s*(?:-\s*){3,}$|^\s*\*\s*$", re.MULTILINE)


def strip_markdown(text: str) -> str:
    """Markdown to plain prose: headings, emphasis and links lose their markup, not their words."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_HARD_BREAK.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


_SPACES = re.compile(r"[ \t\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def collapse_whitespace(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


Cleaner = Callable[[str], str]

PLAIN_STEPS: tuple[Cleaner, ...] = (
    normalize_unicode,
    strip_image_markup,
    strip_table_pipes,
    strip_photo_credits,
    strip_boilerplate_lines,
    collapse_whitespace,
)
MARKDOWN_STEPS: tuple[Cleaner, ...] = (normalize_unicode, strip_markdown, *PLAIN_STEPS[1:])


def clean(text: str, fmt: str = "txt") -> str:
    steps = MARKDOWN_STEPS if fmt == "md" else PLAIN_STEPS
    for step in steps:
        text = step(text)
    return text
