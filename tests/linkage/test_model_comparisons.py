"""The comparisons of the Splink model (``dalil.linkage.comparisons``)."""

from __future__ import annotations

from typing import Any

from dalil.linkage.comparisons import FIXED_ELSE_M, SWAPPED_SQL, comparisons
from dalil.linkage.config import LinkageConfig


def _levels(config: LinkageConfig, present: set[str]) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for comparison in comparisons(config, present):
        as_dict = comparison.get_comparison("duckdb").as_dict()
        out[as_dict["output_column_name"]] = as_dict["comparison_levels"]
    return out


def test_only_the_columns_some_record_has_are_compared() -> None:
    levels = _levels(LinkageConfig(), {"given_k", "family_k", "sex", "dod_lo"})
    assert list(levels) == ["given", "family", "sex", "date_of_death"]
    # a governorate without a place still makes the place comparison (its second level)
    assert list(_levels(LinkageConfig(), {"given_k", "gov"})) == ["given", "place"]
    everything = {"given_k", "middle_k", "family_k", "sex", "age"}
    everything |= {"dod_lo", "dob_lo", "place", "gov"}
    assert list(_levels(LinkageConfig(), everything)) == [
        "given",
        "middle",
        "family",
        "sex",
        "age",
        "date_of_death",
        "birth_date",
        "place",
    ]


def test_disagreement_on_given_name_sex_and_age_has_a_fixed_m() -> None:
    present = {"given_k", "family_k", "sex", "age"}
    fixed = _levels(LinkageConfig(), present)
    for column in ("given", "sex", "age"):
        last = fixed[column][-1]
        assert last["m_probability"] == FIXED_ELSE_M[column] and last["fix_m_probability"]
    assert "m_probability" not in fixed["family"][-1]
    free = _levels(LinkageConfig(fixed_disagreement_m=False), present)
    assert all(not levels[-1].get("fix_m_probability") for levels in free.values())


def test_swapped_names_and_extra_columns_are_levels_of_their_own() -> None:
    config = LinkageConfig(swapped_names=True, extra_columns=("national_id",))
    levels = _levels(config, {"given_k", "family_k", "x_national_id"})
    assert list(levels) == ["given", "family", "x_national_id"]
    for name in ("given", "family"):
        swapped = [lv for lv in levels[name] if lv["sql_condition"] == SWAPPED_SQL]
        assert [lv["label_for_charts"] for lv in swapped] == ["given and family name swapped"]
    assert not any(
        lv["sql_condition"] == SWAPPED_SQL for lv in _levels(LinkageConfig(), {"given_k"})["given"]
    )


def test_dates_compare_as_intervals_in_days() -> None:
    levels = _levels(LinkageConfig(), {"dod_lo", "dob_lo"})
    labels = [lv["label_for_charts"] for lv in levels["date_of_death"]]
    assert labels[1:5] == [
        "intervals overlap",
        "one digit differs",
        "within 2 days",
        "within 31 days",
    ]
    assert [lv["label_for_charts"] for lv in levels["birth_date"]][3:5] == [
        "within 31 days",
        "within 366 days",
    ]
