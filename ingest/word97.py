"""Word 97-2003 binary documents (.doc): the main text, read through the file's piece table.

olefile opens the OLE container; the rest follows [MS-DOC] 2.4.1 "Retrieving Text": the FIB at the
start of the WordDocument stream gives the main text's length (ccpText) and where the piece table
(Clx) lies in the table stream; each piece is 8-bit (cp1252) or UTF-16 text somewhere in the
WordDocument stream. Headers, footnotes and text boxes come after the main text and are left out,
as the .docx loader leaves them out.
"""

from __future__ import annotations

import io
import re
import struct

from .errors import SkipFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD97_NFIB = 0x00C1  # Word 6 and 95 files have a smaller, different FIB
_FCCLX_INDEX = 33  # fcClx/lcbClx is the 34th pair of FibRgFcLcb97


class NotWord97(SkipFile):
    """The bytes are not a readable Word 97-2003 document; the reason says why, for the user."""


def read_doc(data: bytes) -> tuple[str, str]:
    """A .doc file's bytes -> (main text with "\\n" between paragraphs, title from its properties)."""
    import olefile

    if not data.startswith(OLE_MAGIC):
        raise NotWord97("not a Word 97-2003 file (no OLE header)")
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        with ole:
            if ole.exists("EncryptedPackage"):  # a password-protected .docx under a .doc name
                raise NotWord97("password-protected Word file")
            if not ole.exists("WordDocument"):
                raise NotWord97("an OLE file without a Word document in it (Excel, PowerPoint, ...?)")
            word = ole.openstream("WordDocument").read()
            flags = _fib_flags(word)
            table_name = "1Table" if flags & 0x0200 else "0Table"  # fWhichTblStm
            if not ole.exists(table_name):
                raise NotWord97(f"damaged Word file (no {table_name} stream)")
            table = ole.openstream(table_name).read()
            title = _title(ole)
        text = main_text(word, table)
    except (OSError, struct.error, IndexError) as exc:  # olefile's "not an OLE2 file", truncated streams
        raise NotWord97(f"unreadable Word 97-2003 file ({exc.__class__.__name__}: {str(exc)[:80]})") from exc
    return tidy(text), title


def _fib_flags(word: bytes) -> int:
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident == 0xA5DC or (ident == 0xA5EC and nfib < _WORD97_NFIB and nfib != 0x00C0):  # 0xC0: some Word 97 writers
        raise NotWord97("a Word 6/95 file: open it in Word and save it as .docx to ingest it")
    if ident != 0xA5EC:
        raise NotWord97("damaged Word file (bad FIB signature)")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & 0x0100:  # fEncrypted
        raise NotWord97("password-protected Word file")
    return flags


def main_text(word: bytes, table: bytes) -> str:
    """The main document's characters, control characters and all, in document order."""
    csw = struct.unpack_from("<H", word, 32)[0]
    rg_lw = 34 + 2 * csw + 2
    cslw = struct.unpack_from("<H", word, rg_lw - 2)[0]
    ccp_text = struct.unpack_from("<I", word, rg_lw + 12)[0]
    rg_fclcb = rg_lw + 4 * cslw + 2
    if struct.unpack_from("<H", word, rg_fclcb - 2)[0] <= _FCCLX_INDEX:
        raise NotWord97("damaged Word file (FIB too short)")
    fc_clx, lcb_clx = struct.unpack_from("<II", word, rg_fclcb + 8 * _FCCLX_INDEX)
    if ccp_text > len(word):  # a character takes at least a byte: pieces would repeat the same bytes
        raise NotWord97("damaged Word file (more text than the file holds)")
    cps, pieces = _piece_table(table[fc_clx : fc_clx + lcb_clx])
    out, wanted = [], ccp_text
    for start, end, (compressed, offset) in zip(cps, cps[1:], pieces):
        n = min(end - start, wanted)
        if n <= 0:
            break
        if compressed:
            out.append(word[offset : offset + n].decode("latin-1").translate(_CP1252))
        else:
            out.append(word[offset : offset + 2 * n].decode("utf-16-le", errors="replace"))
        wanted -= n
    return "".join(out)


def _piece_table(clx: bytes) -> tuple[list[int], list[tuple[bool, int]]]:
    """Clx -> (character positions, (8-bit?, byte offset) of each piece)."""
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: formatting we do not need
        size = struct.unpack_from("<h", clx, i + 1)[0]
        if size < 0:  # signed: a negative size would loop forever
            raise NotWord97("damaged Word file (bad formatting entry)")
        i += 3 + size
    if i >= len(clx) or clx[i] != 0x02:
        raise NotWord97("damaged Word file (no piece table)")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5 : i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n < 1:
        raise NotWord97("damaged Word file (empty piece table)")
    cps = list(struct.unpack_from(f"<{n + 1}I", plc, 0))
    pieces = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        pieces.append((compressed, fc // 2 if compressed else fc))
    return cps, pieces


def _title(ole) -> str:
    """Best effort: damaged document properties cost the title, not the text."""
    try:
        meta = ole.get_metadata()
    except Exception:  # noqa: BLE001 - olefile's property parser raises many kinds
        return ""
    title = meta.title or b""
    if isinstance(title, str):
        return title.strip()
    page = (meta.codepage or 1252) & 0xFFFF  # stored signed: UTF-8's 65001 reads as -535
    try:
        return title.decode({65001: "utf-8", 1200: "utf-16-le"}.get(page, f"cp{page}")).strip()
    except (LookupError, UnicodeDecodeError):
        return title.decode("latin-1").strip()


# 8-bit pieces: these bytes are the cp1252 punctuation, every other byte stands for itself
# ([MS-DOC] 2.9.73 FcCompressed), so legacy-font text (.VnTime) comes out byte for byte for
# ingest/legacy.py to convert.
_CP1252 = {b: bytes([b]).decode("cp1252") for b in (*range(0x82, 0x8D), *range(0x91, 0x9D), 0x9F)}
_FIELD_MARKS = re.compile("[\x13\x14\x15]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # pictures, footnote marks, drawn objects...


def tidy(text: str) -> str:
    """Word's special characters -> plain text: a field keeps its result, not its code
    (HYPERLINK "..." or PAGE); table cells are joined with " | " as the .docx loader joins them.
    A row's end mark is the same character as a cell's: told apart by position only (two in a
    row), so an empty cell at a row's end also ends the line (telling them apart needs the
    paragraph properties, which this reader does not parse)."""
    text = _drop_field_codes(text)
    text = text.replace("\x07\x07", "\n").replace("\x07", " | ")  # cell mark, then the row's end mark
    text = text.replace("\x1e", "-").replace("\x1f", "")  # non-breaking hyphen, optional hyphen
    text = text.replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return _CONTROL.sub("", text).strip()


def _drop_field_codes(text: str) -> str:
    """Fields nest: 0x13 code 0x14 result 0x15, or 0x13 code 0x15 with no result. Text is kept
    while no open field is in its code part. A field never closed (a damaged file) would swallow
    the rest of the document: then only the marks are dropped."""
    out, stack, in_code, pos = [], [], 0, 0  # stack: per open field, "still in its code part"
    for m in _FIELD_MARKS.finditer(text):
        if not in_code:
            out.append(text[pos : m.start()])
        mark = m.group()
        if mark == "\x13":
            stack.append(True)
            in_code += 1
        elif mark == "\x14" and stack and stack[-1]:
            stack[-1] = False
            in_code -= 1
        elif mark == "\x15" and stack:
            in_code -= stack.pop()
        pos = m.end()
    if in_code:
        return _FIELD_MARKS.sub("", text)
    out.append(text[pos:])
    return "".join(out)
