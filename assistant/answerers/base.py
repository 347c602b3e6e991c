"""The Answerer protocol: evidence in, Answer out. Backends are built by `components.build_answerer`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from vectorstore.models import Hit

from ..evidence import Selection
from ..llm.base import ChatModel
from ..models import Answer
from ..query import Query


@dataclass
class PartEvidence:
    """One part of a question (the whole question unless it compares places)."""

    label: str | None  # e.g. the place the part is about
    text: str
    hits: list[Hit]
    selection: Selection


class Answerer(Protocol):
    name: str
    chat: ChatModel | None  # the language model behind it, if any

    def compose(self, query: Query, parts: list[PartEvidence]) -> Answer: ...
