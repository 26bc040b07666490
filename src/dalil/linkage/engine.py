"""Link and deduplicate victim lists into persons: Splink scoring plus dalil's clustering.

Pipeline (../design/linkage.md §3):

1. :func:`prepare` turns list rows into comparison columns: name parts parsed from the
   full name (or taken from the part columns), each as a cross-script key
   (:mod:`dalil.linkage.names`); sex; age; date of death as a day interval (a month-only
   date is the whole month); place as a gazetteer id and its governorate.
2. A Fellegi-Sunter model in Splink (DuckDB by default, Spark optional) scores candidate
   pairs from blocking rules chosen to keep recall when fields are missing. Training is
   unsupervised: lambda from deterministic rules, u by random sampling, m by two EM
   sessions on different blocks. Exact key levels carry term-frequency adjustments, so
   agreeing on "mhmd" counts for less than agreeing on a rare name.
3. :func:`cluster` merges pairs above the threshold greedily, strongest first, but refuses
   a merge that would put into one person two records that were compared and scored
   below ``conflict_below``, that a reviewer said are different people, or that would make
   the cluster bigger than ``max_cluster_size``. This resists the chaining of connected
   components (A~B, B~C but A!~C). Refused strong merges become review items.
4. Reviewer decisions are honoured on every run: "match" is a must-link, "no_match" a
   cannot-link.

The trained model is returned as Splink's JSON so a result can be audited and re-scored.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import pandas as pd

from dalil.errors import InvalidInput
from dalil.linkage import fields, names
from dalil.linkage.places import PlaceIndex

Backend = Literal["duckdb", "spark"]
Decision = Literal["match", "no_match", "unsure"]
KEY_SEP = "\x1f"
_EPOCH = date(1970, 1, 1).toordinal()
NAME_PARTS = ("given", "father", "grandfather", "family")


@dataclass(frozen=True)
class LinkageConfig:
    """Thresholds are match probabilities; see docs/linkage.md for how they were chosen."""

    threshold: float = 0.9
    review_low: float = 0.5
    conflict_below: float = 0.6
    max_cluster_size: int = 0  # 0: twice the number of sources, at least 4
    u_max_pairs: float = 1e6
    #: Records used for training (a random sample when the lists hold more).
    train_records: int = 200_000
    #: Pair budget per blocking rule, per record (see :func:`plan_blocking`).
    pairs_per_record: int = 20
    #: DuckDB's memory cap; beyond it DuckDB spills to a temporary directory.
    memory_limit: str = "4GB"
    seed: int = 1
    backend: Backend = "duckdb"
    #: Pairs scored below this are not returned (0 keeps every candidate pair).
    predict_floor: float = 0.01
    #: Compare given/family swapped as its own level and block on it. Off by default: in
    #: Arabic chains "Ali Hasan" and "Hasan Ali" are usually son and father, not one person.
    swapped_names: bool = False
    #: Fix the m probability of "disagrees" on given name, sex and age (see _FIXED_ELSE_M)
    #: instead of letting EM estimate it. Right for victim lists full of siblings; turn off
    #: for data whose errors replace whole names (FEBRL's synthetic corruptions).
    fixed_disagreement_m: bool = True
    #: Further identifying columns of the lists to compare (exact and Jaro-Winkler levels on
    #: the case-folded value), e.g. a national ID number, an address, a mother's name column.
    extra_columns: tuple[str, ...] = ()
    #: Keep Splink's comparison vectors (gamma_* columns) on the pairs, for evaluation.
    keep_comparison_vectors: bool = False


def record_key(source: str, record_id: str) -> str:
    return f"{source}{KEY_SEP}{record_id}"


def split_key(key: str) -> tuple[str, str]:
    source, _, record_id = key.partition(KEY_SEP)
    return source, record_id


@lru_cache(maxsize=500_000)
def _token_key(token: str) -> str:
    return names.token_key(token)


@lru_cache(maxsize=500_000)
def _part_key(text: str) -> str | None:
    key = " ".join(k for k in (_token_key(t) for t in names.name_tokens(text)) if k)
    return key or None


def _parsed_key(part: str) -> str | None:
    """Key of a part already normalised by the parser (tokens joined by spaces)."""
    key = " ".join(k for k in (_token_key(t) for t in part.split()) if k)
    return key or None


_PART_COLUMNS = ("given_name", "father_name", "grandfather_name", "family_name")


def _name_columns(row: dict[str, str]) -> dict[str, Any]:
    """Name-part keys: a part column when the list has it, else the parsed full name."""
    explicit = {col: (row.get(col) or "").strip() for col in _PART_COLUMNS}
    parsed = (
        names.parse_name(row.get("full_name", "") or "") if not all(explicit.values()) else None
    )
    out: dict[str, Any] = {}
    for part, col in zip(NAME_PARTS, _PART_COLUMNS, strict=True):
        if explicit[col]:
            out[f"{part}_k"] = _part_key(explicit[col])
        else:
            out[f"{part}_k"] = _parsed_key(getattr(parsed, part)) if parsed else None
    return out


@lru_cache(maxsize=100_000)
def _sex(value: str) -> str | None:
    return _safe(fields.parse_sex, value)  # type: ignore[no-any-return]


@lru_cache(maxsize=100_000)
def _age(value: str) -> int | None:
    return _safe(fields.parse_age, value)  # type: ignore[no-any-return]


@lru_cache(maxsize=100_000)
def _days(value: str) -> tuple[int | None, int | None, str | None]:
    """A date value as an interval of day numbers since 1970-01-01, and a full date as
    YYYYMMDD text for the one-mistyped-digit level (None when missing or partial)."""
    span = _safe(fields.parse_date, value)
    if not span:
        return None, None, None
    text = span[0].strftime("%Y%m%d") if span[0] == span[1] else None
    return span[0].toordinal() - _EPOCH, span[1].toordinal() - _EPOCH, text


COLUMNS = (
    "unique_id", "source", "given_k", "father_k", "grandfather_k", "family_k", "sex", "age",
    "dod_lo", "dod_hi", "dod_s", "dob_lo", "dob_hi", "dob_s", "place", "gov",
)  # fmt: skip


def prepare(
    rows: Iterable[dict[str, str]],
    places: PlaceIndex | None = None,
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    """Comparison columns for list rows (each with ``source`` and ``record_id``).

    Values are assumed already validated by the importer; unreadable optional values here
    (stateless use) are treated as missing rather than failing the run.
    """
    places = places or PlaceIndex.packaged()
    place_key = lru_cache(maxsize=100_000)(places.place_key)
    governorate = lru_cache(maxsize=10_000)(places.governorate)
    out = []
    for row in rows:
        rec: dict[str, Any] = _name_columns(row)
        rec["unique_id"] = record_key(row["source"], row["record_id"])
        rec["source"] = row["source"]
        rec["sex"] = _sex(row.get("sex") or "")
        rec["age"] = _age(row.get("age") or "")
        rec["dod_lo"], rec["dod_hi"], rec["dod_s"] = _days(row.get("date_of_death") or "")
        rec["dob_lo"], rec["dob_hi"], rec["dob_s"] = _days(row.get("birth_date") or "")
        place, gov = place_key(row.get("place_of_death") or "")
        rec["place"] = place or None
        given_gov = (row.get("governorate") or "").strip()
        rec["gov"] = gov or (governorate(given_gov) if given_gov else None) or None
        for col in extra:
            rec[f"x_{col}"] = names.normalise(row.get(col) or "") or None
        out.append(rec)
    frame = pd.DataFrame.from_records(out, columns=[*COLUMNS, *(f"x_{c}" for c in extra)])
    for col in ("age", "dod_lo", "dod_hi", "dob_lo", "dob_hi"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _safe(parse: Callable[[str], Any], value: str | None) -> Any:
    try:
        return parse(value or "")
    except ValueError:
        return None


# -- Splink model ------------------------------------------------------------------------------


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
    config: LinkageConfig = LinkageConfig(),
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


# -- clustering --------------------------------------------------------------------------------


@dataclass
class ReviewItem:
    """A pair whose decision would change the result, with a priority for ordering."""

    kind: Literal["pair", "conflict", "large"]
    left: str
    right: str
    probability: float
    priority: float
    reason: str


@dataclass
class Clusters:
    cluster_of: dict[str, str]  # record key -> cluster id
    review: list[ReviewItem] = field(default_factory=list)

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, cid in self.cluster_of.items():
            out.setdefault(cid, []).append(key)
        for keys in out.values():
            keys.sort()
        return out


def _entropy(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def cluster(
    keys: Sequence[str],
    pairs: Iterable[tuple[str, str, float]],
    decisions: Iterable[tuple[str, str, Decision]] = (),
    config: LinkageConfig = LinkageConfig(),
    n_sources: int = 1,
) -> Clusters:
    """Constrained greedy clustering (see the module docstring); deterministic."""
    max_size = config.max_cluster_size or max(4, 2 * n_sources)
    floor = min(config.review_low, config.threshold)
    pair_list: list[tuple[str, str, float]] = []
    low: set[tuple[str, str]] = set()  # compared pairs scored as different people
    for a, b, p in pairs:
        a, b = (a, b) if a < b else (b, a)
        if p < config.conflict_below:
            low.add((a, b))
        if p >= floor:
            pair_list.append((a, b, p))
    pair_list.sort(key=lambda t: (-t[2], t[0], t[1]))
    must: list[tuple[str, str]] = []
    cannot: set[tuple[str, str]] = set()
    decided: set[tuple[str, str]] = set()
    for a, b, d in decisions:
        a, b = (a, b) if a < b else (b, a)
        decided.add((a, b))
        if d == "match":
            must.append((a, b))
        elif d == "no_match":
            cannot.add((a, b))
    parent = {k: k for k in keys}
    members = {k: [k] for k in keys}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def blocked(ra: str, rb: str, *, forced: bool) -> Literal["large", "conflict"] | None:
        if not forced and len(members[ra]) + len(members[rb]) > max_size:
            return "large"
        for x in members[ra]:
            for y in members[rb]:
                pair = (x, y) if x < y else (y, x)
                if pair in cannot:
                    return "conflict"
                if not forced and pair in low:
                    return "conflict"
        return None

    def union(ra: str, rb: str) -> None:
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))

    review: list[ReviewItem] = []
    for a, b in must:
        if (
            a in parent
            and b in parent
            and find(a) != find(b)
            and not blocked(find(a), find(b), forced=True)
        ):
            union(find(a), find(b))
    for a, b, p in pair_list:
        if p < config.threshold:
            break
        if a not in parent or b not in parent or (a, b) in cannot:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        why = blocked(ra, rb, forced=False)
        if why is None:
            union(ra, rb)
        elif (a, b) not in decided:
            size = len(members[ra]) + len(members[rb])
            review.append(
                ReviewItem(
                    why,
                    a,
                    b,
                    p,
                    size * (1 + p),
                    "merge refused: "
                    + (
                        "cluster too large"
                        if why == "large"
                        else "a member pair scored as different people"
                    ),
                )
            )
    for a, b, p in pair_list:
        if p >= config.threshold or p < config.review_low or (a, b) in decided:
            continue
        if a not in parent or b not in parent:
            continue
        ra, rb = find(a), find(b)
        size = len(members[ra]) + (0 if ra == rb else len(members[rb]))
        review.append(
            ReviewItem(
                "pair",
                a,
                b,
                p,
                _entropy(p) * size,
                "inside one person" if ra == rb else "uncertain match",
            )
        )
    review.sort(key=lambda r: (-r.priority, r.left, r.right))
    roots = sorted({find(k) for k in keys}, key=lambda r: min(members[r]))
    ids = {root: f"P{i + 1:06d}" for i, root in enumerate(roots)}
    return Clusters({k: ids[find(k)] for k in keys}, review)


@dataclass
class LinkResult:
    """Everything a run produced: per-record cluster ids, pairs, review queue, model."""

    prepared: pd.DataFrame
    scored: Scored
    clusters: Clusters
    config: LinkageConfig

    def captures(self) -> tuple[list[str], dict[str, tuple[int, ...]]]:
        """Sources (sorted) and each person's 0/1 capture history over them."""
        sources = sorted(self.prepared["source"].unique())
        hist: dict[str, list[int]] = {}
        for key, cid in self.clusters.cluster_of.items():
            h = hist.setdefault(cid, [0] * len(sources))
            h[sources.index(split_key(key)[0])] = 1
        return sources, {cid: tuple(h) for cid, h in sorted(hist.items())}


def link(
    rows: Sequence[dict[str, str]],
    config: LinkageConfig = LinkageConfig(),
    *,
    decisions: Iterable[tuple[str, str, Decision]] = (),
    places: PlaceIndex | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> LinkResult:
    """Link rows (each with ``source`` and ``record_id``) into persons."""
    say(f"preparing {len(rows):,} records")
    prepared = prepare(rows, places, config.extra_columns)
    dupes = prepared["unique_id"][prepared["unique_id"].duplicated()]
    if len(dupes):
        source, rid = split_key(str(dupes.iloc[0]))
        raise InvalidInput(
            "record_id is not unique within its source", path=f"{source}:{rid}:record_id"
        )
    scored = score(prepared, config, say=say)
    say("clustering")
    pairs = scored.pairs
    triples = zip(
        pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"], strict=True
    )
    clusters = cluster(
        list(prepared["unique_id"]),
        ((str(a), str(b), float(p)) for a, b, p in triples),
        decisions,
        config,
        n_sources=prepared["source"].nunique(),
    )
    return LinkResult(prepared, scored, clusters, config)
