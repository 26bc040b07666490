"""Poisson log-linear models for Multiple Systems Estimation: one model's fit, and the
choice of a model by BIC, AIC or SparseMSE's stepwise search.

The observed 2^J - 1 cells of the capture table are fitted by a Poisson GLM (log link) with
an intercept, one main effect per list and interaction terms; the unobserved all-zero cell
has every covariate 0, so its expected count is exp(intercept) and N = n + exp(b0)
(Rcapture, SparseMSE; ../design/estimation.md §2.1). The identifying assumption is that
the highest-order (J-way) interaction is zero; models are hierarchical
(:mod:`dalil.estimate.models`).

Every model is fitted and checked as Silverman, Chan & Vincent (2024) do
(:mod:`dalil.estimate.fitting`): terms over lists that share nobody are fixed at minus
infinity and still counted in the criteria; a model that is not identifiable, or whose
MLE does not exist (:mod:`dalil.estimate.existence`), is reported with the reason, never
turned into a number.

:func:`ranked` fits every hierarchical model up to an order (6,893 for five lists):
in well under a second per thousand models, because fits are compiled and linear
programs run only where existence is in doubt.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from scipy import special

from dalil.estimate.captures import CaptureTable
from dalil.estimate.existence import Checker
from dalil.estimate.fitting import Engine
from dalil.estimate.irls import newton
from dalil.estimate.models import (
    Fit,
    FloatArray,
    Model,
    Term,
    default_order,
    design,
    hierarchical_models,
)

__all__ = [
    "Fit",
    "Model",
    "Term",
    "default_order",
    "design",
    "fit",
    "hierarchical_models",
    "poisson_fit",
    "ranked",
    "stepwise",
]

#: called as progress(done, total) while a search fits its models
Tick = Callable[[int, int], None]


def poisson_fit(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray, bool]:
    """Poisson GLM by Newton-Raphson on the log link; returns (beta, mu, converged)."""
    beta, mu, converged, _loglik, _var0 = newton(x.astype(np.float64), y.astype(np.float64))
    return beta, mu, converged


def fit(table: CaptureTable, model: Model) -> Fit:
    """Fit one model with SCV's treatment of empty overlaps and both checks."""
    return Engine(table, order=max((len(t) for t in model.terms), default=1)).fit(model)


def _key(criterion: str) -> Callable[[Fit], tuple[bool, float, int]]:
    def key(f: Fit) -> tuple[bool, float, int]:
        return (not f.ok, f.criterion(criterion), len(f.model.terms))

    return key


def ranked(
    table: CaptureTable,
    criterion: str = "bic",
    max_order: int | None = None,
    progress: Tick | None = None,
    engine: Engine | None = None,
) -> list[Fit]:
    """All hierarchical models up to ``max_order`` (default :func:`default_order`)
    fitted, best first by ``criterion`` (models with no estimate last, with the reason)."""
    order = default_order(table.j) if max_order is None else max_order
    models = hierarchical_models(table.j, order)
    engine = engine or Engine(table, Checker(), max(order, 1))
    fits = []
    step = max(1, len(models) // 100)
    for i, model in enumerate(models):
        fits.append(engine.fit(model))
        if progress and (i + 1) % step == 0:
            progress(i + 1, len(models))
    if progress:
        progress(len(models), len(models))
    return sorted(fits, key=_key(criterion))


def stepwise(
    table: CaptureTable, p_threshold: float = 0.02, engine: Engine | None = None
) -> tuple[Fit, list[str]]:
    """SparseMSE's forward stepwise over pairwise terms (Chan, Silverman & Vincent 2021).

    From main effects, for each pair not in the model, the fitted Poisson intensity of its
    overlap under the current model against the observed overlap gives a two-sided p-value
    min(P(X <= N*), P(X >= N*)); candidates whose extended model fails the existence or
    identifiability check are skipped; the smallest p-value below the threshold enters.
    """
    model = Model()
    engine = engine or Engine(table, order=2)
    current = engine.fit(model, table.counts)
    log = [
        f"start: main effects, N = {current.estimate(table.n):.1f}"
        if current.ok
        else f"start: main effects, {current.reason}"
    ]
    if not current.ok:
        return current, log
    while True:
        scored = []
        for pair in (frozenset(p) for p in itertools.combinations(range(table.j), 2)):
            if pair in model.terms:
                continue
            inside = table.patterns[current.cells][:, sorted(pair)].all(axis=1)
            expected = float(current.mu[inside].sum())
            observed = table.overlap(pair)
            # Poisson P(X <= observed) and P(X >= observed)
            upper = 1.0 if observed == 0 else special.pdtrc(observed - 1, expected)
            tail = min(special.pdtr(observed, expected), upper)
            scored.append((float(tail), sorted(pair), pair))
        # Check candidates in order of p-value and take the first that passes: the same
        # choice as checking all of them, with far fewer existence programs to solve.
        chosen: tuple[float, Term, Fit] | None = None
        for p, _order, pair in sorted(scored, key=lambda s: (s[0], s[1])):
            if p >= p_threshold:
                break
            candidate = engine.fit(model.with_term(pair), table.counts)
            if candidate.ok:
                chosen = (p, pair, candidate)
                break
        if chosen is None:
            return current, log
        p, pair, candidate = chosen
        model, current = candidate.model, candidate
        log.append(
            f"add {':'.join(table.lists[i] for i in sorted(pair))} (p = {p:.2g}), "
            f"N = {current.estimate(table.n):.1f}"
        )
