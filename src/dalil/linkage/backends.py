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
