"""Reranking by agreement with the question: the place, year and period asked, a plan looking back on
the year asked, and a weight that turns it off."""

from assistant.query import constraints_of
from assistant.rerank import agreement, rerank
from tests.helpers.chunks import DISTRICT_YEAR, OTHER_YEAR, PROVINCE_YEAR, chunk, first_half_meta, year_meta
from vectorstore.models import Hit

PROVINCE_HALF = first_half_meta("Quang Ninh mid-2014", "Quang Ninh", 2014)
DIALOGUE = year_meta("Ca Mau dialogue", "Ca Mau", 2023, date="2023-08-11")


def test_agreement_prefers_the_report_of_the_place_and_period_asked():
    whole_year = constraints_of("How many houses were built in Quang Ninh during 2014?")
    assert agreement(chunk("a", PROVINCE_YEAR), whole_year) == 1.0
    assert agreement(chunk("b", DISTRICT_YEAR), whole_year) < 1.0  # a district's report, not the province's
    assert agreement(chunk("c", PROVINCE_HALF), whole_year) < 1.0  # six months do not answer for the year
    assert agreement(chunk("d", OTHER_YEAR), whole_year) <= 0.5
    half = constraints_of("How many houses were built in Quang Ninh in the first six months of 2014?")
    assert agreement(chunk("c", PROVINCE_HALF), half) > agreement(chunk("a", PROVINCE_YEAR), half)
    month = constraints_of("How many opinions were raised at the dialogue in Ca Mau in August 2023?")
    assert agreement(chunk("e", DIALOGUE), month) == 1.0
    assert agreement(chunk("a", PROVINCE_YEAR), constraints_of("What is mass mobilization?")) is None


def test_rerank_moves_the_agreeing_passage_up_and_weight_zero_turns_it_off():
    hits = [Hit(chunk("d", OTHER_YEAR), score=0.033), Hit(chunk("a", PROVINCE_YEAR), score=0.030)]
    c = constraints_of("How many houses were built in Quang Ninh during 2014?")
    assert [h.chunk.id for h in rerank(hits, c, weight=0.02)] == ["a", "d"]
    assert [h.chunk.id for h in rerank(hits, c, weight=0)] == ["d", "a"]
    assert [h.score for h in hits] == [0.033, 0.030]  # the input is not modified


def test_a_plans_review_of_last_year_agrees_with_a_question_about_that_year():
    plan = year_meta(
        "Plan No. 63-KH/BDVHU on mass mobilization work in 2024",
        "Tuyen Quang",
        2024,
        district="Lang Quang",
        doc_type="plan",
    )
    review = chunk(
        "p",
        plan,
        "II. RESULTS IN 2023\nOver the year 2023, 41 direct dialogue sessions were held in Lang Quang district.",
    )
    targets = chunk("t", plan, "III. TARGETS\n1. Hold no fewer than 45 direct dialogue sessions.")
    c = constraints_of(
        "How many direct dialogue sessions took place in Lang Quang district in 2023?", frozenset({"Lang Quang"})
    )
    assert agreement(review, c) > agreement(targets, c)
    # As good as the year's own report (the text decides between them): on the 20k benchmark the
    # plans reviewing the year before were the source of 9% of questions and ranked first for a third.
    report = chunk(
        "r",
        year_meta("Lang Quang 2023", "Tuyen Quang", 2023, district="Lang Quang"),
    )
    assert agreement(review, c) == agreement(report, c) == 1.0
    later = year_meta("Lang Quang 2025", "Tuyen Quang", 2025, district="Lang Quang", doc_type="plan")
    assert (
        agreement(targets, c) < agreement(chunk("l", later, review.text), c) < agreement(review, c)
    )  # a later look back
    news = year_meta("Lang Quang in 2024", "Tuyen Quang", 2024, district="Lang Quang", doc_type="news_report")
    assert agreement(chunk("n", news, "41 dialogues were held in 2024, up from 35 in 2023."), c) < agreement(report, c)
