"""The lexical index: filters by place and years, exact dense ranking within a filter, updates equal to a
build from scratch, damaged or foreign indexes refused, BM25 weights equal to bm25s's."""

import pytest

from core.documents import DocumentMeta
from core.tokenize import tokenize
from tests.helpers.chunks import chunk


def test_lexical_filters_by_place_and_overlapping_years():
    from vectorstore.lexical import LexicalIndex
    from vectorstore.models import Filters

    def passage(cid, province, y1, y2):
        return chunk(
            cid, DocumentMeta(title="t", province=province, year_from=y1, year_to=y2), "roads built by the people"
        )

    index = LexicalIndex.build(
        [
            passage("a", "Nghe An", 2014, 2014),
            passage("b", "Nghe An", 2022, 2023),
            passage("c", "Lang Son", 2022, 2022),
            passage("d", "Nghe An", None, None),
        ],
        "fp",
    )
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
    chunks = [
        chunk(f"c{i}", DocumentMeta(title="t", province=provinces[i]), "roads", source=f"f{i}.txt") for i in range(40)
    ]
    LexicalIndex.build(chunks, "fp", vectors).save(tmp_path / "ix")
    index = LexicalIndex.load(tmp_path / "ix")
    query = vectors[5] * 0.9 + vectors[7] * 0.1
    got = index.dense_search(query.tolist(), 5, Filters(province="Nghe An"))
    scores = vectors @ query
    want = sorted((i for i in range(40) if provinces[i] == "Nghe An"), key=lambda i: -scores[i])[:5]
    assert [cid for cid, _ in got] == [f"c{i}" for i in want] and got[0][0] == "c5"
    assert all(abs(score - scores[int(cid[1:])]) < 1e-5 for cid, score in got)
    assert index.dense_search(query.tolist(), 5, Filters(province="Ca Mau")) == []
    within = index.dense_search(query.tolist(), 5, Filters(sources=("f7.txt", "f8.txt", "nowhere.txt")))
    assert [cid for cid, _ in within] == sorted(["c7", "c8"], key=lambda c: -scores[int(c[1:])])
    assert (
        index.dense_search(query.tolist(), 5, Filters(province="Lang Son", sources=("f5.txt",))) == []
    )  # f5 is Nghe An


def test_an_updated_lexical_index_equals_one_built_from_scratch(tmp_path):
    """Dropping changed files and adding new chunks (what an ingest does) must rank exactly as
    an index built from every current chunk, after a save and a load too."""
    import numpy as np

    from vectorstore.lexical import LexicalIndex
    from vectorstore.models import Filters

    rng = np.random.default_rng(1)
    words = "roads bridges 3,315 households 25-CT/HU solidarity houses Nghe An Lang Son mobilization".split()

    def passage(source, i, province):
        text = " ".join(rng.choice(words, size=12))
        return chunk(f"{source}#{i}", DocumentMeta(title=source, province=province), text, i, source=source)

    def vectors(chunks):
        v = rng.normal(size=(len(chunks), 8)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    first = [passage(f"f{n}.txt", i, "Nghe An" if n % 2 else "Lang Son") for n in range(6) for i in range(3)]
    first_vectors = vectors(first)
    old = LexicalIndex.build(first, "fp1", first_vectors, {f"f{n}.txt": "k1" for n in range(6)})
    old.save(tmp_path / "ix")
    old = LexicalIndex.load(tmp_path / "ix")

    # f1 changed, f2 is gone, f6 is new
    added = [passage("f1.txt", i, "Nghe An") for i in range(2)] + [passage("f6.txt", i, "Lang Son") for i in range(4)]
    added_vectors = vectors(added)
    keys = {**{f"f{n}.txt": "k1" for n in (0, 3, 4, 5)}, "f1.txt": "k2", "f6.txt": "k1"}
    updated = old.updated({"f1.txt", "f2.txt"}, added, added_vectors, "fp2", keys)

    kept = [(c, v) for c, v in zip(first, first_vectors) if c.source not in ("f1.txt", "f2.txt")]
    fresh = LexicalIndex.build(
        [c for c, _ in kept] + added, "fp2", np.concatenate([[v for _, v in kept], added_vectors]), keys
    )

    # The reference the old full rebuild used: bm25s over token strings, document frequencies counted.
    from collections import Counter

    import bm25s

    current = [c for c, _ in kept] + added
    reference = bm25s.BM25()
    reference.index([tokenize(c.embed_text) for c in current], show_progress=False)
    ref_df = Counter(t for c in current for t in set(tokenize(c.embed_text)))
    for query in ("roads households", "3,315 bridges Nghe An"):
        tokens = [t for t in tokenize(query) if t in reference.vocab_dict]
        want = {c.id: float(x) for c, x in zip(current, reference.get_scores(tokens)) if x > 0}
        assert dict(updated.search(query, 30)) == pytest.approx(want)
    assert updated._df == dict(ref_df)

    updated.save(tmp_path / "ix")
    reloaded = LexicalIndex.load(tmp_path / "ix")
    for index in (updated, reloaded):
        assert sorted(index.ids) == sorted(fresh.ids) and index.keys == keys and index.fingerprint == "fp2"
        assert index.ids_of("f1.txt") == ["f1.txt#0", "f1.txt#1"] and index.ids_of("f2.txt") == []
        for token in ("roads", "3,315", "25-ct/hu", "absent"):
            assert index.idf(token) == pytest.approx(fresh.idf(token))
        for query in ("roads households", "25-CT/HU solidarity", "3,315 bridges Nghe An"):
            for filters in (None, Filters(province="Lang Son")):
                got, want = index.search(query, 30, filters), fresh.search(query, 30, filters)
                assert dict(got) == pytest.approx(dict(want)) and len(got) == len(want) > 0
        probe = added_vectors[0]
        got, want = (ix.dense_search(probe.tolist(), 5, Filters(province="Nghe An")) for ix in (index, fresh))
        assert [cid for cid, _ in got] == [cid for cid, _ in want] and dict(got) == pytest.approx(dict(want))


def test_a_damaged_or_foreign_lexical_index_is_not_loaded(tmp_path):
    """Such an index is rebuilt from the store, never extended (an update keeps old rows)."""
    import json

    import numpy as np

    from vectorstore.lexical import LexicalIndex

    chunks = [chunk(f"c{i}", DocumentMeta(title="t"), f"roads {i}", source=f"f{i}.txt") for i in range(5)]
    vectors = np.eye(5, 8, dtype=np.float32)
    LexicalIndex.build(chunks, "fp", vectors, {f"f{i}.txt": "k" for i in range(5)}).save(tmp_path / "ix")
    assert LexicalIndex.load(tmp_path / "ix").fingerprint == "fp"

    np.save(tmp_path / "ix" / "offsets.npy", np.load(tmp_path / "ix" / "offsets.npy")[:-1])  # a row short
    assert LexicalIndex.load(tmp_path / "ix") is None

    LexicalIndex.build(chunks, "fp", vectors).save(tmp_path / "ix")
    (tmp_path / "ix" / "vectors.npy").unlink()  # lost a file
    assert LexicalIndex.load(tmp_path / "ix") is None

    LexicalIndex.build(chunks, "fp", vectors).save(tmp_path / "ix")
    meta = json.loads((tmp_path / "ix" / "index.json").read_text())
    (tmp_path / "ix" / "index.json").write_text(
        json.dumps({**meta, "tokenizer": "3+pystemmer-2.0"})
    )  # another tokenizer
    assert LexicalIndex.load(tmp_path / "ix") is None
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]  # no temporary folders left


def test_vectorized_bm25_weights_equal_bm25s():
    """The lexical index computes BM25 weights with array operations (a Python loop per chunk cost
    minutes and GBs at 100k+ chunks); they must be the matrix bm25s builds itself."""
    import bm25s
    import numpy as np

    from vectorstore.lexical import as_bm25s, bm25_matrix

    rng = np.random.default_rng(3)
    vocab_size = 400
    rows = [rng.zipf(1.3, size=int(n)) % vocab_size for n in rng.integers(0, 120, size=300)]  # some rows empty
    vocab = {f"t{i}": i for i in range(vocab_size)}
    reference = bm25s.BM25()
    reference.index(([r.tolist() for r in rows], dict(vocab)), show_progress=False)
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in rows])])
    scores, df = bm25_matrix(np.concatenate(rows).astype(np.int32), offsets, vocab_size)
    for key in ("indices", "indptr"):
        assert np.array_equal(scores[key], reference.scores[key]), key
    assert np.allclose(scores["data"], reference.scores["data"], rtol=1e-6) and scores["num_docs"] == 300
    assert df.tolist() == [sum(i in set(r.tolist()) for r in rows) for i in range(vocab_size)]
    ours = as_bm25s(scores, vocab)
    assert ours.vocab_dict == reference.vocab_dict
    for query in (["t1", "t2"], ["t7", "t399", "t1"]):
        assert np.allclose(ours.get_scores(query), reference.get_scores(query), rtol=1e-6)
