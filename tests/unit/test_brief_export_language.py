"""A brief's exports worded in its topic's language: Vietnamese headings in the Markdown and the DOCX for
a Vietnamese topic, the document text verbatim."""

from __future__ import annotations

import io

import docx

from assistant.brief_export import to_docx, to_markdown
from assistant.models import Brief, BriefScope, BriefSource, Figure, KeyPoint, Quote, ReferencedDocument

VI_TOPIC = "nhà Đại đoàn kết"
POINT = "Giai đoạn 2019-2023, Ủy ban MTTQ các cấp đã vận động xây dựng mới, sửa chữa 12.680 nhà Đại đoàn kết."


def _brief(topic: str = VI_TOPIC, covered: bool = True) -> Brief:
    scope = BriefScope(documents_used=2, period_from="2019", period_to="2024", filters={"province": "Thanh Hoa"})
    if not covered:
        return Brief(
            title=f"Briefing: {topic}",
            topic=topic,
            covered=False,
            scope=scope,
            message=f"The documents do not cover this topic ({topic!r}): no passage says enough about it to brief on.",
        )
    return Brief(
        title=f"Briefing: {topic}",
        topic=topic,
        covered=True,
        scope=scope,
        key_points=[KeyPoint(text=POINT, citations=[1])],
        figures=[
            Figure(
                figure="12.680",
                counts="nhà Đại đoàn kết",
                place="Thanh Hoa",
                period="2019-2023",
                source="vi-thanh-hoa-2024-chuong-trinh-hanh-dong.txt",
                sentence=POINT,
            )
        ],
        quotes=[Quote(text="Đồng bào Mông rất trọng lời hứa.", speaker=None, source="vi-son-la.txt")],
        documents_referenced=[
            ReferencedDocument(
                code="43-NQ/TW",
                kind="resolution",
                date="24/11/2023",
                cited_by=["vi-thanh-hoa-2024-chuong-trinh-hanh-dong.txt"],
            )
        ],
        sources=[
            BriefSource(
                n=1,
                source="vi-thanh-hoa-2024-chuong-trinh-hanh-dong.txt",
                title="CHƯƠNG TRÌNH HÀNH ĐỘNG",
                province="Thanh Hoa",
                period="2024",
            )
        ],
    )


def test_a_vietnamese_topic_gets_vietnamese_markdown_headings():
    md = to_markdown(_brief())
    assert md.startswith(f"# Bản tóm tắt: {VI_TOPIC}\n")
    assert "*Phạm vi: 2 văn bản; từ 2019 đến 2024; bộ lọc: province=Thanh Hoa.*" in md
    for heading in ("## Điểm chính", "## Số liệu", "## Trích dẫn", "## Văn bản được nhắc đến", "## Nguồn"):
        assert heading in md, heading
    assert "| Con số | Nội dung | Địa bàn | Thời gian | Nguồn | Câu trích |" in md
    assert "| Số hiệu | Loại | Ngày | Cơ quan ban hành | Về việc | Được dẫn trong |" in md
    assert "không rõ người phát biểu" in md
    assert POINT in md  # the document's words, verbatim
    for english in ("Key points", "Figures", "Quotes", "Documents referenced", "Sources", "Scope", "Briefing"):
        assert english not in md, english


def test_a_vietnamese_topic_gets_vietnamese_docx_headings():
    d = docx.Document(io.BytesIO(to_docx(_brief())))
    paragraphs = [p.text for p in d.paragraphs]
    headings = [p.text for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        f"Bản tóm tắt: {VI_TOPIC}",
        "Điểm chính",
        "Số liệu",
        "Trích dẫn",
        "Văn bản được nhắc đến",
        "Nguồn",
    ]
    assert "Phạm vi: 2 văn bản; từ 2019 đến 2024; bộ lọc: province=Thanh Hoa." in paragraphs
    assert [c.text for c in d.tables[0].rows[0].cells] == [
        "Con số",
        "Nội dung",
        "Địa bàn",
        "Thời gian",
        "Nguồn",
        "Câu trích",
    ]
    assert d.tables[1].rows[0].cells[0].text == "Số hiệu" and d.tables[0].rows[1].cells[5].text == POINT
    assert any(p.startswith(POINT) for p in paragraphs)


def test_a_vietnamese_topic_not_covered_is_said_in_vietnamese_in_both_formats():
    topic = "nhà ở cho công nhân trên sao Hỏa"
    sentence = f"Các tài liệu không đề cập đến chủ đề này ({topic}): không đoạn nào nói đủ về chủ đề để tóm tắt."
    brief = _brief(topic, covered=False)
    assert sentence in to_markdown(brief)
    assert sentence in [p.text for p in docx.Document(io.BytesIO(to_docx(brief))).paragraphs]


def test_an_english_topic_keeps_english_headings_and_a_language_can_be_asked_for():
    brief = _brief("great national unity houses")
    md = to_markdown(brief)
    assert md.startswith("# Briefing: great national unity houses") and "## Key points" in md and "## Figures" in md
    assert "*Scope: 2 documents; covering 2019 to 2024; filters: province=Thanh Hoa.*" in md
    assert "| Figure | What it counts | Place | Period | Source | Sentence |" in md
    assert "## Điểm chính" in to_markdown(brief, language="vi") and "## Key points" in to_markdown(
        _brief(), language="en"
    )
    d = docx.Document(io.BytesIO(to_docx(brief)))
    assert d.tables[0].rows[0].cells[0].text == "Figure" and "Key points" in [p.text for p in d.paragraphs]
    assert "The documents do not cover this topic ('Mars')" in to_markdown(_brief("Mars", covered=False))
