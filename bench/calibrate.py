"""Fits the answer model (`assistant.answerability.AnswerModel`) on labelled questions.

    python -m bench.calibrate --set squad2=../shared/eval/squad2/qa.jsonl:DATA_DIR ... \\
        --out reports/answer_model.json

Each set is a question file in the dev schema and the data dir of a store holding its documents
(`DANVAN_DATA_DIR=DIR danvan ingest DOCS`). For every question the service retrieves and scores
its candidate sentences as it does when answering with `answer_policy=model`; a candidate is a positive example when it
holds every `must` string and comes from a listed source. A logistic regression over the signals
is fitted with no set outweighing the others by its size alone, and the threshold is the one that maximises the mean
over sets of (accuracy on answerable questions + share of unanswerable ones refused) / 2 while
keeping false refusals low. Five-fold cross-validation by document says how well it carries to
questions it was not fitted on.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answerability import AGAINST, FEATURES, AnswerModel
from assistant.evaluation import Case, missing_groups, read_cases
from assistant.models import AskRequest

MAX_FALSE_REFUSALS = 0.05  # of the answerable questions, per set


@dataclass
class Question:
    set: str
    id: str
    answerable: bool
    group: str  # the source document: folds never split one document's questions
    features: np.ndarray  # candidates x signals
    labels: np.ndarray  # candidates: does it answer?


def collect(name: str, qa: Path, data_dir: Path, limit: int | None = None) -> list[Question]:
    from assistant.service import AnswerService
    from assistant.settings import Settings

    # The model policy scores every candidate (the rules score only the one they report on).
    service = AnswerService.from_settings(Settings(data_dir=data_dir, answer_policy="model"))
    cases = [c for c in read_cases(qa) if c.kind != "multiturn"]
    if limit:
        cases = random.Random(0).sample(cases, min(limit, len(cases)))
    out = []
    for case in cases:
        query, parts = service.evidence(AskRequest(question=case.question))
        if len(parts) != 1 or not parts[0].selection.candidates:
            continue  # comparisons are decided part by part; a question with nothing retrieved teaches nothing
        units = parts[0].selection.candidates
        out.append(
            Question(
                set=name,
                id=case.id,
                answerable=bool(case.must),
                group=(case.sources or [case.id])[0],
                features=np.array([u.signals.vector() for u in units], dtype=np.float64),
                labels=np.array([_answers(case, u.sentence.text, u.chunk.source) for u in units], dtype=np.float64),
            )
        )
    return out


def _answers(case: Case, text: str, source: str) -> bool:
    return bool(case.must) and not missing_groups(text, case.must) and (not case.sources or source in case.sources)


SET_WEIGHT = 300  # questions: a larger set weighs as much as this many, a smaller one what it holds


def _set_weights(questions: list[Question]) -> np.ndarray:
    """Per question: no set outweighs the others by its size alone, and a handful of questions
    does not weigh as much as hundreds."""
    counts: dict[str, int] = {}
    for q in questions:
        counts[q.set] = counts.get(q.set, 0) + 1
    return np.array([min(counts[q.set], SET_WEIGHT) / counts[q.set] for q in questions])


def _signed_fit(loss_grad, dim: int, l2: float, names: tuple[str, ...]) -> np.ndarray:
    """Minimises loss + l2/2 |w|^2 (the bias, named "", unshrunk) with each weight's sign fixed
    by `AGAINST` (L-BFGS-B with bounds)."""
    from scipy.optimize import minimize

    shrink = np.array([0.0 if n == "" else l2 for n in names])
    bounds = [(None, None) if n == "" else (None, 0.0) if n in AGAINST else (0.0, None) for n in names]

    def objective(w):
        loss, grad = loss_grad(w)
        return loss + 0.5 * float(shrink @ (w * w)), grad + shrink * w

    return minimize(objective, np.zeros(dim), jac=True, method="L-BFGS-B", bounds=bounds).x


def fit_choice(questions: list[Question], l2: float) -> np.ndarray:
    """A softmax over each answerable question's candidates, fitted on which ones hold the answer."""
    usable = [q for q in questions if q.answerable and q.labels.any()]
    weights = _set_weights(usable)
    dim = usable[0].features.shape[1]

    def loss_grad(w):
        loss, g = 0.0, np.zeros(dim)
        for q, qw in zip(usable, weights):
            z = q.features @ w
            log_norm = z.max() + np.log(np.exp(z - z.max()).sum())
            p = np.exp(z - log_norm)
            target = q.labels / q.labels.sum()
            loss += qw * float(log_norm - target @ z)
            g += qw * (p @ q.features - target @ q.features)
        return loss, g

    return _signed_fit(loss_grad, dim, l2, FEATURES)


def chosen(q: Question, choice: np.ndarray) -> int:
    return int(np.argmax(q.features @ choice))


def fit_answer(questions: list[Question], choice: np.ndarray, l2: float) -> np.ndarray:
    """A logistic on the chosen candidate's signals: answerable (1) or not (0). Bias first."""
    x = np.array([np.concatenate([[1.0], q.features[chosen(q, choice)]]) for q in questions])
    y = np.array([float(q.answerable) for q in questions])
    weights = _set_weights(questions)

    def loss_grad(w):
        z = x @ w
        loss = float(weights @ (np.logaddexp(0, z) - y * z))
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        return loss, x.T @ (weights * (p - y))

    return _signed_fit(loss_grad, x.shape[1], l2, ("", *FEATURES))


def decide(questions: list[Question], choice: np.ndarray, answer: np.ndarray, threshold: float) -> dict[str, dict]:
    """Per set: accuracy on answerable questions (chosen candidate answered and right),
    unanswerable refused, false refusals."""
    out: dict[str, dict] = {}
    for s in sorted({q.set for q in questions}):
        qs = [q for q in questions if q.set == s]
        right = refused_un = false_ref = 0
        for q in qs:
            best = chosen(q, choice)
            p = 1 / (1 + np.exp(-np.clip(answer[0] + q.features[best] @ answer[1:], -30, 30)))
            answered = p >= threshold
            if q.answerable:
                right += answered and bool(q.labels[best])
                false_ref += not answered
            else:
                refused_un += not answered
        n_ans = sum(q.answerable for q in qs)
        n_un = len(qs) - n_ans
        out[s] = {
            "questions": len(qs),
            "accuracy": round(right / n_ans, 4) if n_ans else None,
            "unanswerable_refused": round(refused_un / n_un, 4) if n_un else None,
            "false_refusals": round(false_ref / n_ans, 4) if n_ans else None,
        }
    return out


def choose_threshold(questions: list[Question], choice: np.ndarray, answer: np.ndarray) -> float:
    """The threshold maximising the sets' mean balanced score, among those keeping every set's
    false refusals at most MAX_FALSE_REFUSALS (the lowest threshold if none does)."""
    best, best_score = 0.0, -1.0
    for t in np.round(np.arange(0.02, 0.96, 0.01), 2):
        metrics = decide(questions, choice, answer, float(t))
        if any((m["false_refusals"] or 0) > MAX_FALSE_REFUSALS for m in metrics.values()):
            continue
        score = np.mean(
            [
                np.mean([v for v in (m["accuracy"], m["unanswerable_refused"]) if v is not None])
                for m in metrics.values()
            ]
        )
        if score > best_score:
            best, best_score = float(t), score
    return best


def fit(questions: list[Question], l2: float) -> tuple[np.ndarray, np.ndarray, float]:
    choice = fit_choice(questions, l2)
    answer = fit_answer(questions, choice, l2)
    return choice, answer, choose_threshold(questions, choice, answer)


def cross_validate(questions: list[Question], l2: float, folds: int = 5) -> dict[str, dict]:
    """Each question decided by a model (and threshold) fitted without its document's questions."""
    groups = sorted({(q.set, q.group) for q in questions})
    random.Random(7).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    totals: dict[str, dict[str, float]] = {}
    for k in range(folds):
        train = [q for q in questions if fold_of[(q.set, q.group)] != k]
        test = [q for q in questions if fold_of[(q.set, q.group)] == k]
        for s, m in decide(test, *fit(train, l2)).items():
            t = totals.setdefault(
                s, {"questions": 0, "right": 0.0, "answerable": 0, "refused_un": 0.0, "unanswerable": 0, "false": 0.0}
            )
            n_ans = sum(q.answerable for q in test if q.set == s)
            n_un = m["questions"] - n_ans
            t["questions"] += m["questions"]
            t["answerable"] += n_ans
            t["unanswerable"] += n_un
            t["right"] += (m["accuracy"] or 0) * n_ans
            t["false"] += (m["false_refusals"] or 0) * n_ans
            t["refused_un"] += (m["unanswerable_refused"] or 0) * n_un
    return {
        s: {
            "questions": t["questions"],
            "accuracy": round(t["right"] / t["answerable"], 4) if t["answerable"] else None,
            "unanswerable_refused": round(t["refused_un"] / t["unanswerable"], 4) if t["unanswerable"] else None,
            "false_refusals": round(t["false"] / t["answerable"], 4) if t["answerable"] else None,
        }
        for s, t in sorted(totals.items())
    }


def model_from(choice: np.ndarray, answer: np.ndarray, threshold: float) -> AnswerModel:
    return AnswerModel(
        choose={n: round(float(v), 3) for n, v in zip(FEATURES, choice)},
        answer={n: round(float(v), 3) for n, v in zip(FEATURES, answer[1:])},
        bias=round(float(answer[0]), 3),
        threshold=threshold,
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", required=True, metavar="NAME=QA:DATA_DIR")
    ap.add_argument("--out", type=Path, default=Path("reports/answer_model.json"))
    ap.add_argument("--cache", type=Path, help="keep the collected signals here (npz) and reuse them")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--limit", type=int, help="questions per set at most (seeded sample)")
    args = ap.parse_args(argv)

    questions: list[Question] = []
    for spec in args.set:
        name, rest = spec.split("=", 1)
        qa, data_dir = rest.rsplit(":", 1)
        cached = args.cache / f"{name}.json" if args.cache else None
        if cached and cached.exists():
            questions += [_load(name, item) for item in json.loads(cached.read_text())]
            continue
        got = collect(name, Path(qa), Path(data_dir), args.limit)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps([_dump(q) for q in got]))
        questions += got
        print(f"{name}: {len(got)} questions, {sum(len(q.labels) for q in got)} candidates")

    choice, answer, threshold = fit(questions, args.l2)
    model = model_from(choice, answer, threshold)
    report = {
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
        "sets": {s: {"questions": sum(q.set == s for q in questions)} for s in sorted({q.set for q in questions})},
        "l2": args.l2,
        "model": model.model_dump(),
        "fitted": decide(questions, choice, answer, threshold),
        "cross_validated": cross_validate(questions, args.l2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def _dump(q: Question) -> dict:
    return {
        "id": q.id,
        "answerable": q.answerable,
        "group": q.group,
        "features": q.features.tolist(),
        "labels": q.labels.tolist(),
    }


def _load(name: str, item: dict) -> Question:
    return Question(
        name, item["id"], item["answerable"], item["group"], np.array(item["features"]), np.array(item["labels"])
    )


if __name__ == "__main__":
    main()
