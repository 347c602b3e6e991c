"""Scoring answers against a question set: required groups, refusals, summaries."""

from assistant.evaluation import Case, missing_groups, score, summarize
from assistant.models import Answer, Citation


def test_evaluation_scoring():
    assert missing_groups("Built 39 km and 2,4 km", [["39"], ["2.4", "2,4"], ["x"]]) == [["x"]]
    cite = Citation(n=1, source="a.txt", title="A", quote="39 km", chunk_id="c")
    good = Answer(answer="39 km [1]", refused=False, citations=[cite])
    case = Case("1", "number", "q", [["39"]], ["a.txt"])
    assert score(case, good, {"a.txt": "They built 39 km."}.get).correct
    assert not score(Case("1", "number", "q", [["39"]], ["b.txt"]), good, {"a.txt": "39 km"}.get).correct
    assert not score(case, good, {"a.txt": "nothing"}.get).quotes_verbatim
    refusal = Answer(answer="no", refused=True)
    un = score(Case("2", "unanswerable", "q", [], []), refusal, {}.get)
    assert un.correct and not un.answerable
    s = summarize([score(case, good, {"a.txt": "39 km"}.get), un])
    assert (s["accuracy"], s["refusal_rate"], s["false_refusals"]) == (1.0, 1.0, 0)
