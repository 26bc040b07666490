"""The merge threshold of a run, chosen from the model's own expected precision and recall.

A match probability is the model's statement of how often pairs like this one are the same
person. Taken at its word over the candidate pairs of the lists at hand, it gives, for any
threshold t, the expected number of true matches among the pairs at or above t (the sum of
their probabilities), hence an expected precision (that sum over their number) and an
expected recall (that sum over the matches expected among every candidate pair, where a
record counts at most once per other list: :data:`dalil.linkage.model._EXPECTED_MATCHES_SQL`).
Before clustering the numerator is not capped so (three namesakes at 0.95 for one record
count 2.85), so the recall of :func:`choose` can be overstated and is capped at 1; after
clustering, which keeps a list's records apart unless their own pair is strong, the
merged pairs come close to one per record and list (:func:`merged`). The
threshold chosen maximises the expected F1 over a grid (issue 25). Said plainly: a pair of
probability p raises the expected F1 exactly when p > F1 / 2, so the choice lands on the
grid's floor unless no pair lies between it and the next grid point; the floor is the
measured decision (see :data:`GRID`), and what each run adds is the expected precision and
recall it reports there.

Assumptions, stated with every run: the probabilities are calibrated (Splink's are
somewhat overconfident on data unlike its training blocks; docs/benchmarks.md measures the
gap); recall is of the matches among the candidate pairs (pairs never compared by blocking
are not counted). The threshold is chosen on the pairs before clustering; the figures a
run reports are then taken again over the scored pairs clustering put into one person
(:func:`merged`), since clustering vetoes some pairs above the threshold and merges clear
mutual best candidates below it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

#: Thresholds tried, as match probabilities. Taken at their word, calibrated probabilities
#: would put the best F1 near half the F1 itself (merge a pair when p > F1 / 2), below
#: any sensible threshold; but Splink's probabilities are overconfident on lists unlike
#: its training blocks (on the second generator's lists, pairs scored 0.6-0.9 are matches
#: 38-57 % of the time; docs/benchmarks.md), so the grid starts at 0.8, where the F1
#: measured on every benchmark set is within 0.005 of its best.
GRID = tuple(round(0.8 + 0.01 * i, 2) for i in range(20))


@dataclass(frozen=True)
class Choice:
    """A threshold and what the model expects of it (pairwise; before clustering from
    :func:`choose`, over the merged pairs from :func:`merged`)."""

    threshold: float
    expected_precision: float
    expected_recall: float
    #: The matches the model expects among the candidate pairs (:data:`Scored.expected_matches`).
    expected_matches: float
    #: True when chosen here, False when the run fixed it.
    chosen: bool = True

    def to_dict(self) -> dict[str, float | bool]:
        return {
            "threshold": self.threshold,
            "expected_precision": round(self.expected_precision, 4),
            "expected_recall": round(self.expected_recall, 4),
            "expected_matches": round(self.expected_matches, 1),
            "chosen": self.chosen,
        }


def expected(probabilities: np.ndarray, total: float, threshold: float) -> tuple[float, float]:
    """(expected precision, expected recall) of merging the pairs at or above ``threshold``
    among pairs scored ``probabilities``, of ``total`` matches expected among the candidate
    pairs (recall capped at 1); 1.0 and 0.0 when no pair reaches it."""
    kept = probabilities[probabilities >= threshold]
    if not len(kept):
        return 1.0, 0.0
    hits = float(kept.sum())
    return hits / len(kept), min(1.0, hits / total) if total > 0 else 0.0


def choose(probabilities: np.ndarray, total: float, fixed: float | None = None) -> Choice:
    """The threshold of :data:`GRID` with the highest expected F1 (the higher threshold on
    a tie), or ``fixed`` with its expectations when the run sets one."""
    if fixed is not None:
        return Choice(fixed, *expected(probabilities, total, fixed), total, chosen=False)
    best: tuple[float, float, float, float] = (-1.0, GRID[-1], 1.0, 0.0)
    for t in GRID:
        p, r = expected(probabilities, total, t)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 >= best[0]:
            best = (f1, t, p, r)
    return Choice(best[1], best[2], best[3], total)


def merged(choice: Choice, probabilities: np.ndarray) -> Choice:
    """``choice`` with its expectations taken over the scored pairs clustering put into one
    person (``probabilities``: theirs). Pairs within a person that were never scored
    together (joined through a third record) count in neither figure."""
    if not len(probabilities):
        return replace(choice, expected_precision=1.0, expected_recall=0.0)
    hits = float(probabilities.sum())
    total = choice.expected_matches
    return replace(
        choice,
        expected_precision=hits / len(probabilities),
        expected_recall=min(1.0, hits / total) if total > 0 else 0.0,
    )
