from assistant.citations import quote_in
from assistant.fusion import reciprocal_rank_fusion
from assistant.sentences import split_clauses, split_sentences
from ingest.models import Chunk, DocumentMeta
from vectorstore.models import Hit
from vectorstore.tokenize import tokenize


def _hit(cid: str) -> Hit:
    return Hit(chunk=Chunk(id=cid, source="s", index=0, text=cid, start=0, meta=DocumentMeta(title="")))


def test_rrf_rewards_agreement_and_keeps_ranks():
    fused = reciprocal_rank_fusion({"dense": [_hit("a"), _hit("b"), _hit("c")], "lexical": [_hit("b")]}, k=60)
    assert [h.chunk.id for h in fused] == ["b", "a", "c"]
    assert fused[0].ranks == {"dense": 2, "lexical": 1}
    assert abs(fused[0].score - (1 / 62 + 1 / 61)) < 1e-12


def test_rrf_weights_and_empty():
    assert reciprocal_rank_fusion({}) == []
    fused = reciprocal_rank_fusion({"dense": [_hit("a")], "lexical": [_hit("b")]}, weights={"lexical": 2.0})
    assert fused[0].chunk.id == "b"


def test_tokens_keep_codes_and_figures_whole_and_fold_diacritics():
    toks = tokenize("Directive 22-CT/HU: 3,315 people, 2.4 km; Quảng Ninh; kilometres")
    assert "22-ct/hu" in toks and "3315" in toks and "2.4" in toks
    assert "quang" in toks and "ninh" in toks and toks.count("km") == 2
    assert tokenize("the of and") == []


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = 'Mr. Bao said: "We gave land." Action Program No. 40-CTr/TU was issued. Next one!\nA heading'
    spans = split_sentences(text)
    assert [s.text for s in spans] == ['Mr. Bao said: "We gave land."', "Action Program No. 40-CTr/TU was issued.", "Next one!", "A heading"]
    assert all(text[s.start:s.end] == s.text for s in spans)
    clauses = split_clauses(split_sentences("a: 1 model; b: 2 models; c: 3 models.")[0])
    assert [c.text for c in clauses] == ["a: 1 model;", "b: 2 models;", "c: 3 models."]


def test_quote_verification_ignores_whitespace_only():
    assert quote_in("built 39  km of\nroads", "They built 39 km of roads.")
    assert not quote_in("built 40 km", "They built 39 km of roads.")
    assert not quote_in("   ", "anything")


def test_units_keep_letterheads_and_signature_blocks_together():
    from assistant.sentences import split_units

    text = "No. 27-CT/TU\nDong Nai, March 26, 2013\n\nA long paragraph that goes on. " + "x" * 90 + "\n\nDEPUTY SECRETARY\n(signed)\nDo Ngoc Xuan"
    units = split_units(text)
    assert units[0].text == "No. 27-CT/TU\nDong Nai, March 26, 2013"
    assert units[-1].text == "DEPUTY SECRETARY\n(signed)\nDo Ngoc Xuan"
    assert all(text[u.start:u.end] == u.text for u in units) and len(units) == 3


def test_lexical_filters_by_place_and_overlapping_years():
    from vectorstore.lexical import LexicalIndex
    from vectorstore.models import Filters

    def chunk(cid, province, y1, y2):
        meta = DocumentMeta(title="t", province=province, year_from=y1, year_to=y2)
        return Chunk(id=cid, source=f"{cid}.txt", index=0, text="roads built by the people", start=0, meta=meta)

    index = LexicalIndex.build([chunk("a", "Nghe An", 2014, 2014), chunk("b", "Nghe An", 2022, 2023),
                                chunk("c", "Lang Son", 2022, 2022), chunk("d", "Nghe An", None, None)], "fp")
    ids = lambda f: sorted(cid for cid, _ in index.search("roads people", 10, f))  # noqa: E731
    assert ids(Filters(province="Nghe An")) == ["a", "b", "d"]
    assert ids(Filters(year_min=2023, year_max=2023)) == ["b"]
    assert ids(Filters(province="Nghe An", year_min=2010, year_max=2022)) == ["a", "b"]  # unknown years never match


def test_dense_ranking_within_a_filter_is_exact_and_survives_save_and_load(tmp_path):
    import numpy as np

    from vectorstore.lexical import LexicalIndex
    from vectorstore.models import Filters

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    provinces = ["Nghe An" if i % 3 else "Lang Son" for i in range(40)]
    chunks = [Chunk(id=f"c{i}", source=f"f{i}.txt", index=0, text="roads", start=0,
                    meta=DocumentMeta(title="t", province=provinces[i])) for i in range(40)]
    LexicalIndex.build(chunks, "fp", vectors).save(tmp_path / "ix")
    index = LexicalIndex.load(tmp_path / "ix")
    query = vectors[5] * 0.9 + vectors[7] * 0.1
    got = index.dense_search(query.tolist(), 5, Filters(province="Nghe An"))
    scores = vectors @ query
    want = sorted((i for i in range(40) if provinces[i] == "Nghe An"), key=lambda i: -scores[i])[:5]
    assert [cid for cid, _ in got] == [f"c{i}" for i in want] and got[0][0] == "c5"
    assert all(abs(score - scores[int(cid[1:])]) < 1e-5 for cid, score in got)
    assert index.dense_search(query.tolist(), 5, Filters(province="Ca Mau")) == []


def test_area_units_are_one_token_however_written():
    from vectorstore.tokenize import tokenize

    assert tokenize("600m2") == tokenize("600 m2") == tokenize("600 m²") == tokenize("600 square meters") == tokenize("600 square metres") == ["600", "m2"]
    assert tokenize("4 square kilometres") == ["4", "km2"] and tokenize("12 kilometers") == ["12", "km"]
