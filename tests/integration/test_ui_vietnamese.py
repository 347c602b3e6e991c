"""The chat UI in Vietnamese, in a real Chromium (Debian's) driven by Playwright, against a real
server holding the English and the Vietnamese sample corpora: a browser set to Vietnamese gets
the page in Vietnamese, a Vietnamese question its cited answer framed in Vietnamese (quotes
verbatim), a refusal worded in Vietnamese, and a follow-up answered; a browser set to English
still gets English; Gradio's settings panel switches between them.

With DANVAN_SCREENSHOTS=DIR the Vietnamese chat is saved as DIR/chat-vi.png (the README's)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from tests.helpers.browser import ask as _ask
from tests.helpers.browser import chromium
from tests.helpers.servers import start_server, stop
from tests.helpers.stores import ROOT, SAMPLE, ingest_into, make_settings

pytestmark = pytest.mark.slow
SAMPLE_VI = ROOT / "corpus" / "sample-vi"
QA = {
    row["id"]: row
    for row in map(json.loads, (ROOT / "eval" / "sample-vi" / "qa.jsonl").read_text(encoding="utf-8").splitlines())
}
# eval/sample-vi vi034: 1.245 models in Quang Binh, then "Trong đó ..." (of them) 198 in defence and security.
FIRST, FOLLOW_UP = QA["vi034"]["turns"][0]["question"], QA["vi034"]["turns"][1]["question"]
UNANSWERABLE = QA["vi071"]["question"]  # Son La: the store holds no Son La count of models
SOURCE = "vi-quang-binh-2022-bao-cao-so-ket.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    settings = make_settings(tmp_path_factory.mktemp("vi-ui-data"))
    ingest_into(settings, embedder, [SAMPLE, SAMPLE_VI])
    proc, base = start_server(settings)
    yield base
    stop(proc)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, server, locale: str):
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{server}/")
    page.wait_for_selector("#question textarea")
    page.wait_for_function("l => document.documentElement.lang === l", arg=locale.split("-")[0])
    return context, page


def _tabs(page) -> list[str]:
    return [t.strip() for t in page.locator("[role=tab]").all_inner_texts()]


def test_vietnamese_browser_gets_the_chat_in_vietnamese(browser, server):
    context, page = _open(browser, server, "vi-VN")
    # The page's own words.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=tab]')].map(t => t.innerText.trim()).join('|') "
        "=== 'Hỏi đáp|Bản tóm tắt'"
    )
    assert page.inner_text("#ask").strip() == "Hỏi"
    assert page.get_attribute("#question textarea", "placeholder") == "Đặt câu hỏi bằng lời thông thường…"
    assert page.inner_text("#new-conversation").strip() == "Cuộc trò chuyện mới"
    body = page.inner_text("body")
    for words in (
        "Hỏi về công tác dân vận",
        "Ví dụ từ kho tài liệu mẫu",
        "Bộ lọc",
        "Nguồn của câu trả lời gần nhất",
        "Câu trả lời gần nhất có hữu ích không?",
        "Hữu ích",
        "Không hữu ích",
        "Xuất phản hồi (JSONL)",
        "Cài đặt",
    ):
        assert words in body, words
    for english in (
        "Ask a question",
        "Examples from",
        "Filters",
        "Was the last answer helpful",
        "Export feedback",
        "Briefing",
    ):
        assert english not in body, english
    # The examples are the Vietnamese ones; the English set is hidden.
    assert page.locator("#examples-vi").is_visible() and not page.locator("#examples-en").is_visible()
    assert "Bí thư Đảng ủy xã Tà Hộc là ai?" in page.inner_text("#examples-vi")

    # A Vietnamese question: its answer quotes the report verbatim, framed in Vietnamese.
    answer = _ask(page, FIRST)
    assert "1.245" in answer and SOURCE in answer, answer
    assert "Nguồn" in answer and "Sources" not in answer
    page.locator("#sources label").first.click()
    page.wait_for_selector("#passage mark")
    assert "1.245" in page.inner_text("#passage mark") and "Đoạn được trích dẫn" in page.inner_text("#passage")
    assert page.inner_text("#open-document").strip() == "Mở toàn bộ văn bản"
    page.click("#open-document")
    page.wait_for_selector("#document mark")
    assert "Toàn văn" in page.inner_text("#document") and "BAN DÂN VẬN" in page.inner_text("#document")

    # A follow-up that only makes sense with the conversation ("Trong đó" = of them).
    followup = _ask(page, FOLLOW_UP)
    assert "198" in followup and SOURCE in followup, followup
    page.locator("#sources label").first.click()
    page.wait_for_selector("#passage mark")
    assert "198" in page.inner_text("#passage mark")
    shots = os.environ.get("DANVAN_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "chat-vi.png"))

    # A question the documents do not answer: the refusal and its reason in Vietnamese.
    refusal = _ask(page, UNANSWERABLE)
    assert "⚠" in refusal and "Các tài liệu không trả lời câu hỏi này." in refusal, refusal
    assert "đoạn gần nhất nói về" in refusal and "Các đoạn liên quan (không trả lời câu hỏi):" in refusal, refusal
    assert "do not answer" not in refusal and "closest passage" not in refusal
    page.wait_for_function("() => document.querySelector('#sources').innerText.includes('Không có nguồn')")

    # Messages made in Python follow the page's language.
    page.fill("#question textarea", "   ")
    page.click("#ask")
    page.wait_for_selector("text=Hãy nhập câu hỏi trước.")
    page.click("#fb-down")
    page.wait_for_function("() => document.querySelector('#fb-status').innerText.includes('Cảm ơn: đã lưu phản hồi')")
    assert "không hữu ích" in page.inner_text("#fb-status")
    last = [json.loads(line) for line in httpx.get(f"{server}/v1/feedback.jsonl").text.splitlines() if line][-1]
    assert last["question"] == UNANSWERABLE and last["helpful"] is False
    context.close()


def test_gradio_settings_switch_the_language_both_ways(browser, server):
    context, page = _open(browser, server, "vi-VN")
    _pick_language(page, "Cài đặt", "English")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=tab]')].map(t => t.innerText.trim()).join('|') === 'Ask|Briefing'"
    )
    assert page.inner_text("#ask").strip() == "Ask" and page.locator("#examples-en").is_visible()
    assert not page.locator("#examples-vi").is_visible()
    # Python's messages follow the switch too.
    page.fill("#question textarea", "   ")
    page.click("#ask")
    page.wait_for_selector("text=Type a question first.")
    # And back: Vietnamese is offered among Gradio's own languages.
    _pick_language(page, "Settings", "Tiếng Việt")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=tab]')].map(t => t.innerText.trim()).join('|') "
        "=== 'Hỏi đáp|Bản tóm tắt'"
    )
    assert page.inner_text("#ask").strip() == "Hỏi" and page.locator("#examples-vi").is_visible()
    context.close()


def _pick_language(page, settings: str, name: str) -> None:
    """Gradio's settings panel (the footer's link), its language dropdown, then closed."""
    page.locator("footer").get_by_text(settings).click()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name=name).click()
    page.locator("[role=dialog] .banner-wrap button").first.click()  # the panel's close button
    page.wait_for_selector("[role=dialog]", state="detached")


def test_english_browser_still_gets_english(browser, server):
    context, page = _open(browser, server, "en-US")
    assert _tabs(page) == ["Ask", "Briefing"]
    assert page.inner_text("#ask").strip() == "Ask"
    assert page.get_attribute("#question textarea", "placeholder") == "Ask a question in plain words…"
    body = page.inner_text("body")
    assert (
        "Examples from the sample corpus" in body and "Was the last answer helpful?" in body and "Hỏi đáp" not in body
    )
    assert page.locator("#examples-en").is_visible() and not page.locator("#examples-vi").is_visible()
    answer = _ask(page, "How many km of concrete rural roads did Que Phong build in 2014?")
    assert "39 km" in answer and "Sources" in answer and "Nguồn" not in answer
    # The answer's frame follows the question's language, whatever the page's.
    vietnamese = _ask(page, FIRST)
    assert "1.245" in vietnamese and "Nguồn" in vietnamese and "Sources" not in vietnamese.split("1.245", 1)[1]
    context.close()


def test_a_brief_on_a_vietnamese_topic_has_vietnamese_headings_on_the_page_and_in_the_docx(browser, server, tmp_path):
    import io

    from docx import Document

    context, page = _open(browser, server, "vi-VN")
    page.get_by_role("tab", name="Bản tóm tắt").click()
    page.fill("#brief-topic textarea, #brief-topic input", "nhà Đại đoàn kết")
    page.click("#brief-build")
    page.wait_for_function("() => document.querySelector('#brief-output')?.innerText.includes('Nguồn')")
    text = page.inner_text("#brief-output")
    assert text.startswith("Bản tóm tắt: nhà Đại đoàn kết") and "Điểm chính" in text and "Số liệu" in text, text[:300]
    assert "12.680" in text and "Key points" not in text
    assert page.inner_text("#brief-docx").strip() == "Tải về DOCX"
    with page.expect_download() as info:
        page.click("#brief-docx")
    path = tmp_path / "brief.docx"
    info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Điểm chính" and "Số liệu" in headings and headings[-1] == "Nguồn", headings
    assert doc.tables[0].rows[0].cells[0].text == "Con số"
    context.close()
