"""Rcapture's closed-population models for J lists: M0, Mt, Mh and Mth.

A check beside the hierarchical log-linear models: models of heterogeneous capture
probabilities (Rcapture ``closedp.t``; Baillargeon & Rivest 2007), fitted as Poisson
GLMs over the observed cells like the log-linear models, with the same criteria.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dalil.estimate.captures import CaptureTable
from dalil.estimate.existence import lp_exists
from dalil.estimate.fitting import NO_CONVERGENCE, NO_MLE, NOT_IDENTIFIABLE
from dalil.estimate.irls import newton
from dalil.estimate.loglinear import poisson_fit
from dalil.estimate.models import FloatArray


@dataclass(frozen=True)
class MatrixFit:
    """A Poisson GLM on one design matrix: the unobserved count or why there is none."""

    reason: str
    rank: int
    n0: float = math.nan
    se: float = math.nan
    loglik: float = math.nan


def fit_matrix(x: FloatArray, y: FloatArray) -> MatrixFit:
    """Both checks, then the fit: n0 = exp(intercept), Rcapture's se, the log-likelihood
    (these designs are not hierarchical models, so not :class:`~dalil.estimate.fitting.
    Engine`'s)."""
    rank = int(np.linalg.matrix_rank(x))
    if rank < x.shape[1]:
        return MatrixFit(NOT_IDENTIFIABLE, rank)
    if not lp_exists(x, y):
        return MatrixFit(NO_MLE, rank)
    beta, _mu, converged, loglik, var0 = newton(x.astype(np.float64), y.astype(np.float64))
    if not converged or not np.isfinite(beta).all():
        return MatrixFit(NO_CONVERGENCE, rank)
    n0 = math.exp(beta[0])
    return MatrixFit("", rank, n0, math.sqrt(n0 + n0 * n0 * var0), loglik)


@dataclass(frozen=True)
class ClosedFit:
    """One of Rcapture's ``closedp.t`` models: M0, Mt, Mh and Mth with a heterogeneity
    form (Poisson2, Darroch, Gamma3.5, Chao's lower bound)."""

    name: str
    ok: bool
    estimate: float
    se: float
    aic: float
    bic: float
    reason: str = ""


def _heterogeneity(form: str, k: FloatArray) -> FloatArray:
    """Rcapture's h(k) for a person on k lists."""
    if form == "Poisson2":
        return np.asarray(2.0**k - 1, dtype=np.float64)
    if form == "Darroch":
        return np.asarray(k**2 / 2, dtype=np.float64)
    return np.asarray(-np.log(3.5 + k) + math.log(3.5), dtype=np.float64)  # Gamma3.5


def _fit_design(table: CaptureTable, name: str, x: FloatArray) -> ClosedFit:
    got = fit_matrix(x, table.counts.astype(float))
    if got.reason:
        return ClosedFit(name, False, math.nan, math.nan, math.inf, math.inf, got.reason)
    aic = -2 * got.loglik + 2 * got.rank
    return ClosedFit(name, True, table.n + got.n0, got.se, aic,
                     aic + (math.log(table.n) - 2) * got.rank)  # fmt: skip


def closed_population_models(table: CaptureTable) -> list[ClosedFit]:
    """M0, Mt, Mh and Mth (Poisson2, Darroch, Gamma3.5, Chao), best BIC first.

    Designs after Rcapture ``Xclosedp``: M0 has one column, the number of lists a person is
    on (k); Mt has one indicator per list; Mh and Mth add a heterogeneity column h(k).
    Chao's lower bound adds max(k - j + 1, 0) for j = 3..J and drops columns whose
    coefficient is negative, one at a time, refitting each time (``Chao.neg``).
    """
    k = table.patterns.sum(axis=1).astype(float)
    ones = np.ones(len(k))
    mains = table.patterns.astype(float)
    bases = {"M0": np.column_stack([ones, k]), "Mt": np.column_stack([ones, mains])}
    fits = [_fit_design(table, name, x) for name, x in bases.items()]
    for form in ("Poisson2", "Darroch", "Gamma3.5"):
        for base, x in bases.items():
            kind = "Mh" if base == "M0" else "Mth"
            h = _heterogeneity(form, k)
            fits.append(_fit_design(table, f"{kind} {form}", np.column_stack([x, h])))
    for base, x in bases.items():
        kind = "Mh" if base == "M0" else "Mth"
        extra = [np.maximum(k - j + 1, 0) for j in range(3, table.j + 1)]
        while extra:
            design_x = np.column_stack([x, *extra])
            beta, _mu, ok = poisson_fit(design_x, table.counts.astype(float))
            eta = beta[x.shape[1] :]
            if not ok or eta.min() >= 0:
                break
            del extra[int(np.argmin(eta))]
        fits.append(_fit_design(table, f"{kind} Chao (LB)", np.column_stack([x, *extra])))
    return sorted(fits, key=lambda f: (not f.ok, f.bic))
