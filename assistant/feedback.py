"""Durable user feedback (SQLite under the data dir), exportable as JSONL for evaluation."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ConfigDict, Field

from .models import Answer, RequestBody

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    session TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    citations TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
)
"""


class Feedback(RequestBody):
    model_config = ConfigDict(strict=True)

    question: str
    answer: Answer
    helpful: bool
    comment: str = Field("", max_length=2000)
    session: str | None = None


class FeedbackStore:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(_SCHEMA)
        self._conn.commit()
        self._lock = threading.Lock()

    def add(self, fb: Feedback) -> int:
        row = (
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            fb.session,
            fb.question,
            fb.answer.answer,
            int(fb.answer.refused),
            json.dumps([c.model_dump() for c in fb.answer.citations], ensure_ascii=False),
            int(fb.helpful),
            fb.comment.strip(),
        )
        with self._lock, self._conn:
            cur = self._conn.execute(
                "INSERT INTO feedback (created_at, session, question, answer, refused, citations, helpful, comment)"
                " VALUES (?,?,?,?,?,?,?,?)",
                row,
            )
        return int(cur.lastrowid)

    def rows(self) -> Iterator[dict]:
        with self._lock:
            cur = self._conn.execute(
                "SELECT id, created_at, session, question, answer, refused, citations, helpful, comment"
                " FROM feedback ORDER BY id"
            )
            rows = cur.fetchall()
        for r in rows:
            yield {
                "id": r[0],
                "created_at": r[1],
                "session": r[2],
                "question": r[3],
                "answer": r[4],
                "refused": bool(r[5]),
                "citations": json.loads(r[6]),
                "helpful": bool(r[7]),
                "comment": r[8],
            }

    def export_jsonl(self) -> str:
        return "".join(jsonl_line(r) for r in self.rows())


def jsonl_line(obj) -> str:
    """One JSON object per line, readable Vietnamese kept as is, and no character that a line
    splitter could take for a line end (U+2028, U+2029, U+0085 are escaped)."""
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085") + "\n"
