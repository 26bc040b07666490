"""Multiple Systems Estimation against published figures (tests/fixtures/mse/README.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaln

from dalil.errors import InvalidInput
from dalil.estimate import dga, lcmcr, loglinear
from dalil.estimate.captures import CaptureTable, parse_csv, read_csv

MSE = Path(__file__).parent / "fixtures" / "mse"


def table(name: str) -> CaptureTable:
    return read_csv(MSE / f"{name}.csv")


def from_r_array(values: list[int], names: str) -> CaptureTable:
    """A table given in R array order (first list varies fastest; cell 0 = all zero)."""
    counts = {}
    for code, count in enumerate(values):
        pattern = tuple((code >> i) & 1 for i in range(len(names)))
        if any(pattern):
            counts[pattern] = count
    return CaptureTable.from_counts(list(names), counts)


# -- input -----------------------------------------------------------------------------------


def test_capture_csv_validation_names_row_and_column() -> None:
    ok = parse_csv("A,B,count\n1,0,5\n0,1,3\n1,1,2\n1,0,1\n")
    assert ok.n == 11 and ok.list_sizes() == {"A": 8, "B": 5}
    per_person = parse_csv("A,B,C\n1,0,0\n1,1,0\n0,0,1\n")
    assert per_person.n == 3 and per_person.j == 3
    cases = [
        ("A,B,count\n1,2,5\n", "captures.csv:2:B: must be 0 or 1"),
        ("A,B,count\n0,0,5\n", "captures.csv:2: all-zero row"),
        ("A,B,count\n1,0,-1\n", "captures.csv:2:count: must be a non-negative integer"),
        ("A,count\n1,3\n", "at least two list columns"),
        ("", "empty"),
    ]
    for text, expected in cases:
        with pytest.raises(InvalidInput) as info:
            parse_csv(text)
        assert expected in str(info.value)


# -- log-linear models -----------------------------------------------------------------------


def test_kosovo_best_bic_over_113_models_reproduces_published_10357() -> None:
    kosovo = table("kosovo_1999")
    assert kosovo.n == 4400
    assert sum(1 for _ in loglinear.hierarchical_models(4)) == 113
    fits = loglinear.ranked(kosovo, "bic")
    best = fits[0]
    assert round(best.estimate(kosovo.n)) == 10357  # Silverman, Chan & Vincent 2024, Table 6
    assert round(best.se_n) == 786
    assert round(fits[1].estimate(kosovo.n)) == 12741  # the unstable runner-up (dBIC 0.1)
    assert round(loglinear.fit(kosovo, loglinear.Model()).estimate(kosovo.n)) == 7395


def test_new_orleans_stepwise_reproduces_published_1184() -> None:
    orleans = table("new_orleans_trafficking_8lists")
    main = loglinear.fit(orleans, loglinear.Model())
    assert round(main.estimate(orleans.n)) == 997  # CSV 2021: main effects 997
    chosen, log = loglinear.stepwise(orleans, 0.02)
    assert chosen.model.label(orleans.lists) == "D:E"
    assert round(chosen.estimate(orleans.n)) == 1184  # CSV 2021 sec. 4
    assert len(log) == 2


def test_artificial_3_models_without_an_estimate_are_refused_with_the_reason() -> None:
    art = table("artificial_3_identifiability")
    ab = loglinear.fit(art, loglinear.Model(frozenset({frozenset({0, 1})})))
    assert not ab.ok and "no maximum-likelihood estimate" in ab.reason
    pairs = frozenset(frozenset(p) for p in ((0, 1), (0, 2), (1, 2)))
    everything = loglinear.fit(art, loglinear.Model(pairs))
    assert not everything.ok and "not identifiable" in everything.reason
    assert np.isnan(everything.n0)


def test_hierarchical_enumeration_counts() -> None:
    assert sum(1 for _ in loglinear.hierarchical_models(3)) == 8
    for model in loglinear.hierarchical_models(4):
        for term in model.terms:
            for sub in (term - {i} for i in term):
                assert len(sub) < 2 or sub in model.terms


# -- model averaging over decomposable graphs ------------------------------------------------


def test_decomposable_graph_counts() -> None:
    assert [len(dga.decomposable_graphs(j)) for j in (3, 4, 5)] == [8, 61, 822]


def test_madigan_york_three_list_example_matches_dga_package() -> None:
    y = from_r_array([0, 60, 49, 4, 247, 112, 142, 12], "abc")
    a, b = 13.14, 55.17

    def prior(n: np.ndarray) -> np.ndarray:
        return (
            n * np.log(b) - (n + a) * np.log(1 + b) + gammaln(n + a) - gammaln(n + 1) - gammaln(a)
        )

    post = dga.bma(y, np.arange(1, 301), 1.0, prior)
    top = int(post.model_probabilities.argmax())
    assert round(float(post.model_probabilities[top]), 2) == 0.37
    assert round(post.bayes_relative_loss()) == 731
    assert post.n_values[post.n_probabilities.argmax()] == 728
    assert post.n_values[post.weights[top].argmax()] == 729


def test_kosovo_and_five_list_bma() -> None:
    kosovo = table("kosovo_1999")
    post = dga.bma(kosovo, np.arange(0, 40001 - kosovo.n), 2**-4)
    assert (post.quantile(0.5), post.quantile(0.025), post.quantile(0.975)) == (12595, 9827, 16544)
    assert round(float(post.model_probabilities.max()), 3) == 0.986
    five = from_r_array(
        [0, 27, 37, 19, 4, 4, 1, 1, 97, 22, 37, 25, 2, 1, 3, 5, 83, 36, 34, 18, 3, 5, 0, 2,
         30, 5, 23, 8, 0, 3, 0, 2], "abcde")  # fmt: skip
    p5 = dga.bma(five, np.arange(1, 301), 0.5)
    assert (p5.quantile(0.5), p5.quantile(0.025), p5.quantile(0.975)) == (616, 588, 655)


# -- LCMCR -------------------------------------------------------------------------------------


def test_lcmcr_is_reproducible_and_sane_on_kosovo() -> None:
    kosovo = table("kosovo_1999")
    a = lcmcr.sample(kosovo, k=10, burnin=2000, samples=300, thinning=10, chains=2, seed=7)
    b = lcmcr.sample(kosovo, k=10, burnin=2000, samples=300, thinning=10, chains=2, seed=7)
    assert np.array_equal(a.n, b.n)
    median = float(np.median(a.pooled()))
    assert 8500 < median < 14000  # between the independence and the all-pairs fits
    assert a.n.min() >= kosovo.n and np.isfinite(a.r_hat()) and a.ess() > 10
