"""Speed of the estimators, against the targets of issues 5 and 24.

    .venv/bin/python benchmarks/estimation.py [--only search]

Prints a table: LCMCR sweeps per second (J=4, K=10 and J=6, K=15; one chain, one core),
BMA over decomposable graphs for J=5, a stratified LCMCR run over 20 strata, the interval
coverage of LCMCR and BMA on simulated populations, and (``--only search`` runs just
these) the exhaustive log-linear searches and ``dalil estimate`` with its default
interval on the published five-, six- and eight-list tables, with the linear programs
the existence check needed. Timings exclude numba's first compilation (warmed up before
timing) except the end-to-end command, which is timed as a user runs it.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from dalil.estimate import dga, lcmcr, loglinear, simulate
from dalil.estimate.captures import read_csv
from dalil.estimate.estimates import estimate
from dalil.estimate.existence import Checker
from dalil.estimate.fitting import Engine
from dalil.estimate.strata import estimate_strata

MSE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mse"


def sweeps_per_second(j: int, k: int) -> float:
    rng = np.random.default_rng(1)
    probs = rng.uniform(0.1, 0.5, size=(2, j))
    table = simulate.population(5000, probs.tolist(), [0.7, 0.3], rng)
    lcmcr.sample(table, k=k, burnin=100, samples=10, thinning=1, chains=1)  # compile
    burnin, samples, thinning = 20_000, 2_000, 10
    t0 = time.perf_counter()
    lcmcr.sample(table, k=k, burnin=burnin, samples=samples, thinning=thinning, chains=1)
    return (500 + burnin + samples * thinning) / (time.perf_counter() - t0)


def searches() -> list[tuple[str, str, str]]:
    """Exhaustive BIC searches and whole estimates on published tables (issue 24)."""
    rows: list[tuple[str, str, str]] = []
    loglinear.ranked(read_csv(MSE / "korea_palembang_3lists.csv"))  # compile the fit
    for name, order, target in [
        ("uk_slavery_2013_5lists", 4, "<= 5 s"),
        ("new_orleans_trafficking_5lists", 4, "<= 5 s"),
        ("netherlands_trafficking_5lists", 4, "<= 5 s"),
        ("uk_slavery_2013_6lists", 2, "<= 30 s"),
        ("netherlands_trafficking_6lists", 2, "<= 30 s"),
    ]:
        table = read_csv(MSE / f"{name}.csv")
        engine = Engine(table, Checker())
        t0 = time.perf_counter()
        fits = loglinear.ranked(table, "bic", order, engine=engine)
        seconds = time.perf_counter() - t0
        best = fits[0].estimate(table.n)
        rows.append((f"BIC search, {name} (J={table.j}, order {order}, {len(fits):,} models; "
                     f"{engine.checker.programs} linear programs)",
                     f"{seconds:.1f} s (N = {best:,.0f})", target))  # fmt: skip
    for name, target in [("uk_slavery_2013_5lists", "<= 30 s"),
                         ("new_orleans_trafficking_5lists", "<= 30 s"),
                         ("uk_slavery_2013_6lists", "<= 60 s"),
                         ("netherlands_trafficking_6lists", "<= 60 s")]:  # fmt: skip
        path = MSE / f"{name}.csv"
        t0 = time.perf_counter()
        out = subprocess.run(
            [str(Path(sys.executable).parent / "dalil"), "estimate", str(path),
             "--method", "loglinear", "--json"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        seconds = time.perf_counter() - t0
        got = json.loads(out.stdout)
        lo, hi = got["interval"]
        rows.append((f"dalil estimate --method loglinear, {name} (default interval: "
                     f"{got['diagnostics']['bootstrap_replicates']} replicates)",
                     f"{seconds:.1f} s (N = {got['estimate']:,.0f}, {lo:,.0f}-{hi:,.0f})",
                     target))  # fmt: skip
    table = read_csv(MSE / "new_orleans_trafficking_8lists.csv")
    t0 = time.perf_counter()
    est = estimate(table, "loglinear", select="stepwise")
    rows.append(("stepwise with its interval, New Orleans 8 lists",
                 f"{time.perf_counter() - t0:.1f} s (N = {est.estimate:,.0f})", "-"))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["search"], help="run only the log-linear searches")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")  # fmt: skip
    rows: list[tuple[str, str, str]] = searches()
    if args.only:
        report(rows)
        return
    rows.append(("LCMCR sweeps/s, J=4, K=10", f"{sweeps_per_second(4, 10):,.0f}", ">= 50,000"))
    rows.append(("LCMCR sweeps/s, J=6, K=15", f"{sweeps_per_second(6, 15):,.0f}", "-"))

    ned5 = read_csv(MSE / "netherlands_trafficking_5lists.csv")
    dga.decomposable_graphs(5)
    t0 = time.perf_counter()
    post = dga.bma(ned5)
    seconds = time.perf_counter() - t0
    rows.append((f"BMA, J=5 (822 graphs, grid 0..{int(post.n_values[-1]):,})", f"{seconds:.2f} s",
                 "<= 2 s"))  # fmt: skip

    rng = np.random.default_rng(5)
    sizes = rng.integers(300, 3000, size=20)
    tables = {
        f"s{i:02d}": simulate.population(int(n), *simulate.TWO_GROUPS, rng)
        for i, n in enumerate(sizes)
    }
    t0 = time.perf_counter()
    result = estimate_strata(tables, "lcmcr", lcmcr_options={"k": 10})  # package defaults
    seconds = time.perf_counter() - t0
    rows.append(("stratified LCMCR, 20 strata (K=10, 3 chains x 20,500 sweeps)",
                 f"{seconds:.0f} s (total {result.total:,.0f})", "<= 120 s"))  # fmt: skip

    for method in ("lcmcr", "dga"):
        for design in ("two groups", "copying"):
            rng = np.random.default_rng(11)
            hits = 0
            reps = 100
            for r in range(reps):
                if design == "two groups":
                    tab = simulate.population(2000, *simulate.TWO_GROUPS, rng)
                else:
                    tab = simulate.dependent_population(2000, [0.3, 0.15, 0.3, 0.25],
                                                        {1: (0, 0.6)}, rng)  # fmt: skip
                opts = {"burnin": 3000, "samples": 400, "thinning": 20, "chains": 2}
                est = estimate(tab, method, seed=r, lcmcr_options=opts)  # type: ignore[arg-type]
                hits += est.interval[0] <= 2000 <= est.interval[1]
            rows.append((f"95% interval coverage, {method}, {design} (N = 2,000)",
                         f"{hits}/{reps}", "about 95"))  # fmt: skip

    report(rows)


def report(rows: list[tuple[str, str, str]]) -> None:
    print("| measure | result | target |")
    print("|---|---|---|")
    for measure, result_text, target in rows:
        print(f"| {measure} | {result_text} | {target} |")


if __name__ == "__main__":
    main()
