"""Spark parity: every query of the analytics engine, run by Apache Spark in local mode over the
same Parquet snapshot, gives exactly DuckDB's values.

The queries are the engine's own list (analytics.registry: the views, the cube, and every query
of QUERIES in each variant of `examples`), transpiled from DuckDB's dialect by sqlglot, as a
region would run them on its cluster (docs/monitoring-analytics.md). The snapshot is synthetic,
SAMPLE_ROWS records over 40 interventions with a fixed seed, 90 queries. The size is chosen
for CI time: the cost is Spark's start (15 s) and its planning of each query, hardly the
records; the module took 2.5 minutes (156 queries, load 3-12) and 9 minutes (90 queries,
load 10-12) on this project's shared two-core machine, and should stay near a minute on an
idle CI runner (not measured idle yet).

Spark reads only the files: no package or jar is downloaded (`spark.jars.packages` empty,
Ivy pointed at an empty directory). Without Java the module is skipped locally; in CI
(CI=true) a missing Java is a failure, so parity is never silently untested.
"""

import os
import shutil
from pathlib import Path

import pytest

from reti.monitoring.analytics import registry
from reti.monitoring.analytics import spark as on_spark
from reti.monitoring.analytics.snapshot import Snapshot
from reti.monitoring.synthetic import synthetic_interventions, write_snapshot

from .test_analytics_disclosure_pages import three_regions  # noqa: F401 (a fixture)

SAMPLE_ROWS = 20_000
SEED = 20


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from django.db import connection

    if connection.vendor != "sqlite":
        # Spark and DuckDB read the Parquet files, never the database: the parity is the same
        # whatever the database, so it runs once, in the SQLite suite (CI runs both suites
        # side by side on two cores, and Spark takes minutes there).
        pytest.skip("database-independent: runs in the SQLite suite")
    if _java() is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Java is missing: the Spark parity test must run in CI")
        pytest.skip("Java is missing (the Spark parity test runs wherever Java is installed)")
    ivy = tmp_path_factory.mktemp("ivy")
    session = on_spark.session(ivy=str(ivy))
    yield session
    session.stop()
    assert not any(ivy.iterdir()), "Spark downloaded something"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("parity")
    return write_snapshot(directory, synthetic_interventions(40, SEED), SAMPLE_ROWS, SEED)


def test_every_engine_query_gives_the_same_values_on_spark(spark, files):
    snapshot = Snapshot(files, persisted=False)
    try:
        on_spark.open_snapshot(spark, files)
        mismatches, compared, names = [], 0, set()
        cube = "SELECT * FROM cube"
        duck = snapshot.cursor().execute(cube).fetchall()
        compared += on_spark.compare(
            "cube", cube, duck, on_spark.rows(spark, registry.Query(cube)), mismatches
        )
        for query in registry.examples(registry.sample_values(snapshot)):
            names.add(query.name)
            duck = snapshot.cursor().execute(query.sql, query.params).fetchall()
            compared += on_spark.compare(
                query.name, query.sql, duck, on_spark.rows(spark, query), mismatches
            )
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
        on_spark.spark_sql(
            f"SELECT {SAMPLE_ORDER.replace('p.record_id', 'id')} FROM t ORDER BY id"
        ).replace("FROM t", "FROM range(5000)")
    ).collect()
    assert [row[0] for row in ours] == [row[0] for row in theirs]


@pytest.mark.django_db
def test_the_engine_runs_only_registered_queries(monkeypatch, settings, three_regions):  # noqa: F811
    """What the refresh's analyses and every page's computations execute is in the registry
    (so the parity test above runs every query the engine runs)."""
    from reti.monitoring.analytics import engine, precomputed, public

    ran = []
    for method in ("rows", "frame"):
        original = getattr(Snapshot, method)

        def record(self, query, _original=original):
            ran.append(query.name)
            return _original(self, query)

        monkeypatch.setattr(Snapshot, method, record)
    snapshot = Snapshot(three_regions)
    try:
        precomputed.compute(snapshot)
        filters = {"region": ["09"], "target_group": ["youth"], "intervention": [1, 2]}
        public.compute_selection(snapshot, 5, filters)
        engine.compute(snapshot, ("gender",), filters, one_pass=True)
        engine.targets_against_achievements(snapshot, ("region",), filters)
        engine.compute_entities(snapshot, ("region",), filters)
        public.scoped_added_value(snapshot, "ordinary_call", [1], "direct_award")
    finally:
        snapshot.close()
    assert ran and set(ran) <= set(registry.QUERIES), set(ran) - set(registry.QUERIES)
    assert "" not in ran
