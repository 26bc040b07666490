"""u from random pairs in one pass, and the quicker exact-match test, against Splink's own."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import pytest
from splink import DuckDBAPI, Linker
from splink.internals.comparison_level import ComparisonLevel

from dalil.linkage.backends import quicker_exact_match_test
from dalil.linkage.blocking import plan_blocking
from dalil.linkage.config import LinkageConfig
from dalil.linkage.features import prepare
from dalil.linkage.model import _settings
from dalil.linkage.random_pairs import estimate_u, sample_size
from dalil.linkage.synth import generate


@pytest.fixture(scope="module")
def prepared() -> pd.DataFrame:
    data = generate(150, 3, seed=4)
    return prepare([dict(r, source=src) for src, rs in data.lists.items() for r in rs])


def _linker(prepared: pd.DataFrame) -> Any:
    present = {c for c in prepared.columns if prepared[c].notna().any()}
    rules, _ = plan_blocking(prepared, LinkageConfig(), present)
    settings = _settings(LinkageConfig(), rules, present)
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
    every pair: the same u for every level a pair falls in; half a pair's share for a
    level none does, where Splink keeps the level's default."""
    everything = len(prepared) ** 2
    splinks = _linker(prepared)
    splinks.training.estimate_u_using_random_sampling(
        max_pairs=everything, seed=1, min_count_per_level=None
    )
    theirs = [
        level.u_probability
        for comparison in splinks._settings_obj.comparisons
        for level in comparison.comparison_levels
        if not level.is_null_level
    ]
    model = _linker(prepared).misc.save_model_to_json()
    estimate_u(model, prepared, everything, seed=1)
    ours = _u(model)
    half = 0.5 / (len(prepared) * (len(prepared) - 1) // 2)
    seen = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != half]
    assert [a for a, _ in seen] == pytest.approx([b for _, b in seen], rel=1e-9)
    assert len(seen) < len(ours)  # some level no pair falls in (all deaths within days)
    assert all(u is not None and 0 < u <= 1 for u in ours)


def test_a_sample_of_records_gives_about_the_pairs_asked_for(prepared: pd.DataFrame) -> None:
    k = sample_size(len(prepared), 10_000)
    assert 10_000 <= k * (k - 1) // 2 < 10_000 + k
    assert sample_size(len(prepared), 1e9) == len(prepared)
    model = _linker(prepared).misc.save_model_to_json()
    estimate_u(model, prepared, 10_000, seed=1)
    again = _linker(prepared).misc.save_model_to_json()
    estimate_u(again, prepared, 10_000, seed=1)
    assert _u(model) == _u(again)  # the same seed, the same sample
    estimate_u(again, prepared, 10_000, seed=2)
    assert _u(model) != _u(again)


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
