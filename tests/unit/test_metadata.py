from pathlib import Path

import pytest

from core.gazetteer import find_provinces, fold
from ingest.metadata import build_meta, find_codes, parse_period, read_manifest


def test_document_codes_are_found_and_normalised():
    text = (
        "Action Program No. 38-CTr/TU on Resolution No. 43-NQ/TW; Project No. 06 - DA/TU; "
        "Decision No. 978-QD/HU; Resolution 30a/CP; 137/152 cases; 2021-2026"
    )
    assert find_codes(text) == ("38-CTr/TU", "43-NQ/TW", "06-DA/TU", "978-QD/HU", "30a/CP")


def test_state_document_codes_are_found():
    text = (
        "Quyết định số 1234/QĐ-UBND ngày 12/3/2023 thực hiện Nghị định 45/2023/NĐ-CP, Chỉ thị 05/CT-TTg "
        "và Luật số 08/2012/QH13; 12/2019/NQ-HĐND; 137/152 hộ, tỷ lệ 2/3"
    )
    assert find_codes(text) == ("1234/QD-UBND", "45/2023/ND-CP", "05/CT-TTg", "08/2012/QH13", "12/2019/NQ-HDND")


def test_periods():
    assert parse_period("2022-01/2022-06 (conference on June 30, 2022)") == (2022, 2022, "2022-01", "2022-06")
    assert parse_period("2022-2023 (page dated 09/20/2024)") == (2022, 2023, None, None)
    assert parse_period("June 11 (year not stated; context points to 2025)") == (2025, 2025, None, None)
    assert parse_period("2014") == (2014, 2014, None, None)
    assert parse_period(None) == (None, None, None, None)


def test_provinces_with_or_without_diacritics_longest_first():
    assert find_provinces("Tỉnh Quảng Ninh và Lang Son") == ["Quang Ninh", "Lang Son"]
    assert find_provinces("Son La, not Lang Son") == ["Son La", "Lang Son"]
    assert fold("Đảng ủy") == "dang uy"


def test_manifest_wins_and_inference_fills_in(tmp_path: Path):
    (tmp_path / "manifest.jsonl").write_text(
        '{"file": "a.txt", "title": "T", "province": "Nghe An", "period": "2014"}\nnot json\n'
    )
    entries = read_manifest(tmp_path)
    assert list(entries) == ["a.txt"]
    meta = build_meta("Text citing 22-CT/HU.", "", entries["a.txt"])
    assert (meta.title, meta.province, meta.year_from, meta.codes) == ("T", "Nghe An", 2014, ("22-CT/HU",))
    inferred = build_meta(
        "Directive on roads in Ban Che district\nIn the first 6 months of 2019, Quang Ninh ...", "", None
    )
    assert inferred.doc_type == "directive" and inferred.province == "Quang Ninh"
    assert (inferred.month_from, inferred.month_to, inferred.district) == ("2019-01", "2019-06", "Ban Che")


def test_dates_from_letterheads_and_datelines():
    from ingest.metadata import infer_date

    assert (
        infer_date("DONG NAI PROVINCIAL PARTY COMMITTEE\nNo. 27-CT/TU\nDong Nai, March 26, 2013\n\nDIRECTIVE")
        == "2013-03-26"
    )
    assert infer_date("Friday,  09/20/2024\n\nCreating consensus") == "2024"
    assert infer_date("No date here.") is None


def test_letterhead_title_and_the_year_an_official_document_was_issued():
    from ingest.metadata import build_meta

    text = (
        "KIEN GIANG PROVINCIAL PARTY COMMITTEE\n*\nNo. 53-CTr/TU\n"
        "COMMUNIST PARTY OF VIETNAM\nKien Giang, January 15, 2025\n"
        "ACTION PROGRAMME\non continuing to implement Decision No. 23-QD/TW dated July 30, 2021 of the Politburo\n"
        "After several years of implementing Decision No. 23-QD/TW dated July 30, 2021, "
        "the Provincial Party Committee issues:\n"
    )
    meta = build_meta(text, "", None)
    assert meta.title == (
        "Action Programme No. 53-CTr/TU on continuing to implement Decision No. 23-QD/TW "
        "dated July 30, 2021 of the Politburo"
    )
    assert meta.doc_type == "action_programme"
    assert (meta.period, meta.year_from, meta.date) == (
        "2025",
        2025,
        "2025-01-15",
    )  # not 2021, the year of what it implements
    plan = (
        "TU NHON DISTRICT PARTY COMMITTEE\nNo. 36-KH/BDVHU\nTu Nhon, March 23, 2012\n"
        "## PLAN\n*on organizing direct dialogues in 2012*\nPursuant to ..."
    )
    assert build_meta(plan, "", None).title == "Plan No. 36-KH/BDVHU on organizing direct dialogues in 2012"
    report = (
        "Winning the people's trust in Nam Dinh\n"
        "In 2013 the province held 40 dialogues; in 2012 it held 31; in 2013 more.\n"
    )
    assert build_meta(report, "", None).period == "2013"  # a news report: the commonest year near the top


@pytest.mark.parametrize(
    "letterhead, district",
    [
        ("LAM HA DISTRICT PARTY ORGANIZATION, NINH THUAN PROVINCE\nHONG LINH COMMUNE PARTY COMMITTEE\n*", "Lam Ha"),
        (
            "## BINH THUAN PROVINCIAL PARTY ORGANIZATION\n"
            "THONG LOC DISTRICT PARTY COMMITTEE\nMASS MOBILIZATION COMMITTEE",
            "Thong Loc",
        ),
        ("PEOPLE'S COMMITTEE OF CAO LOC DISTRICT\nSOCIALIST REPUBLIC OF VIETNAM", "Cao Loc"),
        ("THE DISTRICT PARTY COMMITTEE\n*", None),  # no name
        ("NGHE AN PROVINCIAL PARTY COMMITTEE\n*", None),
    ],
)
def test_a_district_named_only_in_a_capitalised_letterhead(letterhead, district):
    text = (
        f"{letterhead}\nNo. 51-KH/DU\nCOMMUNIST PARTY OF VIETNAM\n\nPLAN\non carrying out the campaign in 2014\n"
        + "The commune will act. " * 20
    )
    assert build_meta(text, "", None).district == district
