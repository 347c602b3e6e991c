"""Loaders: bytes on disk -> RawDocument. One loader per format, picked by suffix."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from charset_normalizer import from_bytes

from core.documents import RawDocument

from .errors import SkipFile
from .legacy import convert, legacy_encoding

MAX_BYTES = 20 * 2**20  # a larger "document" is almost certainly a dump, not a report


def decode(data: bytes) -> str:
    """Decode text of unknown encoding: BOMs first, then UTF-8, legacy Vietnamese, then a real detector."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise SkipFile("binary content (NUL bytes) in a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Legacy Vietnamese fonts' bytes are read one character per byte (`parse` converts them): a
    # generic detector would guess a Baltic code page for them and garble every letter.
    latin = data.decode("latin-1")
    if legacy_encoding(latin):
        return latin
    best = from_bytes(data).best()
    if best is None:
        raise SkipFile("not text: no character encoding fits")
    return str(best)


def _load_text(data: bytes) -> tuple[str, str]:
    return decode(data), ""


# Inline styles that hide an element from its reader: a page can hide text for search engines, or
# for a model to find, and what a reader cannot see is not what the document says.
_ZERO = r"\s*:\s*-?0*\.?0*(?:px|pt|em|rem|%)?\s*(?:!important)?\s*(?:;|$)"
_HIDDEN_STYLE = re.compile(
    rf"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|(?<![-\w])font-size{_ZERO}|(?<![-\w])opacity{_ZERO}"
    r"|clip\s*:\s*rect\(\s*0|clip-path\s*:\s*inset\(\s*(?:50|100)%|text-indent\s*:\s*-\d{3,}",
    re.IGNORECASE,
)
_COLLAPSED = re.compile(rf"(?<![-\w])(?:max-)?(?:height|width){_ZERO}", re.IGNORECASE)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_XPATH = "//*[@hidden] | //template | //input[@type='hidden'] | //*[@style]"


def _hides(style: str) -> bool:
    return bool(_HIDDEN_STYLE.search(style) or (_COLLAPSED.search(style) and _OVERFLOW_HIDDEN.search(style)))


def visible_html(html: str) -> str:
    """The page without the elements a browser would not show its reader (inline styles and the
    `hidden` attribute; a stylesheet's classes are not evaluated)."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    for el in root.xpath(_HIDDEN_XPATH):
        style = el.get("style")
        if (style is None or _hides(style)) and el.getparent() is not None:
            el.drop_tree()  # the element and its text; the text after it (its tail) stays
    return lxml.html.tostring(root, encoding="unicode")


def _load_html(data: bytes) -> tuple[str, str]:
    import trafilatura  # heavy import: only when HTML is actually ingested

    html = visible_html(decode(data))
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, with_metadata=True, favor_precision=True
    )
    if doc is None or not (doc.text or "").strip():
        raise SkipFile("HTML page with no extractable article text")
    title = (doc.title or "").strip()
    # The extractor drops the <h1>; keep the title as the first line so it can be quoted.
    text = f"{title}\n\n{doc.text}" if title and not doc.text.startswith(title) else doc.text
    return text, title


def _load_pdf(data: bytes) -> tuple[str, str]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SkipFile("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title or "") if reader.metadata else ""
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SkipFile(f"unreadable PDF ({exc.__class__.__name__}: {str(exc)[:80]})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise SkipFile("PDF without a text layer (a scan?): no text to index")
    return text, str(title).strip()


def _load_docx(data: bytes) -> tuple[str, str]:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SkipFile(f"unreadable Word file ({exc.__class__.__name__})") from exc
    blocks = [p.text for p in document.paragraphs]
    for table in document.tables:
        blocks += [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
    text = "\n".join(b for b in blocks if b.strip())
    if not text:
        raise SkipFile("Word file with no text")
    return text, (document.core_properties.title or "").strip()


def _load_doc(data: bytes) -> tuple[str, str]:
    """A file named .doc is read as what it is: Word also saves RTF and web pages under that name,
    and renamed .docx files are common."""
    from .word97 import OLE_MAGIC, read_doc

    if data.startswith(OLE_MAGIC):
        text, title = read_doc(data)  # its NotWord97 is a SkipFile with the reason
        if not text:
            raise SkipFile("Word file with no text")
        return text, title
    if data.startswith(b"PK\x03\x04"):
        return _load_docx(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return _load_rtf(data)
    if b"<html" in head:
        return _load_html(data)
    if b"schemas.microsoft.com/office/word/2003/wordml" in head:
        return _load_wordml(data)
    raise SkipFile("not a Word document (neither Word 97-2003, .docx, RTF, Word 2003 XML nor a web page)")


def _load_wordml(data: bytes) -> tuple[str, str]:
    """Word 2003 XML ("WordML"), which Word also saved under a .doc name: paragraphs' text runs."""
    from lxml import etree

    w, o = "{http://schemas.microsoft.com/office/word/2003/wordml}", "{urn:schemas-microsoft-com:office:office}"
    try:  # no entities, no network: the file is untrusted
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise SkipFile(f"unreadable Word 2003 XML ({str(exc)[:80]})") from exc
    body = root.find(f"{w}body")
    paragraphs = [
        "".join(t.text or "" for t in p.iter(f"{w}t")) for p in (body if body is not None else root).iter(f"{w}p")
    ]
    text = "\n".join(p for p in paragraphs if p.strip())
    if not text:
        raise SkipFile("Word file with no text")
    title = root.find(f"{o}DocumentProperties/{o}Title")
    return text, (title.text or "").strip() if title is not None else ""


def _load_rtf(data: bytes) -> tuple[str, str]:
    from striprtf.striprtf import rtf_to_text

    rtf = data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")  # 7-bit: other characters are \'hh or \uN escapes
    if not rtf.lstrip().startswith("{\\rtf"):
        raise SkipFile("not an RTF file (no {\\rtf header)")
    try:
        text = rtf_to_text(rtf, errors="replace")  # the code page comes from \ansicpg and the fonts' charsets
        title = ""
        if m := re.search(r"{\\title\s?([^{}]*)}", rtf[:65536]):
            # Read with the header before the {\info group (code page, fonts), as the body is.
            cut = rtf.rfind("{\\info", 0, m.start())
            title = rtf_to_text(rtf[: cut if cut >= 0 else m.start()] + m.group(1) + "}", errors="replace")
    except (ValueError, IndexError) as exc:
        raise SkipFile(f"unreadable RTF ({exc.__class__.__name__})") from exc
    if not text.strip():
        raise SkipFile("RTF file with no text")
    return text, title.strip()


LOADERS: dict[str, tuple[str, Callable[[bytes], tuple[str, str]]]] = {
    ".txt": ("txt", _load_text),
    ".md": ("md", _load_text),
    ".markdown": ("md", _load_text),
    ".html": ("html", _load_html),
    ".htm": ("html", _load_html),
    ".pdf": ("pdf", _load_pdf),
    ".docx": ("docx", _load_docx),
    ".doc": ("doc", _load_doc),
    ".rtf": ("rtf", _load_rtf),
}


def supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def read(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, read once: the content hash and the parsed text come from the same read,
    so a file rewritten mid-run can never be stored under another version's key."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipFile(
                f"too large ({size / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB; raise DANVAN_MAX_FILE_MB to ingest it)"
            )
        return path.read_bytes()
    except OSError as exc:  # vanished since listing, unreadable, a directory...
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc


def parse(path: Path, data: bytes) -> RawDocument:
    """Bytes of a file -> RawDocument (the loader is chosen by the file's suffix)."""
    fmt, loader = LOADERS.get(path.suffix.lower(), (None, None))
    if loader is None:
        raise SkipFile(f"unsupported file type {path.suffix or '(none)'}")
    if not data.strip():
        raise SkipFile("empty file")
    try:
        text, title = loader(data)
    except SkipFile:
        raise
    except Exception as exc:  # a third-party parser failing on one odd file must not stop a run over thousands
        raise SkipFile(f"unreadable {fmt} file ({exc.__class__.__name__}: {str(exc)[:80]})") from exc
    text, title = _paired_surrogates(text), _paired_surrogates(title)
    encoding = legacy_encoding(text)  # text files' bytes, and Word or PDF files typed in .VnTime fonts
    if encoding:
        text, title = convert(text, encoding), convert(title, encoding)
    return RawDocument(
        path=str(path), source=path.name, text=text, format=fmt, title_hint=title, converted_from=encoding
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _paired_surrogates(text: str) -> str:
    """RTF writes a character beyond the BMP (an emoji) as two \\uN halves, which arrive as two
    surrogates: joined into the character; a lone half (not encodable) becomes U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def load(path: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    return parse(path, read(path, max_bytes))
