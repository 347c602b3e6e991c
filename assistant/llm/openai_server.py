"""Any OpenAI-compatible chat-completions server (llama.cpp's, vLLM, Ollama, a hosted API)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx

from core.errors import BackendUnavailable


class OpenAIServerChat:
    def __init__(self, url: str, model: str, api_key: str | None = None, timeout: float = 120.0):
        self.name = f"openai:{model}"
        self._url = url.rstrip("/") + "/chat/completions"
        self._model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)

    def _body(self, messages: list[dict], max_tokens: int, stream: bool) -> dict:
        return {
            "model": self._model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": 0,
            "stream": stream,
        }

    def complete(self, messages: list[dict], max_tokens: int = 256) -> str:
        try:
            r = self._client.post(self._url, json=self._body(messages, max_tokens, False))
            r.raise_for_status()
            return r.json()["choices"][0]["message"]["content"] or ""
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise BackendUnavailable(f"The language model server at {self._url} failed: {exc}") from exc

    def stream(self, messages: list[dict], max_tokens: int = 256) -> Iterator[str]:
        try:
            with self._client.stream("POST", self._url, json=self._body(messages, max_tokens, True)) as r:
                r.raise_for_status()
                for line in r.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise BackendUnavailable(f"The language model server at {self._url} failed: {exc}") from exc
