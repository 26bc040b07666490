"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

The dga approach HRDAG uses: every decomposable (chordal) graph on the J lists is a model
of list dependence; under a hyper-Dirichlet prior the marginal likelihood of the full
table, for each candidate number of unobserved persons n0, is available in closed form
from the clique and separator margins. Averaging over graphs and normalising over a grid
of n0 gives the posterior of N = n + n0 with model uncertainty included.

Formulas (../design/estimation.md §2.3, after cran/dga R/BMAfunctions.R): for a clique or
separator C with margin D (the all-zero cell of the full table taken as 0, then n0 added
to the margin's zero cell) and delta_C = delta * 2^(J - |C|),

    logML_C(n0) = lgamma(D_0 + n0 + delta_C) + sum_{c != 0} lgamma(D_c + delta_C)
                  - 2^|C| lgamma(delta_C)

and a graph's log marginal likelihood is sum over cliques - sum over separators +
(#cliques - #separators) * [lgamma(2^J delta) - lgamma(n + n0 + 2^J delta)], plus the
multinomial coefficient and the log prior on N (default proportional to 1/N).

Graphs are enumerated here (every graph checked for a perfect elimination ordering), so
J <= 6 works without the package's shipped graph lists (J = 6: 18,154 graphs).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from scipy import special

from dalil.errors import InvalidInput
from dalil.estimate.captures import CaptureTable

FloatArray = NDArray[np.float64]
Clique = tuple[int, ...]


@dataclass(frozen=True)
class Graph:
    """A decomposable graph as its maximal cliques and (non-empty) separators."""

    edges: frozenset[tuple[int, int]]
    cliques: tuple[Clique, ...]
    separators: tuple[Clique, ...]

    def label(self, lists: tuple[str, ...]) -> str:
        return " ".join("[" + ",".join(lists[i] for i in c) + "]" for c in self.cliques)


def _adjacency(j: int, edges: frozenset[tuple[int, int]]) -> dict[int, set[int]]:
    adj: dict[int, set[int]] = {v: set() for v in range(j)}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    return adj


def _is_chordal(j: int, adj: dict[int, set[int]]) -> bool:
    """Maximum cardinality search gives a perfect elimination ordering iff chordal."""
    order: list[int] = []
    weight = dict.fromkeys(range(j), 0)
    remaining = set(range(j))
    while remaining:
        v = max(sorted(remaining), key=lambda u: weight[u])
        earlier = adj[v] & set(order)
        # the earlier neighbours of v must form a clique
        if any(b not in adj[a] for a, b in itertools.combinations(sorted(earlier), 2)):
            return False
        order.append(v)
        remaining.remove(v)
        for u in adj[v] & remaining:
            weight[u] += 1
    return True


def _maximal_cliques(j: int, adj: dict[int, set[int]]) -> list[Clique]:
    cliques: list[set[int]] = []
    for size in range(j, 0, -1):
        for combo in itertools.combinations(range(j), size):
            s = set(combo)
            if all(b in adj[a] for a, b in itertools.combinations(combo, 2)) and not any(
                s <= c for c in cliques
            ):
                cliques.append(s)
    return sorted(tuple(sorted(c)) for c in cliques)


def _separators(cliques: list[Clique]) -> list[Clique]:
    """Separators of a junction tree: a maximum-weight spanning tree of the clique graph
    (weights = intersection sizes); empty intersections are dropped."""
    if len(cliques) < 2:
        return []
    pairs = itertools.combinations(enumerate(cliques), 2)
    edges = sorted(((len(set(a) & set(b)), i, k) for (i, a), (k, b) in pairs), reverse=True)
    parent = list(range(len(cliques)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seps: list[Clique] = []
    for w, i, k in edges:
        ri, rk = find(i), find(k)
        if ri != rk:
            parent[ri] = rk
            if w:
                seps.append(tuple(sorted(set(cliques[i]) & set(cliques[k]))))
    return seps


@cache
def decomposable_graphs(j: int) -> tuple[Graph, ...]:
    """All labelled decomposable graphs on j vertices (8, 61, 822, 18154 for j = 3..6)."""
    if j > 6:
        raise InvalidInput("model averaging over graphs is limited to 6 lists", path="lists")
    pairs = list(itertools.combinations(range(j), 2))
    graphs = []
    for mask in range(2 ** len(pairs)):
        edges = frozenset(p for i, p in enumerate(pairs) if mask >> i & 1)
        adj = _adjacency(j, edges)
        if _is_chordal(j, adj):
            cliques = _maximal_cliques(j, adj)
            graphs.append(Graph(edges, tuple(cliques), tuple(_separators(cliques))))
    return tuple(graphs)


def _margin(table: CaptureTable, members: Clique) -> FloatArray:
    """Counts over the 2^|C| cells of the lists in C (cell 0 = on none of them)."""
    out = np.zeros(2 ** len(members))
    weights = 1 << np.arange(len(members))
    codes = table.patterns[:, list(members)] @ weights
    np.add.at(out, codes, table.counts.astype(float))
    return out


@dataclass
class Posterior:
    """Posterior over (graph, N) on the grid."""

    graphs: tuple[Graph, ...]
    n_values: NDArray[np.int64]
    weights: FloatArray  # graphs x grid, sums to 1

    @property
    def model_probabilities(self) -> FloatArray:
        return np.asarray(self.weights.sum(axis=1), dtype=np.float64)

    @property
    def n_probabilities(self) -> FloatArray:
        return np.asarray(self.weights.sum(axis=0), dtype=np.float64)

    def quantile(self, q: float) -> int:
        cdf = np.cumsum(self.n_probabilities)
        return int(self.n_values[min(int(np.searchsorted(cdf, q)), len(cdf) - 1)])

    def bayes_relative_loss(self) -> float:
        """Madigan & York's point estimate under relative squared error: E[1/N]/E[1/N^2]."""
        p, n = self.n_probabilities, self.n_values.astype(float)
        return float((p / n).sum() / (p / n**2).sum())

    def mass_at_top(self, share: float = 0.01) -> float:
        """Posterior mass in the top ``share`` of the grid (a truncation warning sign)."""
        cut = max(1, int(len(self.n_values) * share))
        return float(self.n_probabilities[-cut:].sum())


def log_prior_inverse_n(n_values: NDArray[np.int64]) -> FloatArray:
    """p(N) proportional to 1/N (dga's default)."""
    return np.asarray(-np.log(n_values.astype(float)), dtype=np.float64)


def log_prior_uniform(n_values: NDArray[np.int64]) -> FloatArray:
    """A flat prior on N over the grid (heavier upper tail than 1/N)."""
    return np.zeros(len(n_values))


PRIORS = {"1/N": log_prior_inverse_n, "uniform": log_prior_uniform}


def bma(
    table: CaptureTable,
    n_missing: NDArray[np.int64] | None = None,
    delta: float | None = None,
    log_prior: Callable[[NDArray[np.int64]], FloatArray] = log_prior_inverse_n,
) -> Posterior:
    """Posterior over decomposable graphs and N on a grid of unobserved counts.

    Defaults: ``delta = 2^-J`` (dga's suggestion); grid 0 .. 10 n (widen it if
    :meth:`Posterior.mass_at_top` is not negligible).
    """
    j, n = table.j, table.n
    delta = 2.0**-j if delta is None else delta
    grid = np.arange(0, 10 * n + 1) if n_missing is None else np.asarray(n_missing, dtype=np.int64)
    n0 = grid.astype(float)
    graphs = decomposable_graphs(j)

    @cache
    def log_ml(members: Clique) -> FloatArray:
        d = _margin(table, members)
        dc = delta * 2.0 ** (j - len(members))
        rest = float(special.gammaln(d[1:] + dc).sum())
        value = special.gammaln(d[0] + n0 + dc) + rest - 2 ** len(members) * special.gammaln(dc)
        return np.asarray(value, dtype=np.float64)

    dn = special.gammaln(2**j * delta) - special.gammaln(n + n0 + 2**j * delta)
    log_multinomial = (
        special.gammaln(n + n0 + 1)
        - float(special.gammaln(table.counts + 1.0).sum())
        - special.gammaln(n0 + 1)
    )
    prior = log_prior(grid + n)
    # One row per distinct clique or separator, and each graph as +1/-1 counts of them:
    # the graphs' log marginal likelihoods are then one matrix product.
    members = sorted({m for g in graphs for m in (*g.cliques, *g.separators)})
    index = {m: i for i, m in enumerate(members)}
    incidence = np.zeros((len(graphs), len(members)))
    for g_i, g in enumerate(graphs):
        for c in g.cliques:
            incidence[g_i, index[c]] += 1
        for sep in g.separators:
            incidence[g_i, index[sep]] -= 1
    # the normaliser dn counts once per connected component (#cliques - #separators)
    components = np.array([[len(g.cliques) - len(g.separators)] for g in graphs], dtype=float)
    terms = np.vstack([*(log_ml(m) for m in members), dn])
    rows = np.hstack([incidence, components]) @ terms
    rows += log_multinomial + prior
    rows -= rows.max()
    np.exp(rows, out=rows)
    rows /= rows.sum()
    return Posterior(graphs, grid + n, rows)
