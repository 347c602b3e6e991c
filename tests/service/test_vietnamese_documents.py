"""A Vietnamese document in any Unicode form or encoding, a Word 97 file with a .VnTime paragraph:
ingested beside the English sample corpus with the hashing embedder, then answered and quoted
verbatim from the clean text (tests/integration/test_vietnamese.py does the same with the real model)."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from assistant.models import AskRequest
from tests.helpers.documents import LEGACY, word97_with
from tests.helpers.stores import SAMPLE, ingest_into, make_settings, service_over

DOC = """Xã Tân Hòa đẩy mạnh phong trào thi đua "Dân vận khéo" năm 2023
Năm 2023, Đảng ủy xã Tân Hòa, huyện Quế Phong, tỉnh Nghệ An đã xây dựng 27 mô hình "Dân vận khéo", trong đó có 15 mô \
hình tập thể và 12 mô hình cá nhân.
Nhân dân trong xã đã hiến 3.450 m2 đất và đóng góp 1.200 ngày công để làm đường giao thông nông thôn.
"""


@pytest.fixture(scope="module")
def decomposed(tmp_path_factory, hash_embedder):
    """The sample corpus and DOC in decomposed form (NFD) and UTF-16, ingested."""
    root = tmp_path_factory.mktemp("decomposed")
    shutil.copytree(SAMPLE, root / "corpus")
    (root / "corpus" / "tan-hoa-2023.txt").write_bytes(unicodedata.normalize("NFD", DOC).encode("utf-16"))
    settings = make_settings(root / "data", embedder="hash")
    store, report = ingest_into(settings, hash_embedder, [root / "corpus"])
    assert "tan-hoa-2023.txt" in report.added
    return service_over(settings, hash_embedder, store)


def test_a_decomposed_utf16_document_is_stored_in_nfc_with_its_province(decomposed):
    stored = decomposed.document("tan-hoa-2023.txt")
    assert stored.text == unicodedata.normalize("NFC", stored.text) and "Dân vận khéo" in stored.text
    assert stored.meta.province == "Nghe An"  # from "tỉnh Nghệ An"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Xã Tân Hòa xây dựng bao nhiêu mô hình dân vận khéo năm 2023?", "27 mô hình"),
        ("Xa Tan Hoa xay dung bao nhieu mo hinh dan van kheo nam 2023?", "27 mô hình"),  # no diacritics
        ("Nhan dan xa Tan Hoa hien bao nhieu m2 dat?", "3.450 m2"),
    ],
)
def test_it_is_found_and_quoted_however_the_question_is_typed(decomposed, question, expected):
    a = decomposed.ask(AskRequest(question=question))
    assert not a.refused and expected in a.answer and a.citations[0].source == "tan-hoa-2023.txt", a.answer
    assert a.citations[0].quote in decomposed.document("tan-hoa-2023.txt").text


def test_a_word97_document_is_ingested_converted_answered_and_quoted(tmp_path, hash_embedder, corpus_copy):
    made = word97_with(tmp_path, [(DOC.replace("\n", "\r"), False), (LEGACY["tcvn3"] + "\r", True)])
    made.rename(corpus_copy / "tan-hoa-2023.doc")
    settings = make_settings(tmp_path / "data", embedder="hash")
    store, report = ingest_into(settings, hash_embedder, [corpus_copy])
    assert "tan-hoa-2023.doc" in report.added and ("tan-hoa-2023.doc", "tcvn3") in report.converted
    text = store.document("tan-hoa-2023.doc").text
    assert "Ngọc Kim Nam" in text and "1.200 ngày công" in text
    a = service_over(settings, hash_embedder, store).ask(
        AskRequest(question="Nhân dân xã Tân Hòa đóng góp bao nhiêu ngày công năm 2023?")
    )
    assert not a.refused and "1.200 ngày công" in a.answer, a.answer
    assert a.citations[0].source == "tan-hoa-2023.doc" and a.citations[0].quote in text
