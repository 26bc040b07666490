"""Blocking within a pair budget (``dalil.linkage.blocking``)."""

from __future__ import annotations

import pandas as pd

from dalil.linkage.blocking import BLOCKING_RULES, plan_blocking, rule_sql
from dalil.linkage.config import LinkageConfig
from dalil.linkage.features import prepare
from dalil.linkage.model import score


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


def test_a_rule_on_one_name_part_leaves_out_pairs_whose_other_names_disagree() -> None:
    """Same given name and day of death: a family name spelt the same, with a key one
    letter off (Khatib/Katib) or missing, or the same father, keeps the pair a candidate;
    a different family and a different father do not, unless another rule finds the pair
    (the same birth date)."""
    rows = [
        {"full_name": "Khaled Samir Khatib", "date_of_death": "2025-03-07"},
        {"full_name": "Khaled Samir Khateeb", "date_of_death": "2025-03-07"},
        {"full_name": "Khaled Nabil Haddad", "date_of_death": "2025-03-07"},
        {"full_name": "Khaled Samir Mansour", "date_of_death": "2025-03-07"},
        {"full_name": "Khaled", "date_of_death": "2025-03-07"},
        {"full_name": "Khaled Nabil Katib", "date_of_death": "2025-03-07"},
        {
            "full_name": "Khaled Walid Zein",
            "date_of_death": "2025-03-07",
            "birth_date": "1980-02-01",
        },
        {
            "full_name": "Khaled Nabil Haddad",
            "date_of_death": "2025-03-07",
            "birth_date": "1980-02-01",
        },
    ]
    for i, row in enumerate(rows):
        row |= {"source": f"list{i % 2}", "record_id": str(i)}
    scored = score(prepare(rows), LinkageConfig(predict_floor=0.0))
    compared = {
        tuple(sorted((a[-1], b[-1])))
        for a, b in zip(scored.pairs.unique_id_l, scored.pairs.unique_id_r, strict=True)
    }
    assert ("0", "1") in compared  # Khatib / Khateeb: the same key
    assert ("0", "5") in compared  # Khatib / Katib: keys one letter apart, fathers differ
    assert ("0", "3") in compared and ("0", "4") in compared  # same father; no family
    assert ("0", "2") not in compared and ("1", "2") not in compared
    assert ("0", "6") not in compared  # Khatib / Zein, Samir / Walid
    assert ("6", "7") in compared  # the same birth date: a rule of its own finds them


def test_which_rules_are_filtered() -> None:
    levels = {"family": ['"family_k_l" = "family_k_r"'], "middle": ['"father_k_l" = "father_k_r"']}
    split = rule_sql(("block_given_k_dod_lo",), levels)  # a rule split by governorate
    assert split.startswith('l."block_given_k_dod_lo" = r."block_given_k_dod_lo" AND CASE')
    assert 'l."family_k" = r."family_k"' in split and 'l."father_k" = r."father_k"' in split
    assert 'levenshtein(l."family_k", r."family_k") <= 1' in split
    assert 'jaro_winkler_similarity(l."father_k", r."father_k") >= 0.9' in split
    for two_names in (("given_k", "family_k"), ("given_k", "father_k"), ("father_k", "family_k")):
        assert " CASE " not in rule_sql(two_names, levels)
    assert (
        rule_sql(("given_k", "dod_lo"), {})
        == 'l."given_k" = r."given_k" AND l."dod_lo" = r."dod_lo"'
    )
