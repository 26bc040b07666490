"""Blocking within a pair budget (``dalil.linkage.blocking``)."""

from __future__ import annotations

import pandas as pd

from dalil.linkage.blocking import BLOCKING_RULES, plan_blocking
from dalil.linkage.config import LinkageConfig


def _namesakes(n: int, **columns: str | list[str] | list[int]) -> pd.DataFrame:
    """``n`` records that all share given and family name key, plus ``columns``."""
    frame = pd.DataFrame({"given_k": ["mhmd"] * n, "family_k": ["ahmd"] * n})
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_rules_need_their_columns() -> None:
    frame = pd.DataFrame({"given_k": ["a", "b"], "family_k": ["c", "d"], "place": ["x", "y"]})
    rules, notes = plan_blocking(frame, LinkageConfig())
    assert rules == [("given_k", "family_k"), ("family_k", "place")] and notes == []
    assert plan_blocking(frame, LinkageConfig(), present={"given_k"}) == ([], [])
    names = {"given_k", "father_k", "grandfather_k", "family_k"}
    assert all(
        set(rule) <= names | {"gov", "place", "dod_lo", "age", "dob_lo"} for rule in BLOCKING_RULES
    )


def test_a_rule_over_budget_is_tightened_with_the_governorate() -> None:
    # 1,500 namesakes make 1,124,250 pairs, over the 1e6 floor of the budget; three
    # governorates of 500 make 374,250
    frame = _namesakes(1500, gov=["Latakia", "Tartus", "Homs"] * 500)
    rules, notes = plan_blocking(frame, LinkageConfig())
    assert rules == [("given_k", "family_k", "gov")]
    assert notes == ["blocking rule given_k + family_k tightened with gov (374,250 pairs)"]


def test_then_with_the_date_then_both_then_the_rule_is_dropped() -> None:
    days = [20250306, 20250307, 20250308] * 500
    by_date = _namesakes(1500, gov="Latakia", dod_lo=days)
    rules, notes = plan_blocking(by_date, LinkageConfig())
    assert ("given_k", "family_k", "dod_lo") in rules
    assert notes[0] == "blocking rule given_k + family_k tightened with dod_lo (374,250 pairs)"
    dropped = _namesakes(1500)
    assert plan_blocking(dropped, LinkageConfig()) == (
        [],
        ["blocking rule given_k + family_k dropped: over 1,000,000 pairs"],
    )


def test_the_budget_grows_with_the_records() -> None:
    # with 1,000 pairs allowed per record, 1,500 records may make 1.5 million pairs
    frame = _namesakes(1500)
    rules, notes = plan_blocking(frame, LinkageConfig(pairs_per_record=1000))
    assert rules == [("given_k", "family_k")] and notes == []
