"""Vietnamese typed in legacy 8-bit fonts (TCVN3 "ABC", VNI, VISCII) -> Unicode.

Older Party documents were typed in .VnTime or VNI-Times fonts: read as bytes or extracted from a
Word file, their letters surface as Latin-1 symbols ("D©n vËn" for "Dân vận"), which no search or
citation can use. viparse recognises the encoding from the text itself and converts it; Unicode
text and text in other languages are left alone.
"""

from __future__ import annotations

import re

_LATIN1 = re.compile(r"[\xa1-\xff]")
_SAMPLE = 20_000  # characters enough to tell the encoding (detection costs ~3 ms per 1,000)


def legacy_encoding(text: str) -> str | None:
    """'tcvn3', 'vni' or 'viscii' when the text is Vietnamese in that legacy encoding, else None."""
    sample = text[:_SAMPLE]
    # Every legacy encoding puts Vietnamese letters on Latin-1 symbols; English has next to none,
    # so most documents skip the detector.
    if len(_LATIN1.findall(sample)) < max(3, len(sample) // 200):
        return None
    import viparse  # only documents that may need it pay for the import

    return viparse.detect_text_encoding(sample)


def to_unicode(text: str) -> str:
    """The text with legacy-encoded Vietnamese converted to Unicode (NFC); other text unchanged."""
    encoding = legacy_encoding(text)
    if encoding is None:
        return text
    import viparse

    return viparse.fix(text, encoding=encoding)
