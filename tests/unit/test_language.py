"""The language layer: detection, tokens without cross-language collisions, Vietnamese answer types."""

from assistant.evidence import answer_types, type_ok
from core.language import EN, VI, detect, fold_keep_offsets
from core.tokenize import tokenize


def test_detects_vietnamese_with_and_without_marks():
    assert detect("Cán bộ dân vận huyện đã vận động nhân dân hiến đất") == VI
    assert detect("huyen nao xay nhieu nha dai doan ket nhat") == VI
    assert detect("chi thi so may ve dan van") == VI
    assert detect("How many km of roads did Nghe An build in 2014?") == EN
    # An English report naming people and places with their marks stays English.
    assert detect("Comrade Nguyễn Văn Hùng chaired the conference in Quảng Ninh on the results of the year.") == EN


def test_folding_keeps_offsets():
    text = "Đồng chí Nguyễn Văn Hùng, Bí thư Tỉnh ủy"
    folded = fold_keep_offsets(text)
    assert len(folded) == len(text)
    assert folded == "dong chi nguyen van hung, bi thu tinh uy"


def test_vietnamese_syllables_are_not_english_stopwords():
    assert tokenize("cán bộ") == ["can", "bo"]
    assert tokenize("tố cáo") == ["to", "cao"]
    assert "an" in tokenize("Nghệ An")
    assert tokenize("Chỉ thị của Tỉnh ủy") == ["chi", "thi", "tinh", "uy"]  # "của" is a Vietnamese stopword
    # Typed without marks, the question still matches the marked document.
    assert set(tokenize("can bo dan van")) >= set(tokenize("cán bộ dân vận"))


def test_english_stopwords_still_drop_but_names_stay():
    assert "can" not in tokenize("What can the commune do to help?")
    assert "an" in tokenize("How many houses did Nghe An build?")
    assert "an" not in tokenize("an increase of ten percent")


def test_vietnamese_answer_types():
    assert answer_types("Huyện nào xây bao nhiêu nhà Đại đoàn kết?") == ("number",)
    assert answer_types("Ai chủ trì hội nghị sơ kết?") == ("person",)
    assert answer_types("Chỉ thị số mấy về công tác dân vận?") == ("code",)
    assert answer_types("khi nao tinh uy ban hanh chi thi") == ("date",)
    assert answer_types("Chỉ thị được ký ngày nào?") == ("day",)
    assert answer_types("Kinh phí xây nhà là bao nhiêu tiền?")[-1] == "money"


def test_vietnamese_figures_dates_and_names_are_recognised():
    q = "Bao nhiêu lượt công dân được tiếp?"
    assert type_ok("number", "Các cơ quan đã tiếp 2.071 lượt công dân.", q)
    assert not type_ok("number", "Các cơ quan đã tiếp công dân thường xuyên.", q)
    assert type_ok("day", "Hà Tĩnh, ngày 12 tháng 3 năm 2023", "Chỉ thị được ký ngày nào?")
    assert type_ok("person", "Đồng chí Nguyễn Văn Hùng phát biểu chỉ đạo hội nghị.", "Ai phát biểu?")
    assert not type_ok("person", "Ban Dân vận Tỉnh ủy tổ chức hội nghị.", "Ai tổ chức?")


def test_the_share_of_marked_letters_counts_letters_only():
    from core.language import marked_share

    assert marked_share("Đà Nẵng 2023") == 0.5  # Đ, à, ẵ of six letters; digits and spaces are not letters
    assert marked_share("dan van") == 0.0 and marked_share("2023") == 0.0
