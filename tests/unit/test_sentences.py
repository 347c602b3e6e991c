import re

import pytest

from core.documents import Document, DocumentMeta
from core.sentences import ABBREVIATIONS, SENTENCE_END, split_clauses, split_sentences, split_units
from ingest.chunk import chunk_document


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Action Program No. 38-CTr/TU was issued. It names Nos. 5 and 6.",
            ["Action Program No. 38-CTr/TU was issued.", "It names Nos. 5 and 6."],
        ),
        ("Mr. Bao and Mrs. Lan met Ms. Hoa. Dr. Minh spoke.", ["Mr. Bao and Mrs. Lan met Ms. Hoa.", "Dr. Minh spoke."]),
        (
            "They met at St. Joseph church. See Art. 5, Vol. 2, Fig. 3.",
            ["They met at St. Joseph church.", "See Art. 5, Vol. 2, Fig. 3."],
        ),
        (
            "Models, e.g. Skillful Mass Mobilization, i.e. Party ones, spread. It worked.",
            ["Models, e.g. Skillful Mass Mobilization, i.e. Party ones, spread.", "It worked."],
        ),
        (
            "Roads vs. bridges: approx. 40 km were built. Then more.",
            ["Roads vs. bridges: approx. 40 km were built.", "Then more."],
        ),
        (
            "Comrade H. Nam and Đ. Thắng attended. The meeting ended.",
            ["Comrade H. Nam and Đ. Thắng attended.", "The meeting ended."],
        ),
    ],
)
def test_english_abbreviations_and_initials_end_no_sentence(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize(
    "first",
    [
        "Báo cáo do TS. Nguyễn Quang Định trình bày.",
        "ThS. Lê Văn An phát biểu.",
        "Th.S. Lê Văn An phát biểu.",
        "PGS.TS. Trần Văn Bình và GS. Hoàng Minh dự.",
        "Tại TP. Việt Trì và Tp. Hồ Chí Minh có 23 phường.",
        "BS. Lan và KS. Hùng tham gia.",
    ],
)
def test_vietnamese_titles_end_no_sentence(first):
    assert texts(first + " Hội nghị kết thúc.") == [first, "Hội nghị kết thúc."]


def test_words_that_look_like_abbreviations_still_end_sentences():
    # "ông." (he) and "TCN." (BC) end sentences; a lowercase word does not start one.
    assert texts("Đó là ý của ông. Tuy vậy, dân ủng hộ.") == ["Đó là ý của ông.", "Tuy vậy, dân ủng hộ."]
    assert texts("Có niên đại 900 TCN. Chúng ta biết.") == ["Có niên đại 900 TCN.", "Chúng ta biết."]
    assert texts("Built 3.5 km. then stopped.") == ["Built 3.5 km. then stopped."]
    assert "ông" not in ABBREVIATIONS and "TCN" not in ABBREVIATIONS


def test_list_markers_open_their_item():
    text = "Tasks:\n1. Mobilize people to donate land.\n2. Build roads. Then report.\na. A sub-item.\nII. Solutions."
    assert texts(text) == [
        "Tasks:",
        "1. Mobilize people to donate land.",
        "2. Build roads.",
        "Then report.",
        "a. A sub-item.",
        "II. Solutions.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Quang Ninh resolved 95% [1]. Nghe An built 10 roads [2].",
            ["Quang Ninh resolved 95% [1].", "Nghe An built 10 roads [2]."],
        ),
        (
            "Quang Ninh resolved 95%.[1] Nghe An built 10 roads.[2]",
            ["Quang Ninh resolved 95%.[1]", "Nghe An built 10 roads.[2]"],
        ),
        (
            "Quang Ninh resolved 95%. [1] Nghe An built 10 roads.",
            ["Quang Ninh resolved 95%. [1]", "Nghe An built 10 roads."],
        ),
        # a marker then a capital ends a sentence whose period the model left out
        (
            "Quang Ninh resolved 95% [1] Nghe An built 10 roads [2].",
            ["Quang Ninh resolved 95% [1]", "Nghe An built 10 roads [2]."],
        ),
    ],
)
def test_citation_markers_stay_with_the_sentence_they_end(text, sentences):
    assert texts(text) == sentences


def test_spans_are_verbatim_slices():
    text = "  Mr. Bao spoke.  TS. Nguyễn Văn A đáp lời!\n\nThe end [1]. Next one."
    for s in split_sentences(text) + split_units(text):
        assert text[s.start : s.end] == s.text


_OLD_CHUNK_END = r"(?<=[.!?…])(?<!\bNo\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)[\"”’)]*\s+"


def test_chunk_sentence_end_is_unchanged_for_english_without_the_new_abbreviations():
    with open("corpus/sample/quang-ninh-2024-mass-mobilization.txt", encoding="utf-8") as f:
        text = f.read()
    text += ' Mr. Bao said "yes." Dr. Lan agreed! No. 40 was signed? It was. St. Paul (the town.) rose.'
    spans = [m.span() for m in re.finditer(SENTENCE_END, text)]
    assert spans == [m.span() for m in re.finditer(_OLD_CHUNK_END, text)]


def test_chunk_sentence_end_skips_every_abbreviation():
    for abbreviation in ABBREVIATIONS:
        assert not re.search(SENTENCE_END, f"Seen by {abbreviation}. Nguyen"), abbreviation
    assert not re.search(SENTENCE_END, "Comrade H. Nam")
    assert re.search(SENTENCE_END, "It ended. Nguyen")


def test_no_chunk_edge_after_a_vietnamese_title():
    middle = "Báo cáo do TS. Nguyễn Quang Định trình bày tại TP. Việt Trì. "
    text = "Câu mở đầu ở đây. " * 10 + middle + "Thêm chữ. " * 10
    doc = Document(source="x.txt", text=text, key="k", format="txt", meta=DocumentMeta(title="T"))
    for c in chunk_document(doc, size=120, overlap=0):
        assert not c.text.endswith(("TS.", "TP.")), c.text


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = 'Mr. Bao said: "We gave land." Action Program No. 40-CTr/TU was issued. Next one!\nA heading'
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        'Mr. Bao said: "We gave land."',
        "Action Program No. 40-CTr/TU was issued.",
        "Next one!",
        "A heading",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    clauses = split_clauses(split_sentences("a: 1 model; b: 2 models; c: 3 models.")[0])
    assert [c.text for c in clauses] == ["a: 1 model;", "b: 2 models;", "c: 3 models."]


def test_units_keep_letterheads_and_signature_blocks_together():
    text = (
        "No. 27-CT/TU\nDong Nai, March 26, 2013\n\nA long paragraph that goes on. "
        + "x" * 90
        + "\n\nDEPUTY SECRETARY\n(signed)\nDo Ngoc Xuan"
    )
    units = split_units(text)
    assert units[0].text == "No. 27-CT/TU\nDong Nai, March 26, 2013"
    assert units[-1].text == "DEPUTY SECRETARY\n(signed)\nDo Ngoc Xuan"
    assert all(text[u.start : u.end] == u.text for u in units) and len(units) == 3


def test_a_capital_ends_a_sentence_unless_it_stands_alone_as_an_initial():
    assert [s.text for s in split_sentences("It rose to 40 °C. Crops failed.")] == [
        "It rose to 40 °C.",
        "Crops failed.",
    ]
    assert [s.text for s in split_sentences("She sang R&B. Then jazz.")] == ["She sang R&B.", "Then jazz."]
    assert len(split_sentences("Comrade H. Nam and J.R.R. Tolkien met (A. Bao) there.")) == 1
    assert re.split(SENTENCE_END, "It rose to 40 °C. Crops failed. Mr H. Nam came.") == [
        "It rose to 40 °C.",
        "Crops failed.",
        "Mr H. Nam came.",
    ]
