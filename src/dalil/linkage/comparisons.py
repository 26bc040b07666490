"""The comparisons of the Splink model: how two records are compared, column by column.

Each comparison has ordered levels from "null" through "exact" and "close" to "else"
(disagrees); Splink learns how much each level weighs. They work on the columns of
:mod:`dalil.linkage.features`: cross-script name keys (Jaro-Winkler on the keys, term
frequencies for given, father and family name), dates as intervals in days (a month-only
date agrees with every day of the month), age in years, place and governorate. Custom
levels are written in DuckDB SQL and translated by Splink for Spark.

Unsupervised EM on victim lists confuses siblings with duplicates, so the "else" level of
given name, sex and age can carry a fixed m probability (:data:`FIXED_ELSE_M`).
"""

from __future__ import annotations

from typing import Any

from dalil.linkage.config import LinkageConfig
from dalil.linkage.features import count_column

#: Fixed m probabilities for "disagree" levels. Unsupervised EM on victim lists confuses
#: siblings (same father, grandfather, family, date and place) with duplicates and learns
#: that a different given name is common among matches; domain knowledge says otherwise:
#: the same person's records rarely disagree on given name or sex beyond spelling.
FIXED_ELSE_M = {"given": 0.002, "sex": 0.02, "age": 0.03}


#: Fixed m for "another name" (two common names one letter apart: محمد/محمود), with the
#: same reasoning as :data:`FIXED_ELSE_M`: EM put siblings' different given names there
#: and learnt an m of .030 where the true share among matches is .003 (second generator,
#: development set; docs/benchmarks.md). Twice the "else" m: a typo that turns one common
#: name into another is rare, but rarer still is a wholly different name.
ANOTHER_NAME_M = {"given": 0.004}


def _another_name(part: str, config: LinkageConfig) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "label_for_charts": "one edit or same Arabic key between common names"
    }
    if config.fixed_disagreement_m and part in ANOTHER_NAME_M:
        settings |= {"m_probability": ANOTHER_NAME_M[part], "fix_m_probability": True}
    return settings


def _else(part: str, config: LinkageConfig) -> Any:
    import splink.comparison_level_library as cll

    level: Any = cll.ElseLevel()
    if config.fixed_disagreement_m and part in FIXED_ELSE_M:
        level = level.configure(m_probability=FIXED_ELSE_M[part], fix_m_probability=True)
    return level


#: Given and family name written the other way round ("FAMILY Given", FEBRL's swaps, a
#: parser fooled by an unmarked family-first order) is its own level, not a disagreement.
SWAPPED_SQL = '"given_k_l" = "family_k_r" AND "family_k_l" = "given_k_r"'


def _level(sql: str, label: str) -> Any:
    """A custom comparison level written in DuckDB SQL (double-quoted identifiers), which
    Splink translates for other backends (Spark reads "x" as a string literal)."""
    import splink.comparison_level_library as cll

    return cll.CustomLevel(sql, label, base_dialect_str="duckdb")


def _swapped(part: str, config: LinkageConfig) -> list[Any]:
    if not config.swapped_names or part not in ("given", "family"):
        return []
    return [_level(SWAPPED_SQL, "given and family name swapped")]


def _rare(col: str) -> Any:
    """The rarer of the two values is rare in these lists: seen at most ``rare_cap`` times
    (0.2 % of the records, at least 2; :mod:`dalil.linkage.features`) and at most a tenth
    as often as the other (or twice at most). A misspelling of a common name, not a second
    common name: محمود seen 40 times beside محمد's 500 is a name, not a typo."""
    n = count_column(col)
    least, most = f'least("{n}_l", "{n}_r")', f'greatest("{n}_l", "{n}_r")'
    return _level(
        f'{least} <= "rare_cap_l" AND {least} <= greatest(2, 0.1 * {most})', "rare spelling"
    )


def _one_edit(col: str, config: LinkageConfig) -> Any:
    """One letter substituted, inserted or deleted, or two neighbours swapped after the
    first letter.

    Why the CASE on DuckDB: DuckDB evaluates both sides of AND and OR in a projection, so
    the Damerau-Levenshtein distance (about four Levenshteins) ran on every pair; a CASE
    branch runs only on the rows that reach it. Cheap tests a one-edit pair always passes
    come first: lengths differ by at most one, and from five letters on the two share
    their first two or their last two letters (the edit sits at one place). A swap of
    neighbours leaves the length and exactly two positions different (Hamming distance
    2), so the Damerau distance runs only there. Measured on the 1.5 million candidate
    pairs of the 20,000-person development lists: the family name's comparison took
    0.52 s as AND/OR and 0.34 s this way, with the same answer on every pair (and on a
    million pairs of unrelated names); edit distances were the largest cost of scoring,
    u and EM. Spark keeps Splink's library levels (it has no ``hamming``)."""
    import splink.comparison_level_library as cll

    a, b = f'"{col}_l"', f'"{col}_r"'
    if config.backend == "duckdb":  # Hamming on equal byte lengths: DuckDB 1.x counts bytes
        swap = (
            f"CASE WHEN strlen({a}) = strlen({b}) AND hamming({a}, {b}) = 2 "
            f"THEN damerau_levenshtein({a}, {b}) <= 1 END"
        )
        return _level(
            f"CASE WHEN abs(length({a}) - length({b})) > 1 THEN FALSE "
            f"WHEN least(length({a}), length({b})) >= 5 AND NOT starts_with({a}, left({b}, 2)) "
            f"AND NOT ends_with({a}, right({b}, 2)) THEN FALSE "
            f"WHEN levenshtein({a}, {b}) <= 1 THEN TRUE "
            f"WHEN length({a}) = length({b}) AND left({a}, 1) = left({b}, 1) THEN "
            f"coalesce({swap}, FALSE) ELSE FALSE END",
            "one edit",
        )
    same_shape = f"length({a}) = length({b}) AND left({a}, 1) = left({b}, 1)"
    return cll.Or(
        cll.LevenshteinLevel(col, 1),
        cll.And(
            _level(same_shape, "same length and first letter"), cll.DamerauLevenshteinLevel(col, 1)
        ),
    )


def _tf_exact(col: str) -> Any:
    """Exact agreement, weighed by how common the value is (term-frequency adjustment)."""
    import splink.comparison_level_library as cll

    return cll.ExactMatchLevel(col).configure(
        tf_adjustment_column=col, tf_adjustment_weight=1.0, tf_minimum_u_value=0.001
    )


def _name_comparison(part: str, config: LinkageConfig) -> Any:
    """Levels from strongest to weakest (../design/linkage.md §2, issue 25):

    the same written form (term-frequency adjusted: a rare name agreeing weighs more); one
    letter substituted, inserted, deleted or swapped, in the written form or the key, where
    the rarer spelling is rare in these lists (a typo: خاقد/خالد); one edit, or the same key
    in Arabic script, between two common names (another name: محمد/محمود are one letter
    apart and share a key), told apart from keys one edit apart across scripts (a
    transliteration the key rules render one letter off: "Adlabash"/الدبش); the same
    cross-script key (between scripts, or two Latin spellings: "Mohammed"/"Mohammad";
    term-frequency adjusted); close keys by Jaro-Winkler; else. Forms and counts come from
    :mod:`dalil.linkage.features`.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    k, f = f"{part}_k", f"{part}_f"
    same_key = _level(f'"{k}_l" = "{k}_r"', "same key")
    both_arabic = _level("\"script_l\" = 'ar' AND \"script_r\" = 'ar'", "both Arabic")
    key_evidence = cll.And(same_key, cll.Not(both_arabic))
    across_scripts = _level('"script_l" <> "script_r"', "different scripts")
    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(k),
            _tf_exact(f),
            cll.And(
                cll.Not(key_evidence),
                cll.Or(
                    cll.And(_rare(f), _one_edit(f, config)), cll.And(_rare(k), _one_edit(k, config))
                ),
            ).configure(label_for_charts="one edit, the rarer spelling rare: a typo"),
            cll.And(across_scripts, cll.Not(same_key), _one_edit(k, config)).configure(
                label_for_charts="keys one edit apart across scripts: a transliteration"
            ),
            cll.Or(
                cll.And(same_key, both_arabic),
                cll.And(cll.Not(same_key), cll.Or(_one_edit(f, config), _one_edit(k, config))),
            ).configure(**_another_name(part, config)),
            _tf_exact(k),
            cll.JaroWinklerLevel(k, 0.9),
            cll.JaroWinklerLevel(k, 0.75),
            *_swapped(part, config),
            _else(part, config),
        ],
        comparison_description=f"{part} name: written form and cross-script key",
    )


def _middle_comparison(config: LinkageConfig) -> Any:
    """Father's and grandfather's names as one set (issue 25): a list may drop one, or give
    the grandfather where another gives the father; a missing name is no evidence against.
    Levels: both equal; father equal but both grandfathers given and different (evidence
    against: cousins share a father's name); father equal (term-frequency adjusted, the
    grandfather missing on a side); every middle name of one record among the other's;
    father one edit apart or close; else."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def among(a: str, b: str) -> str:  # every middle name of record a is one of b's
        names = f'("father_k_{b}", "grandfather_k_{b}")'
        return " AND ".join(
            f'("{p}_k_{a}" IS NULL OR "{p}_k_{a}" IN {names})' for p in ("father", "grandfather")
        )

    return cl.CustomComparison(
        output_column_name="middle",
        comparison_levels=[
            cll.NullLevel("middle_k"),
            cll.And(
                cll.ExactMatchLevel("father_k"), cll.ExactMatchLevel("grandfather_k")
            ).configure(label_for_charts="father and grandfather equal"),
            cll.And(
                cll.ExactMatchLevel("father_k"),
                _level(
                    '"grandfather_k_l" IS NOT NULL AND "grandfather_k_r" IS NOT NULL',
                    "both grandfathers given",
                ),
            ).configure(label_for_charts="father equal, grandfather differs"),
            _tf_exact("father_k"),
            _level(
                f"({among('l', 'r')}) OR ({among('r', 'l')})",
                "one's middle names among the other's",
            ),
            cll.Or(_one_edit("father_k", config), cll.JaroWinklerLevel("father_k", 0.9)).configure(
                label_for_charts="father close"
            ),
            cll.ElseLevel(),
        ],
        comparison_description="father's and grandfather's names, as a set",
    )


def _date_comparison(name: str, col: str, days: tuple[int, int]) -> Any:
    """Levels on the gap in days between two date intervals (0 when they overlap), so a
    month-only date agrees with any day in that month."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    gap = f'greatest("{col}_lo_l", "{col}_lo_r") - least("{col}_hi_l", "{col}_hi_r")'
    return cl.CustomComparison(
        output_column_name=name,
        comparison_levels=[
            cll.NullLevel(f"{col}_lo"),
            _level(f"{gap} <= 0", "intervals overlap"),
            # one mistyped digit in a full date (19560312 / 19650312): a typo, not a new day
            cll.LevenshteinLevel(f"{col}_s", 1).configure(label_for_charts="one digit differs"),
            _level(f"{gap} <= {days[0]}", f"within {days[0]} days"),
            _level(f"{gap} <= {days[1]}", f"within {days[1]} days"),
            cll.ElseLevel(),
        ],
    )


def _text_comparison(col: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col),
            cll.JaroWinklerLevel(col, 0.9),
            cll.JaroWinklerLevel(col, 0.7),
            cll.ElseLevel(),
        ],
        comparison_description=f"extra column {col[2:]}",
    )


def comparisons(config: LinkageConfig, present: set[str]) -> list[Any]:
    """The comparisons whose column at least one record has (a column no list has would
    only add an all-null comparison for Splink to compute and EM to ignore)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    candidates = [
        ("given_k", _name_comparison("given", config)),
        ("middle_k", _middle_comparison(config)),
        ("family_k", _name_comparison("family", config)),
        (
            "sex",
            cl.CustomComparison(
                output_column_name="sex",
                comparison_levels=[
                    cll.NullLevel("sex"),
                    cll.ExactMatchLevel("sex"),
                    _else("sex", config),
                ],
            ),
        ),
        (
            "age",
            cl.CustomComparison(
                output_column_name="age",
                comparison_levels=[
                    cll.NullLevel("age"),
                    _level('abs("age_l" - "age_r") <= 1', "within 1 year"),
                    _level('abs("age_l" - "age_r") <= 3', "within 3 years"),
                    _level('abs("age_l" - "age_r") <= 8', "within 8 years"),
                    _else("age", config),
                ],
            ),
        ),
        ("dod_lo", _date_comparison("date_of_death", "dod", (2, 31))),
        ("dob_lo", _date_comparison("birth_date", "dob", (31, 366))),
        *((f"x_{col}", _text_comparison(f"x_{col}")) for col in config.extra_columns),
        (
            "place",
            cl.CustomComparison(
                output_column_name="place",
                comparison_levels=[
                    _level(
                        '("place_l" IS NULL OR "place_r" IS NULL) AND '
                        '("gov_l" IS NULL OR "gov_r" IS NULL)',
                        "null",
                    ).configure(is_null_level=True),
                    cll.ExactMatchLevel("place"),
                    cll.ExactMatchLevel("gov"),
                    cll.ElseLevel(),
                ],
            ),
        ),
    ]
    if "place" not in present and "gov" in present:
        present = present | {"place"}
    return [comparison for column, comparison in candidates if column in present]
