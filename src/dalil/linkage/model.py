"""The Splink model: comparisons, blocking within a pair budget, unsupervised training,
scoring. Everything Splink-specific lives here.

Comparisons work on the columns of :mod:`dalil.linkage.features`; custom levels are
written in DuckDB SQL and translated by Splink for Spark. Training follows Splink's recipe
(../design/linkage.md §2): the match rate from deterministic rules, u by random sampling,
m by two EM sessions on different blocks, with fixed priors where unsupervised EM is known
to go wrong on victim lists (siblings).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dalil.errors import InvalidInput
from dalil.linkage.config import DEFAULT, LinkageConfig

#: Fixed m probabilities for "disagree" levels. Unsupervised EM on victim lists confuses
#: siblings (same father, grandfather, family, date and place) with duplicates and learns
#: that a different given name is common among matches; domain knowledge says otherwise:
#: the same person's records rarely disagree on given name or sex beyond spelling.
_FIXED_ELSE_M = {"given": 0.002, "sex": 0.02, "age": 0.03}


def _else(part: str, config: LinkageConfig) -> Any:
    import splink.comparison_level_library as cll

    level: Any = cll.ElseLevel()
    if config.fixed_disagreement_m and part in _FIXED_ELSE_M:
        level = level.configure(m_probability=_FIXED_ELSE_M[part], fix_m_probability=True)
    return level


#: Given and family name written the other way round ("FAMILY Given", FEBRL's swaps, a
#: parser fooled by an unmarked family-first order) is its own level, not a disagreement.
SWAPPED_SQL = '"given_k_l" = "family_k_r" AND "family_k_l" = "given_k_r"'
SWAPPED_BLOCK = "l.given_k = r.family_k AND l.family_k = r.given_k"


def _level(sql: str, label: str) -> Any:
    """A custom comparison level written in DuckDB SQL (double-quoted identifiers), which
    Splink translates for other backends (Spark reads "x" as a string literal)."""
    import splink.comparison_level_library as cll

    return cll.CustomLevel(sql, label, base_dialect_str="duckdb")


def _swapped(part: str, config: LinkageConfig) -> list[Any]:

    if not config.swapped_names or part not in ("given", "family"):
        return []
    return [_level(SWAPPED_SQL, "given and family name swapped")]


def _name_comparison(part: str, tf: bool, config: LinkageConfig) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    col = f"{part}_k"
    exact: Any = cll.ExactMatchLevel(col)
    if tf:
        exact = exact.configure(
            tf_adjustment_column=col, tf_adjustment_weight=1.0, tf_minimum_u_value=0.001
        )
    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(col),
            exact,
            cll.JaroWinklerLevel(col, 0.9),
            cll.JaroWinklerLevel(col, 0.75),
            *_swapped(part, config),
            _else(part, config),
        ],
        comparison_description=f"{part} name, cross-script key",
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


def _comparisons(config: LinkageConfig, present: set[str]) -> list[Any]:
    """The comparisons whose column at least one record has (a column no list has would
    only add an all-null comparison for Splink to compute and EM to ignore)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    candidates = [
        ("given_k", _name_comparison("given", tf=True, config=config)),
        ("father_k", _name_comparison("father", tf=True, config=config)),
        ("grandfather_k", _name_comparison("grandfather", tf=False, config=config)),
        ("family_k", _name_comparison("family", tf=True, config=config)),
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


BLOCKING_RULES = (
    ("given_k", "family_k"),
    ("given_k", "father_k", "gov"),
    ("father_k", "family_k", "gov"),
    ("given_k", "grandfather_k", "family_k"),
    ("given_k", "dod_lo", "place"),
    ("given_k", "age", "gov"),
    ("family_k", "place"),
    ("family_k", "father_k", "grandfather_k"),
    ("dob_lo",),
)
"""Each rule is a set of columns that must be equal. Together they tolerate one missing or
misspelt name part (any two of given/father/family suffice) and a missing family name
(given + date + place). A full birth date alone is a block: few people share one, and
victim lists seldom have it, when the rule costs nothing."""


def _settings(config: LinkageConfig, rules: Sequence[tuple[str, ...]], present: set[str]) -> Any:
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            *(block_on(*cols) for cols in rules),
            *([CustomRule(SWAPPED_BLOCK, "duckdb")] if config.swapped_names else []),
            # an extra column is identifying by definition: equal values make a candidate
            *(block_on(f"x_{col}") for col in config.extra_columns),
        ],
        comparisons=_comparisons(config, present),
        retain_intermediate_calculation_columns=config.keep_comparison_vectors,
        retain_matching_columns=False,
        max_iterations=12,
    )


def _db_api(config: LinkageConfig) -> Any:
    if config.backend == "spark":
        try:
            from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]
            from splink.backends.spark import SparkAPI
        except ImportError as exc:
            raise InvalidInput(
                "the Spark backend needs pyspark: pip install 'dalil[spark]'", path="--backend"
            ) from exc
        import tempfile

        from splink.backends.spark import similarity_jar_location

        spark = (
            SparkSession.builder.master("local[*]")
            .appName("dalil-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", config.memory_limit.lower().replace("gb", "g"))
            .config("spark.sql.shuffle.partitions", "8")
            .getOrCreate()
        )
        spark.sparkContext.setCheckpointDir(f"{tempfile.gettempdir()}/dalil-spark-checkpoints")
        return SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
    import tempfile

    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{config.memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/dalil-duckdb'")
    return DuckDBAPI(connection=con)


@dataclass
class Scored:
    """Scored candidate pairs and the model that scored them."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, gamma_* columns
    model: dict[str, Any]
    candidate_pairs: int


def score(
    prepared: pd.DataFrame,
    config: LinkageConfig = DEFAULT,
    *,
    say: Callable[[str], None] = lambda _msg: None,
) -> Scored:
    """Train the model without labels and score the candidate pairs.

    Training runs on a random sample of at most ``config.train_records`` records (the
    match rate and the m and u probabilities do not depend on list size; the sample keeps
    EM's blocks small on million-record list sets); term frequencies and scoring use every
    record. ``Scored.pairs`` holds only the pairs clustering can use (see
    :func:`_pairs_that_matter`) unless ``config.predict_floor`` is 0, when it holds every
    candidate pair.
    """
    from splink import Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    if len(prepared) < 2:
        return Scored(_empty_pairs(), {}, 0)
    present = {c for c in prepared.columns if prepared[c].notna().any()}
    rules, notes = plan_blocking(prepared, config, present)
    for note in notes:
        say(note)
    db_api = _db_api(config)
    sample = prepared
    if len(prepared) > config.train_records:
        sample = prepared.sample(config.train_records, random_state=config.seed)
        say(f"training on a random sample of {len(sample):,} records")
    registered = _register(db_api, sample, config)
    trainer = Linker(registered, _settings(config, rules, present))
    trainer, sessions = _train(trainer, registered, present, config, say)
    model = trainer.misc.save_model_to_json()
    linker = trainer
    if sample is not prepared:
        linker = Linker(_register(db_api, prepared, config), model)
    say("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=config.predict_floor or None)
    counted = predictions.query_sql("select count(*) as n from {this}")
    total = int(counted.as_pandas_dataframe()["n"][0])
    if config.predict_floor:
        predictions = predictions.query_sql(
            _PAIRS_THAT_MATTER_SQL.format(
                keep=min(config.review_low, config.threshold), veto=config.conflict_below
            )
        )
    pairs: pd.DataFrame = predictions.as_pandas_dataframe()
    model["dalil_training"] = {
        "records": len(prepared),
        "training_records": len(sample),
        "em_sessions": sessions,
        "u_max_pairs": config.u_max_pairs,
        "seed": config.seed,
        "fixed_m_else": _FIXED_ELSE_M if config.fixed_disagreement_m else {},
        "blocking": [" + ".join(r) for r in rules],
        "blocking_notes": notes,
    }
    return Scored(pairs, model, total)


#: Pairs clustering can use: those that may merge or be reviewed, and low-scored pairs
#: between records that appear in one of those (only they can veto a merge). Filtering in
#: the database keeps millions of irrelevant low pairs out of Python.
_PAIRS_THAT_MATTER_SQL = """
with keep as (select * from {{this}} where match_probability >= {keep}),
ids as (select unique_id_l as id from keep union select unique_id_r from keep)
select * from keep
union all
select * from {{this}} p
where p.match_probability < {veto} and p.match_probability < {keep}
  and p.unique_id_l in (select id from ids) and p.unique_id_r in (select id from ids)
"""


_INTEGER_COLUMNS = ("age", "dod_lo", "dod_hi", "dob_lo", "dob_hi")


def _register(db_api: Any, frame: pd.DataFrame, config: LinkageConfig) -> Any:
    if config.backend == "spark":
        from pyspark.sql import types as T  # type: ignore[import-not-found,unused-ignore]

        # An explicit schema: Spark would infer an all-null column as a string.
        schema = T.StructType(
            [
                T.StructField(c, T.LongType() if c in _INTEGER_COLUMNS else T.StringType())
                for c in frame.columns
            ]
        )
        records = [
            tuple(
                None if pd.isna(v) else (int(v) if c in _INTEGER_COLUMNS else str(v))
                for c, v in zip(frame.columns, row, strict=True)
            )
            for row in frame.itertuples(index=False)
        ]
        return db_api.register(db_api.spark.createDataFrame(records, schema))
    return db_api.register(frame)


def _train(
    linker: Any, data: Any, present: set[str], config: LinkageConfig, say: Callable[[str], None]
) -> tuple[Any, list[str]]:
    from splink import block_on

    say("estimating the match rate")
    deterministic = [r for r in DETERMINISTIC_RULES if set(r) <= present]
    if not deterministic:
        raise InvalidInput("the lists share no name columns to link on", path="full_name")
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*r) for r in deterministic], recall=0.7
    )
    say("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed)
    return _train_m(linker, data, present, say)


def _block_pairs(prepared: pd.DataFrame, cols: Sequence[str]) -> int:
    """Number of pairs a rule of equal columns generates (rows with a null never block)."""
    sizes = prepared.dropna(subset=list(cols)).groupby(list(cols), sort=False).size()
    return int((sizes * (sizes - 1) // 2).sum())


def plan_blocking(
    prepared: pd.DataFrame, config: LinkageConfig, present: set[str] | None = None
) -> tuple[list[tuple[str, ...]], list[str]]:
    """Blocking rules for this data, each within the pair budget.

    A rule whose blocks would generate more than ``max(1e6, pairs_per_record x records)``
    pairs (a very common name combination in a large list set) is tightened with the
    governorate, then the date of death, then both; if still too large it is dropped.
    Every change is reported, and recorded in the model JSON.
    """
    present = present if present is not None else set(prepared.columns)
    budget = max(1_000_000, config.pairs_per_record * len(prepared))
    rules: list[tuple[str, ...]] = []
    notes: list[str] = []
    for cols in BLOCKING_RULES:
        if not set(cols) <= present:
            continue
        for extra in ((), ("gov",), ("dod_lo",), ("gov", "dod_lo")):
            candidate = tuple(dict.fromkeys(cols + extra))
            if not set(candidate) <= present:
                continue
            n = _block_pairs(prepared, candidate)
            if n <= budget:
                if extra:
                    notes.append(
                        f"blocking rule {' + '.join(cols)} tightened with "
                        f"{' + '.join(extra)} ({n:,} pairs)"
                    )
                rules.append(candidate)
                break
        else:
            notes.append(f"blocking rule {' + '.join(cols)} dropped: over {budget:,} pairs")
    return rules, notes


DETERMINISTIC_RULES = (
    ("given_k", "father_k", "family_k"),
    ("given_k", "family_k", "dod_lo"),
    ("given_k", "family_k", "dob_lo"),
)
#: EM sessions in order of preference; two are run, on blocks rich in true matches that
#: leave different comparisons free to be estimated. A session whose columns a case's
#: lists do not have, or whose block is empty, is skipped and the next one tried.
EM_SESSIONS = (
    ("given_k", "family_k"),
    ("father_k", "dod_lo"),
    ("dob_lo",),
    ("dod_lo", "place"),
    ("family_k", "place"),
)


def _train_m(
    linker: Any, data: Any, present: set[str], say: Callable[[str], None]
) -> tuple[Any, list[str]]:
    from splink import Linker, block_on
    from splink.internals.exceptions import EMTrainingException

    done: list[str] = []
    for cols in EM_SESSIONS:
        if len(done) == 2:
            break
        if not set(cols) <= present:
            continue
        say(f"EM training blocked on {' + '.join(cols)}")
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols), estimate_without_term_frequencies=True
            )
        except (EMTrainingException, ValueError):
            # An empty block, or (on very small lists) a level EM drives to m = 0, which
            # Splink refuses. A failed session can leave the model's comparisons half
            # changed, so go back to the model as it was and try the next session.
            linker = Linker(data, before)
            continue
        done.append(" + ".join(cols))
    return linker, done


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_probability": []})
