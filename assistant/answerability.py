"""How likely a candidate sentence is to answer the question (pure).

Each candidate unit is described by a few signals; one logistic model turns them into a
probability, and one threshold decides whether the best candidate is good enough to answer.
The same model ranks the candidates and makes the decision, so there is no cascade of vetoes:
a place, year or name the passage does not match lowers the probability, and only a filter the
user sets (applied in retrieval) excludes a document outright.

The weights are fitted on labelled questions by `python -m bench.calibrate` (reports
`reports/answer_model.json`); `AnswerModel`'s defaults are that fit.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields

from pydantic import BaseModel, Field


@dataclass(frozen=True)
class Signals:
    """What is known about one candidate unit, each in [0, 1] unless said."""

    coverage: float  # IDF-weighted share of the question's terms the unit (or its context) holds
    heuristic: float  # coverage with phrase, rank, measure, place and follow-up adjustments (evidence.score_units)
    similarity: float  # cosine of the unit and the question in the embedder's space (0 without one)
    measure: float  # share of what a figure question counts ("how many DAYS OF LABOR") the unit names
    rank: float  # 1 for the best-ranked retrieved passage, towards 0 for the last
    lead: float  # coverage minus the best coverage among the candidates (<= 0)
    before: (
        float  # coverage of the sentence just before it: "Its total area is 468.9 sq mi. 164.1 sq mi of this is water."
    )
    heading: float  # 1: a title or heading line (under five words), which names a topic and states nothing
    document_fact: float  # 1: the question asks a fact of the document itself (its signer, its issue date) and the
    # unit is where documents state it (the signature block, the letterhead)
    # coverage with weights from the retrieved passages alone: words that tell this sentence from its neighbours
    local: float
    unmatched: float  # the heaviest question term neither the unit nor its passage holds, over the heaviest term
    off_document: float  # share of the question's weight its whole document never uses
    type_missing: float  # 1: the question asks for a figure, name, date or code the unit does not state
    constraint_off: float  # 1: the place, year or period asked is not the unit's document's (inferred)
    undated_off: float  # the same for a document without a date of its own (an encyclopedia article, not a report)
    stated_off: float  # 1: the sentence states years, none of them the one asked
    place_absent: float  # share of the places asked that the unit and the sentence before it do not name
    agreement: float  # how well the document's place/year/period/codes agree with the question (1 if it names none)
    names_missing: float  # share of the question's proper names the document never uses
    names_absent: float  # share of them that the unit and the sentence before it do not use
    purpose_off: float  # 1: a target given for a result asked, or the reverse
    other_place: float  # 1: the unit is about a place inside (or beside) the one a figure question asks about
    length: float  # characters beyond 400, in units of 400

    def vector(self) -> tuple[float, ...]:
        return astuple(self)


FEATURES = tuple(f.name for f in fields(Signals))
# Evidence that can only speak against a candidate (its weights are fitted at or below 0); every
# other signal can only speak for it. Fitted without these signs, the weights of correlated
# signals took whatever sign a corpus's quirks gave them ("the place asked is absent" came out
# as evidence FOR an answer).
AGAINST = frozenset(
    {
        "heading",
        "unmatched",
        "off_document",
        "type_missing",
        "constraint_off",
        "undated_off",
        "stated_off",
        "place_absent",
        "names_missing",
        "names_absent",
        "purpose_off",
        "other_place",
        "length",
    }
)


def _weights(**w: float) -> dict[str, float]:
    return {name: w.get(name, 0.0) for name in FEATURES}


class AnswerModel(BaseModel):
    """Two linear models over the same signals, fitted by `bench.calibrate`:
    `choose` ranks a question's candidates (a softmax over them, fitted on which one holds the
    answer), and `answer` with `bias` gives the probability that the chosen one answers the
    question at all (a logistic, fitted on answerable against unanswerable questions). Positive
    weights speak for a candidate."""

    choose: dict[str, float] = Field(
        default_factory=lambda: _weights(
            coverage=1.718,
            heuristic=2.686,
            similarity=2.765,
            measure=1.137,
            rank=2.713,
            lead=1.718,
            before=0.55,
            heading=-1.889,
            document_fact=1.567,
            local=0.843,
            unmatched=-0.761,
            type_missing=-2.938,
            constraint_off=-2.173,
            undated_off=-1.238,
            stated_off=-0.444,
            agreement=2.164,
            names_missing=-2.456,
            purpose_off=-0.682,
            other_place=-1.183,
            length=-1.177,
        )
    )
    answer: dict[str, float] = Field(
        default_factory=lambda: _weights(
            heuristic=0.323,
            similarity=2.368,
            measure=1.118,
            before=0.57,
            document_fact=1.492,
            off_document=-0.084,
            type_missing=-0.693,
            constraint_off=-1.205,
            undated_off=-0.859,
            stated_off=-0.808,
            agreement=0.087,
            names_missing=-0.605,
            names_absent=-0.086,
            purpose_off=-0.514,
            other_place=-0.999,
        )
    )
    bias: float = -1.135
    threshold: float = Field(0.31, description="answer when the chosen candidate's probability is at least this")

    def preference(self, s: Signals) -> float:
        return sum(self.choose.get(name, 0.0) * value for name, value in zip(FEATURES, s.vector()))

    def probability(self, s: Signals) -> float:
        z = self.bias + sum(self.answer.get(name, 0.0) * value for name, value in zip(FEATURES, s.vector()))
        return 1 / (1 + math.exp(-z)) if z > -30 else 0.0
