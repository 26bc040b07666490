"""Linkage doubt carried into the estimate: estimates over plausible linkages, combined.

An estimate from linked lists rests on one linkage, the run's best guess; false and
missed matches change the capture histories and so the estimate (Sadinle 2018; HRDAG
re-estimates over alternative linkages by hand). dalil draws ``m`` plausible linkages
from the latest run's match probabilities (:meth:`dalil.linkage.captures.LinkageDoubt.
draw_persons`: pairs matched with their probabilities given that they form persons,
reviewed decisions fixed, by Gibbs sampling), re-estimates on each with the same method
and options, and combines them.

**The combination rule** (one rule for every method): the equal-weight mixture of the
draws' distributions of N. For LCMCR and dga these are posterior draws, so the mixture is
the posterior of N averaged over the linkage distribution: p(N | lists) = Σ_l p(N | l)
p(l | lists), with the linkage draws standing in for a sample of p(l | lists). They are
not an exact sample of it: the sampler's tilt is re-tuned before each draw so that the
number of matches varies as the probabilities say (a calibrated heuristic, measured in
``benchmarks/linkage_doubt.py``). For log-linear models the distributions are the
bootstrap replicates (with model selection re-run), so the mixture is the sampling
distribution of N̂ averaged over linkages. The combined interval is the mixture's central
``level`` quantiles (a percentile interval); the combined estimate is the mixture's
median, except for log-linear models, whose skewed replicates do not estimate N: there
it is the median of the draws' own estimates. The mixture's spread is the within-linkage
spread plus the between-linkage spread of the estimates, the two parts of Rubin's rules, without
assuming a normal N (or log N); unlike Rubin's rules it has no (1 + 1/m) term for a
finite number of draws, so ``m`` should not be small (20 or more; the benchmark uses 20).
Each draw contributes the same number of values (the smallest draw's count, taken at
random), so no linkage weighs more because its chain was longer.

What an investigator sees first: the combined interval. It is the one that covers both
the sampling doubt and the linkage doubt (``benchmarks/linkage_doubt.py``); the
linkage-blind interval is kept beside it (``linkage_doubt.linkage_blind_interval``) so the
share of the width due to linkage can be read. Reproducible for a given ``seed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dalil.errors import InvalidInput
from dalil.estimate.captures import CaptureTable
from dalil.estimate.estimates import Estimate, Method, Progress, estimate
from dalil.linkage.captures import LinkageDoubt
from dalil.model.words import N_, Phrase

__all__ = ["RULE", "DoubtedEstimate", "LinkageDoubtSummary", "combine", "with_linkage_doubt"]

FloatArray = NDArray[np.float64]

RULE = (
    "equal-weight mixture of the per-linkage distributions of N (posterior draws for "
    "lcmcr and dga, bootstrap replicates for loglinear); estimate: the mixture's median "
    "(for loglinear, the median of the per-linkage estimates); interval: the mixture's "
    "central quantiles"
)
#: at most this many values of one draw's distribution enter the mixture
MIX_PER_DRAW = 2000


@dataclass
class LinkageDoubtSummary:
    """The linkage draws behind a combined estimate (``linkage_doubt`` in the JSON)."""

    draws: int
    rule: str
    estimate: float
    interval: tuple[float, float]
    #: per draw: persons (observed), the point estimate and the interval on that linkage
    observed: list[int]
    estimates: list[float]
    intervals: list[tuple[float, float]]
    linkage_blind_estimate: float
    linkage_blind_interval: tuple[float, float]
    linkage_run: str
    uncertain_pairs: int
    failed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "rule": self.rule,
            "estimate": round(self.estimate, 1),
            "interval": [round(v, 1) for v in self.interval],
            "observed": self.observed,
            "estimates": [round(v, 1) for v in self.estimates],
            "intervals": [[round(v, 1) for v in i] for i in self.intervals],
            "observed_range": [min(self.observed), max(self.observed)],
            "linkage_blind_estimate": round(self.linkage_blind_estimate, 1),
            "linkage_blind_interval": [round(v, 1) for v in self.linkage_blind_interval],
            "linkage_run": self.linkage_run,
            "uncertain_pairs": self.uncertain_pairs,
            "failed": self.failed,
        }


@dataclass
class DoubtedEstimate(Estimate):
    """An estimate whose ``estimate`` and ``interval`` combine the linkage draws (see the
    module docstring); the linkage-blind ones are in :attr:`linkage_doubt`. ``model`` and
    the diagnostics are those of the fit on the run's own linkage."""

    linkage_doubt: LinkageDoubtSummary | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if self.linkage_doubt is not None:
            out["linkage_doubt"] = self.linkage_doubt.to_dict()
            out["assumptions"] = [*out["assumptions"], LINKAGE_ASSUMPTION]
        return out


LINKAGE_ASSUMPTION = N_(
    "Linkage doubt: the linkage model's match probabilities are taken as calibrated (a "
    "pair scored p is one person with probability p), pairs as independent given that "
    "they form persons; the interval mixes the estimates over the drawn linkages."
)


def combine(
    distributions: Sequence[FloatArray], level: float, rng: np.random.Generator
) -> tuple[float, tuple[float, float], FloatArray]:
    """The equal-weight mixture of ``distributions`` (one array of N values per linkage
    draw): its median, its central ``level`` interval and the mixed values.

    Every distribution contributes the same number of values (the smallest size, at most
    :data:`MIX_PER_DRAW`, drawn without replacement)."""
    usable = [np.asarray(d, dtype=float) for d in distributions if len(d)]
    if not usable:
        raise InvalidInput("no linkage draw gave an estimate", path="--linkage-draws")
    size = min(MIX_PER_DRAW, *(len(d) for d in usable))
    mixed = np.concatenate([rng.permutation(d)[:size] for d in usable])
    lo, hi = np.quantile(mixed, [(1 - level) / 2, (1 + level) / 2])
    return float(np.median(mixed)), (float(lo), float(hi)), mixed


def draw_tables(
    doubt: LinkageDoubt, m: int, seed: int, floor: float | None = None
) -> list[CaptureTable]:
    """``m`` capture tables, one per plausible linkage (reproducible for ``seed``; see
    :meth:`~dalil.linkage.captures.LinkageDoubt.draw_persons` for ``floor``)."""
    rng = np.random.default_rng([seed, 20181])  # 20181: this use's own stream
    drawn = doubt.draw(m, rng, floor)
    return [CaptureTable.from_counts(doubt.lists, counts) for counts in drawn]


def with_linkage_doubt(
    blind: Estimate,
    doubt: LinkageDoubt,
    m: int,
    method: Method,
    *,
    progress: Progress | None = None,
    estimator: Callable[..., Estimate] = estimate,
    floor: float | None = None,
    **options: Any,
) -> DoubtedEstimate:
    """Re-estimate on ``m`` drawn linkages and combine them with ``blind`` (the estimate
    on the run's own linkage) by :data:`RULE`. ``options`` are those ``blind`` was made
    with (``seed``, ``level``, the method's settings); progress is reported as stage
    ``"draws"`` after every draw. A draw on which the method gives no estimate is counted
    in ``failed`` and left out, with a warning."""
    if m < 2:
        raise InvalidInput("at least two linkage draws are needed", path="--linkage-draws")
    seed = int(options.get("seed", 1))
    level = float(options.get("level", blind.level))
    tables = draw_tables(doubt, m, seed, floor)
    per_draw: list[Estimate] = []
    failed = 0
    for i, table in enumerate(tables):
        try:
            per_draw.append(estimator(table, method, **{**options, "seed": seed + 7919 * (i + 1)}))
        except InvalidInput:
            failed += 1
        if progress is not None:
            progress("draws", i + 1, m)
    rng = np.random.default_rng([seed, 4242])
    dists = [e.draws if e.draws is not None else np.array([e.estimate]) for e in per_draw]
    point, interval, mixed = combine(dists, level, rng)
    if method == "loglinear" and per_draw:
        # bootstrap replicates with re-selection are skewed: their median is not an
        # estimate of N; the point is the median of the draws' own estimates (MLEs)
        point = float(np.median([e.estimate for e in per_draw]))
    summary = LinkageDoubtSummary(
        draws=m,
        rule=RULE,
        estimate=point,
        interval=interval,
        observed=[e.observed for e in per_draw],
        estimates=[e.estimate for e in per_draw],
        intervals=[e.interval for e in per_draw],
        linkage_blind_estimate=blind.estimate,
        linkage_blind_interval=blind.interval,
        linkage_run=doubt.run_id,
        uncertain_pairs=doubt.uncertain_pairs(),
        failed=failed,
    )
    warnings = list(blind.warnings)
    if failed:
        warnings.append(
            Phrase(N_("{failed} of {m} linkage draws gave no estimate and were left out"),
                   failed=failed, m=m)
        )  # fmt: skip
    if doubt.decided_since_run:
        warnings.append(
            Phrase(
                N_(
                    "{n} review decision(s) were made after the linkage run: the linkage "
                    "draws honour them, the linkage-blind estimate does not yet (run "
                    "linkage again)"
                ),
                n=doubt.decided_since_run,
            )
        )
    values = {f.name: getattr(blind, f.name) for f in fields(blind) if f.init}
    diagnostics = dict(blind.diagnostics)
    diagnostics["interval_covers"] = (
        f"the linkage doubt ({m} linkages drawn from the match probabilities) and, on each "
        f"linkage, {diagnostics.get('interval_covers') or 'the method’s own uncertainty'}; "
        "a percentile interval of the mixture"
    )
    values.update(estimate=point, interval=interval, warnings=warnings, draws=mixed,
                  diagnostics=diagnostics)  # fmt: skip
    return DoubtedEstimate(**values, linkage_doubt=summary)
