"""The snapshot laid out for a cluster (analytics/partitioned.py): partitions by period and
region hold exactly the flat snapshot's records, and a refresh rewrites only the partitions
whose records changed, deletes the emptied ones, and keeps the manifest true."""

import json

import duckdb
import pytest

from reti.monitoring.analytics import partitioned
from reti.monitoring.synthetic import synthetic_interventions, write_snapshot

SEED = 2026


@pytest.fixture
def flat(tmp_path):
    return write_snapshot(tmp_path / "flat", synthetic_interventions(30, SEED), 6_000, SEED)


def _fingerprint(sql: str) -> tuple:
    connection = duckdb.connect()
    try:
        connection.execute(f"CREATE TEMP VIEW p AS {sql}")
        return connection.execute(
            "SELECT count(*), sum(hash(p)::HUGEINT)::VARCHAR FROM p"
        ).fetchone()
    finally:
        connection.close()


def _flat_sql(directory) -> str:
    return f"SELECT * FROM read_parquet('{directory / 'participants.parquet'}')"


def _rewrite_flat(directory, where: str) -> None:
    """Replace the flat participants file with its rows that satisfy `where`, as a refresh of
    the snapshot after records were erased would."""
    path = directory / "participants.parquet"
    connection = duckdb.connect()
    try:
        connection.execute(
            f"COPY (SELECT * FROM read_parquet('{path}') WHERE {where} ORDER BY record_id) "
            f"TO '{directory / 'new.parquet'}' (FORMAT parquet)"
        )
    finally:
        connection.close()
    (directory / "new.parquet").replace(path)


def _keys(directory, intervention_where: str) -> set[tuple]:
    connection = duckdb.connect()
    try:
        return set(
            connection.execute(
                f"SELECT DISTINCT period_code, region_code FROM read_parquet("
                f"'{directory / 'interventions.parquet'}') WHERE {intervention_where}"
            ).fetchall()
        )
    finally:
        connection.close()


def test_the_partitions_hold_exactly_the_flat_snapshot(flat, tmp_path):
    out = tmp_path / "cluster"
    first = partitioned.write(flat, out)
    assert first.rows == 6_000 and first.partitions > 1
    assert len(first.rewritten) == first.partitions
    assert _fingerprint(partitioned.participants_sql(out)) == _fingerprint(_flat_sql(flat))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["partitioned_by"] == ["period_code", "region_code"]
    for path, entry in manifest["partitions"].items():
        assert path.startswith("participants/period_code=") and "/region_code=" in path
        assert (out / entry["path"]).exists()
    assert sum(e["rows"] for e in manifest["partitions"].values()) == 6_000
    assert set(manifest["tables"]) == set(partitioned.SMALL_TABLES)


def test_a_refresh_rewrites_only_the_partitions_that_changed(flat, tmp_path):
    out = tmp_path / "cluster"
    partitioned.write(flat, out)
    again = partitioned.write(flat, out)
    assert again.rewritten == [] and again.deleted == []
    # Erase one intervention's records: only its partition changes.
    connection = duckdb.connect()
    intervention, period, region = connection.execute(
        f"SELECT intervention_id, period_code, region_code FROM read_parquet("
        f"'{flat / 'interventions.parquet'}') i WHERE EXISTS (SELECT 1 FROM read_parquet("
        f"'{flat / 'participants.parquet'}') p WHERE p.intervention_id = i.intervention_id) "
        f"ORDER BY intervention_id LIMIT 1"
    ).fetchone()
    connection.close()
    untouched = {
        path: (out / path / "part-0.parquet").stat().st_mtime_ns
        for path in partitioned.read_manifest(out)["partitions"]
    }
    _rewrite_flat(flat, f"intervention_id <> {intervention}")
    changed = partitioned.write(flat, out)
    target = f"participants/period_code={period}/region_code={region}"
    assert changed.rewritten in ([target], [])
    assert changed.deleted in ([], [target])
    assert len(changed.rewritten) + len(changed.deleted) == 1
    for path, moment in untouched.items():
        if path != target:
            assert (out / path / "part-0.parquet").stat().st_mtime_ns == moment, path
    assert _fingerprint(partitioned.participants_sql(out)) == _fingerprint(_flat_sql(flat))


def test_an_emptied_partition_is_deleted_from_the_files_and_the_manifest(flat, tmp_path):
    out = tmp_path / "cluster"
    partitioned.write(flat, out)
    period, region = sorted(_keys(flat, "true"))[0]
    _rewrite_flat(
        flat,
        f"intervention_id NOT IN (SELECT intervention_id FROM read_parquet("
        f"'{flat / 'interventions.parquet'}') WHERE period_code = '{period}' "
        f"AND region_code = '{region}')",
    )
    refresh = partitioned.write(flat, out)
    target = f"participants/period_code={period}/region_code={region}"
    assert refresh.deleted == [target]
    assert not (out / target).exists()
    assert target not in partitioned.read_manifest(out)["partitions"]
    assert _fingerprint(partitioned.participants_sql(out)) == _fingerprint(_flat_sql(flat))
