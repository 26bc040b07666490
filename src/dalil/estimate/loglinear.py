"""Poisson log-linear models for Multiple Systems Estimation.

The observed 2^J - 1 cells of the capture table are fitted by a Poisson GLM (log link) with
an intercept, one main effect per list and interaction terms; the unobserved all-zero cell
has every covariate 0, so its expected count is exp(intercept) and N = n + exp(b0)
(Rcapture, SparseMSE; ../design/estimation.md §2.1). The identifying assumption is that
the highest-order (J-way) interaction is zero; models are hierarchical.

Every model is checked before it is believed (§2.2):

* an interaction over lists that share nobody (empty overlap) has its extended MLE at
  minus infinity: the term is dropped and every cell containing it removed, as SparseMSE
  does (and AIC/BIC charged 2 per such term, as SparseMSE does for AIC);
* existence of the MLE by the linear program of Fienberg & Rinaldo (2012): maximise s with
  A'z = A'y, z >= s; the MLE exists iff s > 0;
* identifiability: the design matrix has full column rank.

A model that fails is reported with the reason, never turned into a number.
Criteria follow Rcapture: AIC = -2 loglik + 2 rank; BIC = AIC + (log n - 2) rank with n
the observed persons.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special, stats

from dalil.estimate.captures import CaptureTable

Term = frozenset[int]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    """A hierarchical log-linear model: main effects plus these interaction terms."""

    terms: frozenset[Term] = frozenset()

    def label(self, lists: tuple[str, ...]) -> str:
        if not self.terms:
            return "main effects"
        parts = sorted((sorted(t) for t in self.terms), key=lambda t: (len(t), t))
        return " + ".join(":".join(lists[i] for i in t) for t in parts)

    def with_term(self, term: Term) -> Model:
        return Model(self.terms | {term})


@dataclass
class Fit:
    """The fit of one model: an estimate, or the reason there is none."""

    model: Model
    ok: bool
    reason: str = ""
    n0: float = math.nan
    se_n: float = math.nan
    loglik: float = math.nan
    rank: int = 0
    aic: float = math.inf
    bic: float = math.inf
    dropped: tuple[Term, ...] = ()
    mu: FloatArray = field(default_factory=lambda: np.zeros(0))
    cells: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def estimate(self, n: int) -> float:
        return n + self.n0


def design(patterns: NDArray[np.int64], terms: Iterable[Term]) -> FloatArray:
    """Intercept, main effects, then one product column per term (in the given order)."""
    cols = [
        np.ones(len(patterns)),
        *(patterns[:, j].astype(float) for j in range(patterns.shape[1])),
    ]
    cols += [patterns[:, sorted(t)].prod(axis=1).astype(float) for t in terms]
    return np.column_stack(cols)


def poisson_fit(
    x: FloatArray, y: FloatArray, max_iter: int = 100
) -> tuple[FloatArray, FloatArray, bool]:
    """Poisson GLM by Newton-Raphson on the log link; returns (beta, mu, converged)."""
    mu = y + 0.5
    eta = np.log(mu)
    beta: FloatArray = np.zeros(x.shape[1])
    dev_old = math.inf
    for _ in range(max_iter):
        z = eta + (y - mu) / mu
        xw = x * mu[:, None]
        try:
            beta = np.asarray(np.linalg.solve(x.T @ xw, xw.T @ z), dtype=np.float64)
        except np.linalg.LinAlgError:
            return beta, mu, False
        eta = np.clip(x @ beta, -700, 700)
        mu = np.exp(eta)
        dev = 2 * float(np.sum(special.xlogy(y, y / mu) - (y - mu)))
        if abs(dev - dev_old) < 1e-10 * (abs(dev) + 0.1):
            return beta, mu, True
        dev_old = dev
    return beta, mu, False


def mle_exists(x: FloatArray, y: FloatArray) -> bool:
    """Fienberg-Rinaldo: the MLE exists iff some z with A'z = A'y has every z_c > 0."""
    if np.all(y > 0):
        return True
    m, p = x.shape
    # variables: z (m), s; maximise s  <=>  minimise -s
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_eq = np.hstack([x.T, np.zeros((p, 1))])
    b_eq = x.T @ y
    a_ub = np.hstack([-np.eye(m), np.ones((m, 1))])  # s - z_c <= 0
    bounds = [(None, None)] * m + [(None, 1.0)]
    res = optimize.linprog(
        c, A_ub=a_ub, b_ub=np.zeros(m), A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
    )
    return bool(res.status == 0 and res.fun is not None and -res.fun > 1e-9)


def fit(table: CaptureTable, model: Model) -> Fit:
    """Fit one model with SparseMSE's treatment of empty overlaps and both checks."""
    terms = set(model.terms)
    keep = np.ones(len(table.patterns), dtype=bool)
    dropped: list[Term] = []
    for term in sorted(terms, key=lambda t: (len(t), sorted(t))):
        if term in terms and table.overlap(term) == 0:
            dropped.append(term)
            keep &= ~table.patterns[:, sorted(term)].all(axis=1)
            terms -= {t for t in terms if term <= t}
    ordered = sorted(terms, key=lambda t: (len(t), sorted(t)))
    x = design(table.patterns[keep], ordered)
    got = _fit_matrix(x, table.counts[keep].astype(float))
    if got.reason:
        return Fit(model, False, got.reason, rank=got.rank, dropped=tuple(dropped), cells=keep)
    aic = -2 * got.loglik + 2 * got.rank + 2 * len(dropped)
    bic = aic + (math.log(table.n) - 2) * got.rank
    return Fit(model, True, "", got.n0, got.se, got.loglik, got.rank, aic, bic, tuple(dropped),
               got.mu, keep)  # fmt: skip


@dataclass(frozen=True)
class _MatrixFit:
    """A Poisson GLM on one design matrix: the unobserved count or why there is none."""

    reason: str
    rank: int
    n0: float = math.nan
    se: float = math.nan
    loglik: float = math.nan
    mu: FloatArray = field(default_factory=lambda: np.zeros(0))


def _fit_matrix(x: FloatArray, y: FloatArray) -> _MatrixFit:
    """Both checks, then the fit: n0 = exp(intercept), Rcapture's se, the log-likelihood."""
    rank = int(np.linalg.matrix_rank(x))
    if rank < x.shape[1]:
        return _MatrixFit("not identifiable (the design matrix is rank deficient)", rank)
    if not mle_exists(x, y):
        return _MatrixFit("no maximum-likelihood estimate exists (the data lie on the boundary)",
                          rank)  # fmt: skip
    beta, mu, converged = poisson_fit(x, y)
    if not converged or not np.isfinite(beta).all():
        return _MatrixFit("the fit did not converge", rank)
    var_b0 = float(np.linalg.inv(x.T @ (x * mu[:, None]))[0, 0])
    n0 = math.exp(beta[0])
    loglik = float(np.sum(special.xlogy(y, mu) - mu - special.gammaln(y + 1)))
    return _MatrixFit("", rank, n0, math.sqrt(n0 + n0 * n0 * var_b0), loglik, mu)


# -- enumeration and selection -----------------------------------------------------------------


def hierarchical_models(j: int, max_order: int | None = None) -> Iterator[Model]:
    """Every hierarchical model with interactions up to ``max_order`` (default J - 1).

    Built level by level: a term of order k may enter only if all its sub-terms of order
    k - 1 are in. For J = 4 and order 3 this yields Rcapture's and SparseMSE's 113 models.
    """
    top = j - 1 if max_order is None else max_order

    def extend(chosen: frozenset[Term], order: int) -> Iterator[frozenset[Term]]:
        if order > top:
            yield chosen
            return
        allowed = [
            frozenset(c)
            for c in itertools.combinations(range(j), order)
            if all(frozenset(s) in chosen for s in itertools.combinations(c, order - 1))
            or order == 2
        ]
        for r in range(len(allowed) + 1):
            for pick in itertools.combinations(allowed, r):
                yield from extend(chosen | frozenset(pick), order + 1)

    for terms in extend(frozenset(), 2):
        yield Model(terms)


def ranked(table: CaptureTable, criterion: str = "bic", max_order: int | None = None) -> list[Fit]:
    """All hierarchical models fitted, best first by ``criterion`` (failed fits last)."""
    fits = [fit(table, m) for m in hierarchical_models(table.j, max_order)]

    def key(f: Fit) -> tuple[bool, float, int]:
        return (not f.ok, f.bic if criterion == "bic" else f.aic, len(f.model.terms))

    return sorted(fits, key=key)


def stepwise(table: CaptureTable, p_threshold: float = 0.02) -> tuple[Fit, list[str]]:
    """SparseMSE's forward stepwise over pairwise terms (Chan, Silverman & Vincent 2021).

    From main effects, for each pair not in the model, the fitted Poisson intensity of its
    overlap under the current model against the observed overlap gives a two-sided p-value
    min(P(X <= N*), P(X >= N*)); candidates whose extended model fails the existence or
    identifiability check are skipped; the smallest p-value below the threshold enters.
    """
    model = Model()
    current = fit(table, model)
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
            p = min(stats.poisson.cdf(observed, expected), stats.poisson.sf(observed - 1, expected))
            scored.append((float(p), sorted(pair), pair))
        # Check candidates in order of p-value and take the first that passes: the same
        # choice as checking all of them, with far fewer existence programs to solve.
        chosen: tuple[float, Term, Fit] | None = None
        for p, _order, pair in sorted(scored, key=lambda s: (s[0], s[1])):
            if p >= p_threshold:
                break
            candidate = fit(table, model.with_term(pair))
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


# -- Rcapture's closed-population models -------------------------------------------------------


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
    got = _fit_matrix(x, table.counts.astype(float))
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
