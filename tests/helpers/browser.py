"""Driving Debian's Chromium with Playwright (no browser download), shared by the UI tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def ask(page, question: str) -> str:
    """Types a question in the chat and returns the answer's text once it is complete."""
    before = page.locator("#chat .message-row").count()
    page.fill("#question textarea", question)
    page.click("#ask")
    # Streamed: complete once its sources (Sources / Nguồn), a refusal (⚠) or an error line is rendered;
    # the streamed text of a refusal is its plain sentence, the final render is marked ⚠.
    page.wait_for_function(
        """n => { const rows = document.querySelectorAll('#chat .message-row');
                  if (rows.length < n + 2) return false;
                  const t = rows[rows.length - 1].innerText;
                  return ['Sources', 'Nguồn', '⚠', 'Error', 'Lỗi'].some(w => t.includes(w)); }""",
        arg=before,
    )
    return page.locator("#chat .message-row").last.inner_text()
