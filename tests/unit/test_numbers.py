import pytest

from assistant import brief, evidence, verify
from core.language import EN, VI
from core.numbers import is_year, numbers, parse, ungrouped


def one(text: str):
    found = list(numbers(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, value",
    [
        ("2.071 hộ", "2.071"),
        ("2,071 households", "2,071"),
        ("2,5 tỷ đồng", "2,5"),
        ("2.5 billion", "2.5"),
        ("1,234.5 ha", "1,234.5"),
        ("1.234,5 ha", "1.234,5"),
        ("12.000.000 đồng", "12.000.000"),
        ("0,5 km", "0,5"),
    ],
)
def test_a_number_is_whole_whatever_its_marks(text, value):
    n = one(text)
    assert (n.value, n.text, n.bounded) == (value, value, True)
    assert text[n.start : n.end] == n.text


def test_sentence_punctuation_is_not_part_of_a_number():
    assert [n.text for n in numbers("In 2023, 35,990 days; 2,5 tỷ. Done.")] == ["2023", "35,990", "2,5"]


def test_percents_fractions_ranges_and_units():
    n = one("đạt 38,5% năm 2021"[:10])
    assert (n.text, n.value, n.percent) == ("38,5%", "38,5", True)
    assert one("95 % of cases").text == "95 %"
    assert one("tăng 3%/năm").bounded  # a percent sign closes the number
    n = one("3/4 of households")
    assert (n.text, n.value, n.fraction, n.bounded) == ("3/4", "3", True, True)
    n = one("VND 50-60 million")
    assert (n.text, n.value, n.to, n.unit) == ("50-60", "50", "60", "million")
    assert one("50.000-60.000 người").to == "60.000"
    n = one("donated 541m2 of land")
    assert (n.text, n.unit, n.bounded) == ("541", "m2", True)
    assert one("6.000m²;").unit == "m²"
    assert one("1.060 km/giờ").bounded  # what follows a spaced unit is not the number's
    assert one("5 km").unit == "km" and one("5 kilometres").unit == ""


@pytest.mark.parametrize("text", ["15th", "12/3/2023", "3rd"])
def test_a_number_run_into_a_word_or_a_date_is_not_bounded(text):
    assert not next(numbers(text)).bounded


@pytest.mark.parametrize("text", ["COVID-19", "A1 road", "15-CT/TU"[2:], "ii,37", "x.5"])
def test_no_number_inside_a_word_a_code_or_a_longer_number(text):
    assert list(numbers(text)) == []


def test_years():
    assert is_year("2023") and is_year("1945")
    assert not is_year("1307") and not is_year("2,023") and not is_year("20234") and not is_year("2023%")


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        ("2,071", EN, 2071),
        ("2.071", VI, 2071),  # thousands, by language
        ("2.071", EN, 2.071),
        ("2,071", VI, 2.071),  # decimals, by language
        ("2,5", EN, 2.5),
        ("2,5", VI, 2.5),
        ("2.5", EN, 2.5),
        ("2.5", VI, 2.5),  # one mark before other than three digits
        ("1,234.5", EN, 1234.5),
        ("1.234,5", VI, 1234.5),
        ("1,234.5", VI, 1234.5),  # both marks: the last is decimal
        ("12.000.000", VI, 12_000_000),
        ("1,000,000", EN, 1_000_000),
        ("1,000,000", VI, 1_000_000),
        ("0,125", VI, 0.125),
        ("0.125", VI, 0.125),
        ("1588,739", VI, 1588.739),
        ("35", EN, 35),
    ],
)
def test_parse_reads_thousands_and_decimals(value, lang, expected):
    assert parse(value, lang) == pytest.approx(expected)


def test_ungrouped_compares_a_figure_written_either_way():
    assert ungrouped("35,990 and 35.990 days, 2,5 tỷ, 1,234.5") == "35990 and 35990 days, 2,5 tỷ, 1234.5"


def test_brief_figures_read_vietnamese_decimals_and_thousands():
    figures = brief.figures_in("Nhân dân hiến 18.640 m2 đất, góp 3,2 tỷ đồng; 12.000.000 ngày công năm 2023.")
    assert figures == [("18.640", "m2 đất"), ("3,2", "tỷ đồng"), ("12.000.000", "ngày công năm 2023")]
    assert brief.figures_in("Tỷ lệ đạt 38,5% số hộ") == [("38,5%", "số hộ")]
    assert brief.figures_in("English 1,234.5 ha of forest") == [("1,234.5", "ha of forest")]
    assert brief.figures_in("Ngày 12/3, trong giai đoạn 2021-2025") == []  # a day and month, a period


def test_evidence_figures():
    assert evidence._has_number("Each house got VND 50-60 million.", set())
    assert evidence._has_number("Ông ra lệnh xử tử 50.000-60.000 người.", set())
    assert evidence._has_number("3/4 of households agreed", set())
    assert not evidence._has_number("Sultan Ahmed III (1703-1730) loved tulips.", set())
    assert not evidence._has_number("In 2023 the plan began.", set())
    assert not evidence._has_number("100% of units joined", set(), shares=False)
    question = "Bao nhiêu hộ có 2,5 ha?"
    assert evidence.question_numbers(question) == {"2,5"}
    assert not evidence.type_ok("number", "Họ có 2,5 ha.", question)  # repeats the question's figure only


def test_verify_checks_every_figure_and_both_ends_of_a_range():
    evidence_text = "Giai đoạn 2021-2025, nhân dân hiến 35.990 m2 đất và 2,5 tỷ đồng."
    assert verify.unsupported("Từ 2021-2025 dân hiến 35,990 m2 [1].", evidence_text) == []
    assert verify.unsupported("Từ 2021-2026 dân hiến 2,5 tỷ [1].", evidence_text) == ["2026"]
    assert verify.unsupported("Dân hiến 2,7 tỷ đồng ở xã thứ 3rd [1].", evidence_text) == ["2,7"]
