"""`python -m bench.spark [--rows N]`: Spark local[2] against DuckDB on the engine's queries.

Over the synthetic snapshot of bench.monitoring (var/bench/monitoring-<rows>/, 10 million
participant records by default, written once), the same work on both engines:
- open: the snapshot's views and the cube counted from the records (DuckDB: a Snapshot with
  `persisted=False`; Spark: the views created and the cube cached, session start apart);
- queries: every query of the engine's registry in every variant of `registry.examples`
  (the parity test's list), each run once, then compared value by value.
Wall seconds for each, CPU seconds of this process (DuckDB runs in it; Spark's work is in its
JVM, so only its wall time says anything), and the mismatches (expected: 0).
"""

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(function):
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - cpu, result


def run(rows: int = 10_000_000, seed: int = 2026, master: str = "local[2]") -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    import django

    django.setup()
    from reti.monitoring import synthetic
    from reti.monitoring.analytics import registry
    from reti.monitoring.analytics import spark as on_spark
    from reti.monitoring.analytics.snapshot import Snapshot

    directory = ROOT / "var" / "bench" / f"monitoring-{rows}"
    figures = {"rows": rows, "master": master, "load_average_at_start": os.getloadavg()}
    if not (directory / "participants.parquet").exists():
        figures["generate_s"], _cpu, _ = _timed(
            lambda: synthetic.write_snapshot(directory, None, rows, seed)
        )
    wall, cpu, snapshot = _timed(lambda: Snapshot(directory, persisted=False))
    figures |= {"duckdb_open_s": wall, "duckdb_open_cpu_s": cpu}
    queries = list(registry.examples(registry.sample_values(snapshot)))
    figures["queries"] = len(queries)

    def on_duckdb():
        return [snapshot.cursor().execute(q.sql, q.params).fetchall() for q in queries]

    wall, cpu, ours = _timed(on_duckdb)
    figures |= {"duckdb_queries_s": wall, "duckdb_queries_cpu_s": cpu}

    figures["spark_start_s"], _cpu, spark = _timed(lambda: on_spark.session(master))
    figures["spark_open_s"], _cpu, _ = _timed(lambda: on_spark.open_snapshot(spark, directory))
    figures["spark_queries_s"], _cpu, theirs = _timed(
        lambda: [on_spark.rows(spark, q) for q in queries]
    )
    mismatches, compared = [], 0
    for query, a, b in zip(queries, ours, theirs, strict=True):
        compared += on_spark.compare(query.name, query.sql, a, b, mismatches)
    figures |= {"values_compared": compared, "mismatches": len(mismatches)}
    figures["load_average_at_end"] = os.getloadavg()
    spark.stop()
    snapshot.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.spark")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    figures = run(args.rows, args.seed, args.master)
    print(json.dumps(figures, indent=2))
    if figures["mismatches"]:
        raise SystemExit(f"{figures['mismatches']} values differ between Spark and DuckDB")


if __name__ == "__main__":
    main()
