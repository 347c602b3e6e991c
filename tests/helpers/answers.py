"""Checks that answers and briefs hold to whatever the embedder: quotes verbatim in the passage and file
they cite, follow-ups that know what "them" refers to, briefs traceable to their sources."""

from __future__ import annotations

from pathlib import Path

from assistant.citations import quote_in
from assistant.models import AskRequest, BriefRequest, FilterSpec, Turn
from ingest.metadata import find_codes

QUANG_NINH = "quang-ninh-2024-mass-mobilization.txt"


def ask(service, question, **kw):
    return service.ask(AskRequest(question=question, **kw))


def assert_citations_verbatim(service, answer):
    for c in answer.citations + answer.related:
        doc = service.document(c.source)
        assert c.quote.strip() and c.quote in doc.text and quote_in(c.quote, doc.text), (c.source, c.quote)
        assert c.title == doc.meta.title and c.chunk_id
        assert c.quote in service.passage(c.chunk_id).text  # cut from the passage it names


def assert_a_followup_in_a_session_knows_what_them_refers_to(service):
    first = ask(
        service,
        "How many of Que Phong's 2014 skillful mass mobilization models were in the political system building field?",
        session="t-followup",
    )
    assert "21 models" in first.answer
    second = ask(service, "How many of them were collective, and how many individual?", session="t-followup")
    assert not second.refused and "14 collective" in second.answer and "7 individual" in second.answer
    assert "Que Phong" in second.query  # the standalone question carries the first one's words
    # Without the session the same words are not enough to know what "them" are.
    alone = ask(service, "How many of them were collective, and how many individual?")
    assert alone.refused or "14 collective" not in alone.answer
    # Another session does not see this one's turns.
    other = ask(service, "How many of them were collective, and how many individual?", session="t-other")
    assert other.query == alone.query


def assert_a_followup_from_explicit_history(service):
    history = [
        Turn(
            role="user",
            content="In the Lang Son report, which party member's family in Cao Loc district gave land "
            "for a village road in early 2022?",
        ),
        Turn(role="assistant", content="Mr. Hoang Viet Bao ..."),
    ]
    a = ask(service, "How much land did they give?", history=history)
    assert "600" in a.answer and a.query.startswith("In the Lang Son report")
    assert a.citations[0].source == "lang-son-2023-great-solidarity.txt"


def assert_brief_verbatim_and_traceable(service, brief, corpora: tuple[Path, ...]):
    """Every key point, figure and quote is in the file it cites, from one of `corpora`; the documents
    referenced are exactly the codes those files cite."""
    assert brief.covered and brief.key_points and brief.sources
    text = {s.source: service.document(s.source).text for s in brief.sources}
    numbers = {s.n: s.source for s in brief.sources}
    assert all(any((corpus / s).is_file() for corpus in corpora) for s in text)
    assert brief.scope.documents_used == len(brief.sources) >= 2  # many reports, not one
    for point in brief.key_points:
        assert point.citations and all(quote_in(point.text, text[numbers[n]]) for n in point.citations)
    for f in brief.figures:
        assert quote_in(f.sentence, text[f.source]) and f.figure in f.sentence and f.counts
    for q in brief.quotes:
        assert quote_in(q.text, text[q.source])
        assert q.speaker is None or q.speaker in q.text
    cited = {code for t in text.values() for code in find_codes(t)}
    assert {r.code for r in brief.documents_referenced} == cited
    for r in brief.documents_referenced:
        assert r.cited_by and all(r.code in find_codes(text[s]) for s in r.cited_by)


def assert_a_provinces_figures_and_documents(service):
    brief = service.brief(
        BriefRequest(topic="skillful mass mobilization models", filters=FilterSpec(province="Quang Ninh"))
    )
    assert [s.source for s in brief.sources] == [QUANG_NINH]
    refs = {r.code: r for r in brief.documents_referenced}
    assert {"38-CTr/TU", "40-CTr/TU"} <= refs.keys()
    assert refs["38-CTr/TU"].kind == "action programme" and refs["38-CTr/TU"].date == "April 10, 2024"
    assert brief.scope.filters == {"province": "Quang Ninh"}
    assert any(f.figure == "62" and "models" in f.counts for f in brief.figures)


def assert_a_topic_not_covered_is_said_so(service):
    brief = service.brief(BriefRequest(topic="the Mars colony's oxygen supply"))
    assert not brief.covered and "do not cover" in brief.message
    assert not (brief.key_points or brief.figures or brief.quotes or brief.sources or brief.documents_referenced)
