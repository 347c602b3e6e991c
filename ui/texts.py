"""The chat UI's words in each language, from `prompts/texts.LANG.json` (nothing is worded here).

Static labels go to the browser through Gradio's i18n (`I18N`): the page shows them in the
browser's language, and Gradio's settings panel switches it. Gradio 6 picks a locale only among
the languages it ships (Vietnamese is not one), so `LOCALE_JS` adds Vietnamese to its choices
and selects it when the browser prefers it. Texts made in Python (warnings, the answer's frame,
feedback lines) take a language: the question's (`detect`) or the page's (`page_language`)."""

from __future__ import annotations

import html
import json
from http.cookies import CookieError, SimpleCookie

import gradio as gr

from assistant.texts import LANGUAGES, language_of, text, texts
from core.language import detect


def say(key: str, language: str | None = "en", **values) -> str:
    return text("ui", key, language_of(language), **values)


def examples(language: str) -> list[str]:
    return list(texts(language_of(language)).get("examples") or texts("en")["examples"])


def question_language(question: str | None) -> str:
    return detect(question) if question and question.strip() else "en"


def _links(language: str) -> dict[str, str]:
    # HTML whose words are translated: built here from the texts, so the markup stays in one place.
    return {
        "html_log_out": f'<a href="/logout" id="logout">{html.escape(say("log_out", language))}</a>',
        "html_export_feedback": (
            '<a id="fb-export" class="dv-download" href="/exports/feedback.jsonl" '
            f'download="danvan-feedback.jsonl">{html.escape(say("export_feedback", language))}</a>'
        ),
    }


def _translations(language: str) -> dict[str, str]:
    # Texts with {placeholders} are filled in by Python only (the browser would read them as ICU).
    words = {k: v for k, v in texts(language).get("ui", {}).items() if isinstance(v, str) and "{" not in v}
    return {**texts(language).get("gradio", {}), **words, **_links(language)}


I18N = gr.I18n(**{language: _translations(language) for language in LANGUAGES})


def t(key: str):
    """A label the browser shows in its language. In an update sent back by a handler, pass it
    as `str(t(key))`: Gradio's REST call route cannot serialize the object itself."""
    return I18N(key)


COOKIE = "danvan_lang"  # the page's language, as LOCALE_JS remembers it for the server

# Run once when the page loads (mount_gradio_app(js=...)). Gradio's core module is already loaded;
# importing it again by its URL returns the same module, whose locale store and language list
# the page uses. A tab's label is translated when the tab is shown, so after a change of locale
# each tab is shown once and the one that was open shown again.
LOCALE_JS = """async () => {
  const ours = %s;
  const pause = ms => new Promise(r => setTimeout(r, ms));
  const retitleTabs = async () => {
    for (const list of document.querySelectorAll('[role=tablist]')) {
      const tabs = [...list.querySelectorAll('[role=tab]')];
      const open = tabs.find(b => b.getAttribute('aria-selected') === 'true');
      for (const b of tabs) { b.click(); await pause(30); }
      open?.click();
    }
  };
  // The page's language for the server's own messages (no identity in it; not HttpOnly, on purpose).
  const remember = () => {
    document.cookie = `%s=${(document.documentElement.lang || 'en').split('-')[0]}; path=/; SameSite=Strict`;
  };
  remember();
  new MutationObserver(() => { remember(); retitleTabs(); })
    .observe(document.documentElement, {attributes: true, attributeFilter: ['lang']});
  const url = performance.getEntriesByType('resource').map(e => e.name)
    .find(n => /\\/assets\\/core-[^/]*\\.js(\\?.*)?$/.test(n));
  if (!url) return;
  const core = await import(url);
  // Another Gradio version: the page stays English.
  if (typeof core.changeLocale !== 'function' || !Array.isArray(core.language_choices)) return;
  for (const [name, code] of %s)
    if (!core.language_choices.some(([, c]) => c === code)) core.language_choices.push([name, code]);
  const wanted = (navigator.languages || [navigator.language]).map(l => l.split('-')[0].toLowerCase())
    .find(l => ours.includes(l));
  const current = (document.documentElement.lang || 'en').split('-')[0];
  if (wanted && wanted !== current) core.changeLocale(wanted);
}""" % (
    json.dumps(list(LANGUAGES)),
    COOKIE,
    json.dumps([[texts(lang)["language_name"], lang] for lang in LANGUAGES], ensure_ascii=False),
)


def page_language(request) -> str:
    """The page's language, for the texts Python makes (warnings, feedback lines): the one the
    page shows (LOCALE_JS keeps it in a cookie), else the browser's first, else English."""
    headers = getattr(request, "headers", None) or {}
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", "") or "")
    except CookieError:
        pass
    if COOKIE in jar:
        return language_of(jar[COOKIE].value)
    accept = (headers.get("accept-language", "") or "").split(",")[0].split(";")[0].strip()
    return language_of(accept)
