"""Evaluation of answers against a QA file (the `eval/dev_qa.jsonl` schema).

An answerable item is correct when every `must` group has one alternative in the answer and a
cited source is among `sources`; an unanswerable item is correct when it is refused. Multi-turn
items are scored turn by turn, each turn asked with the conversation before it.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .citations import quote_in
from .models import Answer, AskRequest


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    question: str
    must: list[list[str]]
    sources: list[str]
    session: str | None = None  # turns of one multi-turn item share it


@dataclass
class Outcome:
    id: str
    kind: str
    question: str
    answerable: bool
    correct: bool
    refused: bool
    cited: bool
    source_ok: bool
    missing: list[list[str]] = field(default_factory=list)
    quotes_verbatim: bool = True
    answer: str = ""
    sources_cited: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fallback: str | None = None  # generative backends: why the extractive answer was used


def read_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("kind") == "multiturn":
            for i, turn in enumerate(item["turns"], start=1):
                cases.append(
                    Case(
                        f"{item['id']}.{i}",
                        "multiturn",
                        turn["question"],
                        turn.get("must", []),
                        turn.get("sources", []),
                        session=item["id"],
                    )
                )
        else:
            cases.append(
                Case(item["id"], item.get("kind", "?"), item["question"], item.get("must", []), item.get("sources", []))
            )
    return cases


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def missing_groups(answer: str, must: list[list[str]]) -> list[list[str]]:
    """The `must` groups none of whose alternatives the answer contains."""
    text = _norm(answer)
    return [group for group in must if not any(_norm(alt) in text for alt in group)]


def score(case: Case, answer: Answer, texts: Callable[[str], str | None]) -> Outcome:
    answerable = bool(case.must) or case.kind != "unanswerable"
    cited = [c.source for c in answer.citations]
    missing = missing_groups(answer.answer, case.must) if answerable else []
    source_ok = not case.sources or any(s in case.sources for s in cited)
    verbatim = all(quote_in(c.quote, texts(c.source) or "") for c in answer.citations)
    correct = (not answer.refused and not missing and source_ok) if answerable else answer.refused
    return Outcome(
        id=case.id,
        kind=case.kind,
        question=case.question,
        answerable=answerable,
        correct=correct,
        refused=answer.refused,
        cited=bool(cited),
        source_ok=source_ok,
        missing=missing,
        quotes_verbatim=verbatim,
        answer=answer.answer,
        sources_cited=cited,
        seconds=answer.seconds or 0.0,
        fallback=answer.fallback,
    )


def summarize(outcomes: list[Outcome]) -> dict:
    def block(items: list[Outcome]) -> dict:
        ans = [o for o in items if o.answerable]
        un = [o for o in items if not o.answerable]
        answered = [o for o in items if not o.refused]
        return {
            "items": len(items),
            "answerable": len(ans),
            "accuracy": round(sum(o.correct for o in ans) / len(ans), 4) if ans else None,
            "false_refusals": sum(o.refused for o in ans),
            "unanswerable": len(un),
            "refusal_rate": round(sum(o.refused for o in un) / len(un), 4) if un else None,
            "citation_rate": round(sum(o.cited for o in answered) / len(answered), 4) if answered else None,
            "quotes_verbatim_rate": round(sum(o.quotes_verbatim for o in items) / len(items), 4) if items else None,
            "fallback_rate": round(sum(o.fallback is not None for o in answered) / len(answered), 4)
            if answered
            else None,
        }

    by_kind = defaultdict(list)
    for o in outcomes:
        by_kind[o.kind].append(o)
    seconds = sorted(o.seconds for o in outcomes)
    return {
        **block(outcomes),
        "latency_p50_s": seconds[len(seconds) // 2] if seconds else None,
        "latency_max_s": seconds[-1] if seconds else None,
        "by_kind": {k: block(v) for k, v in sorted(by_kind.items())},
    }


def run(
    cases: Iterable[Case], ask: Callable[[AskRequest], Answer], texts: Callable[[str], str | None]
) -> tuple[dict, list[Outcome]]:
    outcomes = []
    started = time.perf_counter()
    for case in cases:
        # Each multi-turn item gets a fresh session, so reruns do not inherit old turns.
        session = f"eval-{case.session}-{started}" if case.session else None
        outcomes.append(score(case, ask(AskRequest(question=case.question, session=session)), texts))
    return summarize(outcomes), outcomes


def report(summary: dict, outcomes: list[Outcome], meta: dict) -> dict:
    return {**meta, "summary": summary, "items": [asdict(o) for o in outcomes]}
