"""Hierarchical log-linear models of a capture table: what a model is, what its fit says.

A model is its set of interaction terms (every model has the intercept and one main
effect per list); it is hierarchical: a term of order k is in only if all its sub-terms
of order k - 1 are. The identifying assumption of every estimate is that the J-way term
is zero, so terms go up to order J - 1 at most.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

Term = frozenset[int]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    """A hierarchical log-linear model: main effects plus these interaction terms."""

    terms: frozenset[Term] = frozenset()

    def label(self, lists: tuple[str, ...]) -> str:
        if not self.terms:
            return "main effects"
        return " + ".join(term_name(t, lists) for t in ordered(self.terms))

    def with_term(self, term: Term) -> Model:
        return Model(self.terms | {term})

    def parameters(self, j: int) -> int:
        """Parameters of the model: intercept, J main effects and its interactions,
        including those fixed at minus infinity (SCV 2024 count them all in AIC and BIC)."""
        return 1 + j + len(self.terms)


def term_name(term: Term, lists: tuple[str, ...]) -> str:
    """An interaction by its lists' names, in list order: "EXH:ABA"."""
    return ":".join(lists[i] for i in sorted(term))


def ordered(terms: Iterable[Term]) -> list[Term]:
    """Terms by order, then by their lists: the order of the design's columns."""
    return sorted(terms, key=lambda t: (len(t), sorted(t)))


@dataclass
class Fit:
    """The fit of one model: an estimate, or the reason there is none.

    ``fixed`` are the model's terms whose lists share no observed person (their overlap
    is empty): their extended MLE is minus infinity, so they are fixed there, the cells
    under them removed, and the rest fitted (Chan, Silverman & Vincent 2021, §2.5).
    ``mu`` are the fitted values of the kept cells (``cells`` marks them).
    """

    model: Model
    ok: bool
    reason: str = ""
    n0: float = math.nan
    se_n: float = math.nan
    loglik: float = math.nan
    rank: int = 0
    aic: float = math.inf
    bic: float = math.inf
    fixed: tuple[Term, ...] = ()
    mu: FloatArray = field(default_factory=lambda: np.zeros(0))
    cells: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def estimate(self, n: int) -> float:
        return n + self.n0

    def criterion(self, name: str) -> float:
        return self.bic if name == "bic" else self.aic


def design(patterns: NDArray[np.int64], terms: Iterable[Term]) -> FloatArray:
    """Intercept, main effects, then one product column per term (in the given order)."""
    cols = [
        np.ones(len(patterns)),
        *(patterns[:, j].astype(float) for j in range(patterns.shape[1])),
    ]
    cols += [patterns[:, sorted(t)].prod(axis=1).astype(float) for t in terms]
    return np.column_stack(cols)


def default_order(j: int) -> int:
    """The highest order searched unless asked: J - 1 up to five lists, 2 beyond (the six-
    list catalogue of SCV 2024 stops at pairs; higher orders run to millions of models)."""
    return j - 1 if j <= 5 else 2


@lru_cache(maxsize=16)
def hierarchical_models(j: int, max_order: int | None = None) -> tuple[Model, ...]:
    """Every hierarchical model with interactions up to ``max_order`` (default J - 1).

    Built level by level: a term of order k may enter only if all its sub-terms of order
    k - 1 are in. For J = 4 and order 3 this yields Rcapture's and SparseMSE's 113 models;
    for J = 5 and order 4 the 6,893 of SCV 2024's catalogue.
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

    return tuple(Model(terms) for terms in extend(frozenset(), 2))
