"""The page build_ui assembles from its parts (no server, no browser): the call routes the boundary
and the fuzz tests name, their order, their shared concurrency limits and the element ids the
browser tests find."""

from __future__ import annotations

import types

from ui.app import build_ui


class _Service:
    settings = types.SimpleNamespace(max_question_chars=1000)

    def facets(self):
        return {"provinces": ["Nghe An"], "doc_types": ["report"], "years": [2014, 2015]}


ROUTES = [
    "load_example",
    "load_example_1",
    "respond",
    "respond_1",
    "show_passage",
    "open_document",
    "js_fn",
    "handler",
    "handler_1",
    "new_conversation",
    "make_brief",
    "make_brief_1",
    "refresh_filters",
    "lambda",
]
IDS = {
    "tab-ask",
    "tab-brief",
    "chat",
    "question",
    "ask",
    "new-conversation",
    "examples-en",
    "examples-vi",
    "f-province",
    "f-doctype",
    "f-year-from",
    "f-year-to",
    "sources",
    "passage",
    "open-document",
    "document",
    "fb-comment",
    "fb-up",
    "fb-down",
    "fb-status",
    "brief-topic",
    "brief-province",
    "brief-year",
    "brief-build",
    "brief-downloads",
    "brief-output",
}


def test_routes_limits_and_ids():
    ui = build_ui(_Service(), feedback=None)
    fns = list(ui.fns.values())
    assert [f.api_name for f in fns] == ROUTES
    by_name = {f.api_name: f for f in fns}
    # Ask and Enter are one function, so they share one limit; so are the brief's button and Enter.
    for name, limit in (("respond", 4), ("make_brief", 2)):
        first, second = by_name[name], by_name[f"{name}_1"]
        assert first.concurrency_id == second.concurrency_id and first.concurrency_limit == limit
    ids = {block.elem_id for block in ui.blocks.values()}
    assert IDS <= ids
    keyed = build_ui(_Service(), feedback=None, with_keys=True)
    assert [f.api_name for f in keyed.fns.values()] == ROUTES

    # The log-out link only with keys (an i18n value: its key, until the browser translates it).
    def log_out(page):
        return [b for b in page.blocks.values() if "html_log_out" in str(getattr(b, "value", ""))]

    assert not log_out(ui) and len(log_out(keyed)) == 1
