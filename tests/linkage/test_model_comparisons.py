"""The comparisons of the Splink model (``dalil.linkage.comparisons``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dalil.linkage.comparisons import FIXED_ELSE_M, SWAPPED_SQL, _one_edit, comparisons
from dalil.linkage.config import LinkageConfig
from dalil.places import names


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


def _one_edit_sql(backend: str) -> str:
    level = _one_edit("name", LinkageConfig(backend=backend))
    return str(level.get_comparison_level("duckdb").sql_condition)


def _variants(name: str) -> list[str]:
    """Every one-letter substitution (by one fixed letter), deletion, insertion and swap of
    neighbours of ``name``, and two such edits."""
    letter = "ق" if names.is_arabic(name) else "q"
    out = []
    for i in range(len(name) + 1):
        out.append(name[:i] + letter + name[i:])
        if i < len(name):
            out += [name[:i] + letter + name[i + 1 :], name[:i] + name[i + 1 :]]
        if i < len(name) - 1:
            out.append(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
    return out + [v[::-1][:-1] + letter for v in out[:4]]


def test_the_quick_one_edit_level_agrees_with_splinks_edit_distances() -> None:
    """DuckDB's one-edit level is a CASE with cheap tests first (lengths, first or last two
    letters, Hamming distance before Damerau-Levenshtein); the same answer as Splink's
    Levenshtein-or-Damerau levels (Spark's form) on every pair of real names and their
    one- and two-edit variants, in both scripts, short names and missing ones included."""
    import duckdb

    base = ["خالد", "محمد", "محمود", "عبدالرحمن", "سهام", "داود", "علي", "ahmad", "abcd"]
    base += ["mohammad", "khaddour", "mansur", "wasim", "al", "basel", "nour"]
    values = [v for n in base for v in (n, *_variants(n))] + [None]
    frame = pd.DataFrame([(a, b) for a in values for b in values], columns=["name_l", "name_r"])
    quick, splinks = _one_edit_sql("duckdb"), _one_edit_sql("spark")
    assert "hamming" in quick and "hamming" not in splinks
    con = duckdb.connect()
    con.register("pairs", frame)
    found = con.execute(
        f"select name_l, name_r, coalesce({quick}, false), coalesce({splinks}, false) from pairs"
    ).fetchall()
    assert len(found) > 40_000
    assert [r for r in found if r[2] != r[3]] == []
    said = {(a, b): q for a, b, q, _ in found}
    assert said["خالد", "خاقد"] and said["محمد", "محمود"] and said["abcd", "acbd"]
    assert not said["abcd", "bacd"]  # a swap that moves the first letter is not one edit
    assert said["mansur", "masnur"] and not said["basel", "wasim"] and not said["al", None]
