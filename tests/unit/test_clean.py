from ingest.clean import (
    clean,
    collapse_whitespace,
    normalize_unicode,
    strip_boilerplate_lines,
    strip_image_markup,
    strip_markdown,
    strip_photo_credits,
)


def test_image_markup_and_caption_pipes_are_removed_but_caption_words_kept():
    raw = "Intro.\n![]() |\nComrade Nguyen Manh Khoi chaired the discussion. Photo: Mai Hoa |\nNext paragraph."
    assert clean(raw) == "Intro.\nComrade Nguyen Manh Khoi chaired the discussion.\nNext paragraph."


def test_photo_credit_variants():
    assert strip_photo_credits("Delegates speak at the session - Photo: Le Minh") == "Delegates speak at the session"
    assert strip_photo_credits("Cadres visit a household. Photo: Van Tien") == "Cadres visit a household."
    assert strip_photo_credits("A photo: of nothing special is fine here and keeps going on.") != ""


def test_page_furniture_lines_go_but_words_inside_prose_stay():
    raw = "The Source of strength is the people.\nSource\nComment (0)\nShare\nRelated news"
    assert strip_boilerplate_lines(raw).strip() == "The Source of strength is the people."


def test_image_markup_inline():
    assert strip_image_markup("a ![alt](x.jpg) b") == "a b"
    assert strip_image_markup("x\n![]() |\ny") == "x\ny"


def test_unicode_is_nfc_and_whitespace_is_normalised():
    decomposed = "da\u0302n va\u0323\u0302n"  # "dân vận" typed with combining marks
    assert normalize_unicode(decomposed) == "dân vận"
    assert normalize_unicode("a\u00a0b\r\nc\u200b") == "a b\nc"
    assert normalize_unicode("a\u2028b\u2029c\x85d") == "a\nb\n\nc\nd"
    assert collapse_whitespace("  a   b \n\n\n\n c  ") == "a b\n\nc"


def test_markdown_loses_markup_not_words():
    md = "# Title\n\n*Sunday · Outlet*\n\n**Bold lead.**\n\nSee [the plan](http://x) now.  \n- item one"
    out = strip_markdown(md)
    assert "#" not in out and "**" not in out and "http" not in out
    assert "Title" in out and "Bold lead." in out and "the plan" in out and "- item one" in out
    assert clean(md, "md").startswith("Title\n\nSunday · Outlet")


def test_clean_is_idempotent():
    raw = open("corpus/sample/nghe-an-2022-first-half-review.txt", encoding="utf-8").read()
    once = clean(raw)
    assert clean(once) == once
    assert "![]()" not in once and "Comment (0)" not in once and "Photo:" not in once
