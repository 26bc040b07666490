"""Estimates per stratum, combined into one total (HRDAG practice).

Capture probabilities differ by place, period and victim group; pooling strata with
different list coverage biases MSE. dalil estimates each stratum separately and adds
them: Bayesian draws (LCMCR, dga) or bootstrap replicates (log-linear) are summed draw by
draw, so the total's interval carries every stratum's uncertainty. As HRDAG's verdata
does, a stratum with fewer than three non-empty lists is refused (two lists cannot
identify any dependence); its documented count is reported, and added to the total only
as a known minimum, with a warning. Sparse overlaps (a pair of lists sharing fewer than
five persons) are warned about, and so is a stratum too small to estimate from
(:func:`dalil.estimate.diagnostics.too_small`: fewer than 20 persons, fewer than two
pairs of lists sharing anyone, or fewer than 7 persons on more than one list): it is still
estimated, since refusing it would bias the total, but its interval rests on a handful of
overlaps; the result names it in ``small_strata``. A stratum on which the method gives no
estimate (no log-linear model with a maximum-likelihood estimate, say) is refused with
that reason like the strata above, unless every stratum fails: then the error is raised.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dalil.errors import InvalidInput
from dalil.estimate import diagnostics
from dalil.estimate.captures import CaptureTable
from dalil.estimate.estimates import Estimate, Method, NoEstimate, estimate
from dalil.model.words import N_, Phrase, to_json

MIN_LISTS = 3
SPARSE_OVERLAP = 5


@dataclass
class Stratified:
    total: float
    interval: tuple[float, float]
    level: float
    method: Method
    strata: dict[str, Estimate] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    refused_observed: int = 0
    warnings: list[str] = field(default_factory=list)
    small: list[str] = field(default_factory=list)  # estimated, but too small to trust

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "model": "stratified: estimates per stratum, summed draw by draw",
            "observed": sum(e.observed for e in self.strata.values()) + self.refused_observed,
            "estimate": round(self.total, 1),
            "interval": [round(self.interval[0], 1), round(self.interval[1], 1)],
            "level": self.level,
            "strata": {name: e.to_dict() for name, e in self.strata.items()},
            "refused_strata": self.refused,
            "small_strata": self.small,
            "warnings": self.warnings,
            "warnings_words": [to_json(w) for w in self.warnings],
        }


def sparse_pairs(table: CaptureTable) -> list[str]:
    return [
        f"{table.lists[a]}+{table.lists[b]}"
        for a, b in itertools.combinations(range(table.j), 2)
        if table.overlap((a, b)) < SPARSE_OVERLAP
    ]


def estimate_strata(
    tables: dict[str, CaptureTable],
    method: Method = "lcmcr",
    level: float = 0.95,
    seed: int = 1,
    **options: Any,
) -> Stratified:
    """Estimate every stratum and sum them (see the module docstring)."""
    done: dict[str, Estimate] = {}
    refused: dict[str, str] = {}
    warnings: list[str] = []
    refused_observed = 0
    small: list[str] = []
    failed: list[InvalidInput] = []
    for i, (name, table) in enumerate(sorted(tables.items())):
        lists = table.nonempty_lists()
        if lists < MIN_LISTS:
            refused[name] = (
                f"only {lists} non-empty list(s); at least {MIN_LISTS} are "
                "needed to estimate anything about list dependence"
            )
            refused_observed += table.n
            continue
        sparse = sparse_pairs(table)
        if sparse:
            warnings.append(
                Phrase(
                    N_("stratum {name}: sparse overlaps ({pairs} share fewer than {n} persons)"),
                    name=name,
                    pairs=sparse,
                    n=SPARSE_OVERLAP,
                )
            )
        try:
            done[name] = estimate(table, method, level=level, seed=seed + i, **options)
        except NoEstimate as err:  # e.g. no log-linear model has an MLE on this table
            failed.append(err)
            refused[name] = f"no estimate: {err.message}"
            refused_observed += table.n
            continue
        too_small = diagnostics.too_small(table)
        if too_small:
            warnings.append(Phrase(N_("stratum {name}: {problem}"), name=name, problem=too_small))
            small.append(name)
    if failed and not done:
        raise failed[0]  # every stratum failed: an option, or no stratum is estimable
    if refused:
        warnings.append(
            Phrase(
                N_(
                    "{count} stratum/strata refused; their {observed} documented persons are "
                    "added as a minimum, not estimated"
                ),
                count=len(refused),
                observed=refused_observed,
            )
        )
    draws = [e.draws for e in done.values() if e.draws is not None and len(e.draws)]
    point = float(refused_observed)
    interval = (point, point)
    if draws:
        size = min(len(d) for d in draws)
        rng = np.random.default_rng(seed)
        summed = sum(rng.permutation(d)[:size] for d in draws) + refused_observed
        lo, hi = np.quantile(summed, [(1 - level) / 2, (1 + level) / 2])
        interval = (float(lo), float(hi))
        point = (
            sum(e.estimate for e in done.values()) + refused_observed
            if method == "loglinear"
            else float(np.median(summed))
        )
    return Stratified(
        point, interval, level, method, done, refused, refused_observed, warnings, small
    )
