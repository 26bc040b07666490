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
from dalil.estimate import closed, dga, intervals, lcmcr, loglinear
from dalil.estimate.captures import CaptureTable
from dalil.estimate.diagnostics import describe
from dalil.estimate.diagnostics import ranking as rank_rows
from dalil.estimate.fitting import Engine
from dalil.estimate.models import term_name
from dalil.model.words import N_, Phrase, to_json

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
        "The selected model describes the list dependence; the interval re-makes the "
        "selection on every bootstrap replicate (diagnostics.interval_covers says among "
        "which models).",
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
            "warnings_words": [to_json(w) for w in self.warnings],
            "assumptions": ASSUMPTIONS["common"] + ASSUMPTIONS[self.method],
            "inputs": self.inputs,
        }


class NoEstimate(InvalidInput):
    """The data give no estimate with this method (no log-linear model has a maximum-
    likelihood estimate, say): a fact about the table, not a wrong option, so a stratum
    that raises it is refused while the others are estimated."""


#: models of the observed table among which each bootstrap replicate chooses (SCV 2024's
#: ntop): the interval covers the choice among these, not among every model
TOP_MODELS = 100


def _fixed(table: CaptureTable, f: loglinear.Fit) -> list[dict[str, str]]:
    """The model's terms fixed at minus infinity, each with why."""
    return [
        {"term": name, "why": "these lists share no documented person: fixed at minus "
         "infinity, the cells under it removed, still counted in the criterion"}
        for name in (term_name(t, table.lists) for t in f.fixed)
    ]  # fmt: skip


def _loglinear(
    table: CaptureTable,
    how: Selection,
    level: float,
    seed: int,
    replicates: int,
    max_order: int | None,
    top_models: int,
    progress: Progress | None,
) -> Estimate:
    if how != "stepwise" and table.j > 6:
        raise InvalidInput(
            f"exhaustive {how.upper()} search is limited to 6 lists; use --select stepwise",
            path="--select",
        )
    if how == "stepwise" and max_order is not None:
        raise InvalidInput("stepwise selection adds pairs only: leave --max-order out",
                           path="--max-order")  # fmt: skip
    order = loglinear.default_order(table.j) if max_order is None else max_order
    if not 1 <= order < table.j:
        raise InvalidInput(f"the maximum order must be 1 to {table.j - 1}", path="--max-order")
    if table.j >= 6 and order > 2:
        raise InvalidInput(
            f"with {table.j} lists, order {order} means millions of models (3,702,013 at "
            "order 3 for six lists): use --max-order 2 or --select stepwise",
            path="--max-order",
        )

    def tick(stage: str) -> loglinear.Tick | None:
        return None if progress is None else (lambda done, total: progress(stage, done, total))

    rerun: Callable[[CaptureTable], float | None]
    if how == "stepwise":
        ranking: list[loglinear.Fit] = []
        engine = Engine(table, order=2)  # shared: replicates reuse its existence answers
        chosen = loglinear.stepwise(table, engine=engine)[0]

        def reselect(t: CaptureTable) -> float | None:
            f = loglinear.stepwise(t, engine=engine)[0]
            return f.estimate(t.n) if f.ok else None

        rerun = reselect
        covers = "the stepwise selection, re-run on every bootstrap replicate"
    else:
        ranking = loglinear.ranked(table, how, order, tick("models"))
        chosen = ranking[0]
        top = [f.model for f in ranking if f.ok][:top_models]
        rerun = intervals.among(table, top, how)
        covers = (
            f"the choice by {how.upper()} among the {len(top)} best of the "
            f"{len(ranking)} models (interactions up to order {order}), re-made on every "
            "bootstrap replicate"
        )
    if not chosen.ok:
        raise NoEstimate(f"no model gives an estimate: {chosen.reason}", path="--select")
    point = chosen.estimate(table.n)
    interval, reps, failed = intervals.bootstrap(
        table, rerun, point, replicates, level, seed, tick("bootstrap")
    )
    profile = intervals.profile_interval(table, chosen.model, point, level)
    diagnostics: dict[str, Any] = {
        "selection": how,
        "max_order": order if how != "stepwise" else 2,
        "interval_covers": covers,
        # of the chosen model, as if it had not been chosen (null when it cannot be had)
        "model_conditional_standard_error": (
            round(chosen.se_n, 1) if math.isfinite(chosen.se_n) else None
        ),
        "profile_interval": [round(v, 1) for v in profile] if profile else None,
        "bootstrap_replicates": len(reps),
        "bootstrap_failed": failed,
        "aic": round(chosen.aic, 2),
        "bic": round(chosen.bic, 2),
        "fixed_terms": _fixed(table, chosen),
    }
    if ranking:
        diagnostics["models_searched"] = len(ranking)
        diagnostics["models_without_estimate"] = sum(1 for f in ranking if not f.ok)
        diagnostics.update(rank_rows(ranking, table))
    diagnostics["heterogeneity_models"] = [
        {"model": f.name, "estimate": round(f.estimate, 1), "bic": round(f.bic, 2)}
        for f in closed.closed_population_models(table)[:4]
        if f.ok
    ]
    warnings: list[str] = []
    if failed:
        warnings.append(
            Phrase(
                N_("{failed} of {replicates} bootstrap replicates had no estimable model"),
                failed=failed,
                replicates=replicates,
            )
        )
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
    warnings: list[str] = []
    if post.mass_at_top() > 0.001:
        warnings.append(
            Phrase(
                N_(
                    "posterior mass {mass} in the top 1% of the grid (N up to {top}): widen "
                    "the grid; the upper limit is not trustworthy"
                ),
                mass=f"{post.mass_at_top():.3f}",
                top=int(post.n_values[-1]),
            )
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
    warnings: list[str] = []
    if not math.isfinite(r_hat) or r_hat > 1.1:
        warnings.append(
            Phrase(N_("chains disagree (R-hat {r_hat} > 1.1): run longer"), r_hat=f"{r_hat:.2f}")
        )
    if ess < 100:
        warnings.append(
            Phrase(
                N_("effective sample size {ess} < 100: run longer or thin more"), ess=f"{ess:.0f}"
            )
        )
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
    replicates: int = 1000,
    max_order: int | None = None,
    top_models: int = TOP_MODELS,
    delta: float | None = None,
    grid_factor: int = 10,
    prior: str = "1/N",
    lcmcr_options: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Estimate:
    """Estimate the total N from ``table`` by ``method`` (see the module docstring)."""
    if table.nonempty_lists() < 2:
        raise InvalidInput("at least two non-empty lists are needed", path="lists")
    if method != "loglinear" and max_order is not None:
        raise InvalidInput("--max-order is for --method loglinear", path="--max-order")
    if method == "loglinear":
        result = _loglinear(table, select, level, seed, replicates, max_order, top_models, progress)
    elif method == "dga":
        result = _dga(table, level, delta, grid_factor, prior)
    elif method == "lcmcr":
        result = _lcmcr(table, level, seed, **(lcmcr_options or {}))
    else:
        raise InvalidInput(f"unknown method {method!r}", path="--method")
    found, warnings = describe(table, level)
    result.diagnostics.update(found)
    result.warnings.extend(warnings)
    return result
