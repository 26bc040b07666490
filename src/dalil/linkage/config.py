"""Settings of a linkage run, in one frozen object stored with every run.

Defaults are the measured choices of docs/linkage.md and docs/benchmarks.md; every field
can be changed per run (library) and the common ones from the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Backend = Literal["duckdb", "spark"]
Decision = Literal["match", "no_match", "unsure"]


@dataclass(frozen=True)
class LinkageConfig:
    """Thresholds are match probabilities; see docs/linkage.md for how they were chosen."""

    #: Match probability at which pairs merge; None: chosen per run from the model's expected
    #: precision and recall (:mod:`dalil.linkage.threshold`).
    threshold: float | None = None
    review_low: float = 0.5
    #: Pairs merged with a probability below this are still put to a reviewer ("inside one
    #: person"): a chosen threshold can sit below 0.9, and a merge at 0.8 is wrong one time
    #: in five.
    review_high: float = 0.95
    #: A merge is refused when it would put into one person two records compared and
    #: scored below this. 0.1, measured (docs/benchmarks.md, issue 25): a sparse or
    #: misspelt record of a person often scores 0.05-0.6 against another of that person's
    #: records, and a higher veto kept it out. Lowered from 0.6 to 0.3 and, once
    #: ``same_list_at`` guarded against chaining, to 0.1 (second generator's development
    #: sets, 5,000 people: F1 .934/.937 at 0.3, .943/.945 at 0.1; at 0 precision fell to .927).
    conflict_below: float = 0.1
    #: A merge is refused when it would put into one person two records of the same list
    #: that were not compared and scored at least this (None: no such rule). Lists name a
    #: person once; a duplicate within a list must be shown by its own two records, not
    #: reached through another list's records (chaining).
    same_list_at: float | None = 0.8
    #: Pairs in the review band (``review_low`` up to the threshold) whose records are each
    #: other's best candidate in the other's list, ahead of the next by this much, are
    #: merged too (:func:`dalil.linkage.clusters.mutual_best`); None turns it off.
    mutual_best_margin: float | None = 0.2
    max_cluster_size: int = 0  # 0: twice the number of sources, at least 4
    #: Random pairs for estimating u (:mod:`dalil.linkage.random_pairs`). 1e5 gave the F1
    #: of 1e6 on the development lists but failed on one test set of 20,000 people (F1 .822
    #: against .875: the rarest levels' u, a typo at ~0.3 % of random pairs, rest on too
    #: few pairs). 3e5 keeps ~900 pairs in such a level and gave the F1 of 1e6 on every
    #: set of issue 25 (none lower by more than .003; docs/benchmarks.md, fourth round) in a
    #: third of the time (DuckDB; Spark runs Splink's own estimator on as many pairs).
    u_max_pairs: float = 3e5
    #: Records used for training (a random sample when the lists hold more).
    train_records: int = 200_000
    #: Pair budget per blocking rule, per record (see :func:`dalil.linkage.blocking.plan_blocking`).
    pairs_per_record: int = 20
    #: DuckDB's memory cap; beyond it DuckDB spills to a temporary directory.
    memory_limit: str = "4GB"
    seed: int = 1
    backend: Backend = "duckdb"
    #: Pairs scored below this are not returned (0 keeps every candidate pair).
    predict_floor: float = 0.01
    #: Compare given/family swapped as its own level and block on it. Off by default: in
    #: Arabic chains "Ali Hasan" and "Hasan Ali" are usually son and father, not one person.
    swapped_names: bool = False
    #: Fix the m probability of "disagrees" on given name, sex and age
    #: (:data:`dalil.linkage.comparisons.FIXED_ELSE_M`) instead of letting EM estimate it.
    #: Right for victim lists full of siblings; turn off for data whose errors replace
    #: whole names (FEBRL's synthetic corruptions).
    fixed_disagreement_m: bool = True
    #: Further identifying columns of the lists to compare (exact and Jaro-Winkler levels on
    #: the case-folded value), e.g. a national ID number, an address, a mother's name column.
    extra_columns: tuple[str, ...] = ()
    #: Move the m probabilities towards those of pairs reviewers confirmed as one person
    #: (:func:`dalil.linkage.model._learn_from_reviews`).
    learn_from_reviews: bool = True
    #: Keep Splink's comparison vectors (gamma_* columns) on the pairs, for evaluation.
    keep_comparison_vectors: bool = False

    @property
    def merge_at(self) -> float:
        """The merge threshold in force: the set one, else 0.9 (a run replaces None by its
        chosen threshold before clustering; 0.9 serves a caller that clusters directly)."""
        return 0.9 if self.threshold is None else self.threshold


#: The defaults (frozen, so safe to share as a default argument).
DEFAULT = LinkageConfig()
