"""Spark parity: every query of the analytics engine, run by Apache Spark in local mode over the
same Parquet snapshot, gives exactly DuckDB's values.

The queries are the engine's own list (analytics.registry: the views, the cube, and every query
of QUERIES in each variant of `examples`), transpiled from DuckDB's dialect by sqlglot, as a
region would run them on its cluster (docs/monitoring-analytics.md). The snapshot is synthetic,
SAMPLE_ROWS records over 40 interventions with a fixed seed: about 150 queries, and the whole
module takes about a minute on a shared two-core machine (Spark's start is 15 of those
seconds), so it runs in CI on every push.

Spark reads only the files: no package or jar is downloaded (`spark.jars.packages` empty,
Ivy pointed at an empty directory). Without Java the module is skipped locally; in CI
(CI=true) a missing Java is a failure, so parity is never silently untested.
"""

import math
import os
import shutil
import warnings
from pathlib import Path

import pytest
import sqlglot

from reti.monitoring.analytics import registry
from reti.monitoring.analytics.engine import DIMENSIONS
from reti.monitoring.analytics.snapshot import TABLES, Snapshot
from reti.monitoring.synthetic import synthetic_interventions, write_snapshot

SAMPLE_ROWS = 20_000
SEED = 20


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    if _java() is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Java is missing: the Spark parity test must run in CI")
        pytest.skip("Java is missing (the Spark parity test runs wherever Java is installed)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyspark warns about the pandas version on import
        from pyspark.sql import SparkSession

        ivy = tmp_path_factory.mktemp("ivy")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("reti-parity")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.jars.packages", "")
            .config("spark.jars.ivy", str(ivy))
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    assert not any(ivy.iterdir()), "Spark downloaded something"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("parity")
    return write_snapshot(directory, synthetic_interventions(40, SEED), SAMPLE_ROWS, SEED)


def spark_sql(sql: str) -> str:
    return sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level="raise")[0]


def open_on_spark(session, directory: Path) -> None:
    """The snapshot on Spark as on DuckDB: the six files, the two views, the cube cached."""
    for table in TABLES:
        session.read.parquet(str(directory / f"{table}.parquet")).createOrReplaceTempView(table)
    for name, sql in registry.views().items():
        session.sql(f"CREATE OR REPLACE TEMP VIEW {name} AS {spark_sql(sql)}")
    session.catalog.cacheTable("cube")


def sample_values(snapshot: Snapshot) -> dict[str, list]:
    """A few values of each dimension found in the snapshot, to filter on."""
    sources = {
        "network": "SELECT DISTINCT network_id FROM intervention_networks",
        "target_group": "SELECT DISTINCT target_group FROM intervention_target_groups",
        "gender": "SELECT DISTINCT gender FROM participants WHERE gender IS NOT NULL",
    }
    values = {}
    for name, expression in DIMENSIONS.items():
        column = expression.split(".")[1]
        sql = sources.get(name, f"SELECT DISTINCT {column} FROM prepared")
        found = sorted(row[0] for row in snapshot.cursor().execute(sql).fetchall())
        values[name] = found[:3]
    return values


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


def run_spark(session, query) -> list[tuple]:
    text = spark_sql(query.sql)
    frame = session.sql(text, args=list(query.params)) if query.params else session.sql(text)
    return [tuple(row) for row in frame.collect()]


def test_every_engine_query_gives_the_same_values_on_spark(spark, files):
    snapshot = Snapshot(files, persisted=False)
    try:
        open_on_spark(spark, files)
        mismatches, compared, names = [], 0, set()
        cube = "SELECT * FROM cube"
        duck = snapshot.cursor().execute(cube).fetchall()
        compared += compare("cube", cube, duck, run_spark(spark, registry.Query(cube)), mismatches)
        for query in registry.examples(sample_values(snapshot)):
            names.add(query.name)
            duck = snapshot.cursor().execute(query.sql, query.params).fetchall()
            compared += compare(query.name, query.sql, duck, run_spark(spark, query), mismatches)
    finally:
        snapshot.close()
    assert names == set(registry.QUERIES)
    assert mismatches == []
    assert compared > 50_000  # the added value's records alone are several thousand rows


def test_the_sample_order_is_the_same_on_both_engines(spark):
    """The added value's sample is drawn in SAMPLE_ORDER: both engines compute the same key
    for the same record id (DuckDB's hash() and Spark's differ)."""
    import duckdb

    from reti.monitoring.analytics.added_value import SAMPLE_ORDER

    ours = duckdb.sql(
        f"SELECT {SAMPLE_ORDER.replace('p.record_id', 'range')} FROM range(5000) ORDER BY range"
    ).fetchall()
    theirs = spark.sql(
        spark_sql(f"SELECT {SAMPLE_ORDER.replace('p.record_id', 'id')} FROM t ORDER BY id").replace(
            "FROM t", "FROM range(5000)"
        )
    ).collect()
    assert [row[0] for row in ours] == [row[0] for row in theirs]
