"""Newton-Raphson for the Poisson log-linear GLM, compiled with numba.

A five-list exhaustive search fits 6,893 models and a bootstrap refits the best of them
on every replicate, so one fit must cost microseconds, not the milliseconds of a NumPy
loop with its temporaries. The design matrices are small (at most 2^J - 1 = 63 cells by
at most 64 columns), so the normal equations are solved by a Cholesky factorisation
written out here: it also tells when X'WX is not positive definite (a rank-deficient
design) without raising.

Convergence follows glm.fit: the relative change of the deviance below ``tol``. When the
maximum-likelihood estimate does not exist, the likelihood's supremum is approached with
some fitted values going to zero; Newton steps then shrink those values geometrically and
the deviance still settles, so a converged fit is not by itself proof of existence: see
:mod:`dalil.estimate.existence` for how the two are told apart.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@njit(cache=True)
def _cholesky_solve(a: FloatArray, b: FloatArray) -> tuple[FloatArray, bool]:
    """Solve a x = b for symmetric positive definite a; (x, False) if a is not."""
    p = a.shape[0]
    low = np.zeros((p, p))
    scale = 0.0
    for i in range(p):
        scale = max(scale, abs(a[i, i]))
    for j in range(p):
        s = a[j, j]
        for k in range(j):
            s -= low[j, k] * low[j, k]
        if s <= 1e-13 * scale:
            return np.zeros(p), False
        low[j, j] = math.sqrt(s)
        for i in range(j + 1, p):
            t = a[i, j]
            for k in range(j):
                t -= low[i, k] * low[j, k]
            low[i, j] = t / low[j, j]
    z = np.zeros(p)
    for i in range(p):
        t = b[i]
        for k in range(i):
            t -= low[i, k] * z[k]
        z[i] = t / low[i, i]
    x = np.zeros(p)
    for i in range(p - 1, -1, -1):
        t = z[i]
        for k in range(i + 1, p):
            t -= low[k, i] * x[k]
        x[i] = t / low[i, i]
    return x, True


@njit(cache=True)
def newton(
    x: FloatArray, y: FloatArray, max_iter: int = 100, tol: float = 1e-10
) -> tuple[FloatArray, FloatArray, bool, float, float]:
    """Fit log E[y] = x beta; returns (beta, mu, converged, loglik, var of beta[0]).

    Starts from mu = y + 0.5 as glm.fit does. ``loglik`` is the Poisson log-likelihood
    sum(y log mu - mu - log y!); ``var of beta[0]`` is the intercept's entry of
    (X'WX)^-1, from which the unobserved count's standard error follows.
    """
    m, p = x.shape
    mu = y + 0.5
    eta = np.log(mu)
    beta = np.zeros(p)
    dev_old = np.inf
    converged = False
    for _ in range(max_iter):
        a = np.zeros((p, p))
        b = np.zeros(p)
        for c in range(m):
            w = mu[c]
            z = eta[c] + (y[c] - mu[c]) / mu[c]
            for i in range(p):
                xi = x[c, i] * w
                if xi == 0.0:
                    continue
                b[i] += xi * z
                for k in range(i + 1):
                    a[i, k] += xi * x[c, k]
        for i in range(p):
            for k in range(i):
                a[k, i] = a[i, k]
        beta_new, ok = _cholesky_solve(a, b)
        if not ok:
            return beta, mu, False, np.nan, np.nan
        beta = beta_new
        dev = 0.0
        for c in range(m):
            e = 0.0
            for i in range(p):
                e += x[c, i] * beta[i]
            eta[c] = min(max(e, -700.0), 700.0)
            mu[c] = math.exp(eta[c])
            if y[c] > 0:
                dev += 2.0 * (y[c] * math.log(y[c] / mu[c]) - (y[c] - mu[c]))
            else:
                dev += 2.0 * mu[c]
        if abs(dev - dev_old) < tol * (abs(dev) + 0.1):
            converged = True
            break
        dev_old = dev
    loglik = 0.0
    for c in range(m):
        loglik += -mu[c] - math.lgamma(y[c] + 1.0)
        if y[c] > 0:
            loglik += y[c] * math.log(mu[c])
    # the intercept's variance: first entry of (X'WX)^-1, solving (X'WX) v = e_0
    a = np.zeros((p, p))
    for c in range(m):
        for i in range(p):
            xi = x[c, i] * mu[c]
            for k in range(p):
                a[i, k] += xi * x[c, k]
    e0 = np.zeros(p)
    e0[0] = 1.0
    v, ok = _cholesky_solve(a, e0)
    var0 = v[0] if ok else np.inf
    return beta, mu, converged, loglik, var0
