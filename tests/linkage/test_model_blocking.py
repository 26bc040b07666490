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


def test_a_rule_over_budget_splits_only_its_large_blocks_by_governorate() -> None:
    # 1,500 namesakes make 1,124,250 pairs, over the 1e6 floor of the budget; three
    # governorates of 500 make 374,250. Two records with a rare name and no governorate
    # keep their block: a whole-rule tightening would have lost their pair.
    frame = _namesakes(1502, gov=[*(["Latakia", "Tartus", "Homs"] * 500), None, None])
    frame.loc[1500:, "given_k"] = "xyz"
    rules, notes = plan_blocking(frame, LinkageConfig())
    assert rules == [("block_given_k_family_k",)]
    assert notes == [
        "blocking rule given_k + family_k: its 1 blocks of over 41 records split by gov "
        "(374,251 pairs)"
    ]
    key = frame["block_given_k_family_k"]
    assert key[1500] == key[1501] and key[0] != key[1] and key[0] == key[3]


def test_what_is_still_too_large_is_left_out_and_small_blocks_stay() -> None:
    # one governorate: splitting does not help, so the 1,500 namesakes are left out of the
    # rule (other rules compare their pairs); the pair with a rare name stays
    frame = _namesakes(1502, gov="Latakia")
    frame.loc[1500:, "given_k"] = "xyz"
    rules, notes = plan_blocking(frame, LinkageConfig())
    assert rules == [("block_given_k_family_k",)]
    assert notes[0].endswith("split by gov, the still larger left out (1 pairs)")
    key = frame["block_given_k_family_k"]
    assert key[:1500].isna().all() and key[1500] == key[1501]
    # without a governorate column the large blocks are left out directly
    bare = _namesakes(1500)
    assert plan_blocking(bare, LinkageConfig()) == (
        [("block_given_k_family_k",)],
        ["blocking rule given_k + family_k: its 1 blocks of over 41 records left out (0 pairs)"],
    )


def test_the_budget_grows_with_the_records() -> None:
    # with 1,000 pairs allowed per record, 1,500 records may make 1.5 million pairs
    frame = _namesakes(1500)
    rules, notes = plan_blocking(frame, LinkageConfig(pairs_per_record=1000))
    assert rules == [("given_k", "family_k")] and notes == []
