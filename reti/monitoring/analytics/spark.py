"""The analytics engine's queries on Apache Spark: the same SQL over the same Parquet files.

What a region with its own cluster runs (docs/monitoring-analytics.md, "On Spark or Trino"),
what the parity test compares with DuckDB (tests/test_analytics_spark.py) and what
`python -m bench.spark` times. The queries are DuckDB's text (registry.py) transpiled by
sqlglot; parameters stay bound (`?`, Spark's positional markers). Nothing here downloads:
the session reads Parquet, which Spark does without any package.
"""

import math
from pathlib import Path

import sqlglot

from . import registry
from .snapshot import TABLES


def session(master: str = "local[2]", *, ivy: str | None = None):
    """A Spark session in local mode that downloads nothing (no packages; `ivy`: where Ivy
    would put them, for a test to check it stays empty)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyspark warns about the pandas version on import
        from pyspark.sql import SparkSession

        builder = (
            SparkSession.builder.master(master)
            .appName("reti-analytics")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.jars.packages", "")
        )
        if ivy:
            builder = builder.config("spark.jars.ivy", ivy)
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_sql(sql: str) -> str:
    """DuckDB's text in Spark's dialect (an unsupported construct raises)."""
    return sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level="raise")[0]


def open_snapshot(spark, directory: Path | str) -> None:
    """The snapshot on Spark as a Snapshot has it on DuckDB: the six files as views, the
    `records` and `prepared` views, and the `cube` counted once and cached."""
    directory = Path(directory)
    for table in TABLES:
        spark.read.parquet(str(directory / f"{table}.parquet")).createOrReplaceTempView(table)
    for name, sql in registry.views().items():
        spark.sql(f"CREATE OR REPLACE TEMP VIEW {name} AS {spark_sql(sql)}")
    spark.catalog.cacheTable("cube")
    spark.table("cube").count()  # counted now, not by the first query


def rows(spark, query) -> list[tuple]:
    """The query's result as tuples, in its order."""
    text = spark_sql(query.sql)
    frame = spark.sql(text, args=list(query.params)) if query.params else spark.sql(text)
    return [tuple(row) for row in frame.collect()]


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return a == b


def compare(name, sql, duck_rows, spark_rows, mismatches) -> int:
    """Compare every value, row by row in the query's order (sorted when it has none)."""
    if " ORDER BY " not in sql:
        duck_rows, spark_rows = (sorted(rows, key=repr) for rows in (duck_rows, spark_rows))
    if len(duck_rows) != len(spark_rows):
        mismatches.append((name, "rows", len(duck_rows), len(spark_rows)))
        return 0
    compared = 0
    for k, (ours, theirs) in enumerate(zip(duck_rows, spark_rows, strict=True)):
        for column, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            compared += 1
            if not same(a, b):
                mismatches.append((name, k, column, a, b))
    return compared
