"""Vietnamese documents and questions, with and without diacritics, whatever the Unicode form."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.models import AskRequest
from tests.helpers.documents import LEGACY, word97_with
from tests.helpers.stores import ingest_into, make_settings, service_over

pytestmark = pytest.mark.slow

DOC = (
    'Xã Tân Hòa đẩy mạnh phong trào thi đua "Dân vận khéo" năm 2023\n'
    'Năm 2023, Đảng ủy xã Tân Hòa, huyện Quế Phong, tỉnh Nghệ An đã xây dựng 27 mô hình "Dân vận khéo", '
    "trong đó có 15 mô hình tập thể và 12 mô hình cá nhân.\n"
    "Nhân dân trong xã đã hiến 3.450 m2 đất và đóng góp 1.200 ngày công để làm đường giao thông nông thôn.\n"
)


def test_vietnamese_document_found_by_vietnamese_questions(tmp_path, embedder, corpus_copy):
    # Decomposed (NFD) and UTF-16: the store still holds NFC text, so every spelling matches.
    (corpus_copy / "tan-hoa-2023.txt").write_bytes(unicodedata.normalize("NFD", DOC).encode("utf-16"))
    settings = make_settings(tmp_path / "data")
    store, report = ingest_into(settings, embedder, [corpus_copy])
    assert "tan-hoa-2023.txt" in report.added
    text = store.document("tan-hoa-2023.txt").text
    assert text == unicodedata.normalize("NFC", text) and "Dân vận khéo" in text
    assert store.document("tan-hoa-2023.txt").meta.province == "Nghe An"  # from "tỉnh Nghệ An"
    service = service_over(settings, embedder, store)
    for question, expected in [
        ("Xã Tân Hòa xây dựng bao nhiêu mô hình dân vận khéo năm 2023?", "27 mô hình"),
        ("Xa Tan Hoa xay dung bao nhieu mo hinh dan van kheo nam 2023?", "27 mô hình"),  # no diacritics
        ("Nhan dan xa Tan Hoa hien bao nhieu m2 dat?", "3.450 m2"),
    ]:
        a = service.ask(AskRequest(question=question))
        assert not a.refused and expected in a.answer and a.citations[0].source == "tan-hoa-2023.txt", (
            question,
            a.answer,
        )


def test_word97_document_is_ingested_answered_and_quoted(tmp_path, embedder, corpus_copy):
    """A .doc (Word 97-2003) with a Unicode paragraph and a .VnTime one goes through the whole
    path: loaded, converted, chunked, embedded, retrieved and quoted verbatim from its clean text."""
    made = word97_with(tmp_path, [(DOC.replace("\n", "\r"), False), (LEGACY["tcvn3"] + "\r", True)])
    made.rename(corpus_copy / "tan-hoa-2023.doc")
    settings = make_settings(tmp_path / "data")
    store, report = ingest_into(settings, embedder, [corpus_copy])
    assert "tan-hoa-2023.doc" in report.added and ("tan-hoa-2023.doc", "tcvn3") in report.converted
    text = store.document("tan-hoa-2023.doc").text
    assert "Ngọc Kim Nam" in text and "1.200 ngày công" in text
    service = service_over(settings, embedder, store)
    a = service.ask(AskRequest(question="Nhân dân xã Tân Hòa đóng góp bao nhiêu ngày công năm 2023?"))
    assert not a.refused and "1.200 ngày công" in a.answer, a.answer
    assert a.citations[0].source == "tan-hoa-2023.doc" and a.citations[0].quote in text
