"""The snapshot laid out for a cluster: participants partitioned by period and region, with a
manifest, refreshed incrementally (issue 20, "Beyond one machine").

    <out>/participants/period_code=2021-2027/region_code=09/part-0.parquet
    <out>/<table>.parquet            the small tables, copied as they are
    <out>/manifest.json              each partition: path, rows, fingerprint; when written

Spark (`spark.read.parquet("<out>/participants")`), Trino/Hive and DuckDB
(`read_parquet('<out>/participants/*/*/*.parquet', hive_partitioning = true)`) discover the
partitions from the directory names, so a query filtered by period or region reads only
those files, from object storage as well as from a disk (docs/monitoring-analytics.md).

`write(snapshot_dir, out)` reads the flat snapshot (monitoring/snapshot.py) and rewrites only
the partitions whose content changed since the manifest: each partition's fingerprint is its
row count and an order-independent sum of its rows' hashes, computed by DuckDB in one pass
over the flat file. A partition that no longer has rows is deleted. Each file is written
under a temporary name and renamed, and the manifest last: a reader of the manifest finds
every file it names. No Django import: plain files in, plain files out.
"""

import json
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PARTITION_KEYS = ("period_code", "region_code")
SMALL_TABLES = (
    "interventions",
    "intervention_networks",
    "intervention_target_groups",
    "indicator_targets",
    "entities",
)
MANIFEST = "manifest.json"
LAYOUT_VERSION = 1


@dataclass(frozen=True)
class Refresh:
    partitions: int
    rewritten: list[str]
    deleted: list[str]
    rows: int
    seconds: float


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _partition_path(period: str, region: str) -> str:
    return f"participants/period_code={period}/region_code={region}"


def read_manifest(out: Path) -> dict:
    try:
        return json.loads((Path(out) / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return {"layout": LAYOUT_VERSION, "partitions": {}}


def _joined(source: Path) -> str:
    """The participants with their intervention's period and region (the partition keys)."""
    participants = _quoted(source / "participants.parquet")
    interventions = _quoted(source / "interventions.parquet")
    return (
        f"SELECT p.*, i.period_code, i.region_code FROM read_parquet('{participants}') p "
        f"JOIN read_parquet('{interventions}') i USING (intervention_id)"
    )


def write(source: Path | str, out: Path | str) -> Refresh:
    """Bring the partitioned layout at `out` up to date with the flat snapshot at `source`."""
    started = time.perf_counter()
    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    old = read_manifest(out)["partitions"]
    connection = duckdb.connect()
    try:
        connection.execute(f"CREATE TEMP VIEW joined AS {_joined(source)}")
        # hash(p) hashes the whole row; the sum is the same whatever the order of the rows.
        found = connection.execute(
            "SELECT period_code, region_code, count(*), "
            "sum(hash(joined)::HUGEINT)::VARCHAR FROM joined GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        partitions, rewritten = {}, []
        for period, region, rows, fingerprint in found:
            path = _partition_path(period, region)
            entry = {"path": f"{path}/part-0.parquet", "rows": rows, "fingerprint": fingerprint}
            partitions[path] = entry
            previous = old.get(path)
            target = out / entry["path"]
            if previous == entry and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(".part-0.parquet.tmp")
            connection.execute(
                f"COPY (SELECT * EXCLUDE (period_code, region_code) FROM joined "
                f"WHERE period_code = ? AND region_code = ? ORDER BY record_id) "
                f"TO '{_quoted(temporary)}' (FORMAT parquet, COMPRESSION zstd)",
                [period, region],
            )
            temporary.replace(target)
            rewritten.append(path)
        for table in SMALL_TABLES:
            if (source / f"{table}.parquet").exists():
                shutil.copyfile(source / f"{table}.parquet", out / f".{table}.tmp")
                (out / f".{table}.tmp").replace(out / f"{table}.parquet")
    finally:
        connection.close()
    manifest = {
        "layout": LAYOUT_VERSION,
        "partitioned_by": list(PARTITION_KEYS),
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "partitions": partitions,
        "tables": [t for t in SMALL_TABLES if (out / f"{t}.parquet").exists()],
    }
    (out / f".{MANIFEST}.tmp").write_text(json.dumps(manifest, indent=2))
    (out / f".{MANIFEST}.tmp").replace(out / MANIFEST)
    deleted = sorted(set(old) - set(partitions))
    for path in deleted:
        shutil.rmtree(out / path, ignore_errors=True)
    return Refresh(
        partitions=len(partitions),
        rewritten=rewritten,
        deleted=deleted,
        rows=sum(entry["rows"] for entry in partitions.values()),
        seconds=time.perf_counter() - started,
    )


def participants_sql(out: Path | str) -> str:
    """A DuckDB query over the partitioned participants, with the same columns as the flat
    file (the partition keys, read from the paths, left out)."""
    pattern = _quoted(Path(out) / "participants" / "*" / "*" / "*.parquet")
    return (
        f"SELECT * EXCLUDE (period_code, region_code) "
        f"FROM read_parquet('{pattern}', hive_partitioning = true)"
    )
