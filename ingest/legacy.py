"""Vietnamese typed in legacy 8-bit fonts (TCVN3 "ABC", VNI, VISCII) -> Unicode.

Older Party documents were typed in .VnTime or VNI-Times fonts: read as bytes or extracted from a
Word file, their letters surface as Latin-1 symbols ("D©n vËn" for "Dân vận"), which no search or
citation can use. viparse recognises the encoding from the text itself and converts it; Unicode
text and text in other languages are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LATIN1 = re.compile(r"[\xa1-\xff]")
# Letters only Unicode Vietnamese has (ă đ ơ ư and the tone-marked vowels of U+1EA0-U+1EF9): no
# legacy font's text contains them.
_UNICODE_VI = re.compile(r"[ăĂđĐơƠưƯ\u1ea0-\u1ef9]")
_SAMPLE = 20_000  # characters enough to tell the encoding (detection costs ~3 ms per 1,000)


def legacy_encoding(text: str) -> str | None:
    """'tcvn3', 'vni' or 'viscii' when the text is Vietnamese in that legacy encoding (all of it or
    the paragraphs not typed in Unicode Vietnamese), else None."""
    return _detect(text[: 2 * _SAMPLE])


@lru_cache(maxsize=8)  # a text file's text is asked twice: by `decode` (how to read it), then by `parse`
def _detect(head: str) -> str | None:
    sample = "\n".join(p for p in head.split("\n") if not _UNICODE_VI.search(p))[:_SAMPLE]
    # Every legacy encoding puts Vietnamese letters on Latin-1 symbols: English has next to none,
    # and Unicode Vietnamese paragraphs are left out above; both skip the detector.
    if len(_LATIN1.findall(sample)) < max(3, len(sample) // 200):
        return None
    import viparse  # only documents that may need it pay for the import

    return viparse.detect_text_encoding(sample)


def convert(text: str, encoding: str) -> str:
    """Legacy-encoded paragraphs to Unicode (NFC). A paragraph already in Unicode Vietnamese is
    kept as it is: a Word file typed in .VnTime often has a few paragraphs typed later in Unicode,
    which the legacy table would garble ("Dân" -> "Dõn", "Café" -> "Cafộ")."""
    import viparse

    def paragraph(part: str) -> str:
        if _UNICODE_VI.search(part) or len(_LATIN1.findall(part)) < 2:  # Unicode, or a stray "Café"
            return part
        lead, core, trail = re.fullmatch(r"(\s*)(.*?)(\s*)", part, re.S).groups()
        return lead + viparse.fix(core, encoding=encoding) + trail  # fix() also trims: keep the layout

    return "".join(paragraph(part) for part in re.split(r"(\n+)", text))
