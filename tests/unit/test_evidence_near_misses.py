"""Near-miss questions the documents do not answer, in Vietnamese as cadres ask them: a district
named only by its administrative word, an office of another tier, a holder asked by name, a figure
for something else than what is counted, a document code no retrieved document cites, and the
number of a report of another period."""

from assistant.evidence import Decision, answer_types, measure_terms, missing_role, select
from assistant.query import constraints_of, find_places
from tests.helpers.chunks import chunk, first_half_meta, year_meta
from vectorstore.lexical import LexicalIndex
from vectorstore.models import Hit

REPORT = first_half_meta(
    "Báo cáo số 120-BC/BDVTU sơ kết công tác dân vận 6 tháng đầu năm 2022",
    "Quang Binh",
    2022,
    doc_type="report",
    codes=("120-BC/BDVTU", "16-CT/TU"),
)
HEAD_TEXT = "TỈNH ỦY QUẢNG BÌNH\nBAN DÂN VẬN\n*\nSố 120-BC/BDVTU\n\nBÁO CÁO sơ kết công tác dân vận 6 tháng đầu năm"
REPORT_TEXT = (
    "Thực hiện Chỉ thị số 16-CT/TU của Ban Thường vụ Tỉnh ủy, công tác dân vận có nhiều chuyển biến. "
    "Trong 6 tháng đầu năm, nhân dân toàn tỉnh đã hiến 256.430 m2 đất để xây dựng nông thôn mới. "
    "Ban Dân vận Tỉnh ủy ban hành 26 văn bản; tổ chức 04 đoàn kiểm tra tại các huyện Lệ Thủy, Tuyên Hóa. "
    "Huyện Lệ Thủy nhân dân hiến 68.500 m2 đất."
)
NEWS = year_meta('"Dân vận khéo" mở đường lên bản ở Tà Hộc', "Son La", 2023, district="Mai Son")
NEWS_TEXT = (
    "Ông Lò Văn Pánh, Bí thư Chi bộ bản Huổi Hao, kể về con đường mới của bản. "
    "Đồng chí Mùa A Sềnh, Bí thư Đảng ủy xã Tà Hộc cho biết đồng bào rất trọng lời hứa. "
    "Ông Quàng Văn Thiện, Chủ tịch UBND xã Tà Hộc, cho biết xã sẽ làm thêm 2,8 km đường."
)


def _ask(question, *chunks):
    index = LexicalIndex.build(list(chunks), "fp")
    hits = [Hit(c, 0.03 - 0.001 * i) for i, c in enumerate(chunks)]
    return select(question, "", constraints_of(question, frozenset()), hits, index.idf, decision=Decision())


def _report():
    """The report's letterhead and its body, as ingest chunks them."""
    return chunk("bc", REPORT, HEAD_TEXT), chunk("bc-1", REPORT, REPORT_TEXT, 1, source="bc.txt", start=200)


def _news():
    return chunk("tin", NEWS, NEWS_TEXT)


def test_a_district_or_commune_named_by_its_administrative_word_is_a_place():
    assert [p.name for p in find_places("Huyện Tuyên Hóa hiến bao nhiêu m2 đất?")] == ["Tuyen Hoa"]
    assert [p.name for p in find_places("Thu nhập của xã Tà Hộc năm 2021")] == ["Ta Hoc"]
    # the district's Party committee names the district, not a place called "Uy Quy Hop"
    assert [p.name for p in find_places("Bí thư Huyện ủy Quỳ Hợp", frozenset({"Quy Hop"}))] == ["Quy Hop"]
    assert [(p.name, p.kind) for p in find_places("Năm 2022 xã Mỹ Hòa, huyện Phù Mỹ xây bao nhiêu nhà?")] == [
        ("My Hoa", "commune"),
        ("Phu My", "district"),
    ]
    # a name is at most two syllables: the province after it is another place
    assert [p.name for p in find_places("Huyện Quỳ Hợp Nghệ An có bao nhiêu hộ?")] == ["Quy Hop", "Nghe An"]
    for text in (
        "Xã hội hóa nguồn lực",
        "Xã Hội",
        "Huyện Ủy Quỳ Hợp",
        "Huyện Đoàn Quỳ Hợp",
        "huyện nào xây nhiều nhất",
    ):
        assert find_places(text) == (), text
    # unmarked syllables of English names are not administrative words
    assert find_places("Thanh Xa Commune and Nguyen Thi Huyen Trang") == ()


def test_a_district_the_store_knows_is_a_place_only_where_it_is_written_as_a_name():
    known = frozenset({"Tan", "Quy Hop"})
    assert [p.name for p in find_places("Huyện Tân có bao nhiêu xã?", known)] == ["Tan"]
    assert [p.name for p in find_places("Quy Hop co bao nhieu ho?", known)] == ["Quy Hop"]
    assert [p.name for p in find_places("quy hop co bao nhieu ho", known)] == ["Quy Hop"]  # typed in lower case
    # folded, a one-word district is a common syllable: "tấn công" is an attack
    assert find_places("Cuộc tấn công vào Macedonia xảy ra vào năm nào?", known) == ()
    assert find_places("tan cong vao macedonia nam nao", known) == ()
    assert find_places("Ai chủ trì cuộc họp ở quỳ hợp?", known) == ()  # lower case beside capitals: a word


def test_a_province_wide_figure_is_no_answer_for_a_district_only_listed_beside_it():
    sel = _ask("Huyện Tuyên Hóa hiến bao nhiêu m2 đất xây dựng nông thôn mới?", *_report())
    assert sel.refused and "Tuyen Hoa" in sel.refused
    sel = _ask("Huyện Lệ Thủy hiến bao nhiêu m2 đất?", *_report())  # the district's own figure is stated
    assert sel.refused is None and "68.500" in sel.units[0].text


def test_what_a_vietnamese_figure_question_counts():
    assert measure_terms("Huyện Tuyên Hóa hiến bao nhiêu m2 đất trong 6 tháng đầu năm?") == {"m2", "dat"}
    assert measure_terms("Thu nhập bình quân đầu người của xã Tà Hộc năm 2021 là bao nhiêu?") >= {"thu", "nhap"}
    assert measure_terms("co bao nhieu nha dai doan ket duoc xay moi") == {"nha", "dai", "doan", "ket"}
    assert measure_terms("Tỷ lệ giải quyết đạt bao nhiêu phần trăm?") == frozenset()  # a unit, not a thing
    assert measure_terms("Cho vay mua máy móc cho bao nhiêu hộ?") == {"ho"}  # "máy" (machine) is not "mấy"
    assert measure_terms("Huyện có mấy xã đạt chuẩn?") == measure_terms("huyen co may xa dat chuan")


def test_a_figure_for_something_else_is_no_answer():
    sel = _ask("Ban Dân vận Tỉnh ủy Quảng Bình tổ chức bao nhiêu hội nghị?", *_report())
    assert sel.refused == "no passage gives a figure for what the question counts"
    sel = _ask("Ban Dân vận Tỉnh ủy Quảng Bình ban hành bao nhiêu văn bản?", *_report())
    assert sel.refused is None and "26 văn bản" in sel.units[0].text


def test_an_office_of_another_tier_is_another_office():
    assert missing_role("chu tich ubnd huyen mai son la ai", "Ông Thiện, Chủ tịch UBND xã Tà Hộc") is not None
    assert missing_role("Chủ tịch UBND xã là ai?", "Ông Thiện, Chủ tịch UBND xã Tà Hộc") is None
    assert missing_role("Bí thư Đảng ủy xã là ai?", "Ông Pánh, Bí thư Chi bộ bản Huổi Hao") is not None
    assert missing_role("Who is the provincial Party Secretary?", "Mr Hai, Secretary of the district Party") is not None
    assert missing_role("Who is the chairman?", "Mr Hai, Chairman of the commune People's Committee") is None
    # a place's name is no tier ("Tinh Gia" is not "tỉnh"), nor is "tình hình" (the situation)
    assert (
        missing_role("Who is the Party Secretary of Tinh Gia district?", "Mr A, Tinh Gia district Party Secretary")
        is None
    )
    assert missing_role("Chủ tịch UBND tỉnh là ai?", "Trước tình hình đó, ông Hải, Chủ tịch UBND tỉnh, chỉ đạo") is None
    sel = _ask("Bí thư Đảng ủy xã Tà Hộc là ai?", _news())
    assert sel.refused is None and "Mùa A Sềnh" in sel.units[0].text
    assert _ask("chu tich ubnd huyen mai son la ai", _news()).refused


def test_an_office_holder_asked_by_name_is_a_person_question():
    assert answer_types("Bí thư Huyện ủy Quỳ Hợp tên là gì?") == ("person",)
    assert "person" not in answer_types("Mô hình dân vận khéo của xã tên là gì?")
    # the office is the subject asked about, not one named on the way
    assert "person" not in answer_types("Phong trào do Chủ tịch UBND tỉnh phát động năm 2022 tên là gì?")
    office = chunk("qc", REPORT, "Bí thư Tỉnh ủy Quảng Bình tiếp công dân định kỳ vào ngày 25 hằng tháng.", 1)
    assert _ask("Bí thư Tỉnh ủy Quảng Bình tên là gì?", office).refused == "no passage states the person asked for"


def test_a_code_no_retrieved_document_cites_is_not_answered_from_another_document():
    q = "Thực hiện Chỉ thị số {}, nhân dân toàn tỉnh Quảng Bình đã hiến bao nhiêu m2 đất?"
    sel = _ask(q.format("15-CT/TU"), *_report())
    assert sel.refused == "the closest passage is from a document that does not cite 15-CT/TU"
    for cited in ("16-CT/TU", "016-CT/TU"):  # leading zeros are one code
        sel = _ask(q.format(cited), *_report())
        assert sel.refused is None and "256.430 m2" in sel.units[0].text


def test_the_number_of_a_report_of_another_period_is_not_this_reports():
    sel = _ask("Báo cáo sơ kết 9 tháng năm 2022 của Ban Dân vận Tỉnh ủy Quảng Bình số mấy?", *_report())
    assert sel.refused and "2022-09" in sel.refused
    sel = _ask("Báo cáo sơ kết 6 tháng đầu năm 2022 của Ban Dân vận Tỉnh ủy Quảng Bình số mấy?", *_report())
    assert sel.refused is None and "120-BC/BDVTU" in sel.units[0].text


def test_the_new_refusals_are_worded_in_vietnamese():
    from assistant.prompts import word_reason

    assert word_reason("no passage gives a figure for what the question counts", "vi").startswith("không đoạn nào")
    assert word_reason("the closest passage is from a document that does not cite 15-CT/TU", "vi") == (
        "đoạn gần nhất thuộc văn bản không dẫn 15-CT/TU"
    )
