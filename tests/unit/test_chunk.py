from core.documents import Document, DocumentMeta
from ingest.chunk import chunk_document, chunk_id
from ingest.clean import clean


def _doc(text: str) -> Document:
    return Document(source="x.txt", text=text, key="k", format="txt", meta=DocumentMeta(title="T"))


def test_chunks_are_verbatim_slices_with_offsets_and_cover_the_text():
    text = clean(open("corpus/sample/quang-ninh-2024-mass-mobilization.txt", encoding="utf-8").read())
    chunks = chunk_document(_doc(text), size=400, overlap=80)
    assert len(chunks) > 5
    for c in chunks:
        assert text[c.start : c.start + len(c.text)] == c.text
        assert len(c.text) <= 400
    # Every non-space character of the document is in some chunk.
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.start + len(c.text)))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_no_chunk_edge_after_an_abbreviation():
    text = (
        ("Intro sentence here. " * 10)
        + "The focus is on Action Program No. 38-CTr/TU dated April 10, 2024. "
        + ("More text. " * 10)
    )
    for c in chunk_document(_doc(text), size=120, overlap=0):
        assert not c.text.endswith("No."), c.text


def test_chunk_ids_are_stable_and_content_addressed():
    text = "First paragraph.\n\nSecond paragraph."
    a, b = chunk_document(_doc(text)), chunk_document(_doc(text))
    assert [c.id for c in a] == [c.id for c in b]
    assert chunk_id("x.txt", 0, "a") != chunk_id("x.txt", 0, "b") != chunk_id("y.txt", 0, "a")


def test_embed_text_carries_the_title():
    c = chunk_document(_doc("Body text of the report."))[0]
    assert c.embed_text.startswith("T\n\n") and c.embed_text.endswith("Body text of the report.")
