"""One call from a capture table to a reported estimate, with its assumptions.

:func:`estimate` runs one method and returns an :class:`Estimate` whose ``to_dict`` is the
estimate JSON of DESIGN.md (``method``, ``model``, ``observed``, ``estimate``,
``interval``, ``level``) plus the diagnostics and the assumptions behind the number:
numbers without their assumptions are not reported by dalil.

* ``loglinear``: model chosen by BIC (default), AIC or SparseMSE's stepwise; ``estimate``
  is the MLE; ``interval`` the BCa bootstrap with the selection re-run on every replicate;
  the model-conditional profile-likelihood interval is in the diagnostics.
* ``dga``: Bayesian model averaging over decomposable graphs; ``estimate`` is the
  posterior median; a warning when posterior mass reaches the top of the grid.
* ``lcmcr``: latent-class model; ``estimate`` is the posterior median over all chains;
  R-hat and effective sample size in the diagnostics, with a warning when R-hat > 1.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from dalil.errors import InvalidInput
from dalil.estimate import dga, intervals, lcmcr, loglinear
from dalil.estimate.captures import CaptureTable

Method = Literal["loglinear", "dga", "lcmcr"]
Selection = Literal["bic", "aic", "stepwise"]
#: Called as ``progress(stage, done, total)`` during long work (stages: "models" while a
#: model search fits its models, "bootstrap" while replicates are re-estimated, "draws"
#: while linkage draws are estimated); a front end draws it as a progress bar.
Progress = Callable[[str, int, int], None]

ASSUMPTIONS = {
    "common": [
        "Closed population: every list documents the same population over the same period "
        "and place; no one enters or leaves the population between lists.",
        "The lists were linked correctly: false matches and missed matches both bias the estimate.",
        "Every person in the population had some chance of being on a list.",
    ],
    "loglinear": [
        "No highest-order interaction: the J-way interaction between lists is zero (the "
        "identifying assumption of every log-linear estimate).",
        "The selected model describes the list dependence; the interval re-runs the "
        "selection on every bootstrap replicate.",
    ],
    "dga": [
        "List dependence is described by a decomposable graphical model; the estimate "
        "averages over all of them with a hyper-Dirichlet prior.",
        "The prior on N stated in the diagnostics (1/N by default), on a finite grid.",
    ],
    "lcmcr": [
        "Heterogeneity of capture is described by latent classes; within a class the lists "
        "capture independently (local independence).",
        "Prior on N proportional to 1/N.",
    ],
}


@dataclass
class Estimate:
    method: Method
    model: str
    observed: int
    estimate: float
    interval: tuple[float, float]
    level: float
    lists: tuple[str, ...]
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    draws: NDArray[np.float64] | None = field(default=None, repr=False)
    traces: NDArray[np.int64] | None = field(default=None, repr=False)  # chains x draws
    inputs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "model": self.model,
            "observed": self.observed,
            "estimate": round(self.estimate, 1),
            "interval": [round(self.interval[0], 1), round(self.interval[1], 1)],
            "level": self.level,
            "lists": list(self.lists),
            "diagnostics": self.diagnostics,
            "warnings": self.warnings,
            "assumptions": ASSUMPTIONS["common"] + ASSUMPTIONS[self.method],
            "inputs": self.inputs,
        }


def _select(table: CaptureTable, how: Selection) -> loglinear.Fit:
    if how == "stepwise":
        return loglinear.stepwise(table)[0]
    return loglinear.ranked(table, how)[0]


def _loglinear(
    table: CaptureTable, how: Selection, level: float, seed: int, replicates: int
) -> Estimate:
    if how == "bic" and table.j > 6:
        raise InvalidInput(
            "exhaustive BIC search is limited to 6 lists; use --select stepwise", path="--select"
        )
    ranking = [] if how == "stepwise" else loglinear.ranked(table, how)
    chosen = ranking[0] if ranking else _select(table, how)
    if not chosen.ok:
        raise InvalidInput(f"no model gives an estimate: {chosen.reason}", path="--select")
    point = chosen.estimate(table.n)

    def rerun(t: CaptureTable) -> float | None:
        f = _select(t, how)
        return f.estimate(t.n) if f.ok else None

    interval, reps, failed = intervals.bootstrap(table, rerun, point, replicates, level, seed)
    profile = intervals.profile_interval(table, chosen.model, point, level)
    diagnostics: dict[str, Any] = {
        "selection": how,
        "standard_error": round(chosen.se_n, 1),
        "profile_interval": [round(v, 1) for v in profile] if profile else None,
        "bootstrap_replicates": len(reps),
        "bootstrap_failed": failed,
        "aic": round(chosen.aic, 2),
        "bic": round(chosen.bic, 2),
        "dropped_terms": [":".join(table.lists[i] for i in sorted(t)) for t in chosen.dropped],
    }
    if ranking:
        diagnostics["ranking"] = [
            {
                "model": f.model.label(table.lists),
                how: round(f.bic if how == "bic" else f.aic, 2),
                "estimate": round(f.estimate(table.n), 1),
            }
            for f in ranking[:5]
            if f.ok
        ]
    diagnostics["heterogeneity_models"] = [
        {"model": f.name, "estimate": round(f.estimate, 1), "bic": round(f.bic, 2)}
        for f in loglinear.closed_population_models(table)[:4]
        if f.ok
    ]
    warnings = []
    if failed:
        warnings.append(f"{failed} of {replicates} bootstrap replicates had no estimable model")
    return Estimate(
        "loglinear",
        chosen.model.label(table.lists),
        table.n,
        point,
        interval,
        level,
        table.lists,
        diagnostics,
        warnings,
        reps,
    )


def _dga(
    table: CaptureTable, level: float, delta: float | None, grid_factor: int, prior: str
) -> Estimate:
    if prior not in dga.PRIORS:
        raise InvalidInput(f"prior must be one of {', '.join(dga.PRIORS)}", path="--prior")
    grid = np.arange(0, grid_factor * table.n + 1)
    post = dga.bma(table, grid, delta, dga.PRIORS[prior])
    lo, hi = (1 - level) / 2, (1 + level) / 2
    top = np.argsort(post.model_probabilities)[::-1][:5]
    warnings = []
    if post.mass_at_top() > 0.001:
        warnings.append(
            f"posterior mass {post.mass_at_top():.3f} in the top 1% of the grid (N up to "
            f"{int(post.n_values[-1])}): widen the grid; the upper limit is not trustworthy"
        )
    best = int(top[0])
    rng = np.random.default_rng(0)
    draws = rng.choice(post.n_values, size=4000, p=post.n_probabilities).astype(float)
    top_graph = post.graphs[best].label(table.lists)
    return Estimate(
        "dga",
        f"BMA over {len(post.graphs)} decomposable graphs (top: {top_graph})",
        table.n,
        float(post.quantile(0.5)),
        (float(post.quantile(lo)), float(post.quantile(hi))),
        level,
        table.lists,
        {
            "delta": delta if delta is not None else 2.0**-table.j,
            "grid_max": int(post.n_values[-1]),
            "prior": prior,
            "top_models": [
                {
                    "graph": post.graphs[i].label(table.lists),
                    "probability": round(float(post.model_probabilities[i]), 4),
                }
                for i in top
            ],
            "bayes_relative_loss": round(post.bayes_relative_loss(), 1),
        },
        warnings,
        draws,
    )


def _lcmcr(table: CaptureTable, level: float, seed: int, **kw: Any) -> Estimate:
    chains = lcmcr.sample(table, seed=seed, **kw)
    pooled = chains.pooled().astype(float)
    lo, hi = np.quantile(pooled, [(1 - level) / 2, (1 + level) / 2])
    r_hat, ess = chains.r_hat(), chains.ess()
    warnings = []
    if not math.isfinite(r_hat) or r_hat > 1.1:
        warnings.append(f"chains disagree (R-hat {r_hat:.2f} > 1.1): run longer")
    if ess < 100:
        warnings.append(f"effective sample size {ess:.0f} < 100: run longer or thin more")
    return Estimate(
        "lcmcr",
        f"latent classes, K = {chains.settings['K']}",
        table.n,
        float(np.median(pooled)),
        (float(lo), float(hi)),
        level,
        table.lists,
        {
            **chains.settings,
            "r_hat": round(r_hat, 3),
            "ess": round(ess, 1),
            "k_star_mean": round(float(chains.k_star.mean()), 2),
        },
        warnings,
        pooled,
        chains.n,
    )


def estimate(
    table: CaptureTable,
    method: Method = "lcmcr",
    *,
    select: Selection = "bic",
    level: float = 0.95,
    seed: int = 1,
    replicates: int = 500,
    delta: float | None = None,
    grid_factor: int = 10,
    prior: str = "1/N",
    lcmcr_options: dict[str, Any] | None = None,
) -> Estimate:
    """Estimate the total N from ``table`` by ``method`` (see the module docstring)."""
    if table.nonempty_lists() < 2:
        raise InvalidInput("at least two non-empty lists are needed", path="lists")
    if method == "loglinear":
        return _loglinear(table, select, level, seed, replicates)
    if method == "dga":
        return _dga(table, level, delta, grid_factor, prior)
    if method == "lcmcr":
        return _lcmcr(table, level, seed, **(lcmcr_options or {}))
    raise InvalidInput(f"unknown method {method!r}", path="--method")
