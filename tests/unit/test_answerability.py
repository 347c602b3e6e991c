"""The answer model: signals -> preference and probability; its fit (bench.calibrate) on made-up data."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.answerability import FEATURES, AnswerModel, Signals
from bench.calibrate import Question, choose_threshold, decide, fit_answer, fit_choice

ROOT = Path(__file__).resolve().parents[2]
PLAIN = Signals(**{name: 0.0 for name in FEATURES})


def test_each_signal_moves_the_decision_the_way_it_should():
    model = AnswerModel()
    good = replace(PLAIN, coverage=0.9, heuristic=0.9, similarity=0.7, rank=1.0, local=0.8, agreement=1.0)
    assert model.probability(good) > model.probability(replace(good, coverage=0.2, heuristic=0.2, similarity=0.2))
    for flag in ("type_missing", "constraint_off", "names_missing", "off_document"):
        assert model.probability(replace(good, **{flag: 1.0})) < model.probability(good), flag
    assert model.preference(good) > model.preference(replace(good, type_missing=1.0))


def test_the_defaults_are_the_committed_fit():
    fitted = json.loads((ROOT / "reports" / "answer_model.json").read_text())["model"]
    assert AnswerModel().model_dump() == fitted


def _question(i: int, answerable: bool, rng: np.random.Generator) -> Question:
    """Ten candidates; when answerable, the one with the highest coverage holds the answer and its
    coverage is high; an unanswerable question's best coverage is low."""
    features = rng.uniform(0, 0.5, size=(10, len(FEATURES)))
    labels = np.zeros(10)
    c = FEATURES.index("coverage")
    if answerable:
        features[3, c] = rng.uniform(0.7, 1.0)
        labels[3] = 1
    return Question("made-up", f"q{i}", answerable, f"doc{i}", features, labels)


def test_the_fit_learns_which_candidate_answers_and_when_to_refuse():
    rng = np.random.default_rng(0)
    questions = [_question(i, i % 3 != 0, rng) for i in range(120)]
    choice = fit_choice(questions, l2=0.1)
    assert choice[FEATURES.index("coverage")] == max(choice)
    answer = fit_answer(questions, choice, l2=0.1)
    t = choose_threshold(questions, choice, answer)
    m = decide(questions, choice, answer, t)["made-up"]
    assert m["accuracy"] >= 0.95 and m["unanswerable_refused"] >= 0.95 and m["false_refusals"] <= 0.05
