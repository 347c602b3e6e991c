"""The English-Vietnamese glossary of the domain: terms found in either language, typed with or
without marks, in other word forms, longest term first, and what is left of the text."""

from core.glossary import translate
from core.language import EN, VI


def test_a_vietnamese_question_gives_the_english_terms_typed_with_or_without_marks():
    for question in (
        "Năm 2014 nhân dân huyện Quế Phong đóng góp bao nhiêu ngày công xây dựng nông thôn mới?",
        "nam 2014 nhan dan huyen que phong dong gop bao nhieu ngay cong xay dung nong thon moi",
    ):
        rest, terms = translate(question, VI)
        assert {"working days", "new rural areas", "contributed", "district"} <= set(terms)
        assert "Quế Phong" in rest or "que phong" in rest  # a name is not a term: it is left as written
        assert "ngày công" not in rest and "ngay cong" not in rest


def test_an_english_question_gives_the_vietnamese_terms_in_other_word_forms():
    _, terms = translate("How many Skillful Mass Mobilization models did Phu Tho recognise?", EN)
    assert {"dân vận khéo", "mô hình", "công nhận"} <= set(terms)
    # the longest term wins its stretch: "skillful mass mobilization" is not also "mass mobilization"
    assert "dân vận" not in terms
    _, terms = translate("What share of complaints did the agencies resolve?", EN)
    assert {"khiếu nại", "giải quyết", "tỷ lệ"} <= set(terms)


def test_text_without_terms_is_left_as_it_is():
    assert translate("Who is Nguyen Van A?", EN) == ("Who is Nguyen Van A?", [])
