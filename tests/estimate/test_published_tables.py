"""Regression against the published figures of Silverman, Chan & Vincent (2024),
"Bootstrapping multiple systems estimates to account for model selection", Statistics
and Computing 34:44, Table 6 (the all-model columns) and Tables 2-3, on the tables of
their R package MultipleSystemsEstimation (tests/fixtures/mse/README.md).

Point estimates are deterministic and must agree to the paper's rounding (whole
persons). Interval limits are Monte Carlo figures (1,000 multinomial replicates drawn by
R's generator in the paper, by NumPy's here), so they agree only up to simulation error:
across seeds dalil's limits for Kosovo and Korea scatter a few per cent either side of
the published ones; the tolerance below is 8 %. The five-list intervals also differ in
what they cover: the paper refits all 6,893 (or 1,024) models on each replicate, dalil
the observed table's best 100, so for New Orleans the lower limit is the paper's Figure 3
value for 50-60 models (about 440-470), not its all-model 397.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from dalil.estimate import loglinear
from dalil.estimate.captures import CaptureTable, read_csv
from dalil.estimate.estimates import estimate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mse"


def table(name: str) -> CaptureTable:
    return read_csv(FIXTURES / f"{name}.csv")


UK_PAIRS = "LA:NG + LA:PFNCA + NG:PFNCA + NG:GP + PFNCA:GO"  # SCV's [12,13,23,25,34]
# (table, maximum order, published estimate, published best model in dalil's labels)
TABLE_6 = [
    ("uk_slavery_2013_5lists", 4, 25311, UK_PAIRS + " + LA:NG:PFNCA"),  # [123,25,34]
    ("uk_slavery_2013_5lists", 2, 22991, UK_PAIRS),
    ("new_orleans_trafficking_5lists", 4, 981, "main effects"),
    ("new_orleans_trafficking_5lists", 2, 981, "main effects"),
    ("kosovo_1999", 3, 10357, "EXH:ABA + EXH:OSCE + EXH:HRW + ABA:OSCE + OSCE:HRW + EXH:ABA:OSCE"),
    ("kosovo_1999", 2, 14342, "EXH:ABA + EXH:OSCE + EXH:HRW + ABA:OSCE + OSCE:HRW"),
    ("korea_palembang_3lists", 2, 157, "b:c + c:d"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "order", "published", "model"), TABLE_6)
def test_best_bic_model_and_estimate_as_published(
    name: str, order: int, published: int, model: str
) -> None:
    t = table(name)
    best = loglinear.ranked(t, "bic", order)[0]
    assert best.ok
    assert best.model.label(t.lists) == model
    assert round(best.estimate(t.n)) == published


def test_six_list_uk_search_finds_the_published_order_two_optimum() -> None:
    # Table 6 gives 12,350 for the six-list UK data from a downhill search; the exhaustive
    # search over all 32,768 pairwise models finds the same model
    t = table("uk_slavery_2013_6lists")
    best = loglinear.ranked(t, "bic", 2)[0]
    assert round(best.estimate(t.n)) == 12350


def test_a_term_fixed_at_minus_infinity_counts_in_bic() -> None:
    # UK five lists: LA and GP share nobody. Under the old rule (an empty-overlap term
    # charged 2 under BIC, its higher terms free) a model holding LA:GP won with about
    # 12,100; counted as SCV count it, the best model does not hold it.
    t = table("uk_slavery_2013_5lists")
    la_gp = frozenset({t.lists.index("LA"), t.lists.index("GP")})
    assert t.overlap(la_gp) == 0
    fits = [f for f in loglinear.ranked(t, "bic", 4) if f.ok]
    assert la_gp not in fits[0].model.terms
    holding = next(f for f in fits if la_gp in f.model.terms)
    assert la_gp in holding.fixed
    p = holding.model.parameters(t.j)
    assert holding.bic == pytest.approx(p * math.log(t.n) - 2 * holding.loglik)
    assert holding.aic == pytest.approx(2 * p - 2 * holding.loglik)


# (table, maximum order, published 95 % interval (all models), tolerance of the lower limit)
INTERVALS = [
    ("kosovo_1999", 3, (6947, 18010), 0.08),
    ("kosovo_1999", 2, (12451, 16273), 0.08),
    ("korea_palembang_3lists", 2, (128, 349), 0.08),
    ("uk_slavery_2013_5lists", 4, (11168, 56052), 0.08),
    ("new_orleans_trafficking_5lists", 4, (455, 1511), 0.08),
]


@pytest.mark.parametrize(("name", "order", "published", "tolerance"), INTERVALS)
def test_bootstrap_interval_near_the_published_one(
    name: str, order: int, published: tuple[int, int], tolerance: float
) -> None:
    t = table(name)
    got = estimate(t, "loglinear", select="bic", max_order=order, seed=1234)
    lo, hi = got.interval
    assert lo == pytest.approx(published[0], rel=tolerance)
    assert hi == pytest.approx(published[1], rel=0.08)
    assert "among the" in got.diagnostics["interval_covers"]
