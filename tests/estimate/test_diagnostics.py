"""Diagnostics of a capture table: overlaps, pairwise odds ratios, warnings, sensitivity."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest

from dalil.errors import InvalidInput
from dalil.estimate import diagnostics, loglinear
from dalil.estimate.captures import CaptureTable, read_csv
from dalil.estimate.strata import estimate_strata
from dalil.model.words import Phrase, from_json, to_json

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mse"
KOSOVO = FIXTURES / "kosovo_1999.csv"

Z95 = 1.959963984540054

# three lists A, B, C; persons per pattern (A, B, C)
HAND = {
    (1, 1, 1): 10,
    (1, 0, 1): 20,
    (0, 1, 1): 5,
    (0, 0, 1): 40,
    (1, 1, 0): 7,
    (1, 0, 0): 30,
    (0, 1, 0): 9,
}


def table(counts: dict[Any, int], names: str = "ABC") -> CaptureTable:
    return CaptureTable.from_counts(list(names), counts)


def pair(rows: list[dict[str, object]], a: str, b: str) -> dict[str, object]:
    return next(r for r in rows if r["lists"] == [a, b])


def test_overlaps_count_sizes_singletons_and_pairs() -> None:
    got = diagnostics.overlaps(table(HAND))
    assert got["observed"] == 121
    assert got["lists"] == [
        {"list": "A", "size": 10 + 20 + 7 + 30, "only": 30},
        {"list": "B", "size": 10 + 5 + 7 + 9, "only": 9},
        {"list": "C", "size": 10 + 20 + 5 + 40, "only": 40},
    ]
    assert got["pairs"] == [
        {"lists": ["A", "B"], "both": 17},
        {"lists": ["A", "C"], "both": 30},
        {"lists": ["B", "C"], "both": 15},
    ]


def test_odds_ratio_of_a_pair_is_taken_among_persons_on_the_other_lists() -> None:
    rows = diagnostics.odds_ratios(table(HAND))
    ab = pair(rows, "A", "B")
    # among persons on C: A&B 10, A only 20, B only 5, neither 40
    assert ab["cells"] == [10, 20, 5, 40] and ab["among"] == 75
    assert ab["odds_ratio"] == pytest.approx(10 * 40 / (20 * 5))
    se = math.sqrt(1 / 10 + 1 / 20 + 1 / 5 + 1 / 40)
    assert ab["interval"] == pytest.approx(
        [4 * math.exp(-Z95 * se), 4 * math.exp(Z95 * se)], rel=1e-3
    )
    assert ab["corrected"] is False
    # among persons on B: A&C 10, A not C 7, C not A 5, neither 9
    assert pair(rows, "A", "C")["odds_ratio"] == pytest.approx(10 * 9 / (7 * 5), rel=1e-3)


def test_a_zero_cell_gets_the_half_correction_and_an_empty_margin_no_ratio() -> None:
    counts = dict(HAND) | {(1, 1, 1): 0}
    ab = pair(diagnostics.odds_ratios(table(counts)), "A", "B")
    assert ab["cells"] == [0, 20, 5, 40] and ab["corrected"] is True
    assert ab["odds_ratio"] == pytest.approx(0.5 * 40.5 / (20.5 * 5.5), rel=1e-3)
    # nobody on C is on B: the B column of the A-B table is empty, nothing to estimate
    counts = dict(HAND) | {(1, 1, 1): 0, (0, 1, 1): 0}
    ab = pair(diagnostics.odds_ratios(table(counts)), "A", "B")
    assert ab["odds_ratio"] is None and ab["interval"] is None


def test_two_lists_have_no_observable_odds_ratio() -> None:
    two = CaptureTable.from_counts(["A", "B"], {(1, 1): 30, (1, 0): 40, (0, 1): 50})
    assert diagnostics.odds_ratios(two) == []
    assert diagnostics.TWO_LISTS in diagnostics.warnings_for(two)


def test_kosovo_odds_ratios_computed_independently_from_the_csv() -> None:
    with KOSOVO.open(encoding="utf-8") as f:
        rows = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(f)]

    def cells(a: str, b: str) -> tuple[int, int, int, int]:
        others = [n for n in ("EXH", "ABA", "OSCE", "HRW") if n not in (a, b)]
        seen = [r for r in rows if any(r[o] for o in others)]
        return (
            sum(r["count"] for r in seen if r[a] and r[b]),
            sum(r["count"] for r in seen if r[a] and not r[b]),
            sum(r["count"] for r in seen if not r[a] and r[b]),
            sum(r["count"] for r in seen if not r[a] and not r[b]),
        )

    got = diagnostics.odds_ratios(read_csv(KOSOVO))
    assert len(got) == 6
    for a, b in (("EXH", "ABA"), ("ABA", "HRW"), ("OSCE", "HRW")):
        n11, n10, n01, n00 = cells(a, b)
        row = pair(got, a, b)
        assert row["cells"] == [n11, n10, n01, n00]
        assert row["odds_ratio"] == pytest.approx(n11 * n00 / (n10 * n01), rel=1e-3)
    # EXH and ABA: 226 * 1365 / (376 * 280) = 2.93, clearly positive dependence
    assert pair(got, "EXH", "ABA")["interval"][0] > 1  # type: ignore[index]


def test_kosovo_gets_no_warning_and_describe_is_json() -> None:
    found, warnings = diagnostics.describe(read_csv(KOSOVO))
    assert warnings == []
    assert set(found) == {"overlaps", "odds_ratios"}
    assert json.loads(json.dumps(found)) == found


def test_a_list_that_shares_nobody_is_named() -> None:
    counts = {(1, 1, 0): 30, (1, 0, 0): 40, (0, 1, 0): 50, (0, 0, 1): 20}
    warnings = diagnostics.warnings_for(table(counts))
    assert diagnostics.NO_OVERLAP.format(lists="C") in warnings


def test_the_demo_sized_stratum_is_too_small() -> None:
    eight = table({(1, 0, 0): 3, (0, 1, 0): 2, (1, 1, 0): 1, (0, 0, 1): 2})
    small = diagnostics.too_small(eight)
    assert small is not None and small.endswith(
        ": 8 documented, 1 of 3 pairs share someone, 1 on more than one list"
    )
    assert small.startswith("the table is too small to estimate from: it needs at least 20 ")
    assert small in diagnostics.warnings_for(eight)
    assert diagnostics.too_small(table(HAND)) is None
    # enough persons but only six seen twice
    few = table({(1, 0, 0): 40, (0, 1, 0): 40, (0, 0, 1): 40, (1, 1, 0): 3, (0, 1, 1): 3})
    assert diagnostics.too_small(few) is not None


def test_a_list_holding_everyone_and_a_list_inside_another() -> None:
    everyone = table({(1, 0, 0): 30, (1, 1, 0): 10, (1, 0, 1): 10, (1, 1, 1): 5})
    warnings = diagnostics.warnings_for(everyone)
    assert diagnostics.HOLDS_EVERYONE.format(lists="A") in warnings
    assert not any(getattr(w, "msgid", "") == diagnostics.CONTAINED for w in warnings)
    inside = dict(HAND) | {(0, 1, 0): 0, (0, 1, 1): 0}  # every B is also on A
    warnings = diagnostics.warnings_for(table(inside))
    assert diagnostics.CONTAINED.format(pairs="B in A") in warnings


def test_an_empty_list_is_named_and_not_called_unlinked() -> None:
    counts = {(1, 1, 0): 30, (1, 0, 0): 40, (0, 1, 0): 50}
    warnings = diagnostics.warnings_for(table(counts))
    assert diagnostics.EMPTY_LIST.format(lists="C") in warnings
    assert not any(getattr(w, "msgid", "") == diagnostics.NO_OVERLAP for w in warnings)


def test_every_warning_is_one_of_the_fixed_sentences_with_its_values() -> None:
    tables = [
        table({(1, 0, 0): 3, (0, 1, 0): 2, (1, 1, 0): 1, (0, 0, 1): 2}),
        table({(1, 0, 0): 30, (1, 1, 0): 10, (1, 0, 1): 10, (1, 1, 1): 5}),
        table({(1, 1, 0): 30, (1, 0, 0): 40, (0, 1, 0): 50}),
    ]
    seen = [w for t in tables for w in diagnostics.warnings_for(t)]
    assert len(seen) >= 4
    for w in seen:  # a phrase a page can say again in its language
        assert isinstance(w, Phrase) and w.msgid in diagnostics.WARNINGS, w
        assert from_json(json.loads(json.dumps(to_json(w)))) == w


def test_ranking_skips_failed_fits_and_keeps_k() -> None:
    t = read_csv(FIXTURES / "korea_palembang_3lists.csv")
    fits = loglinear.ranked(t, "bic")  # 8 models, 2 without an estimate (last)
    assert [f.ok for f in fits].count(False) == 2
    got = diagnostics.ranking(fits, t, k=10)
    assert len(got["ranking"]) == 6
    got = diagnostics.ranking(fits, t, k=2)
    assert [r["estimate"] for r in got["ranking"]] == [round(f.estimate(t.n), 1) for f in fits[:2]]
    assert got["ranking_range"] == sorted(r["estimate"] for r in got["ranking"])
    assert diagnostics.ranking([f for f in fits if not f.ok], t)["ranking_range"] is None


def test_ranking_on_kosovo_starts_with_the_published_bic_model() -> None:
    t = read_csv(KOSOVO)
    got = diagnostics.ranking(loglinear.ranked(t, "bic"), t, k=5)
    assert len(got["ranking"]) == 5
    # 10,357 in Silverman, Chan & Vincent 2024
    assert got["ranking"][0]["estimate"] == pytest.approx(10357, abs=1)
    lo, hi = got["ranking_range"]
    assert lo <= 10357 <= hi and hi > lo


def test_ranking_names_the_terms_fixed_at_minus_infinity() -> None:
    t = read_csv(FIXTURES / "uk_slavery_2013_5lists.csv")  # LA and GP share nobody
    rows = diagnostics.ranking(loglinear.ranked(t, "bic", 2), t, k=1000)["ranking"]
    assert any("LA:GP" in r["fixed_terms"] for r in rows)
    assert all("LA:GP" in r["model"] for r in rows if "LA:GP" in r["fixed_terms"])


def test_sensitivity_to_k_runs_lcmcr_per_k() -> None:
    t = table(HAND)
    calls: list[tuple[str, int, int]] = []
    got = diagnostics.sensitivity_to_k(
        t,
        (2, 4),
        seed=3,
        burnin=200,
        samples=60,
        thinning=2,
        chains=2,
        progress=lambda *a: calls.append(a),
    )
    assert [r["k"] for r in got] == [2, 4]
    for r in got:
        lo, hi = r["interval"]
        assert t.n <= lo <= r["estimate"] <= hi
    assert calls[-1] == ("K", 2, 2)


def test_a_too_small_stratum_is_estimated_warned_about_and_named() -> None:
    eight = table({(1, 0, 0): 3, (0, 1, 0): 2, (1, 1, 0): 1, (0, 0, 1): 2})
    got = estimate_strata({"big": table(HAND), "tiny": eight}, "loglinear", replicates=20)
    assert set(got.strata) == {"big", "tiny"} and got.small == ["tiny"]
    small = diagnostics.too_small(eight)
    assert f"stratum tiny: {small}" in got.warnings
    assert not any(w.startswith("stratum big: the table") for w in got.warnings)
    assert got.to_dict()["small_strata"] == ["tiny"]


def test_a_stratum_without_any_estimate_is_refused_with_the_reason() -> None:
    # list A holds everyone: no log-linear model has a maximum-likelihood estimate
    held = table({(1, 0, 0): 30, (1, 1, 0): 10, (1, 0, 1): 10, (1, 1, 1): 5})
    got = estimate_strata({"big": table(HAND), "held": held}, "loglinear", replicates=20)
    assert set(got.strata) == {"big"} and got.refused_observed == 55
    assert got.refused["held"].startswith("no estimate: ")
    with pytest.raises(InvalidInput):  # nothing estimable at all: the error itself
        estimate_strata({"held": held}, "loglinear", replicates=20)
