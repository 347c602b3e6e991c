"""A question in one language about passages in the other: the glossary's terms and the names,
figures and codes carry over, the answer model decides, offices match across languages, a share
is answered by a percentage, and a document's own number comes from its letterhead."""

from assistant.evidence import Decision, missing_role, select, type_ok
from assistant.query import constraints_of
from tests.helpers.chunks import chunk, first_half_meta, year_meta
from vectorstore.lexical import LexicalIndex
from vectorstore.models import Hit

REPORT_VI = first_half_meta("Báo cáo sơ kết công tác dân vận 6 tháng đầu năm 2022", "Quang Binh", 2022)
PLAN_VI = year_meta(
    "Kế hoạch công tác dân vận 6 tháng cuối năm 2024",
    "Nghe An",
    2024,
    doc_type="plan",
    codes=("45-KH/HU", "12-HD/BDVTU"),
)
REPORT_EN = year_meta("Que Phong mass mobilization work in 2014", "Nghe An", 2014, district="Que Phong")

TEXT_VI = (
    "Trong 6 tháng đầu năm, Ban Dân vận Tỉnh ủy đã tổ chức 12 hội nghị tuyên truyền. "
    "Nhân dân toàn tỉnh đã hiến 256.430 m2 đất, đóng góp 61.520 ngày công để xây dựng nông thôn mới. "
    "Các cơ quan đã tiếp 2.071 lượt công dân, tiếp nhận 142 đơn khiếu nại, tố cáo. "
    "Đã giải quyết 121/142 đơn khiếu nại, tố cáo, đạt 85,2%."
)
TEXT_EN = (
    "(Baonghean) - In 2014, the Que Phong District Party Committee's Mass Mobilization Committee completed its tasks. "
    "People in the district contributed 35,990 working days to build new rural areas. "
    "Comrade Mac Dang Khue, Head of the Que Phong District Party Committee's Mass Mobilization Committee, "
    "said the models had spread."
)


def _hits(*chunks):
    index = LexicalIndex.build(list(chunks), "fp")
    return [Hit(c, 0.03 - 0.001 * i) for i, c in enumerate(chunks)], index.idf


def _answer(question, hits, idf, policy="rules"):
    return select(question, "", constraints_of(question, frozenset()), hits, idf, decision=Decision(policy=policy))


def test_an_english_question_is_answered_from_a_vietnamese_report_whichever_the_policy():
    hits, idf = _hits(chunk("r", REPORT_VI, TEXT_VI), chunk("o", REPORT_EN, TEXT_EN))
    for policy in ("rules", "model"):
        sel = _answer(
            "How many working days did people in Quang Binh contribute in the first half of 2022?", hits, idf, policy
        )
        assert sel.refused is None and "61.520 ngày công" in sel.units[0].text
        sel = _answer(
            "What share of complaints did Quang Binh agencies resolve in the first half of 2022?", hits, idf, policy
        )
        assert sel.refused is None and "85,2%" in sel.units[0].text


def test_a_vietnamese_question_typed_without_marks_is_answered_from_an_english_report():
    hits, idf = _hits(chunk("e", REPORT_EN, TEXT_EN), chunk("r", REPORT_VI, TEXT_VI))
    sel = _answer("nam 2014 nhan dan huyen que phong dong gop bao nhieu ngay cong", hits, idf)
    assert sel.refused is None and "35,990 working days" in sel.units[0].text
    sel = _answer("Trưởng Ban Dân vận Huyện ủy Quế Phong năm 2014 là ai?", hits, idf)
    assert sel.refused is None and "Mac Dang Khue" in sel.units[0].text


def test_offices_are_the_same_across_languages_and_a_deputy_is_another_office():
    assert missing_role("Trưởng Ban Dân vận Huyện ủy là ai?", "Comrade Mac Dang Khue, Head of the committee") is None
    assert (
        missing_role("Who is the chairman of the Front?", "Bà Lê Thị Hòa, Chủ tịch Ủy ban MTTQ tỉnh, phát biểu") is None
    )
    assert missing_role("Chủ tịch UBND xã là ai?", "Mr Hoang, Vice Chairman of the commune") is not None


def test_a_share_is_answered_by_a_percentage_or_a_fraction_not_a_count():
    q = "What share of the complaints were resolved?"
    assert type_ok("number", "Đã giải quyết 121/142 đơn, đạt 85,2%.", q)
    assert type_ok("number", "about 40 percent of them", q)
    assert not type_ok("number", "21 complaints are still pending.", q)
    assert not type_ok("number", "Directive No. 09-CT/TU of 20/8/2018 asks for more.", q)
    assert type_ok("number", "Tỷ lệ giải quyết đạt 90,1%.", "ti le giai quyet don la bao nhieu")


def test_a_documents_own_number_comes_from_its_letterhead_not_the_documents_it_cites():
    head = chunk(
        "p",
        PLAN_VI,
        "ĐẢNG BỘ TỈNH NGHỆ AN\nHUYỆN ỦY QUỲ HỢP\n*\nSố 45-KH/HU\n\n"
        "Căn cứ Hướng dẫn số 12-HD/BDVTU ngày 18/01/2024 của Ban Dân vận Tỉnh ủy Nghệ An về công tác dân vận năm 2024; "
        "Ban Thường vụ Huyện ủy xây dựng Kế hoạch công tác dân vận 6 tháng cuối năm 2024 như sau:",
    )
    hits, idf = _hits(head)
    for q in (
        "What is the number of Quy Hop District Party Committee's mass mobilization plan for the second half of 2024?",
        "Kế hoạch công tác dân vận 6 tháng cuối năm 2024 của Huyện ủy Quỳ Hợp có số hiệu là gì?",
    ):
        sel = _answer(q, hits, idf, "model")
        assert sel.refused is None and "45-KH/HU" in sel.units[0].text and "12-HD" not in sel.units[0].text


def test_a_code_question_naming_a_kind_of_document_wants_a_code_of_that_kind():
    from assistant.evidence import code_kinds

    q = "Quyết định số mấy ban hành quy chế làm việc của Ban Chỉ đạo?"
    assert code_kinds(q) == {"QD"} and not code_kinds("What is the code cited first?")
    # the kind asked is the first named: the notice, not the conclusions it announces
    assert code_kinds("What is the number of the notice announcing the conclusions of the committee?") == {"TB"}
    assert type_ok("code", "Decision No. 979-QD/HU dated July 2, 2014", q)
    assert not type_ok("code", "Implementing Project No. 06 - DA/TU dated April 1, 2014", q)
    assert type_ok("code", "Project No. 06 - DA/TU", "Which document set up the models?")  # no kind named
    # the State's codes say their kind after the number: QĐ a decision, NĐ a decree
    state = "UBND tỉnh ban hành Quyết định số 1234/QĐ-UBND thực hiện Nghị định 45/2023/NĐ-CP"
    assert type_ok("code", state, "Quyết định số mấy ban hành quy chế?")
    assert type_ok("code", state, "Kế hoạch thực hiện nghị định nào?")
    assert not type_ok("code", "Thực hiện Nghị định 45/2023/NĐ-CP", "Quyết định số mấy ban hành quy chế?")


def test_a_title_line_full_of_vietnamese_names_does_not_make_an_english_file_vietnamese():
    meta = year_meta("Kim Tan district honors typical examples", "Ho Chi Minh City", 2019, district="Kim Tan")
    title = chunk("t", meta, "Kim Tan district (Ho Chi Minh City) honors typical examples of mass mobilization")
    body = chunk(
        "b",
        meta,
        "Kim Tan district recorded 119 models of skillful mass mobilization in the first nine months of 2019. "
        "At the ceremony, the Kim Tan District Party Committee commended 33 collectives and 39 individuals "
        "with outstanding models of skillful mass mobilization.",
        1,
        source="t.txt",
        start=100,
    )
    hits, idf = _hits(title, body)
    q = "How many individuals were commended for skillful mass mobilization models in Kim Tan district in 2019?"
    sel = _answer(q, hits, idf)
    assert sel.refused is None and "39 individuals" in sel.units[0].text
