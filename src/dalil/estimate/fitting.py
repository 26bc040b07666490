"""Fitting log-linear models to a capture table the way SCV 2024 do, fast enough for
every model of five or six lists and for refitting the best of them on each bootstrap
replicate.

The rule (Chan, Silverman & Vincent 2021, §2.5; Silverman, Chan & Vincent 2024,
``fit_hier_model``):

* a term whose lists share no observed person has its extended MLE at minus infinity; it
  stays in the model, fixed there, with every higher term containing it (their overlaps
  are empty too), and the cells under it are removed (their fitted value is 0);
* the other parameters are fitted by Poisson maximum likelihood on the kept cells; the
  unobserved cell's expected count is exp(intercept);
* a model whose kept design is rank deficient is not identifiable, and one whose MLE does
  not exist (:mod:`dalil.estimate.existence`) has no estimate: both are reported with the
  reason and never turned into a number;
* every parameter of the model counts in the penalty, those fixed at minus infinity
  included: AIC = 2 p - 2 loglik, BIC = p log(n) - 2 loglik, with p = 1 + J + the
  model's interaction terms and n the observed persons (Rcapture's convention).

An :class:`Engine` holds, for one table's list count, the design of every term over
every cell once; a model's design is then a selection of rows and columns, its fit a
compiled Newton loop (:mod:`dalil.estimate.irls`), and identifiability is computed once
per model and set of kept cells.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from dalil.estimate.captures import CaptureTable, all_patterns
from dalil.estimate.existence import Checker, mask
from dalil.estimate.irls import newton
from dalil.estimate.models import Fit, FloatArray, Model, Term, default_order, ordered

NO_MLE = "no maximum-likelihood estimate exists (the data lie on the boundary)"
NOT_IDENTIFIABLE = "not identifiable (the design matrix is rank deficient)"
NO_CONVERGENCE = "the fit did not converge"


def code(term: Term) -> int:
    """A term as a bit mask over lists (list i is bit i), as cells are numbered."""
    return sum(1 << i for i in term)


@lru_cache(maxsize=8)
def _layout(j: int, order: int) -> tuple[FloatArray, NDArray[np.bool_], dict[int, int]]:
    """The design of every term up to ``order`` over every cell, which cells each term
    covers, and each term's column (by its :func:`code`).

    Cells are the rows of :func:`captures.all_patterns` (cell r is the bit mask r + 1);
    column 0 is the intercept (code 0), then the terms by order. Terms above ``order``
    are left out: for many lists the full layout would be 2^J x 2^J.
    """
    cells = np.arange(1, 2**j, dtype=np.int64)
    codes = [0] + [code(frozenset(t)) for k in range(1, order + 1)
                   for t in itertools.combinations(range(j), k)]  # fmt: skip
    terms = np.array(codes, dtype=np.int64)
    covers = (cells[:, None] & terms[None, :]) == terms[None, :]
    return covers.astype(np.float64), covers, {c: i for i, c in enumerate(codes)}


class Engine:
    """Fits models of tables over the same lists (a table and its resamples), with
    interactions up to ``order`` (default :func:`~dalil.estimate.models.default_order`)."""

    def __init__(
        self, table: CaptureTable, checker: Checker | None = None, order: int | None = None
    ) -> None:
        if not np.array_equal(table.patterns, all_patterns(table.j)):
            raise ValueError("the capture table's cells are not in all_patterns order")
        self.table = table
        self.j = table.j
        self.order = order or default_order(table.j)
        self.master, self.covers, self.column = _layout(table.j, self.order)
        self.checker = checker or Checker()
        self.pairs = np.array([self.column[(1 << a) | (1 << b)] for a in range(self.j)
                               for b in range(a + 1, self.j)] if self.order >= 2 else [],
                              dtype=np.int64)  # fmt: skip
        self._identifiable: dict[tuple[Model, int], bool] = {}
        self._columns: dict[Model, tuple[NDArray[np.int64], tuple[Term, ...]]] = {}

    def _model_columns(self, model: Model) -> tuple[NDArray[np.int64], tuple[Term, ...]]:
        """The model's columns in the master design (intercept, mains, interactions in
        :func:`ordered` order) and its interaction terms in that order."""
        got = self._columns.get(model)
        if got is None:
            terms = tuple(ordered(model.terms))
            if terms and len(terms[-1]) > self.order:
                raise ValueError(f"order {len(terms[-1])} term, order-{self.order} engine")
            codes = [0, *(1 << i for i in range(self.j)), *(code(t) for t in terms)]
            cols = [self.column[c] for c in codes]
            got = (np.array(cols, dtype=np.int64), terms)
            self._columns[model] = got
        return got

    def _exists(
        self,
        keep: NDArray[np.bool_],
        cells: int,
        cols: NDArray[np.int64],
        x: FloatArray,
        y: FloatArray,
        y_all: FloatArray,
        mu: FloatArray,
        converged: bool,
    ) -> bool:
        """Existence for the model's kept design ``x``: the shortcuts of
        :mod:`~dalil.estimate.existence` first, then the model's ceiling (it with every
        pair whose lists overlap added: same kept cells, more columns), whose existence
        implies the model's and serves every model below it, then the model itself."""
        if self.checker.clear(y, mu, converged):
            return True
        zeros = mask(keep & (y_all == 0))
        columns = sum(1 << int(c) for c in cols)
        known = self.checker.known(cells, columns, zeros)
        if known is not None:
            return known
        pairs = self.pairs[y_all @ self.covers[:, self.pairs] > 0]
        ceiling = np.union1d(cols, pairs)
        if len(ceiling) > len(cols):
            top = sum(1 << int(c) for c in ceiling)
            found = self.checker.known(cells, top, zeros)
            if found is None:
                found = self.checker.solve(cells, top, zeros, self.master[keep][:, ceiling], y)
            if found:
                return True
        return self.checker.solve(cells, columns, zeros, x, y)

    def fit(self, model: Model, counts: NDArray[np.int64] | None = None) -> Fit:
        """Fit ``model`` to the table, or to ``counts`` over the same cells."""
        y_all = (self.table.counts if counts is None else counts).astype(np.float64)
        n = float(y_all.sum())
        cols, terms = self._model_columns(model)
        margins = y_all @ self.covers[:, cols]
        free = margins > 0
        fixed = tuple(t for t, f in zip(terms, free[1 + self.j :], strict=True) if not f)
        keep: NDArray[np.bool_] = np.asarray(~self.covers[:, cols[~free]].any(axis=1))
        kept_cols = cols[free]
        x = self.master[keep][:, kept_cols]
        y = y_all[keep]
        cells = mask(keep)
        key = (model, cells)
        identifiable = self._identifiable.get(key)
        if identifiable is None:
            identifiable = bool(np.linalg.matrix_rank(x) == x.shape[1])
            self._identifiable[key] = identifiable
        rank = x.shape[1]
        if not identifiable:
            return Fit(model, False, NOT_IDENTIFIABLE, rank=rank, fixed=fixed, cells=keep)
        beta, mu, converged, loglik, var0 = newton(x, y)
        if not self._exists(keep, cells, kept_cols, x, y, y_all, mu, converged):
            return Fit(model, False, NO_MLE, rank=rank, fixed=fixed, cells=keep)
        if not converged or not np.isfinite(beta).all():
            return Fit(model, False, NO_CONVERGENCE, rank=rank, fixed=fixed, cells=keep)
        p = model.parameters(self.j)
        n0 = math.exp(beta[0])
        se = math.sqrt(n0 + n0 * n0 * var0) if math.isfinite(var0) else math.nan
        return Fit(model, True, "", n0, se, loglik, rank, 2 * p - 2 * loglik,
                   p * math.log(n) - 2 * loglik, fixed, mu, keep)  # fmt: skip
