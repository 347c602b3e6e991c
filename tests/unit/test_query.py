"""Query understanding: periods, places and districts, follow-ups made standalone, questions in parts."""

from assistant.models import Turn
from assistant.query import Period, constraints_of, find_periods, split_parts, understand


def test_periods_and_places():
    assert find_periods("in the second half of 2022") == (Period(2022, 7, 12, "second half of 2022"),)
    p = find_periods("from January to September 2019")[0]
    assert (p.year, p.month_from, p.month_to) == (2019, 1, 9)
    c = constraints_of("Que Phong 2014 and Lang Son", frozenset({"Que Phong"}))
    assert [p.name for p in c.places] == ["Que Phong", "Lang Son"] and c.years == (2014,)


def test_districts_are_found_among_hundreds_whole_words_diacritics_aside_longest_first():
    # More names than re's cache holds (512): the store of 20k documents knew hundreds of districts.
    districts = frozenset({f"District {i:04d}" for i in range(2000)} | {"Quế Phong", "Phong", "Lam Ha", "Ha"})
    c = constraints_of("In Que Phong district and in Lam Ha (Lam Dong) in 2019; not in Phongsaly", districts)
    assert [(p.name, p.kind) for p in c.places] == [
        ("Quế Phong", "district"),
        ("Lam Ha", "district"),
        ("Lam Dong", "province"),
    ]
    assert c.places[0].start == 3


def test_followups_and_parts():
    history = [
        Turn(role="user", content="How many models in Que Phong in 2014?"),
        Turn(role="assistant", content="119 models [1]"),
    ]
    q = understand("How many of them were collective?", history, frozenset({"Que Phong"}))
    assert (
        q.followup and q.standalone.startswith("How many models in Que Phong") and q.previous_answer == "119 models [1]"
    )
    assert q.constraints.years == (2014,)
    assert not understand("How many models were built in Lang Son in 2022?", history).followup
    two = "How many models did Que Phong set up in 2014, and how many culture and society models did Quang Ninh build?"
    parts = split_parts(two, constraints_of(two, frozenset({"Que Phong"})).places)
    assert parts == (
        "How many models did Que Phong set up in 2014",
        "how many culture and society models did Quang Ninh build?",
    )


def test_english_words_before_district_are_not_its_name():
    from core.gazetteer import district_name
    from ingest.metadata import build_meta

    assert (
        district_name("The") is None
        and district_name("In Que Phong") == "Que Phong"
        and district_name("An Hai") == "An Hai"
    )
    assert (
        build_meta("The District Party Committee of Que Phong met.\nThe district built roads.", "r.txt", None).district
        is None
    )
    assert build_meta("In Que Phong district, people built roads.", "r.txt", None).district == "Que Phong"


def test_single_month_periods_do_not_repeat_a_range():
    assert find_periods("the dialogue in August 2023") == (Period(2023, 8, 8, "in August 2023"),)
    assert [p.phrase for p in find_periods("from January to September 2019")] == ["from January to September 2019"]
    assert find_periods("between January and June 2014") == (Period(2014, 1, 6, "between January and June 2014"),)


def test_by_a_month_is_a_running_total_not_that_month():
    from assistant.query import find_periods

    assert [(p.year, p.month_from, p.month_to) for p in find_periods("Trong tháng 5/2022 có bao nhiêu")] == [
        (2022, 5, 5)
    ]
    assert find_periods("ti le giai quyet don den thang 5 nam 2022 la bao nhieu") == ()
    assert find_periods("Tính đến tháng 9/2023, xã có bao nhiêu hộ nghèo?") == ()
