from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class ChatModel(Protocol):
    name: str

    def complete(self, messages: list[dict], max_tokens: int = 256) -> str: ...

    def stream(self, messages: list[dict], max_tokens: int = 256) -> Iterator[str]: ...
