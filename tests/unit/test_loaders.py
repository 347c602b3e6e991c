"""Loaders on files built on the fly: every format, encodings, and broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import SkipFile
from ingest.load import load
from tests.helpers.documents import LEGACY, UNICODE, VIETNAMESE, WORD97, to_windows_1258, word97_with
from tests.helpers.stores import SAMPLE


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (Helvetica), written by hand."""
    text = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def test_pdf_text_layer(tmp_path: Path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(make_pdf(["Plan No. 12-KH/TU on mass mobilization", "In 2023 the province built 45 km of roads."]))
    raw = load(path)
    assert raw.format == "pdf" and "12-KH/TU" in raw.text and "45 km of roads" in raw.text


def test_truncated_pdf_is_reported(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(make_pdf(["Some text here"])[:120])
    with pytest.raises(SkipFile) as err:
        load(path)
    assert "PDF" in err.value.reason


def test_docx_paragraphs_and_tables(tmp_path: Path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Directive 22-CT/HU"
    d.add_paragraph("The Standing Committee issued Directive 22-CT/HU on advanced new rural areas.")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Roads", "12 km"
    path = tmp_path / "directive.docx"
    d.save(path)
    raw = load(path)
    assert (
        raw.title_hint == "Directive 22-CT/HU"
        and "advanced new rural areas" in raw.text
        and "Roads | 12 km" in raw.text
    )
    (tmp_path / "fake.docx").write_bytes(b"not a zip at all")
    with pytest.raises(SkipFile):
        load(tmp_path / "fake.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_text_encodings(tmp_path: Path, encoding: str):
    path = tmp_path / "vi.txt"
    path.write_bytes("Công tác dân vận năm 2020 của tỉnh Quảng Ninh.".encode(encoding))
    assert load(path).text.lstrip("\ufeff").startswith("Công tác dân vận")


def test_binary_and_empty_and_unsupported(tmp_path: Path):
    cases = {"bin.txt": b"\x00\x01\x02\x03" * 50, "empty.md": b"", "x.xyz": b"data"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(SkipFile):
            load(tmp_path / name)


def test_windows_1258_is_detected_and_normalised_to_nfc(tmp_path: Path):
    from ingest.clean import clean

    path = tmp_path / "legacy.txt"
    path.write_bytes(to_windows_1258(VIETNAMESE))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    text = clean(load(path).text)
    assert text == VIETNAMESE  # precomposed (NFC) again: "dân vận" matches however it was typed


@pytest.mark.parametrize("encoding", LEGACY)
def test_legacy_font_encodings_become_unicode(tmp_path: Path, encoding: str):
    """Bytes of a text file typed in a legacy font, and a Word file whose runs kept the legacy
    characters: both are stored as Unicode Vietnamese."""
    import docx

    from ingest.legacy import legacy_encoding

    assert legacy_encoding(LEGACY[encoding]) == encoding
    (tmp_path / "old.txt").write_bytes(LEGACY[encoding].encode("latin-1"))
    document = docx.Document()
    document.add_paragraph(LEGACY[encoding])
    document.save(tmp_path / "old.docx")
    for name in ("old.txt", "old.docx"):
        raw = load(tmp_path / name)
        assert (raw.text, raw.converted_from) == (UNICODE, encoding)  # the ingest report lists it


def test_a_legacy_document_with_paragraphs_typed_in_unicode_converts_only_the_legacy_ones(tmp_path: Path):
    (tmp_path / "mixed.txt").write_text(
        "\n\n".join([LEGACY["tcvn3"], VIETNAMESE, "  " + LEGACY["tcvn3"], "Café 2022."])
    )
    raw = load(tmp_path / "mixed.txt")
    assert (
        raw.text == "\n\n".join([UNICODE, VIETNAMESE, "  " + UNICODE, "Café 2022."]) and raw.converted_from == "tcvn3"
    )


def test_unicode_vietnamese_english_and_windows_1258_are_not_legacy():
    from ingest.legacy import legacy_encoding

    english = SAMPLE / "lang-son-2023-great-solidarity.txt"
    for text in (
        UNICODE,
        VIETNAMESE,
        english.read_text(encoding="utf-8"),
        to_windows_1258(VIETNAMESE).decode("latin-1"),
    ):
        assert legacy_encoding(text) is None
    raw = load(english)
    assert raw.text == english.read_text(encoding="utf-8") and raw.converted_from is None  # not even whitespace touched


def test_too_large_and_vanished_files(tmp_path: Path):
    big = tmp_path / "dump.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(SkipFile) as err:
        load(big, max_bytes=1024)
    assert "too large" in err.value.reason and "DANVAN_MAX_FILE_MB" in err.value.reason
    with pytest.raises(SkipFile) as err:
        load(tmp_path / "gone.txt")
    assert "cannot read" in err.value.reason


# --- Word 97-2003 (.doc) and RTF -----------------------------------------------------------------


def test_word97_file_saved_by_word():
    raw = load(WORD97)
    assert (raw.format, raw.text) == ("doc", "Test OLE file, saved as Word 97-2003 Document.")


def test_word97_unicode_and_8_bit_pieces_fields_tables_and_legacy_fonts(tmp_path: Path):
    """Unicode Vietnamese in a UTF-16 piece, a .VnTime paragraph in an 8-bit piece (converted like
    any legacy-font text), a hyperlink field (its result kept, its code dropped), a table row, and a
    footnote after the main text that is left out."""
    pieces = [
        ("Chỉ thị 25-CT/HU về công tác dân vận\r", False),
        (LEGACY["tcvn3"] + "\r", True),
        ('Xem \x13 HYPERLINK "http://dv.vn/a" \x14Báo cáo\x15 số 12\x02 năm 2023\r', False),
        ("Đường\x0712 km\x07\x07", False),
        ("Chú thích cuối trang\r", False),
    ]
    path = word97_with(tmp_path, pieces, main_chars=sum(len(t) for t, _ in pieces[:-1]))
    raw = load(path)
    assert raw.text == f"Chỉ thị 25-CT/HU về công tác dân vận\n{UNICODE}\nXem Báo cáo số 12 năm 2023\nĐường | 12 km"
    assert raw.converted_from == "tcvn3"


def test_word97_nested_fields_keep_every_result():
    from ingest.word97 import tidy

    assert tidy("a\x13 IF \x13 PAGE \x141\x15 = 1 \x14one\x15b") == "aoneb"
    assert tidy("\x13 TOC \x14r1\x13 PAGEREF x \x14r2\x15r3\x15 end") == "r1r2r3 end"
    assert tidy("\x13 PAGE \x15after") == "after"  # a field with no result


def test_word97_files_that_cannot_be_read_say_why(tmp_path: Path):
    cases = {
        "truncated": (WORD97.read_bytes()[:1500], "unreadable Word 97-2003 file"),
        "word95": (word97_with(tmp_path, [("Old text\r", True)], nfib=104).read_bytes(), "Word 6/95"),
        "word6": (word97_with(tmp_path, [("Old text\r", True)], ident=0xA5DC, nfib=101).read_bytes(), "Word 6/95"),
        "not-word": (word97_with(tmp_path, [("Text\r", True)], ident=0x1234).read_bytes(), "bad FIB signature"),
        "locked": (word97_with(tmp_path, [("Secret\r", True)], flags=0x0100).read_bytes(), "password-protected"),
        "empty": (word97_with(tmp_path, [("\r\r", True)]).read_bytes(), "no text"),
        "endless": (
            word97_with(tmp_path, [("Text\r", True)], main_chars=2**32 - 1).read_bytes(),
            "more text than the file holds",
        ),
        "garbage": (b"MZ\x90\x00" + bytes(range(256)) * 8, "not a Word document"),
    }
    for name, (data, reason) in cases.items():
        (tmp_path / f"{name}.doc").write_bytes(data)
        with pytest.raises(SkipFile) as err:
            load(tmp_path / f"{name}.doc")
        assert reason in err.value.reason, name


RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}{\info{\title Ch\u7881? th\u7883? 25}}"
    r"\f0 C\u244?ng t\'e1c d\u226?n v\u7853?n\par N\u259?m 2023 x\'e2y d\u7921?ng 45 km\par}"
)


def test_rtf_and_files_named_doc_that_are_rtf_docx_or_html(tmp_path: Path):
    import docx

    (tmp_path / "directive.rtf").write_text(RTF, encoding="ascii")
    raw = load(tmp_path / "directive.rtf")
    assert (raw.format, raw.text.strip(), raw.title_hint) == (
        "rtf",
        "Công tác dân vận\nNăm 2023 xây dựng 45 km",
        "Chỉ thị 25",
    )
    (tmp_path / "saved-as-rtf.doc").write_text(RTF, encoding="ascii")
    assert load(tmp_path / "saved-as-rtf.doc").text == raw.text
    d = docx.Document()
    d.add_paragraph("Kế hoạch 12-KH/TU về dân vận khéo.")
    d.save(tmp_path / "renamed.doc")
    assert load(tmp_path / "renamed.doc").text == "Kế hoạch 12-KH/TU về dân vận khéo."
    page = (
        "<html><head><title>Báo cáo</title></head><body><h1>Báo cáo</h1>"
        + "<p>Năm 2023 tỉnh xây dựng 45 km đường giao thông nông thôn.</p>" * 5
        + "</body></html>"
    )
    (tmp_path / "web-page.doc").write_text(page, encoding="utf-8")
    assert "xây dựng 45 km đường" in load(tmp_path / "web-page.doc").text
    (tmp_path / "not.rtf").write_text("plain text, not RTF")
    with pytest.raises(SkipFile, match="not an RTF"):
        load(tmp_path / "not.rtf")


def test_a_parser_crashing_on_one_file_skips_that_file_with_the_reason(tmp_path: Path, monkeypatch):
    from ingest import load as loaders

    def crashes(data: bytes):
        raise RecursionError("maximum recursion depth exceeded")  # what a deeply nested page did to a parser

    monkeypatch.setitem(loaders.LOADERS, ".html", ("html", crashes))
    (tmp_path / "deep.html").write_text("<div>" * 10 + "x")
    with pytest.raises(SkipFile) as err:
        load(tmp_path / "deep.html")
    assert err.value.reason == "unreadable html file (RecursionError: maximum recursion depth exceeded)"
    (tmp_path / "short.doc").write_bytes(WORD97.read_bytes()[:512] + b"\x00" * 100)
    with pytest.raises(SkipFile, match="unreadable Word 97-2003 file"):
        load(tmp_path / "short.doc")


def test_word97_hostile_structures_end_with_a_reason_not_a_hang():
    """A formatting entry of negative size looped forever; a field per character was quadratic."""
    import struct

    from ingest.word97 import NotWord97, _piece_table, tidy

    with pytest.raises(NotWord97, match="bad formatting entry"):
        _piece_table(b"\x01" + struct.pack("<h", -3) + b"\x02" + b"\x00" * 20)
    assert tidy("\x13 PAGE \x14x\x15" * 100_000) == "x" * 100_000
    assert tidy("kept \x13 broken field code, never closed") == "kept  broken field code, never closed"


def test_word97_8_bit_pieces_map_only_the_cp1252_punctuation(tmp_path: Path):
    raw = load(word97_with(tmp_path, [("Bytes \x80 \x8e \x9e stay; \x92quoted\x92 \x96 dash\r", True)]))
    assert raw.text == "Bytes \x80 \x8e \x9e stay; \u2019quoted\u2019 \u2013 dash"


# Vietnamese RTF as Word writes it: code page 1258 (base letters, tones as combining marks), a
# Vietnamese font charset, \uN escapes with two fallback characters, and a face beyond the BMP as
# two \uN halves.
RTF_1258 = (
    r"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0\fcharset163 Times New Roman;}}"
    r"{\info{\title \'d0\'e3ng \'f0\'fd\'f5ng}}\f0\uc2 \'d0a\'d2ng \u7911u\'d2y d\'e2n v\'e2\'f2n "
    r"\uc1\u-10179?\u-8704?\par}"
)


def test_rtf_in_code_page_1258_with_unicode_escapes(tmp_path: Path):
    from ingest.clean import clean

    (tmp_path / "vn.rtf").write_text(RTF_1258, encoding="ascii")
    raw = load(tmp_path / "vn.rtf")
    assert clean(raw.text).strip() == "Đảng ủy dân vận \U0001f600" and clean(raw.title_hint) == "Đăng đương"
    (tmp_path / "half.rtf").write_text(r"{\rtf1\ansi Half a face \u-10179? here\par}", encoding="ascii")
    assert load(tmp_path / "half.rtf").text.strip() == "Half a face \ufffd here"  # a lone half cannot be stored


def test_word97_title_in_the_code_page_its_properties_name():
    """olefile returns the title's bytes and the code page as stored, signed (UTF-8 is -535)."""
    from types import SimpleNamespace

    from ingest.word97 import _title

    def ole(title: bytes, codepage: int):
        return SimpleNamespace(get_metadata=lambda: SimpleNamespace(title=title, codepage=codepage))

    assert _title(ole("Chỉ thị 25".encode(), -535)) == "Chỉ thị 25"
    assert _title(ole("Đơn thư".encode("cp1258"), 1258)) == "Đơn thư"  # "Ðõn thý" read as cp1252
    assert _title(ole(b"Plan 12", 0)) == "Plan 12"

    def broken():
        raise ValueError("bad property set")

    assert _title(SimpleNamespace(get_metadata=broken)) == ""  # the text is still read


def test_word_2003_xml_saved_as_doc(tmp_path: Path):
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Word.Document"?>'
        '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office"><o:DocumentProperties><o:Title>Kế hoạch 12</o:Title>'
        "</o:DocumentProperties><w:body><w:p><w:r><w:t>Kế hoạch </w:t></w:r><w:r><w:t>12-KH/TU</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Năm 2023 xây dựng 45 km đường.</w:t></w:r></w:p></w:body></w:wordDocument>"
    )
    (tmp_path / "plan.doc").write_text(xml, encoding="utf-8")
    raw = load(tmp_path / "plan.doc")
    assert (raw.text, raw.title_hint) == ("Kế hoạch 12-KH/TU\nNăm 2023 xây dựng 45 km đường.", "Kế hoạch 12")
