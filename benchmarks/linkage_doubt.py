"""Does the combined (linkage + estimation) interval cover the true total? (issue 24, item 4)

    .venv/bin/python benchmarks/linkage_doubt.py calibrated [--populations 100] [--draws 20]
    .venv/bin/python benchmarks/linkage_doubt.py splink [--populations 20] [--draws 20]

Both designs draw populations of known size N, let four lists capture them, link the
records, and estimate three ways: on the true linkage (the estimator's own coverage, a
ceiling), on the single best linkage (linkage-blind: what dalil reported before), and over
``--draws`` linkages drawn from the match probabilities, combined by
:mod:`dalil.estimate.linkage_draws` (the number under test). Each prints a table of
coverage of the 95 % intervals and their mean widths, over ``--populations`` populations.

* ``calibrated``: the pair-probability layer is simulated from a known, calibrated
  Fellegi-Sunter model instead of running Splink. Persons fall into namesake groups
  (1 + Poisson(1.5) persons who share a name); every pair of records on different lists
  within a group is a candidate pair; a pair's score is Normal(+mu, sigma) for a true
  match and Normal(-mu, sigma) for a namesake, and its match probability is the exact
  posterior given the score and the share of true pairs among candidates, so that a pair
  of probability p is a true match with probability p. The single best linkage (threshold
  0.9, veto below 0.6, as dalil's clustering) then has false and missed matches. This is
  the design the target is measured on.
* ``splink``: dalil's own linkage (Splink, unsupervised) on lists from
  :mod:`dalil.linkage.synth` (Syrian-style names, mixed scripts). It prints how
  calibrated Splink's probabilities are (share of true matches per probability band),
  because the draws can only carry as much doubt as the probabilities admit.

The estimator is dga (Bayesian model averaging over decomposable graphs, delta = 2^-4,
1/N prior; about 0.02 s a fit on four lists), so that 100 populations x 22 fits run in
minutes on two cores; ``--method lcmcr`` uses LCMCR with short chains (K = 5, burn-in
2,000, 500 x 5, two chains), ``--method loglinear`` BIC with 100 bootstrap replicates.
"""

from __future__ import annotations

import argparse
import itertools
import platform
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from dalil.estimate.captures import CaptureTable
from dalil.estimate.estimates import Estimate, Method, estimate
from dalil.estimate.linkage_draws import with_linkage_doubt
from dalil.linkage.captures import LinkageDoubt
from dalil.linkage.config import LinkageConfig

LISTS = ("A", "B", "C", "D")
#: capture probability of each list (independent lists: the estimator is well specified,
#: so what is left of the failures to cover is the linkage's doing)
CAPTURE = (0.35, 0.3, 0.4, 0.25)
LEVEL = 0.95
OPTIONS: dict[str, dict[str, Any]] = {
    "dga": {},
    "lcmcr": {
        "lcmcr_options": {"k": 5, "burnin": 2000, "samples": 500, "thinning": 5, "chains": 2}
    },
    "loglinear": {"replicates": 100},
}


@dataclass
class Outcome:
    """One population: the truth and the three intervals."""

    n: int
    observed_true: int
    observed_blind: int
    observed_draws: float
    oracle: tuple[float, float]
    blind: tuple[float, float]
    combined: tuple[float, float]
    false_merges: int
    missed_merges: int
    uncertain: int


def key(lst: str, person: int) -> str:
    return f"{lst}\x1f{person}"


def calibrated_lists(
    rng: np.random.Generator, n: int, mu: float, sigma: float
) -> tuple[LinkageDoubt, dict[str, int]]:
    """Four lists over a population of ``n`` and a calibrated pair layer (module
    docstring); returns the linkage doubt and the truth (record key -> person)."""
    seen = rng.random((n, len(LISTS))) < np.array(CAPTURE)
    truth = {key(lst, p): p for p in range(n) for j, lst in enumerate(LISTS) if seen[p, j]}
    group = np.repeat(np.arange(n), 1 + rng.poisson(1.5, size=n))[:n]
    rng.shuffle(group)
    members: dict[int, list[str]] = {}
    for k, p in truth.items():
        members.setdefault(int(group[p]), []).append(k)
    cands: list[tuple[str, str, bool]] = []
    for keys in members.values():
        keys.sort()
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if a[0] != b[0]:  # records on different lists
                    cands.append((a, b, truth[a] == truth[b]))
    match = np.array([m for _, _, m in cands])
    share = float(match.mean())
    score = np.where(match, mu, -mu) + sigma * rng.standard_normal(len(cands))
    llr = 2 * mu * score / sigma**2  # log N(s; mu) / N(s; -mu)
    prob = 1 / (1 + (1 - share) / share * np.exp(-llr))
    pairs = tuple((a, b, float(p)) for (a, b, _), p in zip(cands, prob, strict=True))
    doubt = LinkageDoubt("sim", LISTS, tuple(sorted(truth)), pairs, (), LinkageConfig())
    return doubt, truth


def splink_lists(
    seed: int, n: int
) -> tuple[LinkageDoubt, dict[str, int], list[tuple[float, bool]]]:
    """dalil's linkage of generated lists; also every scored pair with its truth."""
    from dalil.linkage import synth
    from dalil.linkage.engine import link, record_key

    made = synth.generate(n, len(LISTS), seed=seed)
    rows = [dict(r, source=name) for name, rs in made.lists.items() for r in rs]
    cfg = LinkageConfig()
    result = link(rows, replace(cfg, predict_floor=0.0))  # every pair, as case_doubt sees it
    truth = {record_key(s, r): p for (s, r), p in made.truth.items()}
    p = result.scored.pairs
    triples = [
        (min(str(a), str(b)), max(str(a), str(b)), float(q))
        for a, b, q in zip(p["unique_id_l"], p["unique_id_r"], p["match_probability"], strict=True)
    ]
    lists = tuple(sorted(made.lists))
    kept = tuple(sorted(t for t in triples if t[2] >= cfg.predict_floor))
    doubt = LinkageDoubt("synth", lists, tuple(sorted(truth)), kept, (), cfg)
    scored = [(q, truth[a] == truth[b]) for a, b, q in triples]
    return doubt, truth, scored


def errors(persons: dict[str, str], truth: dict[str, int]) -> tuple[int, int]:
    """Record pairs wrongly put together, and true pairs left apart."""
    by: dict[tuple[str, int], int] = Counter((persons[k], truth[k]) for k in truth)
    cluster_sizes: Counter[str] = Counter(persons[k] for k in truth)
    true_sizes: Counter[int] = Counter(truth.values())
    together = sum(c * (c - 1) // 2 for c in by.values())
    false = sum(c * (c - 1) // 2 for c in cluster_sizes.values()) - together
    missed = sum(c * (c - 1) // 2 for c in true_sizes.values()) - together
    return false, missed


def table_of(lists: tuple[str, ...], persons: dict[str, int] | dict[str, str]) -> CaptureTable:
    index = {name: i for i, name in enumerate(lists)}
    hist: dict[Any, list[int]] = {}
    for k, p in persons.items():
        hist.setdefault(p, [0] * len(lists))[index[k.split("\x1f")[0]]] = 1
    return CaptureTable.from_counts(lists, Counter(tuple(h) for h in hist.values()))


def one(args: tuple[str, int, int, Method, int, float, float, float | None]) -> Outcome:
    design, seed, n, method, draws, mu, sigma, floor = args
    rng = np.random.default_rng(seed)
    if design == "calibrated":
        doubt, truth = calibrated_lists(rng, n, mu, sigma)
    else:
        doubt, truth, _ = splink_lists(seed, n)
    options = dict(OPTIONS[method], seed=seed, level=LEVEL)
    fit: Callable[..., Estimate] = estimate
    oracle = fit(table_of(doubt.lists, truth), method, **options)
    best = doubt.best_persons()  # the run's own clustering
    blind = fit(table_of(doubt.lists, best), method, **options)
    combined = with_linkage_doubt(blind, doubt, draws, method, floor=floor, **options)
    false, missed = errors(best, truth)
    return Outcome(
        n, oracle.observed, blind.observed,
        float(np.mean(combined.linkage_doubt.observed)) if combined.linkage_doubt else 0.0,
        oracle.interval, blind.interval,
        combined.interval, false, missed, doubt.uncertain_pairs(),
    )  # fmt: skip


def covers(interval: tuple[float, float], n: int) -> bool:
    return interval[0] <= n <= interval[1]


def report(outcomes: list[Outcome], label: str) -> None:
    def share(f: Callable[[Outcome], bool]) -> float:
        return sum(map(f, outcomes)) / len(outcomes)

    def width(f: Callable[[Outcome], tuple[float, float]]) -> float:
        return float(np.mean([f(o)[1] - f(o)[0] for o in outcomes]))

    print(f"\n{label}")
    print("| interval (95 %) | populations | coverage | mean width |")
    print("|---|---|---|---|")
    rows: list[tuple[str, Callable[[Outcome], tuple[float, float]]]] = [
        ("true linkage (ceiling)", lambda o: o.oracle),
        ("single best linkage (linkage-blind)", lambda o: o.blind),
        ("combined over linkage draws", lambda o: o.combined),
    ]
    for name, f in rows:
        hit = share(lambda o, f=f: covers(f(o), o.n))  # type: ignore[misc]
        print(f"| {name} | {len(outcomes)} | {hit:.2f} | {width(f):,.0f} |")

    def mean(f: Callable[[Outcome], float]) -> float:
        return float(np.mean([f(o) for o in outcomes]))

    print(
        f"mean per population: observed persons true {mean(lambda o: o.observed_true):,.0f}, "
        f"best linkage {mean(lambda o: o.observed_blind):,.0f}, "
        f"linkage draws {mean(lambda o: o.observed_draws):,.1f}; best linkage's false merges "
        f"{mean(lambda o: o.false_merges):.1f}, missed merges {mean(lambda o: o.missed_merges):.1f}"
        f" (record pairs); uncertain pairs {mean(lambda o: o.uncertain):.1f}"
    )


def calibration(seed: int, n: int) -> None:
    """Share of true matches per band of Splink's match probability, on one population."""
    _, _, scored = splink_lists(seed, n)
    bands = (0, 0.1, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0001)
    print("\nSplink's calibration on one population")
    print("| probability band | pairs | mean p | share true |\n|---|---|---|---|")
    for lo, hi in itertools.pairwise(bands):
        inside = [(q, t) for q, t in scored if lo <= q < hi]
        if inside:
            p_mean = np.mean([q for q, _ in inside])
            true = np.mean([t for _, t in inside])
            print(f"| {lo}-{min(hi, 1)} | {len(inside)} | {p_mean:.3f} | {true:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("design", choices=("calibrated", "splink"))
    parser.add_argument("--populations", type=int, default=100)
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--size", type=int, default=2000, help="true N of each population")
    parser.add_argument("--method", choices=tuple(OPTIONS), default="dga")
    parser.add_argument("--mu", type=float, default=3.0, help="calibrated: score separation")
    parser.add_argument("--sigma", type=float, default=2.0, help="calibrated: score spread")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--floor", type=float, default=None,
        help="lowest probability that links in a draw (default: the prediction floor)",
    )  # fmt: skip
    a = parser.parse_args()
    print(
        f"machine: {platform.machine()}, python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; design {a.design}, N = {a.size:,}, "
        f"{len(LISTS)} lists (capture {CAPTURE}), method {a.method}, "
        f"{a.draws} linkage draws, link floor {a.floor or 'prediction floor'}"
    )
    jobs = [
        (a.design, 1000 + i, a.size, a.method, a.draws, a.mu, a.sigma, a.floor)
        for i in range(a.populations)
    ]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.workers) as pool:
        outcomes = list(pool.map(one, jobs))
    seconds = time.perf_counter() - t0
    label = (f"calibrated pair layer (mu {a.mu}, sigma {a.sigma})" if a.design == "calibrated"
             else "dalil's linkage (Splink) on dalil.linkage.synth lists")  # fmt: skip
    report(outcomes, label)
    print(f"{seconds:.0f} s on {a.workers} workers")
    if a.design == "splink":
        calibration(1000, a.size)


if __name__ == "__main__":
    main()
