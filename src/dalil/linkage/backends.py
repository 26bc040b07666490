"""Splink's database backends: DuckDB in-process (the default) or a local Spark session,
and registering the prepared records with them.

DuckDB gets the configured memory limit and spills to a temporary folder; Spark needs the
``spark`` extra (pyspark) and Splink's similarity functions jar.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dalil.errors import InvalidInput
from dalil.linkage.config import LinkageConfig


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


_INTEGER_COLUMNS = ("age", "dod_lo", "dod_hi", "dob_lo", "dob_hi")


def register(api: Any, frame: pd.DataFrame, config: LinkageConfig) -> Any:
    """Hand the prepared records to the backend ``api``; returns Splink's table of them."""
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
        return api.register(api.spark.createDataFrame(records, schema))
    return api.register(frame)
