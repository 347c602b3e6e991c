"""The fixed texts per language (prompts/texts.LANG.json): every English text has a Vietnamese one with the
same placeholders; language codes and the English fallback."""

from __future__ import annotations

from assistant.texts import language_of, text, texts


def _keys(d: dict, prefix: str = "") -> set[str]:
    return {
        k
        for key, v in d.items()
        if not key.startswith("_")
        for k in (_keys(v, f"{prefix}{key}.") if isinstance(v, dict) else {f"{prefix}{key}"})
    }


def test_every_english_text_has_a_vietnamese_one_with_the_same_placeholders():
    import string

    en, vi = texts("en"), texts("vi")
    missing = _keys({k: v for k, v in en.items() if k != "gradio"}) - _keys(vi)
    assert not missing, missing
    for section in ("ui", "brief"):
        for key, value in en[section].items():
            if isinstance(value, str):
                names = {f for _, f, _, _ in string.Formatter().parse(value) if f}
                assert names == {f for _, f, _, _ in string.Formatter().parse(vi[section][key]) if f}, key
            else:
                assert len(value) == len(vi[section][key]), key
    assert len(vi["examples"]) == len(en["examples"]) >= 3


def test_language_codes_and_fallback():
    assert language_of("vi-VN") == language_of("vi") == "vi"
    assert language_of("en-US") == language_of("fr") == language_of(None) == "en"
    assert text("ui", "ask", "vi") == "Hỏi" and text("ui", "ask", "de") == "Ask"
    assert text("ui", "question_too_long", "vi", length=9, limit=5) == "Câu hỏi quá dài (9 ký tự; giới hạn là 5)."
