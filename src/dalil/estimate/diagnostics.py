"""What a statistician checks before believing a multiple systems estimate.

Pure functions over a :class:`~dalil.estimate.captures.CaptureTable`; nothing here fits a
model except :func:`sensitivity_to_k`, which runs LCMCR once per K and is asked for
explicitly. :func:`describe` is cheap (sums over the 2^J - 1 cells) so it can run beside
every estimate.

* **Overlaps**: each list's size, the persons seen only on it, and the persons every pair
  of lists shares. A pair that shares nobody is the sparse case whose interaction is fixed
  at minus infinity (Chan, Silverman & Vincent 2021; :mod:`dalil.estimate.fitting`).
* **Pairwise odds ratios**: for lists i and j the 2x2 table over all persons is
  incomplete, since persons on neither i nor j are seen only if another list caught them.
  With J >= 3 lists, the odds ratio of i and j is therefore taken *among the persons seen
  on at least one of the other lists*, where all four cells are observed:
  ``OR = (n11 * n00) / (n10 * n01)``; when a cell is 0, 0.5 is added to all four
  (Haldane-Anscombe); none when a row or column of the 2x2 table is empty (no
  information); the interval is Woolf's, ``exp(log OR +/- z * se)`` with
  ``se = sqrt(1/n11 + 1/n10 + 1/n01 + 1/n00)``. OR > 1 is positive dependence (being on i
  makes being on j likelier; an estimate that ignores it is too low), OR < 1 negative
  dependence (too high). This is the usual pairwise check of list dependence in
  capture-recapture for epidemiology and casualty counts (Chao, Tsay, Lin, Shau & Chao
  2001, Stat Med 20:3123, "The applications of capture-recapture models to
  epidemiological data"; Bird & King 2018, Annu Rev Stat Appl 5:95). It describes the
  persons other lists saw, who are more easily documented than the rest: heterogeneity
  of capture can show as positive dependence here (that is what LCMCR models).
* **Warnings**, each a :class:`~dalil.model.words.Phrase` (a fixed sentence, the
  constants below, and its values), so a front end says it in its language.
* **Sensitivity**: the estimates of the best log-linear models (:func:`ranking`)
  and LCMCR across K (:func:`sensitivity_to_k`).

The too-small rule (:func:`too_small`): an estimate is warned about when the table has
fewer than 20 documented persons, fewer than two pairs of lists that share anyone (one,
with two lists), or
fewer than 7 persons on more than one list. Seven recaptures is Robson & Regier's (1964)
rule of thumb for the two-list estimator's bias to be negligible; with fewer, every MSE
interval is driven by a handful of overlaps (the demo's 8-person stratum gives 8-20).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from scipy import stats

from dalil.estimate import lcmcr
from dalil.estimate.captures import CaptureTable
from dalil.estimate.models import Fit, term_name
from dalil.model.words import N_, Phrase, joined

MIN_OBSERVED = 20
MIN_OVERLAPPING_PAIRS = 2
MIN_RECAPTURED = 7
#: a list contained in another is warned about only from this size (smaller lists are
#: contained by chance)
MIN_CONTAINED = 5

# The warnings, fixed sentences; the values follow ": " at the end.
NO_OVERLAP = N_(
    "a list shares no person with any other list, so its dependence on the others "
    "cannot be estimated: {lists}"
)
EMPTY_LIST = N_("a list documents no one in this table and adds nothing to the estimate: {lists}")
TOO_SMALL = N_(
    "the table is too small to estimate from: it needs at least {min_observed} documented "
    "persons, {min_pairs} pairs of lists that share someone and {min_recaptured} persons on "
    "more than one list: {observed} documented, {pairs} of {all_pairs} pairs share someone, "
    "{recaptured} on more than one list"
)
HOLDS_EVERYONE = N_(
    "a list holds every documented person, so the data say nothing about whom it missed "
    "and the estimate of the undocumented rests on the model alone: {lists}"
)
CONTAINED = N_(
    "every person on one list is also on another, as when one list copies the other "
    "(strong positive dependence): {pairs}"
)
CONTAINED_PAIR = N_("{inner} in {outer}")
TWO_LISTS = N_(
    "with two lists the estimate assumes they are independent, which the data cannot check"
)
WARNINGS = (NO_OVERLAP, EMPTY_LIST, TOO_SMALL, HOLDS_EVERYONE, CONTAINED, TWO_LISTS)


def _pairs(table: CaptureTable) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(table.j), 2))


def overlaps(table: CaptureTable) -> dict[str, Any]:
    """Each list's size and persons seen only on it; persons shared by every pair."""
    sizes = table.list_sizes()
    alone = table.patterns.sum(axis=1) == 1
    lists = [
        {
            "list": name,
            "size": sizes[name],
            "only": int(table.counts[alone & (table.patterns[:, i] == 1)].sum()),
        }
        for i, name in enumerate(table.lists)
    ]
    pairs = [
        {"lists": [table.lists[a], table.lists[b]], "both": table.overlap((a, b))}
        for a, b in _pairs(table)
    ]
    return {"observed": table.n, "lists": lists, "pairs": pairs}


def two_by_two(table: CaptureTable, a: int, b: int) -> tuple[int, int, int, int]:
    """(n11, n10, n01, n00) for lists a, b among persons seen on at least one other list."""
    others = [i for i in range(table.j) if i not in (a, b)]
    seen = table.patterns[:, others].any(axis=1) if others else np.zeros(len(table.counts), bool)
    pa, pb = table.patterns[:, a] == 1, table.patterns[:, b] == 1
    cell = table.counts[seen]

    def total(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> int:
        return int(cell[mask[seen]].sum())

    return total(pa & pb), total(pa & ~pb), total(~pa & pb), total(~pa & ~pb)


def odds_ratio(
    cells: tuple[int, int, int, int], level: float = 0.95
) -> tuple[float, tuple[float, float], bool] | None:
    """The odds ratio, Woolf's interval, and whether 0.5 was added.

    None when a row or column of the 2x2 table is empty: then the table holds no
    information on the association (a 0.5 correction would only invent one).
    """
    n11_, n10_, n01_, n00_ = cells
    if 0 in (n11_ + n10_, n01_ + n00_, n11_ + n01_, n10_ + n00_):
        return None
    corrected = 0 in cells
    n11, n10, n01, n00 = (c + 0.5 if corrected else float(c) for c in cells)
    log_or = math.log(n11 * n00 / (n10 * n01))
    se = math.sqrt(1 / n11 + 1 / n10 + 1 / n01 + 1 / n00)
    z = float(stats.norm.ppf((1 + level) / 2))
    return math.exp(log_or), (math.exp(log_or - z * se), math.exp(log_or + z * se)), corrected


def odds_ratios(table: CaptureTable, level: float = 0.95) -> list[dict[str, Any]]:
    """Pairwise odds ratios among persons on the other lists (see the module docstring).

    Empty with two lists (no one is seen outside the pair). ``odds_ratio`` and
    ``interval`` are None when a row or column of the pair's 2x2 table is empty (e.g. the
    other lists hold nobody, or no one there is on list i).
    """
    if table.j < 3:
        return []
    rows = []
    for a, b in _pairs(table):
        cells = two_by_two(table, a, b)
        got = odds_ratio(cells, level)
        rows.append(
            {
                "lists": [table.lists[a], table.lists[b]],
                "among": sum(cells),
                "cells": list(cells),
                "odds_ratio": _sig(got[0]) if got else None,
                "interval": [_sig(got[1][0]), _sig(got[1][1])] if got else None,
                "corrected": got[2] if got else False,
                "level": level,
            }
        )
    return rows


def _sig(x: float) -> float:
    """Four significant figures: odds ratios span orders of magnitude."""
    return float(f"{x:.4g}")


def too_small(table: CaptureTable) -> str | None:
    """The TOO_SMALL warning with this table's figures, or None (rule: module docstring)."""
    overlapping = sum(1 for a, b in _pairs(table) if table.overlap((a, b)) > 0)
    recaptured = int(table.counts[table.patterns.sum(axis=1) > 1].sum())
    if (
        table.n >= MIN_OBSERVED
        and overlapping >= min(MIN_OVERLAPPING_PAIRS, len(_pairs(table)))
        and recaptured >= MIN_RECAPTURED
    ):
        return None
    return Phrase(TOO_SMALL, min_observed=MIN_OBSERVED, min_pairs=MIN_OVERLAPPING_PAIRS,
                  min_recaptured=MIN_RECAPTURED, observed=table.n, pairs=overlapping,
                  all_pairs=len(_pairs(table)), recaptured=recaptured)  # fmt: skip


def warnings_for(table: CaptureTable) -> list[str]:
    """Every warning of the module docstring that applies to ``table``."""
    sizes = table.list_sizes()
    names = table.lists
    out: list[str] = []
    empty = [n for n in names if sizes[n] == 0]
    if empty:
        out.append(Phrase(EMPTY_LIST, lists=empty))
    alone = [
        names[i]
        for i in range(table.j)
        if sizes[names[i]] > 0 and all(table.overlap((i, k)) == 0 for k in range(table.j) if k != i)
    ]
    if alone:
        out.append(Phrase(NO_OVERLAP, lists=alone))
    small = too_small(table)
    if small:
        out.append(small)
    everyone = [n for n in names if sizes[n] == table.n]
    if everyone and table.nonempty_lists() > 1:
        out.append(Phrase(HOLDS_EVERYONE, lists=everyone))
    contained: list[str] = [
        Phrase(CONTAINED_PAIR, inner=names[a], outer=names[b])
        for a, b in itertools.permutations(range(table.j), 2)
        if MIN_CONTAINED <= sizes[names[a]] == table.overlap((a, b))
        and names[b] not in everyone
        and (sizes[names[a]] < sizes[names[b]] or a < b)  # identical lists: once
    ]
    if contained:
        out.append(Phrase(CONTAINED, pairs=joined(contained, ", ")))
    if table.nonempty_lists() == 2:
        out.append(Phrase(TWO_LISTS))
    return out


def describe(table: CaptureTable, level: float = 0.95) -> tuple[dict[str, Any], list[str]]:
    """The JSON-ready diagnostics ``{"overlaps", "odds_ratios"}`` and the warnings.

    No model is fitted: cheap enough to run beside every estimate.
    """
    return (
        {"overlaps": overlaps(table), "odds_ratios": odds_ratios(table, level)},
        warnings_for(table),
    )


def ranking(fits: Sequence[Fit], table: CaptureTable, k: int = 10) -> dict[str, Any]:
    """The ``k`` best estimable models (``fits`` best first, as
    :func:`dalil.estimate.loglinear.ranked` returns them) with their criteria, estimates and
    terms fixed at minus infinity, and the range of their estimates.

    Models that fit about equally well but give far-apart totals say the choice of model,
    not the data, decides the number (``ranking_range``).
    """
    best = [f for f in fits if f.ok][:k]
    values = [round(f.estimate(table.n), 1) for f in best]
    rows = [
        {
            "model": f.model.label(table.lists),
            "aic": round(f.aic, 2),
            "bic": round(f.bic, 2),
            "estimate": value,
            "fixed_terms": [term_name(t, table.lists) for t in f.fixed],
        }
        for f, value in zip(best, values, strict=True)
    ]
    return {"ranking": rows, "ranking_range": [min(values), max(values)] if values else None}


def sensitivity_to_k(
    table: CaptureTable,
    ks: Iterable[int] = (5, 10, 15),
    *,
    seed: int = 1,
    level: float = 0.95,
    progress: Callable[[str, int, int], None] | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """LCMCR's estimate and interval for each K (other sampler options: ``options``).

    The latent classes are an upper bound on the heterogeneity LCMCR can describe; a total
    that moves with K says the data do not pin it down (Manrique-Vallier 2016 recommends a
    K large enough that the estimate stops moving). Same seed for every K.
    """
    chosen = list(ks)
    out = []
    for done, k in enumerate(chosen):
        if progress:
            progress("K", done, len(chosen))
        chains = lcmcr.sample(table, k=k, seed=seed, **options)
        pooled = chains.pooled().astype(float)
        lo, hi = np.quantile(pooled, [(1 - level) / 2, (1 + level) / 2])
        out.append(
            {
                "k": k,
                "estimate": round(float(np.median(pooled)), 1),
                "interval": [round(float(lo), 1), round(float(hi), 1)],
                "level": level,
                "r_hat": round(chains.r_hat(), 3),
                "ess": round(chains.ess(), 1),
                "k_star_mean": round(float(chains.k_star.mean()), 2),
            }
        )
    if progress:
        progress("K", len(chosen), len(chosen))
    return out
