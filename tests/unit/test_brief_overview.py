"""The overview a language model writes for a brief: kept only when every sentence is backed by
the sources it cites (a scripted model stands in for the LLM; the real one is in
tests/integration/test_llm_backends.py)."""

import pytest

from assistant.brief_overview import problem, source_material, write_overview
from assistant.models import Brief, BriefScope, BriefSource, Figure, KeyPoint
from core.errors import BackendUnavailable


def _brief() -> Brief:
    return Brief(
        title="Brief: complaints",
        topic="complaints and denunciations",
        covered=True,
        scope=BriefScope(documents_used=2),
        key_points=[
            KeyPoint(text="Quang Ninh resolved 95% of complaints and denunciations in 2023.", citations=[1]),
            KeyPoint(text="Nghe An held 120 dialogues with the people on land complaints.", citations=[2]),
        ],
        figures=[
            Figure(
                figure="41",
                counts="complaints",
                source="b.txt",
                sentence="Agencies in Nghe An received 41 complaints about land in the first half of 2022.",
            )
        ],
        sources=[
            BriefSource(n=1, source="a.txt", title="Quang Ninh 2023"),
            BriefSource(n=2, source="b.txt", title="Nghe An 2022"),
        ],
    )


class Scripted:
    name = "scripted"

    def __init__(self, reply: str | Exception):
        self.reply, self.seen = reply, []

    def complete(self, messages, max_tokens=256):
        self.seen.append(messages)
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply

    def stream(self, messages, max_tokens=256):
        yield self.complete(messages, max_tokens)


def test_material_is_what_the_brief_holds_from_each_source():
    material = source_material(_brief())
    assert material[1] == ["Quang Ninh resolved 95% of complaints and denunciations in 2023."]
    assert "Agencies in Nghe An received 41 complaints about land in the first half of 2022." in material[2]


def test_a_faithful_overview_is_kept_and_the_rest_of_the_brief_is_unchanged():
    text = (
        "Quang Ninh resolved 95% of complaints and denunciations in 2023 [1]. "
        "In Nghe An, agencies received 41 complaints about land in the first half of 2022 [2]."
    )
    chat = Scripted(text)
    out = write_overview(_brief(), chat)
    assert out.overview == text and out.overview_backend == "scripted" and out.overview_note is None
    assert out.key_points == _brief().key_points and out.figures == _brief().figures
    prompt = chat.seen[0][1]["content"]
    assert '<source n="2"' in prompt and "41 complaints" in prompt and "complaints and denunciations" in prompt


def test_invented_or_uncited_statements_drop_the_overview():
    material = source_material(_brief())
    assert ": 97" in problem("Quang Ninh resolved 97% of complaints in 2023 [1].", material)
    assert ": 95" in problem(
        "Nghe An resolved 95% of complaints and denunciations in 2023 [2].", material
    )  # wrong source
    assert "cites no source" in problem("Complaints fell sharply everywhere.", material)
    assert "not given" in problem("Quang Ninh resolved 95% of complaints [7].", material)
    out = write_overview(_brief(), Scripted("Quang Ninh resolved 97% of complaints in 2023 [1]."))
    assert out.overview is None and "97" in out.overview_note


def test_an_unavailable_model_leaves_the_extractive_brief():
    out = write_overview(_brief(), Scripted(BackendUnavailable("connection refused")))
    assert out.overview is None and "unavailable" in out.overview_note and out.key_points == _brief().key_points


def test_exports_carry_the_overview_and_who_wrote_it():
    import io

    import docx

    from assistant.brief_export import to_docx, to_markdown

    text = "Quang Ninh resolved 95% of complaints and denunciations in 2023 [1]."
    brief = write_overview(_brief(), Scripted(text))
    md = to_markdown(brief)
    assert f"## Overview\n\n{text}" in md and "Written by scripted" in md
    paragraphs = [p.text for p in docx.Document(io.BytesIO(to_docx(brief))).paragraphs]
    assert "Overview" in paragraphs and text in paragraphs
    assert "## Overview" not in to_markdown(_brief()) and "No overview" not in to_markdown(_brief())
    rejected = write_overview(_brief(), Scripted("Quang Ninh resolved 97% of complaints in 2023 [1]."))
    assert "## Overview" not in to_markdown(
        rejected
    ) and "*No overview: the model's overview failed the source check (" in to_markdown(rejected)


def test_a_brief_mixes_kinds_of_documents_in_rank_order():
    from assistant.brief import diversify
    from core.documents import Chunk, DocumentMeta
    from vectorstore.models import Hit

    def hit(source, kind):
        return Hit(
            chunk=Chunk(
                id=source, source=source, index=0, text="t", start=0, meta=DocumentMeta(title=source, doc_type=kind)
            )
        )

    hits = [hit(f"plan{i}", "plan") for i in range(6)] + [hit("news0", "news_report"), hit("news1", "news_report")]
    assert list(diversify(hits, 4)) == ["plan0", "plan1", "news0", "news1"]  # half at most from one kind
    assert list(diversify(hits[:6], 4)) == ["plan0", "plan1", "plan2", "plan3"]  # no other kind: fill in rank order


def _brief_on_dialogues(passage, source, meta, text):
    """The brief on direct dialogues built from one retrieved passage of a file whose whole text is `text`."""
    from assistant import brief
    from tests.helpers.chunks import chunk
    from vectorstore.models import Hit

    hit = Hit(chunk=chunk("a", meta, passage, source=source))
    return brief.build(
        "direct dialogue between leaders and the people",
        [hit],
        lambda t: 1.0,
        lambda s: text,
        max_documents=8,
        min_support=0.38,
    )


def test_a_document_title_is_not_a_key_point():
    from core.documents import DocumentMeta

    title = "Plan on organizing direct dialogues between leaders and the people in 2017"
    text = f"{title}\n\nDirect dialogues between leaders and the people were held 22 times in the province."
    b = _brief_on_dialogues(text, "a.txt", DocumentMeta(title=title, doc_type="plan"), text)
    assert [k.text for k in b.key_points] == [
        "Direct dialogues between leaders and the people were held 22 times in the province."
    ]


SPEAKERS = {
    "Member of the Standing Committee of the Provincial Party Committee, Head of the Commission for Mass Mobilization "
    "of the Provincial Party Committee Giap Thi Bac, said: “In order to effectively implement”": "Giap Thi Bac",
    "Mr. Mong Van Ky, Secretary and Head of Ban Pen village, Trung Khanh commune, Van Lang district said: "
    "“Previously”": "Mong Van Ky",
    "Speaking at the session, the Chairman of the Provincial People's Council, Nguyen Dang Quang, emphasized: "
    "Following President Ho Chi Minh's teaching": "Nguyen Dang Quang",
    "Deputy Head of the Central Committee for Mass Mobilization, Pham Tat Thang, "
    "expressed his hope that Quang Tri will": "Pham Tat Thang",
    '"The most important thing is to listen to the people first," '
    "shared Hoang Duc Tien, Chairman of the commune.": "Hoang Duc Tien",
    "Sung Quoc Hung, a resident of Noong Mo village, said: "
    '"The commune cadres came to every household"': "Sung Quoc Hung",
    "The Ha Tinh Provincial Party Committee stressed that mass mobilization must continue.": None,
    "At the conference, representatives of many agencies and localities emphasized solutions.": None,
    "Cao Loc district leaders said the road was finished.": None,
    'He said: "Nguyen Van Troi street was widened by the people."': None,  # a name inside the quote is not the speaker
    "The Mass Mobilization Commission of the Son La Provincial Party Committee "
    "proposed that the Committee adopt documents.": None,
    "The Son La Departments proposed a plan.": None,
}


@pytest.mark.parametrize("sentence", SPEAKERS)
def test_the_speaker_of_a_quote_is_the_person_named_not_a_place(sentence):
    from assistant.brief import speaker

    assert speaker(sentence) == SPEAKERS[sentence]


def test_a_brief_quotes_a_named_speaker_from_outside_the_retrieved_passage():
    """Retrieval picks the passage on the topic; the report's quote is further down."""
    from core.documents import DocumentMeta

    passage = "Direct dialogues between leaders and the people were held 22 times in the province."
    passage += " The Committee requested more dialogues."  # speech in the passage, but no one named
    text = (
        f"{passage}\n\nThe Son La Provincial Party Committee proposed that the districts adopt plans.\n\n"
        "Comrade Dao Ngoc Nguyet, Secretary of the Provincial Party Committee, shared: "
        '"Most issues are settled locally."'
    )
    b = _brief_on_dialogues(passage, "a.html", DocumentMeta(title="t", doc_type="news_report"), text)
    # The named speaker first, then the passage's unnamed speech; not the unnamed proposal outside it.
    assert [(q.speaker, q.text[:13]) for q in b.quotes] == [
        ("Dao Ngoc Nguyet", "Comrade Dao N"),
        (None, "The Committee"),
    ]


def test_quotes_report_speech_named_speakers_first_two_per_document():
    from assistant.brief import select_quotes

    sentences = [
        ("The district built 12 km of roads.", "a.txt"),  # no speech
        ("Opinions at the conference emphasized that the people come first.", "a.txt"),
        ('Nguyen Van Hai, a resident, said: "We gave land for the road."', "a.txt"),
        ('Le Thi Mai, head of the village, shared: "Cars now reach us."', "a.txt"),
        ('Tran Van Binh said: "A third one from the same report."', "a.txt"),
        ('Comrade Pham Minh Chinh stressed: "Listen to the people."', "b.txt"),
    ]
    quotes = select_quotes(sentences)
    assert [q.speaker for q in quotes] == ["Nguyen Van Hai", "Le Thi Mai", "Pham Minh Chinh"]
    assert [q.source for q in quotes] == [
        "a.txt",
        "a.txt",
        "b.txt",
    ]  # two per report: Tran Van Binh and the unnamed left out
    assert select_quotes(sentences[:2])[0].speaker is None  # unnamed speech still fills an empty list
