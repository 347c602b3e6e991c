"""Lexical tokens: codes and figures whole, diacritics folded, units and synonyms as one token."""

from core.tokenize import tokenize


def test_tokens_keep_codes_and_figures_whole_and_fold_diacritics():
    toks = tokenize("Directive 22-CT/HU: 3,315 people, 2.4 km; Quảng Ninh; kilometres")
    assert "22-ct/hu" in toks and "3315" in toks and "2.4" in toks
    assert "quang" in toks and "ninh" in toks and toks.count("km") == 2
    assert tokenize("the of and") == []


def test_state_codes_are_one_token_with_or_without_marks():
    marked = tokenize("Quyết định 1234/QĐ-UBND thực hiện Nghị định 45/2023/NĐ-CP và Luật 08/2012/QH13")
    assert {"1234/qd-ubnd", "45/2023/nd-cp", "08/2012/qh13"} <= set(marked)
    assert tokenize("quyet dinh 1234/QD-UBND") == tokenize("Quyết định 1234/QĐ-UBND")
    assert "12" in tokenize("ngày 12/3/2023") and "2023" in tokenize("ngày 12/3/2023")  # a date is no code


def test_area_units_are_one_token_however_written():
    from core.tokenize import tokenize

    assert (
        tokenize("600m2")
        == tokenize("600 m2")
        == tokenize("600 m²")
        == tokenize("600 square meters")
        == tokenize("600 square metres")
        == ["600", "m2"]
    )
    assert tokenize("4 square kilometres") == ["4", "km2"] and tokenize("12 kilometers") == ["12", "km"]


def test_skillful_clever_and_smart_models_are_one_term():
    assert tokenize("Skillful") == tokenize("clever") == tokenize("Smart") == tokenize("skilful") == ["skill"]


def test_tokens_are_cached_but_each_caller_gets_its_own_list():
    first = tokenize("Ba Che held 19 dialogues")
    first.append("changed")
    assert tokenize("Ba Che held 19 dialogues") == first[:-1]
