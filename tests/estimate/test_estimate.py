"""Multiple Systems Estimation against published figures (tests/fixtures/mse/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaln

from dalil.errors import InvalidInput
from dalil.estimate import closed, dga, intervals, lcmcr, loglinear, simulate
from dalil.estimate.captures import CaptureTable, parse_csv, read_csv
from dalil.estimate.estimates import Estimate, estimate
from dalil.estimate.strata import Stratified, estimate_strata
from dalil.workspace import Workspace

MSE = Path(__file__).parent.parent / "fixtures" / "mse"


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


# -- intervals, reported estimates, strata ---------------------------------------------------


def test_kosovo_profile_interval_matches_ball_et_al() -> None:
    kosovo = table("kosovo_1999")
    best = loglinear.ranked(kosovo)[0]
    lo, hi = intervals.profile_interval(kosovo, best.model, best.estimate(kosovo.n)) or (0, 0)
    assert abs(lo - 9002) < 50 and abs(hi - 12122) < 50  # Ball et al. 2002: 9,002 - 12,122


def test_loglinear_estimate_json_with_bootstrap_reselection() -> None:
    kosovo = table("kosovo_1999")
    est = estimate(kosovo, "loglinear", select="bic", replicates=60, seed=3)
    d = est.to_dict()
    assert set(d) >= {"method", "model", "observed", "estimate", "interval", "level"}
    assert d["observed"] == 4400 and round(est.estimate) == 10357
    lo, hi = d["interval"]
    assert lo < est.estimate < hi and hi - lo > 3000  # model uncertainty widens it
    assert any("highest-order interaction" in a for a in d["assumptions"])
    assert d["diagnostics"]["ranking"][0]["estimate"] == d["estimate"]
    assert d["diagnostics"]["bootstrap_replicates"] == 60


def test_identifiability_failure_is_an_error_not_a_number() -> None:
    art = table("artificial_3_identifiability")
    assert all(not f.ok or f.model.terms != frozenset(
        frozenset(p) for p in ((0, 1), (0, 2), (1, 2))) for f in loglinear.ranked(art))  # fmt: skip
    two = CaptureTable.from_counts(["A", "B"], {(1, 0): 10, (0, 1): 5, (1, 1): 0})
    with pytest.raises(InvalidInput):
        estimate(two, "loglinear", replicates=10)  # no overlap: no estimate from two lists


def test_dga_and_lcmcr_estimates_report_their_diagnostics() -> None:
    kosovo = table("kosovo_1999")
    bma = estimate(kosovo, "dga").to_dict()
    assert bma["estimate"] == 12595 and bma["diagnostics"]["prior"] == "1/N"
    small_grid = estimate(kosovo, "dga", grid_factor=2)
    assert any("widen the grid" in w for w in small_grid.warnings)
    short = estimate(kosovo, "lcmcr", lcmcr_options={"burnin": 200, "samples": 50, "chains": 2})
    assert short.traces is not None and short.traces.shape == (2, 50)
    assert any("run longer" in w for w in short.warnings)


def test_strata_are_summed_and_thin_strata_refused() -> None:
    rng = np.random.default_rng(4)
    a = simulate.population(800, *simulate.TWO_GROUPS, rng)
    b = simulate.population(400, *simulate.TWO_GROUPS, rng)
    thin = CaptureTable.from_counts(["A", "B", "C", "D", "E"], {(1, 0, 0, 0, 0): 7,
                                                                (0, 1, 0, 0, 0): 3})  # fmt: skip
    opts = {"burnin": 1000, "samples": 200, "thinning": 10, "chains": 2}
    result = estimate_strata({"north": a, "south": b, "east": thin}, "lcmcr", lcmcr_options=opts)
    assert set(result.strata) == {"north", "south"} and "east" in result.refused
    assert result.refused_observed == 10
    parts = sum(e.estimate for e in result.strata.values())
    assert abs(result.total - parts - 10) < 0.1 * parts
    assert result.interval[0] < result.total < result.interval[1]
    assert result.to_dict()["observed"] == a.n + b.n + 10


@pytest.mark.parametrize(
    ("method", "design", "minimum"),
    [("lcmcr", "groups", 0.8), ("dga", "groups", 0.75), ("dga", "copying", 0.7),
     ("lcmcr", "copying", 0.8)],
)  # fmt: skip
def test_intervals_cover_a_known_total(method: str, design: str, minimum: float) -> None:
    """20 populations of 2,000 with heterogeneous capture or list dependence."""
    rng = np.random.default_rng(2 if design == "groups" else 3)
    hits = 0
    for r in range(20):
        if design == "groups":
            tab = simulate.population(2000, *simulate.TWO_GROUPS, rng)
        else:
            tab = simulate.dependent_population(2000, [0.3, 0.15, 0.3, 0.25], {1: (0, 0.6)}, rng)
        opts = {"burnin": 3000, "samples": 400, "thinning": 20, "chains": 2}
        est = estimate(tab, method, seed=r, lcmcr_options=opts)  # type: ignore[arg-type]
        hits += est.interval[0] <= 2000 <= est.interval[1]
    assert hits / 20 >= minimum


# -- case estimates and the CLI --------------------------------------------------------------


def test_case_estimate_from_linked_persons_is_stored_with_its_inputs(demo_ws: Workspace) -> None:
    from dalil.estimate import service
    from dalil.linkage import service as linkage
    from dalil.records import cases

    with demo_ws.session() as s:
        case_id = cases.all_cases(s)[0].id
        linkage.run_linkage(s, case_id, "t")
    opts = {"lcmcr_options": {"burnin": 1000, "samples": 200, "chains": 2}}
    with demo_ws.session() as s:
        whole = service.estimate_case(s, case_id, "analyst", "lcmcr", **opts)
        by_gov = service.estimate_case(s, case_id, "analyst", "lcmcr", ("governorate",), **opts)
    assert isinstance(whole, Estimate) and whole.observed > 150
    assert isinstance(by_gov, Stratified) and set(by_gov.strata) | set(by_gov.refused) >= {
        "Latakia"
    }
    with demo_ws.session() as s:
        stored = service.stored(s, case_id)
        assert len(stored) >= 2
        inputs = stored[-1]["inputs"]
        assert inputs["strata"] == ["governorate"] and len(inputs["lists"]) == 3
        assert inputs["linkage_run"] and "em_sessions" in inputs["linkage_training"]
        linkage.delete_runs(s, case_id)
    with pytest.raises(InvalidInput), demo_ws.session() as s:
        service.case_tables(s, case_id, ("religion",))


def test_estimate_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dalil.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["estimate", str(MSE / "kosovo_1999.csv"), "--method", "dga",
                              "--json", "--plots", str(tmp_path)])  # fmt: skip
    assert out.exit_code == 0, out.output
    d = json.loads(out.output[out.output.index("{") :])
    assert d["estimate"] == 12595 and d["interval"] == [9827, 16544]
    assert (tmp_path / "distribution.svg").read_text().startswith("<svg")
    neither = runner.invoke(cli, ["estimate"])
    assert neither.exit_code != 0


def test_rcapture_heterogeneity_models() -> None:
    lesbian = table("allegheny_lesbian_mailing_lists")
    fits = closed.closed_population_models(lesbian)
    assert fits[0].name == "Mth Darroch"  # Rcapture's documented choice by BIC
    names = {f.name for f in fits}
    assert {"M0", "Mt", "Mh Poisson2", "Mth Gamma3.5", "Mh Chao (LB)"} <= names
    hare = closed.closed_population_models(table("snowshoe_hare_6occasions"))
    assert hare[0].name.startswith("Mh") and 68 < hare[0].estimate < 120
