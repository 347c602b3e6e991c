"""Evidence selection on built passages: units and list markers, clauses widened to their sentence, what a
figure question counts, plans' targets against results, facts from letterheads and signature blocks."""

import pytest

from assistant.evidence import Unit, _widened, select, type_ok
from assistant.query import constraints_of
from core.sentences import split_sentences, split_units
from core.tokenize import tokenize
from tests.helpers.chunks import DISTRICT_YEAR, OTHER_YEAR, PROVINCE_YEAR, chunk, year_meta
from vectorstore.lexical import LexicalIndex
from vectorstore.models import Filters, Hit


def _select(q, hits, districts=frozenset(), idf=lambda t: 1.0):
    return select(q, "", constraints_of(q, districts), hits, idf)


def test_list_markers_are_neither_sentences_nor_figures():
    text = (
        "Targets:\n"
        "1. Mobilize people to build at least 19 km of rural roads in every commune of the district.\n"
        "2. To turn the goals of the resolution into concrete tasks suited to the district."
    )
    units = [u.text for u in split_units(text)]
    assert units[1].startswith("1. Mobilize") and units[2].startswith("2. To turn")
    assert split_sentences("It met 14 criteria in 2019. Then it went on.")[0].text == "It met 14 criteria in 2019."
    assert not type_ok("number", units[2], "How many models does the plan aim for?")
    assert type_ok("number", units[1], "How many km of roads?")


def test_a_clause_without_the_figure_is_widened_to_its_sentence():
    passage = chunk(
        "a", PROVINCE_YEAR, "Party committees kept up meetings with village heads; 19 meetings were held in all."
    )
    sentence = split_sentences(passage.text)[0]
    from core.sentences import split_clauses

    clause = split_clauses(sentence)[0]
    unit = Unit(passage, clause, sentence, 0)
    assert _widened(unit, "How many meetings with village heads were held?").span == sentence
    assert _widened(unit, "What did Party committees keep up?").span == clause


def test_names_may_be_stated_anywhere_in_the_file_read():
    # The signature block names the committee; the target sentence is in another passage of the same file.
    head = chunk(
        "a",
        DISTRICT_YEAR,
        "BA CHE DISTRICT PARTY COMMITTEE\nAction Programme on implementing Resolution No. 25-NQ/TW",
        0,
    )
    body = chunk(
        "a2",
        DISTRICT_YEAR,
        "2. Build or repair at least 272 Great Solidarity houses for poor households.",
        1,
        source="a.txt",
        start=100,
    )
    q = (
        "How many houses for poor households does the 2014 action programme of the Ba Che District Party Committee "
        "on implementing Resolution No. 25-NQ/TW aim for?"
    )
    sel = _select(q, [Hit(head, 0.03), Hit(body, 0.03)], frozenset({"Ba Che"}))
    assert sel.refused is None and "272" in sel.units[0].text


def test_lexical_index_lists_a_files_chunks_and_reuses_scores_across_scopes():
    chunks = [
        chunk("x1", PROVINCE_YEAR, "roads built in Quang Ninh", 0),
        chunk("y1", OTHER_YEAR, "roads built again", 0),
    ]
    chunks.append(chunk("x2", PROVINCE_YEAR, "houses and roads", 1, source="x1.txt", start=30))
    index = LexicalIndex.build(chunks, "fp")
    assert index.ids_of("x1.txt") == ["x1", "x2"] and index.ids_of("nope.txt") == []
    everywhere = [cid for cid, _ in index.search("roads", 5)]
    in_2015 = [cid for cid, _ in index.search("roads", 5, Filters(year_min=2015, year_max=2015))]
    assert set(everywhere) == {"x1", "x2", "y1"} and in_2015 == ["y1"]


def test_short_list_items_are_units_of_their_own_but_letterheads_stay_whole():
    items = [
        u.text
        for u in split_units(
            "Targets:\n- Build 87 km of rural roads.\n- Keep 90% of cultural villages.\nIII. KEY TASKS\n1. Lead"
        )
    ]
    assert "- Build 87 km of rural roads." in items and "- Keep 90% of cultural villages." in items
    head = [
        u.text
        for u in split_units(
            "DEPUTY SECRETARY\n(signed)\nDo Ngoc Xuan\n\n"
            "The plan is as follows and it is long enough to be a sentence of its own for sure."
        )
    ]
    assert head[0] == "DEPUTY SECRETARY\n(signed)\nDo Ngoc Xuan"


def test_measure_terms_name_what_a_figure_question_counts():
    from assistant.evidence import measure_terms

    assert measure_terms("How many days of labor did residents of Kbang Nang commune contribute in 2025?") == set(
        tokenize("days labor")
    )
    assert measure_terms("How many of the 19 new rural criteria had Vinh Khe commune met?") == set(
        tokenize("new rural criteria")
    )
    assert measure_terms("What percentage of complaints and denunciations were resolved in An Giang?") == set(
        tokenize("complaints denunciations")
    )
    assert measure_terms("Of the models in Tay Ninh, how many were in economic development?") == set(
        tokenize("economic development")
    )
    assert measure_terms("Who chaired the conference?") == set(tokenize("chaired"))
    assert measure_terms("What is mass mobilization?") == measure_terms("Who is the head?") == frozenset()


@pytest.mark.parametrize(
    "meta, text, question, districts, expected",
    [
        pytest.param(
            year_meta("Kbang Nang commune 2025", "Gia Lai", 2025),
            "In the first six months of 2025, 7 houses for the poor were handed over in Kbang Nang commune "
            "with funds raised by the Front. "
            "Residents contributed 770 days of labor to rural roads.",
            "How many days of labor did residents of Kbang Nang commune contribute in the first six months of 2025?",
            frozenset(),
            "770",
            id="what-is-counted-beats-place-and-time",
        ),
        pytest.param(
            year_meta(
                "Thang Giang district reviews mass mobilization work in 2016",
                "Tay Ninh",
                2016,
                district="Thang Giang",
                doc_type="news_report",
            ),
            "Presenting the report at the conference, comrade Lu Van Son, Deputy Head of the District Party "
            "Committee's Mass Mobilization Committee, said that the committee had advised the Party committee well. "
            "Comrade Dinh Tien Kien, Standing Deputy Secretary of the District Party Committee, "
            "chaired the conference.",
            "Which official presided over Thang Giang district's review of mass mobilization work in 2016?",
            frozenset({"Thang Giang"}),
            "Dinh Tien Kien",
            id="the-chair-is-who-presided",
        ),
        pytest.param(
            year_meta("Dong Hai district 2022", "Dong Thap", 2022, district="Dong Hai", doc_type="news_report"),
            "In 2022, 19 Great Solidarity houses were built or repaired in Loc Luong commune "
            "with funds mobilized by the Front. "
            "Over the year, 142 Great Solidarity houses were built across the district.",
            "How many Great Solidarity houses were built in Dong Hai district in Dong Thap province in 2022?",
            frozenset({"Dong Hai"}),
            "142",
            id="a-place-inside-ranks-below-the-places-own",
        ),
        pytest.param(
            year_meta("Lang Son 2023", "Lang Son", 2023, doc_type="news_report"),
            "Lang Son has a 231.74 km border line running through 5 districts including Dinh Lap and Cao Loc. "
            "Mr. Hoang Viet Bao, a member of the Party Committee of Tan Tien village, Thuy Hung commune, "
            "Cao Loc district, said he gave land.",
            "Which village and commune in Cao Loc district is Hoang Viet Bao from?",
            frozenset({"Cao Loc"}),
            "Tan Tien village",
            id="which-village-is-answered-by-naming-one",
        ),
    ],
)
def test_the_sentence_stating_what_is_asked_is_selected(meta, text, question, districts, expected):
    sel = _select(question, [Hit(chunk("x", meta, text), 0.03)], districts)
    assert sel.refused is None and expected in sel.units[0].text


PLAN = year_meta("Plan No. 5-KH/DU on new rural areas in 2020", "Quang Binh", 2020, doc_type="plan")
NEWS_2020 = year_meta("Quang Binh builds houses in 2020", "Quang Binh", 2020, doc_type="news_report")


def test_a_plans_target_does_not_answer_a_question_about_results_nor_the_reverse():
    target = chunk("p", PLAN, "2. Build or repair at least 25 Great Solidarity houses for poor households in 2020.")
    result = chunk("n", NEWS_2020, "In 2020, Quang Binh built 31 Great Solidarity houses for poor households.")
    asks_result = "How many Great Solidarity houses for poor households were built in Quang Binh in 2020?"
    sel = _select(asks_result, [Hit(target, 0.03)])
    assert sel.refused == "the closest passage states a target, not a result"
    sel = _select(asks_result, [Hit(target, 0.03), Hit(result, 0.02)])
    assert "31" in sel.units[0].text
    asks_target = "How many Great Solidarity houses for poor households does the 2020 plan in Quang Binh aim for?"
    sel = _select(asks_target, [Hit(result, 0.03), Hit(target, 0.02)])
    assert "25" in sel.units[0].text
    sel = _select(asks_target, [Hit(result, 0.03)])
    assert sel.refused == "the closest passage reports results, not the target asked for"


SIGNED_PLAN = year_meta(
    "Action Programme No. 8-CTr/TU of the Dak Nong Provincial Party Committee implementing Conclusion No. 114-KL/TW",
    "Dak Nong",
    2015,
    doc_type="action_programme",
    date="2015-03-12",
)


def test_document_facts_come_from_the_letterhead_and_the_signature_block():
    head = chunk(
        "h",
        SIGNED_PLAN,
        index=0,
        source="p.txt",
        start=0,
        text=(
            "DAK NONG PROVINCIAL PARTY COMMITTEE\nNo. 8-CTr/TU\nDak Nong, March 12, 2015\n\n"
            "Pursuant to the working programme for 2015, "
            "the Standing Committee of the Dak Nong Provincial Party Committee "
            "issues the action programme implementing Conclusion No. 114-KL/TW "
            "on mass mobilization by State agencies in 2015 as follows:\n"
            "On March 20, 2015, comrade Tran Van Minh presented the action programme "
            "implementing Conclusion No. 114-KL/TW to State agencies."
        ),
    )
    tail = chunk(
        "t",
        SIGNED_PLAN,
        index=3,
        source="p.txt",
        start=3000,
        text=(
            "3. Funding comes from the annual budget of the province.\n\n"
            "ON BEHALF OF THE PROVINCIAL PARTY COMMITTEE\nSECRETARY\n(signed)\nPhan Ngoc Ha"
        ),
    )
    hits = [Hit(head, 0.03), Hit(tail, 0.03)]
    rare = set(tokenize("action programme implementing Conclusion 114-KL/TW State agencies issue"))
    idf = lambda t: 4.0 if t in rare else 1.0  # noqa: E731  (the words that pick the document out are rare)
    when = (
        "On what date did the Dak Nong Provincial Party Committee issue its 2015 action programme "
        "implementing Conclusion No. 114-KL/TW?"
    )
    sel = _select(when, hits, idf=idf)
    assert sel.refused is None and "March 12, 2015" in sel.units[0].text  # "in 2015" alone is no date
    who = (
        "Who signed the action programme of the Dak Nong Provincial Party Committee "
        "implementing Conclusion No. 114-KL/TW in 2015?"
    )
    sel = _select(who, hits, idf=idf)
    assert sel.refused is None and "Phan Ngoc Ha" in sel.units[0].text
    assert not type_ok("person", "Conclusion No. 114-KL/TW on mass mobilization by State agencies", who)


def test_fractions_count_as_figures_and_rates_are_figure_questions():
    from assistant.evidence import answer_types, measure_terms

    q = "How many of the 19 new rural criteria had Na Phin commune met by the end of September 2017?"
    assert type_ok("number", "As of the end of September 2017, the whole commune had reached 14/19 criteria.", q)
    assert not type_ok("number", "Directive No. 25-CT/HU was issued on 12/3/2017.", q)
    rate = "What was the settlement rate for complaints and denunciations in Binh Son district in 2021?"
    assert answer_types(rate) == ("number",) and set(tokenize("settlement complaints")) <= measure_terms(rate)
    assert measure_terms("How many Party organizations in Phuoc Ha district registered for the movement?") == set(
        tokenize("Party organizations")
    )
    assert "defens" in " ".join(
        measure_terms("How many models in national defense and security did An Giang have in 2017?")
    )


def test_a_communes_plan_answers_for_the_district_its_letterhead_names():
    meta = year_meta(
        "Plan No. 41-KH/DU on the campaign to build new rural areas in 2023", "Yen Bai", 2023, doc_type="plan"
    )
    head = chunk(
        "h",
        meta,
        index=0,
        source="p.txt",
        start=0,
        text="NGOC HOI DISTRICT PARTY ORGANIZATION, YEN BAI PROVINCE\nSI CHA COMMUNE PARTY COMMITTEE\nNo. 41-KH/DU",
    )
    tail = chunk(
        "t",
        meta,
        index=2,
        source="p.txt",
        start=2000,
        text="ON BEHALF OF THE STANDING COMMITTEE\nSECRETARY\n(signed)\nTran Duc Minh",
    )
    q = (
        "Who signed the 2023 plan of the Si Cha commune Party Committee (Ngoc Hoi district, Yen Bai) "
        "on the campaign to build new rural areas?"
    )
    ngoc_hoi = frozenset({"Ngoc Hoi"})
    assert _select(q, [Hit(tail, 0.03)], ngoc_hoi).refused  # without the letterhead, nothing ties it to Ngoc Hoi
    sel = _select(q, [Hit(head, 0.03), Hit(tail, 0.03)], ngoc_hoi)
    assert sel.refused is None and "Tran Duc Minh" in sel.units[0].text


def test_either_name_of_an_alternative_will_do():
    from assistant.evidence import missing_names

    q = "How many Great Solidarity or charity houses were built in Krong Mang district in 2015?"
    assert missing_names(q, "In 2015, 12 charity houses were built in Krong Mang district.") == []
    assert missing_names("How many Great Solidarity houses were built?", "12 charity houses were built.") == [
        "Great",
        "Solidarity",
    ]


def _embedding_calls(policy):
    """Each call of the similarity function (the embedder's costly step) and the texts it embedded."""
    from assistant.evidence import Decision

    calls = []

    def similarity(texts):
        calls.append(list(texts))
        return [0.5] * len(texts)

    text = (
        "Ba Che held 19 dialogues in 2014. Party committees met village heads. "
        "Mass organisations visited 120 households. The district repaired 14 houses. "
        "Cadres kept records of every meeting. The plan asks for monthly reports."
    )
    q = "How many dialogues did Ba Che hold in 2014?"
    hits = [Hit(chunk("a", DISTRICT_YEAR, text), 0.03)]
    sel = select(
        q,
        "",
        constraints_of(q, frozenset({"Ba Che"})),
        hits,
        lambda t: 1.0,
        decision=Decision(policy=policy),
        similarity=similarity,
    )
    return sel, calls


def test_the_rules_embed_only_the_unit_they_report_on_and_the_model_every_candidate():
    sel, calls = _embedding_calls("rules")
    assert not sel.refused and "19 dialogues" in sel.units[0].text
    assert len(calls) == 1 and calls[0] == [sel.candidates[0].text]  # one unit, the one answered
    assert sel.candidates[0].sentence == sel.units[0].sentence
    assert sel.confidence == sel.candidates[0].probability > 0
    sel, calls = _embedding_calls("model")
    assert len(calls) == 1 and len(calls[0]) == len(sel.candidates) > 1


@pytest.mark.parametrize(
    "text",
    [
        "Innocent IV gave the cardinals red hats in 1244.",
        "Dogs were first used as therapy in the late 18th century.",
        "Middle Iranian began around 400 BCE.",
        "Hunting and gathering began to fade about 10,000 years ago.",
        "The movement grew in the 1960s.",
        "Ngô Quyền đánh tan quân Nam Hán trên sông Bạch Đằng vào năm 938.",
        "Vào thế kỷ 18, nghề in lan rộng.",
    ],
)
def test_a_when_question_is_answered_by_years_of_any_century_decades_and_eras(text):
    assert type_ok("date", text, "When did it happen?")


@pytest.mark.parametrize(
    "text",
    [
        "The district built 1500 houses.",
        "It reached 1,500 households.",
        "Đã hỗ trợ 2.071 hộ nghèo.",
        "The unions worked in 120 villages.",
        "Đã hỗ trợ đến 850 hộ nghèo.",
        "Tăng 12 hộ so với cùng kỳ năm trước.",
        "They restored a centuries-old pagoda.",
        "The station sold 10 ad slots.",
    ],
)
def test_a_count_is_not_a_date(text):
    assert not type_ok("date", text, "When did it happen?")


@pytest.mark.parametrize(
    "text, person",
    [
        ("The election was won by Sassou.", True),
        ("A Border collie named Chaser learned 1,022 words.", True),
        ("Tại hội nghị, đồng chí Hùng phát biểu.", True),  # a given name after a form of address
        ("Ngài cùng với Marx chú ý tới giai cấp này.", True),
        ("Sassou won the election.", False),  # any word is capitalised at the start of a sentence
        ("On June 30, the Provincial Party Committee's Mass Mobilization Commission held a conference.", False),
        ("Ban Dân vận Tỉnh ủy phối hợp với Ban Tuyên giáo Tỉnh ủy, Văn phòng Tỉnh ủy theo dõi.", False),
        ("In Tam Ky city, the Quang Nam provincial Women's Union held a conference.", False),
        ("Đoàn công tác thăm tỉnh Bà Rịa - Vũng Tàu.", False),  # "Bà" of a province is no form of address
        ("Đoàn công tác thăm Bà Mẹ Việt Nam Anh hùng.", False),
        ("Tạp chí Tuyên giáo đăng bài.", False),
        ("Members of the Veterans' Association met.", False),
        ("1) Mobilize people to build roads.", False),
        ("\tSassou won.", False),
        ("The letter went to Mr. Smith.", True),
    ],
)
def test_one_capitalised_word_names_a_person_but_not_a_body_a_province_or_a_sentence_start(text, person):
    assert type_ok("person", text, "Who was it?") is person


@pytest.mark.parametrize(
    "text, count",
    [
        ("The BBC alternated the two systems for six months.", True),
        ("Có bảy loài được ghi nhận.", True),
        ("Một người đến dự.", False),  # "một" is also "a"
        ("The plan is about mass mobilization.", False),
        ("Hai Phong city held talks.", False),
        ("Lần thứ hai hội nghị được tổ chức.", False),  # an ordinal
        ("Phương hướng sáu tháng cuối năm 2022.", False),  # the months of a span
    ],
)
def test_a_count_written_in_words_answers_how_many(text, count):
    assert type_ok("number", text, "How many were there?") is count


def test_a_count_the_question_says_itself_is_no_answer():
    q = "How many households did the two communes support?"
    assert not type_ok("number", "The two communes supported poor households.", q)
    assert not type_ok("money", "Hundreds of millions of dong were raised.", "How much money was raised?")


def test_the_month_of_a_vietnamese_date_is_no_figure():
    q = "Năm 2022 Quảng Bình có bao nhiêu ngày công?"
    assert not type_ok("number", "ĐẢNG CỘNG SẢN VIỆT NAM\nQuảng Bình, ngày 28 tháng 6 năm 2022", q)
    assert type_ok("number", "Nhân dân đóng góp 61.520 ngày công trong 6 tháng.", q)
