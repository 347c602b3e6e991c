"""Feedback: stored durably, exported as JSON lines that no line splitter breaks."""

from assistant.feedback import Feedback, FeedbackStore
from assistant.models import Answer, Citation


def test_feedback_is_durable(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite")
    answer = Answer(
        answer="x [1]", refused=False, citations=[Citation(n=1, source="a.txt", title="A", quote="x", chunk_id="c")]
    )
    store.add(Feedback(question="q", answer=answer, helpful=False, comment=" meh "))
    again = FeedbackStore(tmp_path / "fb.sqlite")
    rows = list(again.rows())
    assert len(rows) == 1 and rows[0]["comment"] == "meh" and rows[0]["helpful"] is False
    assert rows[0]["citations"][0]["source"] == "a.txt" and again.export_jsonl().count("\n") == 1


def test_jsonl_lines_survive_any_line_splitter():
    import json

    from assistant.feedback import jsonl_line

    line = jsonl_line({"comment": "a\u2028b\u2029c\x85d\x1ce — dân vận"})
    assert len(line.splitlines()) == 1 and json.loads(line)["comment"] == "a\u2028b\u2029c\x85d\x1ce — dân vận"
    assert "dân vận" in line
