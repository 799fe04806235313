"""`python -m bench.partitions [--rows N]`: the partitioned snapshot, full and incremental.

Over the synthetic snapshot of bench.spark (var/bench/monitoring-<rows>/, 10 million records
by default, written once): the partitioned layout written from scratch, a refresh with nothing
changed, then an import of 10,000 records into one intervention (the flat participants file
rewritten with them, as `refresh()` would) and the incremental refresh that follows, with the
partitions it rewrote. Wall and CPU seconds of this process (DuckDB runs in it).
"""

import argparse
import json
import os
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTED = 10_000


def _timed(function):
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - cpu, result


def _import(flat: Path, rows: int) -> str:
    """Append `rows` records to the first intervention, as an accepted import would."""
    import duckdb

    path = flat / "participants.parquet"
    connection = duckdb.connect()
    (intervention,) = connection.execute(
        f"SELECT min(intervention_id) FROM read_parquet('{path}')"
    ).fetchone()
    connection.execute(
        f"COPY (SELECT * FROM read_parquet('{path}') UNION ALL "
        f"(SELECT b.* REPLACE (m.top + row_number() OVER () AS record_id) "
        f"FROM (SELECT * FROM read_parquet('{path}') WHERE intervention_id = {intervention}) b, "
        f"range(1000) r, (SELECT max(record_id) AS top FROM read_parquet('{path}')) m "
        f"LIMIT {rows})) TO '{flat / 'new.parquet'}' (FORMAT parquet, COMPRESSION zstd)"
    )
    connection.close()
    (flat / "new.parquet").replace(path)
    return str(intervention)


def run(rows: int = 10_000_000, seed: int = 2026) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    import django

    django.setup()
    from reti.monitoring import synthetic
    from reti.monitoring.analytics import partitioned

    source = ROOT / "var" / "bench" / f"monitoring-{rows}"
    figures = {"rows": rows, "load_average_at_start": os.getloadavg()}
    if not (source / "participants.parquet").exists():
        figures["generate_s"], _cpu, _ = _timed(
            lambda: synthetic.write_snapshot(source, None, rows, seed)
        )
    # Work on a copy: the import below must not change bench.spark's snapshot.
    flat = ROOT / "var" / "bench" / f"partitions-{rows}" / "flat"
    out = flat.parent / "cluster"
    shutil.rmtree(flat.parent, ignore_errors=True)
    shutil.copytree(source, flat)
    wall, cpu, full = _timed(lambda: partitioned.write(flat, out))
    figures |= {"full_s": wall, "full_cpu_s": cpu, "partitions": full.partitions}
    wall, cpu, same = _timed(lambda: partitioned.write(flat, out))
    figures |= {"unchanged_s": wall, "unchanged_rewritten": len(same.rewritten)}
    figures["import_s"], _cpu, figures["import_intervention"] = _timed(
        lambda: _import(flat, IMPORTED)
    )
    wall, cpu, after = _timed(lambda: partitioned.write(flat, out))
    figures |= {
        "incremental_s": wall,
        "incremental_cpu_s": cpu,
        "incremental_rewritten": after.rewritten,
        "rows_after": after.rows,
    }
    figures["load_average_at_end"] = os.getloadavg()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.partitions")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(json.dumps(run(args.rows, args.seed), indent=2))


if __name__ == "__main__":
    main()
