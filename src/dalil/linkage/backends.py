"""Splink's database backends: DuckDB in-process (the default) or a local Spark session,
and registering the prepared records with them.

DuckDB gets the configured memory limit and spills to a temporary folder; Spark needs the
``spark`` extra (pyspark) and Splink's similarity functions jar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from dalil.errors import InvalidInput
from dalil.linkage.config import LinkageConfig

#: What no exact-match level's SQL holds: a function call, an inequality, IS, NOT, OR or
#: IN. Splink's exact-match level is a conjunction of ``"col_l" = "col_r"``.
_NOT_EXACT = re.compile(r"<|>|!=|\b(?:is|not|or|in)\b|\b(?!and\b)\w+\s*\(", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')  # column names, looked past: "x_id in registry_l"


@contextmanager
def quicker_exact_match_test() -> Iterator[None]:
    """Within the block, Splink tells exact-match levels from the others by a look at
    their SQL first.

    Why: Splink asks every level whether it is an exact match (to find the levels a
    training block fixes, and the level term frequencies adjust) by normalising its SQL
    to conjunctive normal form with sqlglot, which takes up to 0.1 s on dalil's long
    custom levels: 2.1 s of a 7.7 s run on 20,000 people (profiled). A level whose SQL
    holds anything of :data:`_NOT_EXACT` is not an exact match, which Splink's own test
    would also find; the others go to that test. Splink is restored after the block, so
    that other users of Splink in the process (the benchmarks' baselines) run as
    published; the answers are the same either way, so runs in other threads that
    overlap a block only change speed."""
    from splink.internals.comparison_level import ComparisonLevel

    current: Any = ComparisonLevel.__dict__["_is_exact_match"]
    splinks: Any = getattr(current.fget, "splinks", current)  # a block in another thread

    def is_exact(level: Any) -> bool:
        if _NOT_EXACT.search(_QUOTED.sub('""', level.sql_condition)):
            return False
        return bool(splinks.fget(level))

    is_exact.splinks = splinks  # type: ignore[attr-defined]
    setattr(ComparisonLevel, "_is_exact_match", property(is_exact))  # noqa: B010
    try:
        yield
    finally:
        setattr(ComparisonLevel, "_is_exact_match", splinks)  # noqa: B010


def connect(config: LinkageConfig) -> Any:
    """A Splink database API for ``config.backend``: a fresh in-memory DuckDB connection,
    or the local Spark session (created on first use, one per process)."""
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
        spark.sparkContext.setLogLevel("ERROR")  # Spark's INFO/WARN lines are not the user's
        spark.sparkContext.setCheckpointDir(f"{tempfile.gettempdir()}/dalil-spark-checkpoints")
        return SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
    import tempfile

    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{config.memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/dalil-duckdb'")
    return DuckDBAPI(connection=con)


def register(api: Any, frame: pd.DataFrame, config: LinkageConfig) -> Any:
    """Hand the prepared records to the backend ``api``; returns Splink's table of them."""
    if config.backend == "spark":
        from pyspark.sql import types as T  # type: ignore[import-not-found,unused-ignore]

        # An explicit schema from the frame's types: Spark would infer an all-null column as
        # a string, and the name counts must compare as numbers.
        def kind(col: str) -> tuple[Any, Any]:
            if pd.api.types.is_integer_dtype(frame[col]):
                return T.LongType(), int
            if pd.api.types.is_float_dtype(frame[col]):
                return T.DoubleType(), float
            return T.StringType(), str

        kinds = [kind(c) for c in frame.columns]
        fields = zip(frame.columns, kinds, strict=True)
        schema = T.StructType([T.StructField(c, k[0]) for c, k in fields])
        records = [
            tuple(None if pd.isna(v) else k[1](v) for v, k in zip(row, kinds, strict=True))
            for row in frame.itertuples(index=False)
        ]
        return api.register(api.spark.createDataFrame(records, schema))
    return api.register(frame)
