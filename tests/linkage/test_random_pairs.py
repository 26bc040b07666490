"""u from random pairs in one pass, and the quicker exact-match test, against Splink's own."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import pytest
from splink import DuckDBAPI, Linker
from splink.internals.comparison_level import ComparisonLevel
from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT as NOT_SEEN

from dalil.linkage.backends import _NOT_EXACT, _QUOTED, quicker_exact_match_test
from dalil.linkage.blocking import plan_blocking
from dalil.linkage.config import LinkageConfig
from dalil.linkage.features import prepare
from dalil.linkage.model import _settings
from dalil.linkage.random_pairs import estimate_u, sample_size
from dalil.linkage.synth import generate

#: an extra column named as a spreadsheet header may be: a space, Arabic letters
EXTRA = "رقم الهوية"


@pytest.fixture(scope="module")
def prepared() -> pd.DataFrame:
    data = generate(150, 3, seed=4)
    rows = [
        dict(r, source=src, **{EXTRA: f"ID{i % 40}"})
        for src, rs in data.lists.items()
        for i, r in enumerate(rs)
    ]
    return prepare(rows, extra=(EXTRA,))


def _linker(prepared: pd.DataFrame) -> Any:
    config = LinkageConfig(extra_columns=(EXTRA,))
    present = {c for c in prepared.columns if prepared[c].notna().any()}
    rules, _ = plan_blocking(prepared, config, present)
    settings = _settings(config, rules, present)
    return Linker(DuckDBAPI().register(prepared), settings, log_level=logging.WARNING)


def _u(model: dict[str, Any]) -> list[float | None]:
    return [
        level.get("u_probability")
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]


def test_every_pair_gives_splinks_u(prepared: pd.DataFrame) -> None:
    """With more pairs allowed than there are (and no early stop), both estimators count
    every pair: the same u for every level a pair falls in; half a pair's share of the
    pairs compared for exactly the levels Splink finds no pair in (it keeps their
    default)."""
    everything = len(prepared) ** 2
    splinks = _linker(prepared)
    splinks.training.estimate_u_using_random_sampling(
        max_pairs=everything, seed=1, min_count_per_level=None
    )
    theirs = [
        (level.u_probability, level._trained_u_probabilities[-1]["probability"])
        for comparison in splinks._settings_obj.comparisons
        for level in comparison.comparison_levels
        if not level.is_null_level
    ]
    ours_linker = _linker(prepared)
    estimate_u(ours_linker, prepared, everything, seed=1)
    model = ours_linker.misc.save_model_to_json()
    ours = _u(model)
    seen = [(a, u) for a, (u, trained) in zip(ours, theirs, strict=True) if trained != NOT_SEEN]
    assert [a for a, _ in seen] == pytest.approx([u for _, u in seen], rel=1e-9)
    unseen = [a for a, (_, trained) in zip(ours, theirs, strict=True) if trained == NOT_SEEN]
    assert unseen  # some level no pair falls in (all deaths within days)
    assert all(a is not None and 0 < a < 0.01 for a in unseen)
    assert any(c["output_column_name"] == f"x_{EXTRA}" for c in model["comparisons"])


def test_a_comparison_the_sample_cannot_make_keeps_its_u(prepared: pd.DataFrame) -> None:
    """Birth dates on two records only: no pair compares them, so their u stays as it was
    rather than every level, "else" too, getting the tiny share of an unseen level."""
    sparse = prepared.copy()
    for col in ("dob_lo", "dob_hi"):
        sparse[col] = pd.array([20000, 20400] + [None] * (len(sparse) - 2), dtype="Int64")
    sparse["dob_s"] = ["20241004", "20251108"] + [None] * (len(sparse) - 2)
    before = _linker(sparse).misc.save_model_to_json()
    linker = _linker(sparse)
    estimate_u(linker, sparse, 1_000, seed=3)  # 46 records: the two are unlikely both in
    after = linker.misc.save_model_to_json()
    dates = [c for c in after["comparisons"] if c["output_column_name"] == "birth_date"]
    assert dates and dates == [
        c for c in before["comparisons"] if c["output_column_name"] == "birth_date"
    ]
    assert _u(after) != _u(before)  # the other comparisons did get theirs


def test_a_sample_of_records_gives_about_the_pairs_asked_for(prepared: pd.DataFrame) -> None:
    k = sample_size(len(prepared), 10_000)
    assert 10_000 <= k * (k - 1) // 2 < 10_000 + k
    assert sample_size(len(prepared), 1e9) == len(prepared)

    def u_of(seed: int) -> list[float | None]:
        linker = _linker(prepared)
        estimate_u(linker, prepared, 10_000, seed=seed)
        return _u(linker.misc.save_model_to_json())

    assert u_of(1) == u_of(1)  # the same seed, the same sample
    assert u_of(1) != u_of(2)


def test_the_quicker_exact_match_test_agrees_with_splinks(prepared: pd.DataFrame) -> None:
    settings = _linker(prepared)._settings_obj
    levels = [level for c in settings.comparisons for level in c.comparison_levels]
    splinks = ComparisonLevel.__dict__["_is_exact_match"]
    theirs = [level._is_exact_match for level in levels]
    with quicker_exact_match_test():
        assert ComparisonLevel.__dict__["_is_exact_match"] is not splinks
        with quicker_exact_match_test():  # nested (another thread): Splink's test kept
            ours = [level._is_exact_match for level in levels]
        assert [level._is_exact_match for level in levels] == ours
    assert ComparisonLevel.__dict__["_is_exact_match"] is splinks
    assert ours == theirs and 0 < sum(ours) < len(ours)
    # the look at the SQL settles most levels without Splink's normalisation, and no
    # exact-match level among them
    quick = [bool(_NOT_EXACT.search(_QUOTED.sub('""', lv.sql_condition))) for lv in levels]
    assert sum(quick) > len(levels) / 2 and not any(
        q and t for q, t in zip(quick, theirs, strict=True)
    )
