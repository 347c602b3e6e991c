"""Loaders on files built on the fly: every format, encodings, and broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import SkipFile
from ingest.load import load
from tests.conftest import SAMPLE


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (Helvetica), written by hand."""
    text = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
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
    assert raw.title_hint == "Directive 22-CT/HU" and "advanced new rural areas" in raw.text and "Roads | 12 km" in raw.text
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


def to_windows_1258(text: str) -> bytes:
    """Text as legacy Vietnamese Windows software writes it: CP1258 has base letters like "â"
    and "ơ" but puts tones in separate combining marks."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)) + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


VIETNAMESE = ("Báo cáo công tác dân vận năm 2023 của Ban Dân vận Tỉnh ủy Quảng Ninh. Trong năm, các cấp ủy đảng đã "
              "lãnh đạo thực hiện tốt phong trào thi đua Dân vận khéo, xây dựng 1.250 mô hình điểm; tổ chức đối thoại "
              "trực tiếp giữa người đứng đầu cấp ủy với Nhân dân.")


def test_windows_1258_is_detected_and_normalised_to_nfc(tmp_path: Path):
    from ingest.clean import clean

    path = tmp_path / "legacy.txt"
    path.write_bytes(to_windows_1258(VIETNAMESE))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    text = clean(load(path).text)
    assert text == VIETNAMESE  # precomposed (NFC) again: "dân vận" matches however it was typed


# The same sentence as typed in the .VnTime (TCVN3 "ABC") and VNI-Times fonts, as their bytes read
# back one character per byte ("Hà Nội" is the well-known "Hµ Néi").
UNICODE = ("Ban Dân vận tỉnh ủy Nghệ An tổ chức hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2022 tại thành "
           "phố Vinh. Đồng chí Ngọc Kim Nam, trưởng ban Dân vận tỉnh ủy, phát biểu kết luận hội nghị.")
LEGACY = {
    "tcvn3": "Ban D©n vËn tØnh ñy NghÖ An tæ chøc héi nghÞ s¬ kÕt c«ng t¸c d©n vËn 6 th¸ng ®Çu n¨m 2022 t¹i thµnh "
             "phè Vinh. §ång chÝ Ngäc Kim Nam, tr\xadëng ban D©n vËn tØnh ñy, ph¸t biÓu kÕt luËn héi nghÞ.",
    "vni": "Ban Daân vaän tænh uûy Ngheä An toå chöùc hoäi nghò sô keát coâng taùc daân vaän 6 thaùng ñaàu naêm 2022 "
           "taïi thaønh phoá Vinh. Ñoàng chiù Ngoïc Kim Nam, tröôûng ban Daân vaän tænh uûy, phaùt bieåu keát luaän hoäi nghò.",
    "viscii": "Ban Dân v§n tïnh üy Ngh® An t± chÑc hµi ngh¸ s½ kªt công tác dân v§n 6 tháng ð¥u nåm 2022 tÕi thành "
              "ph¯ Vinh. Ð°ng chí Ng÷c Kim Nam, trß·ng ban Dân v§n tïnh üy, phát bi¬u kªt lu§n hµi ngh¸.",
}


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
    (tmp_path / "mixed.txt").write_text("\n\n".join([LEGACY["tcvn3"], VIETNAMESE, "  " + LEGACY["tcvn3"], "Café 2022."]))
    raw = load(tmp_path / "mixed.txt")
    assert raw.text == "\n\n".join([UNICODE, VIETNAMESE, "  " + UNICODE, "Café 2022."]) and raw.converted_from == "tcvn3"


def test_unicode_vietnamese_english_and_windows_1258_are_not_legacy():
    from ingest.legacy import legacy_encoding

    english = SAMPLE / "lang-son-2023-great-solidarity.txt"
    for text in (UNICODE, VIETNAMESE, english.read_text(encoding="utf-8"), to_windows_1258(VIETNAMESE).decode("latin-1")):
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
