"""bench.answers' pure parts: the naive sentence picker, the threshold curve, the summaries and
the set plumbing. No embedding model."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation import Case, score
from bench import answers as A

# --- the picker ---------------------------------------------------------------------------------
CORPUS = {
    "town.txt": "The town is old. The town has a market.\nThe market opens at dawn.",
    "flood.txt": "Heavy rain fell for a week. The flood came in 1998. The river rose four metres.",
    "vi.txt": "Đảng ủy huyện đã ban hành Nghị quyết số 12. Người dân hiến 500 m2 đất.",
}


def test_sentences_break_after_stops_and_at_line_breaks():
    assert A.split_sentences("One. Two? Three!\nFour\n\n five") == ["One.", "Two?", "Three!", "Four", "five"]


def test_folding_drops_diacritics_so_an_unaccented_question_matches():
    assert A.fold("Đảng ủy Huyện") == "dang uy huyen"
    index = A.build_picker(CORPUS)
    best = A.pick(index, "Dang uy huyen ban hanh nghi quyet so may?")
    assert best[0].source == "vi.txt" and "Nghị quyết số 12" in best[0].text


def test_a_rare_question_word_outweighs_common_ones():
    # "the" is in most sentences and "town" in two; "flood" in one: the flood sentence wins
    # although it shares as many words with the question as the town sentences do.
    index = A.build_picker(CORPUS)
    assert index.idf["flood"] > index.idf["town"] > index.idf["the"]
    best = A.pick(index, "When did the flood hit the town?")
    assert {s.source for s in best} == {"flood.txt"}
    assert "The flood came in 1998." in [s.text for s in best]


def test_the_answer_is_the_two_best_sentences_of_the_best_file_in_document_order():
    texts = {
        "a.txt": "Cats sleep a lot. Dogs bark at night. Cats purr when fed by owners.",
        "b.txt": "Cats purr and sleep and eat when fed.",  # second best overall, but another file
    }
    index = A.build_picker(texts)
    best = A.pick(index, "Do cats purr when fed by owners?")
    assert [s.source for s in best] == ["a.txt", "a.txt"]
    assert [s.text for s in best] == ["Cats sleep a lot.", "Cats purr when fed by owners."]


def test_the_picker_never_refuses_and_is_scored_like_danvan():
    index = A.build_picker(CORPUS)
    answer = A.picker_answer(index, "When did the flood come?")
    assert not answer.refused and [c.n for c in answer.citations] == [1, 2]
    assert all(c.source == "flood.txt" for c in answer.citations)
    right = score(Case("q1", "number", "When did the flood come?", [["1998"]], ["flood.txt"]), answer, CORPUS.get)
    assert right.correct and right.quotes_verbatim
    wrong_source = score(Case("q2", "number", "x", [["1998"]], ["town.txt"]), answer, CORPUS.get)
    assert not wrong_source.correct and not wrong_source.source_ok
    unanswerable = score(
        Case("q3", "unanswerable", "x", [], []), A.picker_answer(index, "Who is the king?"), CORPUS.get
    )
    assert not unanswerable.correct  # an unanswerable question must be refused, and the picker never does


def test_an_empty_corpus_gives_an_empty_answer_not_an_error():
    answer = A.picker_answer(A.build_picker({}), "anything?")
    assert answer.answer == "" and answer.citations == [] and not answer.refused


# --- the curve ----------------------------------------------------------------------------------
def row(id, answerable, correct, refused, confidence):
    return {"id": id, "answerable": answerable, "correct": correct, "refused": refused, "confidence": confidence}


ROWS = [
    row("a1", True, True, False, 0.9),
    row("a2", True, True, False, 0.4),
    row("a3", True, False, False, 0.3),  # answered wrongly
    row("u1", False, False, False, 0.2),  # unanswerable, answered
    row("u2", False, True, True, None),  # refused whatever the threshold
]


def test_a_point_counts_answers_and_refusals_at_its_threshold():
    p = A.curve_point(ROWS, 0.35)  # refuses a3, u1 (and u2 anyway)
    assert (p["answered"], p["refused"]) == (2, 3)
    assert p["answered_precision"] == 1.0 and p["answered_recall"] == round(2 / 3, 4)
    assert p["refusal_precision"] == round(2 / 3, 4) and p["refusal_recall"] == 1.0


def test_a_refused_answerable_item_becomes_wrong_and_a_refused_unanswerable_right():
    assert A.decide(ROWS[0], 0.95) == (True, False)
    assert A.decide(ROWS[3], 0.25) == (True, True)
    assert A.decide(ROWS[3], 0.1) == (False, False)


def test_the_curve_spans_the_observed_confidences_from_none_refused_to_all():
    points = A.curve(ROWS)
    assert [p["threshold"] for p in points][:4] == [0.2, 0.3, 0.4, 0.9] and points[-1]["threshold"] > 0.9
    first, last = points[0], points[-1]
    assert first["refused"] == 1 and first["answered_precision"] == 0.5  # only u2, refused anyway
    assert last["answered"] == 0 and last["answered_precision"] is None and last["answered_recall"] == 0.0
    assert last["refusal_precision"] == 0.4 and last["refusal_recall"] == 1.0
    recalls = [p["answered_recall"] for p in points]
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never answers more


def test_no_confidence_at_all_means_no_curve():
    assert A.curve([{**r, "confidence": None} for r in ROWS]) is None
    block = A.threshold_block([{**r, "confidence": None} for r in ROWS], ROWS, 0.5)
    assert block["curve"] is None and "confidence" in block["skipped"]
    assert block["operating"]["agree"]  # the two runs are still compared: here they refuse alike


def test_many_confidences_are_thinned_but_keep_both_ends():
    values = [i / 1000 for i in range(1000)]
    ts = A.thresholds(values, limit=50)
    assert len(ts) <= 50 and ts[0] == 0.0 and 0.999 in ts and ts[-1] > 0.999
    assert ts == sorted(ts)


def test_the_post_hoc_operating_point_is_checked_against_the_normal_run():
    normal = [{**r, "refused": A.decide(r, 0.5)[0], "correct": A.decide(r, 0.5)[1]} for r in ROWS]
    assert A.compare_operating(ROWS, normal, 0.5)["agree"]
    normal[0] = {**normal[0], "refused": True}
    cmp = A.compare_operating(ROWS, normal, 0.5)
    assert not cmp["agree"] and cmp["refusal_disagreements"] == 1 and cmp["disagreeing_ids"] == ["a1"]


# --- summaries ----------------------------------------------------------------------------------
def outcome_row(id, kind, answerable, correct, refused, *, answer, seconds, quotes=True):
    return {
        "id": id,
        "kind": kind,
        "question": "q",
        "answerable": answerable,
        "correct": correct,
        "refused": refused,
        "cited": not refused,
        "source_ok": True,
        "missing": [],
        "quotes_verbatim": quotes,
        "answer": answer,
        "sources_cited": [],
        "seconds": seconds,
        "fallback": None,
        "confidence": None,
    }


def test_the_summary_reports_accuracy_refusals_length_and_latency():
    rows = [
        outcome_row("1", "number", True, True, False, answer="one two three [1]", seconds=0.1),
        outcome_row("2", "number", True, False, True, answer="The documents do not say this at all.", seconds=0.2),
        outcome_row(
            "3", "fact", True, False, False, answer="one two three four five [1] six [2]", seconds=0.3, quotes=False
        ),
        outcome_row("4", "unanswerable", False, True, True, answer="No.", seconds=0.4),
    ]
    s = A.system_summary(rows)
    assert s["accuracy"] == round(1 / 3, 4) and s["unanswerable_refused_rate"] == 1.0
    assert s["correct_all"] == 0.5  # answerable and unanswerable alike
    assert s["false_refusals"] == 1 and s["false_refusal_share"] == round(1 / 3, 4)
    assert s["quotes_verbatim_rate"] == 0.75
    assert s["answer_words_median"] == 4.5 and s["answer_words_p90"] == 6  # refusals are not answers
    assert s["latency_p50_s"] == 0.2 and s["latency_p95_s"] == 0.4
    assert set(s["by_kind"]) == {"number", "fact", "unanswerable"}


def test_percentile_is_nearest_rank():
    assert A.percentile([], 0.5) is None
    assert A.percentile([5, 1, 3], 0.5) == 3 and A.percentile(list(range(1, 101)), 0.95) == 95


def test_the_markdown_table_has_a_row_per_set_and_system():
    s = A.system_summary([outcome_row("1", "number", True, True, False, answer="a b [1]", seconds=0.01)])
    report = {"sets": {"one": {"systems": {"danvan": s, "picker": s}}, "two": {"systems": {"langchain": s}}}}
    lines = A.markdown_table(report).splitlines()
    assert lines[0].startswith("| set | system | items | accuracy |")
    assert len(lines) == 2 + 3
    assert lines[2].startswith("| one | danvan | 1 | 1 |") and lines[4].startswith("| two | langchain |")
    assert "0 (0)" in lines[2]  # false refusals: count (share)


def test_compact_items_are_one_line_per_item_without_the_answer_texts():
    rows = [
        {
            "set": "s",
            "system": system,
            **outcome_row("1", "number", True, system == "danvan", False, answer="a b c [1]", seconds=0.01),
        }
        for system in ("danvan", "picker")
    ]
    rows[0]["sources_cited"] = ["x.txt", "x.txt"]
    rows.append(
        {"set": "t", "system": "danvan", **outcome_row("1", "fact", True, False, True, answer="No.", seconds=0.02)}
    )
    items = A.compact(rows)
    assert [(i["set"], i["id"]) for i in items] == [("s", "1"), ("t", "1")]
    assert items[0]["danvan"]["correct"] is True and items[0]["picker"]["correct"] is False
    assert items[0]["danvan"]["words"] == 3 and items[0]["danvan"]["sources"] == ["x.txt"]
    assert "answer" not in items[0]["danvan"] and "a b c" not in json.dumps(items) and "picker" not in items[1]


# --- sets ---------------------------------------------------------------------------------------
def make_set(folder, qa_lines=("{}",)):
    (folder / "docs").mkdir(parents=True)
    (folder / "qa.jsonl").write_text("\n".join(qa_lines))
    return folder


def test_sets_are_found_by_their_layout(tmp_path):
    make_set(tmp_path / "shared" / "beta")
    make_set(tmp_path / "shared" / "alpha")
    (tmp_path / "shared" / "not-a-set").mkdir()
    make_set(tmp_path / "repo" / "alpha")
    found = A.unique_names(A.folder_sets([tmp_path / "shared", tmp_path / "repo", tmp_path / "missing"]))
    assert [s.name for s in found] == ["alpha", "beta", "alpha-2"]
    assert found[2].docs == tmp_path / "repo" / "alpha" / "docs"


def test_a_set_is_named_by_a_name_a_folder_or_a_qa_file_and_corpus(tmp_path):
    folder = make_set(tmp_path / "mine")
    qa = tmp_path / "dev.jsonl"
    qa.write_text("{}")
    known = [A.EvalSet("known", qa, tmp_path)]
    assert A.parse_set("known", known) is known[0]
    assert A.parse_set(str(folder), known) == A.EvalSet("mine", folder / "qa.jsonl", folder / "docs")
    assert A.parse_set(f"{qa}:{folder / 'docs'}", known) == A.EvalSet("dev", qa, folder / "docs")
    with pytest.raises(SystemExit):
        A.parse_set(str(tmp_path / "nothing"), known)


def test_pairs_are_kept_only_when_the_qa_file_and_the_corpus_exist(tmp_path):
    qa = tmp_path / "qa.jsonl"
    qa.write_text("{}")
    pairs = [("here", qa, tmp_path), ("no-corpus", qa, tmp_path / "missing"), ("no-qa", tmp_path / "x.jsonl", tmp_path)]
    assert A.pair_sets(pairs) == [A.EvalSet("here", qa, tmp_path)]


def test_doc_files_skip_the_manifest_and_hidden_files(tmp_path):
    for name in ("a.txt", "b.html", "manifest.jsonl", ".hidden.txt", "c.pdf"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in A.doc_files(tmp_path)] == ["a.txt", "b.html"]


def test_a_limited_sample_is_seeded_and_keeps_turns_together():
    cases = [Case(f"q{i}", "fact", "?", [["x"]], []) for i in range(10)]
    cases += [Case("m.1", "multiturn", "?", [], [], session="m"), Case("m.2", "multiturn", "?", [], [], session="m")]
    assert A.sample(cases, None, 0) == cases
    picked = A.sample(cases, 4, seed=3)
    assert picked == A.sample(cases, 4, seed=3)
    ids = [c.id for c in picked]
    assert len({c.session or c.id for c in picked}) == 4 and ids == [c.id for c in cases if c.id in ids]
    assert ("m.1" in ids) == ("m.2" in ids)


def test_the_langchain_store_is_reused_until_a_file_changes(tmp_path):
    pytest.importorskip("langchain_chroma")
    from langchain_core.embeddings import DeterministicFakeEmbedding

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Alpha text about rivers. " * 10)
    (docs / "b.txt").write_text("Beta text about towns. " * 10)
    fake = DeterministicFakeEmbedding(size=16)
    folder = tmp_path / "work" / "langchain"
    folder.parent.mkdir()
    store, rebuilt = A.langchain_store(A.doc_files(docs), folder, fake)
    assert rebuilt and {d.metadata["source"] for d in store.similarity_search("rivers", k=4)} == {"a.txt", "b.txt"}
    _, rebuilt = A.langchain_store(A.doc_files(docs), folder, fake)
    assert not rebuilt
    (docs / "b.txt").write_text("Changed. " * 10)
    store, rebuilt = A.langchain_store(A.doc_files(docs), folder, fake)
    assert rebuilt and len(store.get()["ids"]) == 2
    assert json.loads(folder.with_name("langchain.stamp.json").read_text())["files"].keys() == {"a.txt", "b.txt"}


# --- plot ---------------------------------------------------------------------------------------
def test_the_plot_draws_the_sets_with_a_curve_and_skips_when_none_has_one(tmp_path):
    pytest.importorskip("matplotlib")
    systems = {"picker": {"accuracy": 0.3}, "langchain": {"accuracy": 0.2}}
    with_curve = {"questions": 5, "systems": systems, "threshold": A.threshold_block(ROWS, ROWS, 0.5)}
    without = {
        "questions": 5,
        "systems": systems,
        "threshold": A.threshold_block([{**r, "confidence": None} for r in ROWS], ROWS, 0.5),
    }
    report = {
        "operating_threshold": 0.5,
        "commit": {"head": "0123456789abcdef"},
        "sets": {"a": with_curve, "b": without},
    }
    path = tmp_path / "plots" / "curve.png"
    assert A.plot(report, path) and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        not A.plot({**report, "sets": {"b": without}}, tmp_path / "none.png") and not (tmp_path / "none.png").exists()
    )


def test_the_timing_table_has_a_row_per_set():
    report = {"sets": {"one": {"seconds": {"danvan_ingest": 1.5, "total": 9.0}}, "two": {"seconds": {"total": 2.0}}}}
    lines = A.timing_table(report).splitlines()
    assert lines[0].split()[:2] == ["set", "danvan_ingest"] and len(lines) == 3
    assert lines[1].split()[0] == "one" and lines[1].split()[1] == "1.5" and lines[2].split()[-1] == "2.0"
