"""The chat UI's Python-made texts in the question's language (pure: ui.render, ui.texts)."""

from __future__ import annotations

from assistant.models import Answer, Citation
from ui.render import answer_markdown, document_html, error_markdown, passage_html, refusal_text
from ui.texts import I18N, LOCALE_JS, examples, page_language, question_language, say

QUOTE = 'Toàn tỉnh có 1.245 mô hình "Dân vận khéo" đăng ký thực hiện.'
CITE = Citation(
    n=1, source="vi-quang-binh.txt", title="Báo cáo số 120-BC/BDVTU", quote=QUOTE, chunk_id="c", province="Quang Binh"
)
RELATED = Citation(n=1, source="vi-phu-tho.txt", title="Tin hội nghị", quote="Phú Thọ có 8.415 mô hình.", chunk_id="d")


def test_an_answer_to_a_vietnamese_question_is_framed_in_vietnamese_with_the_quote_verbatim():
    md = answer_markdown(
        Answer(answer=f"{QUOTE} [1]", refused=False, citations=[CITE]),
        question_language("Quảng Bình có bao nhiêu mô hình?"),
    )
    assert "**Nguồn**" in md and "Sources" not in md
    assert "1.245 mô hình" in md and "Dân vận khéo" in md  # the quote's words, escaped but unchanged
    assert "**Sources**" in answer_markdown(Answer(answer="39 km [1]", refused=False, citations=[CITE]), "en")


def test_a_refusal_is_worded_in_the_questions_language_whatever_the_service_said():
    english = Answer(
        answer="The documents do not answer this question. (the closest passage is about Phu Tho, not Son La)",
        refused=True,
        reason="the closest passage is about Phu Tho, not Son La",
        related=[RELATED],
    )
    assert (
        refusal_text(english, "vi")
        == "Các tài liệu không trả lời câu hỏi này. (đoạn gần nhất nói về Phu Tho, không phải Son La)"
    )
    assert refusal_text(english, "en") == english.answer
    md = answer_markdown(english, "vi")
    assert (
        md.startswith("**⚠ Các tài liệu không trả lời câu hỏi này.")
        and "*Các đoạn liên quan (không trả lời câu hỏi):*" in md
    )
    assert "Phú Thọ có 8.415 mô hình." in md and "do not answer" not in md
    # Already in Vietnamese (the service words it so): kept as it is.
    worded = Answer(
        answer="Các tài liệu không trả lời câu hỏi này. (đoạn gần nhất nói về Phu Tho, không phải Son La)",
        refused=True,
        reason="đoạn gần nhất nói về Phu Tho, không phải Son La",
    )
    assert refusal_text(worded, "vi") == worded.answer
    assert refusal_text(Answer(answer="x", refused=True), "vi") == "Các tài liệu không trả lời câu hỏi này."


def test_errors_passages_and_messages_in_either_language():
    assert error_markdown("boom", "vi") == "**Lỗi:** boom" and error_markdown("boom") == "**Error:** boom"
    assert "Đoạn được trích dẫn" in passage_html(
        CITE, f"Mở đầu. {QUOTE}", "vi"
    ) and "<mark id='quote'>" in passage_html(CITE, QUOTE, "vi")
    assert "Cited passage" in passage_html(CITE, QUOTE) and "Toàn văn" in document_html(CITE, QUOTE, "vi")
    assert (
        say("type_question_first", "vi") == "Hãy nhập câu hỏi trước."
        and say("type_question_first", "en") == "Type a question first."
    )
    assert (
        say("feedback_saved", "vi", id=3, verdict=say("verdict_helpful", "vi"))
        == "Cảm ơn: đã lưu phản hồi #3 (hữu ích)."
    )
    assert question_language("") == "en" and question_language("Trong do co bao nhieu mo hinh?") == "vi"


def test_the_browser_gets_both_languages_and_the_examples_of_each():
    translations = I18N.translations_dict
    assert translations["vi"]["ask"] == "Hỏi" and translations["en"]["ask"] == "Ask"
    assert translations["vi"]["common.settings"] == "Cài đặt"  # Gradio's own words in Vietnamese too
    assert "Đăng xuất" in translations["vi"]["html_log_out"] and 'href="/logout"' in translations["vi"]["html_log_out"]
    assert set(translations["en"]) - {"html_log_out", "html_export_feedback"} <= set(translations["vi"])
    assert all(question_language(q) == "vi" for q in examples("vi")) and all(
        question_language(q) == "en" for q in examples("en")
    )
    assert '["Tiếng Việt", "vi"]' in LOCALE_JS and "changeLocale" in LOCALE_JS


def test_the_page_language_comes_from_its_cookie_then_the_browser():
    class Request:
        def __init__(self, **headers):
            self.headers = headers

    assert page_language(Request(cookie="danvan_session=abc; danvan_lang=vi")) == "vi"
    assert page_language(Request(cookie="danvan_lang=en", **{"accept-language": "vi-VN,vi;q=0.9"})) == "en"  # switched
    assert page_language(Request(**{"accept-language": "vi-VN,vi;q=0.9,en;q=0.8"})) == "vi"
    assert page_language(Request(cookie='bad"cookie; =;', **{"accept-language": "fr-FR"})) == "en"
    assert page_language(None) == "en" and page_language(Request(cookie="danvan_lang=xx")) == "en"
