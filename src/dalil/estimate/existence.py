"""Does a log-linear model's maximum-likelihood estimate exist on this table?

The exact test is the linear program of Fienberg & Rinaldo (2012), as Chan, Silverman &
Vincent (2021, §2.6) apply it to capture tables: with A the design over the cells kept
(cells under a term fixed at minus infinity removed) and y their counts, maximise s
subject to A'z = A'y and z_c >= s for every cell; the MLE exists iff the optimum s > 0.
A linear program costs milliseconds, and a five-list search with a bootstrap would need
hundreds of thousands of them, so :class:`Checker` runs one only where existence can fail
and is in doubt, and remembers what it learned:

* **no zero cell**: if every kept cell has a positive count, z = y is strictly positive:
  the MLE exists;
* **a clean fit**: the log-likelihood is strictly concave in the free parameters, so a
  finite stationary point is the MLE. When the MLE does not exist, Newton steps send the
  fitted values of some zero cells towards 0 geometrically; a fit that converged with
  every zero cell's fitted value above :data:`CLEAR` (and a millionth of the persons) is
  therefore taken to exist (the
  test suite checks this against the linear program for every model of published sparse
  tables);
* **monotone in the support**: existence depends only on which kept cells are zero, and
  if it holds with zero set Z it holds with any zero set inside Z (more positive cells
  can only move A'y inside the marginal cone); if it fails with Z it fails with any
  zero set containing Z. Results are kept per model and set of kept cells, so bootstrap
  and jackknife replicates with the same zeros reuse them (SCV 2024 solve each distinct
  zero pattern once, ``check_extended_MLE_batch``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

FloatArray = NDArray[np.float64]

#: a zero cell fitted above this (persons), and above :data:`CLEAR_SHARE` of the table's
#: persons, shows the fit stopped inside the parameter space
CLEAR = 1e-5
#: A diverging Newton fit stops (deviance change below 1e-10 of the deviance, irls.newton)
#: once its vanishing cells are fitted below about 1e-10 of the deviance, which grows with
#: the table: on a table of millions that is above :data:`CLEAR`. Deviances stay below 10 n
#: in practice, so 1e-6 n keeps a margin of a thousand.
CLEAR_SHARE = 1e-6


def lp_exists(x: FloatArray, y: FloatArray) -> bool:
    """Fienberg-Rinaldo: the MLE exists iff some z with A'z = A'y has every z_c > 0."""
    if np.all(y > 0):
        return True
    # Existence depends only on which cells are positive (A'y is then inside the cone the
    # positive cells' rows span), so the program runs on that pattern: with the counts of
    # a table of millions its right-hand side would dwarf the solver's tolerances.
    y = (y > 0).astype(np.float64)
    m, p = x.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0  # maximise s
    a_eq = np.hstack([x.T, np.zeros((p, 1))])
    a_ub = np.hstack([-np.eye(m), np.ones((m, 1))])  # s - z_c <= 0
    bounds = [(None, None)] * m + [(None, 1.0)]
    res = optimize.linprog(
        c, A_ub=a_ub, b_ub=np.zeros(m), A_eq=a_eq, b_eq=x.T @ y, bounds=bounds, method="highs"
    )
    return bool(res.status == 0 and res.fun is not None and -res.fun > 1e-9)


def mask(flags: NDArray[np.bool_]) -> int:
    """A boolean vector as a bit mask (element i is bit i): sets of cells or of columns."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


class Checker:
    """Existence decisions with the shortcuts above, for a table and its resamples.

    Results are kept per set of kept cells as (columns, zero cells) pairs: the MLE exists
    for columns C and zeros Z if it was found to exist for some C' containing C and Z'
    containing Z (a model inside a larger one over the same cells, with fewer zeros), and
    fails if it failed for some C' inside C and Z' inside Z.
    """

    def __init__(self) -> None:
        self._exists: dict[int, list[tuple[int, int]]] = {}
        self._fails: dict[int, list[tuple[int, int]]] = {}
        self.programs = 0  # linear programs solved, for the benchmark

    @staticmethod
    def clear(y: FloatArray, mu: FloatArray | None, converged: bool) -> bool:
        """True when no program is needed: no zero cell, or a clean converged fit."""
        zeros = y == 0
        if not zeros.any():
            return True
        floor = max(CLEAR, CLEAR_SHARE * float(y.sum()))
        return converged and mu is not None and float(mu[zeros].min()) > floor

    def known(self, cells: int, columns: int, zeros: int) -> bool | None:
        """What earlier programs imply for these kept cells, columns and zero cells."""
        for c, z in self._exists.get(cells, ()):
            if columns & c == columns and zeros & z == zeros:
                return True
        for c, z in self._fails.get(cells, ()):
            if columns & c == c and zeros & z == z:
                return False
        return None

    def solve(self, cells: int, columns: int, zeros: int, x: FloatArray, y: FloatArray) -> bool:
        """Run the linear program for design ``x`` on counts ``y`` and remember the answer."""
        self.programs += 1
        found = lp_exists(x, y)
        (self._exists if found else self._fails).setdefault(cells, []).append((columns, zeros))
        return found
