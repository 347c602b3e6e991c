"""The chat UI in a real Chromium (Debian's package) driven by Playwright, against a real server."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.helpers.browser import ask as _ask
from tests.helpers.browser import chromium

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(server):  # noqa: F811
    with chromium() as browser:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(60_000)
        pg.goto(f"{server}/")  # redirects to /ui/
        pg.wait_for_selector("#question textarea")
        yield pg


def test_chat_citations_followup_feedback(page, server):  # noqa: F811
    answer = _ask(
        page,
        "How many of Que Phong's 2014 skillful mass mobilization models were in the political system building field?",
    )
    assert "21 models" in answer and "que-phong-2014-mass-mobilization.txt" in answer

    # A citation opens the cited passage with the quote highlighted, and then the whole document.
    page.locator("#sources label").first.click()
    page.wait_for_selector("#passage mark")
    assert "21 models" in page.inner_text("#passage mark")
    assert "que-phong-2014-mass-mobilization.txt" in page.inner_text("#passage") and "Nghe An" in page.inner_text(
        "#passage"
    )
    page.click("#open-document")
    page.wait_for_selector("#document mark")
    assert "Quang An" in page.inner_text("#document")  # the last line of the cleaned file

    # The follow-up only makes sense with the conversation.
    followup = _ask(page, "How many of them were collective, and how many individual?")
    assert "14 collective" in followup and "7 individual" in followup

    # Feedback is stored with the question, the answer and its citations.
    page.fill("#fb-comment textarea", "clear and sourced")
    page.click("#fb-up")
    page.wait_for_function("() => document.querySelector('#fb-status').innerText.includes('saved')")
    rows = [json.loads(line) for line in httpx.get(f"{server}/v1/feedback.jsonl").text.splitlines() if line]
    last = rows[-1]
    assert last["helpful"] is True and last["comment"] == "clear and sourced"
    assert (
        last["question"].startswith("How many of them")
        and last["citations"][0]["source"] == "que-phong-2014-mass-mobilization.txt"
    )


def test_refusal_empty_input_and_new_conversation(page):
    refusal = _ask(page, "How long is Quang Tri province's border with Laos?")
    assert "do not answer" in refusal and "Related passages" in refusal
    assert "No sources" in page.inner_text("#sources")

    page.fill("#question textarea", "   ")
    page.click("#ask")
    page.wait_for_selector("text=Type a question first")

    page.click("#new-conversation")
    page.wait_for_function("() => document.querySelectorAll('#chat .message-row').length === 0")
    # A fresh conversation has no "them" to refer to.
    alone = _ask(page, "How many of them were collective, and how many individual?")
    assert "14 collective" not in alone, alone


def test_briefing_tab_builds_and_downloads_a_brief(page, tmp_path):
    import io

    from docx import Document

    page.get_by_role("tab", name="Briefing").click()
    page.fill("#brief-topic textarea, #brief-topic input", "complaints and denunciations")
    page.click("#brief-build")
    page.wait_for_function("() => document.querySelector('#brief-output')?.innerText.includes('Sources')")
    text = page.inner_text("#brief-output")
    assert "Key points" in text and "Figures" in text and "4,113" in text
    assert page.locator("#brief-output table").count() >= 1
    with page.expect_download() as info:
        page.click("#brief-docx")
    path = tmp_path / "brief.docx"
    info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    assert doc.tables and doc.tables[0].rows[0].cells[0].text == "Figure"

    page.fill("#brief-topic textarea, #brief-topic input", "the Mars colony's oxygen supply")
    page.click("#brief-build")
    page.wait_for_function("() => document.querySelector('#brief-output')?.innerText.includes('do not cover')")
    assert not page.locator("#brief-docx").is_visible()
    page.get_by_role("tab", name="Ask").click()


def test_filters_offer_the_stores_provinces_and_narrow_the_answer(page):
    page.click("#new-conversation")
    page.get_by_text("Filters").click()
    page.click("#f-province input")
    options = page.locator("#f-province [role=option]")
    options.first.wait_for()
    offered = {o.replace("✓", "").strip() for o in options.all_inner_texts()}  # the selected one is ticked
    assert {"Any", "Lang Son", "Nghe An", "Quang Ninh", "Quang Tri"} <= offered, (
        offered
    )  # the store's, set at page load
    options.filter(has_text="Quang Ninh").click()
    answer = _ask(page, "How many models were built?")
    assert "quang-ninh-2024-mass-mobilization.txt" in answer and "que-phong" not in answer
    page.click("#f-province input")
    page.locator("#f-province [role=option]").filter(has_text="Any").click()
