"""Read access to the Parquet snapshot through DuckDB (one in-process connection per reader)."""

import threading
from pathlib import Path

import duckdb
from django.conf import settings

TABLES = (
    "participants",
    "interventions",
    "intervention_networks",
    "intervention_target_groups",
    "indicator_targets",
    "entities",
)


class SnapshotMissing(FileNotFoundError):
    pass


def default_directory() -> Path:
    return Path(getattr(settings, "MONITORING_SNAPSHOT_DIR", settings.VAR_DIR / "monitoring"))


class Snapshot:
    """The snapshot's tables as DuckDB views named like the files (participants, ...).

    The views read the files at query time, so a snapshot replaced by rename is seen by the
    next query. DuckDB connections are not shared between threads: each thread gets a cursor.
    """

    def __init__(self, directory: Path | str | None = None, *, threads: int | None = None):
        self.directory = Path(directory or default_directory())
        missing = [t for t in TABLES if not (self.directory / f"{t}.parquet").exists()]
        if missing:
            raise SnapshotMissing(f"{self.directory}: no snapshot ({', '.join(missing)} missing)")
        self._connection = duckdb.connect()
        if threads:
            self._connection.execute(f"SET threads = {int(threads)}")
        for table in TABLES:
            path = str(self.directory / f"{table}.parquet").replace("'", "''")
            self._connection.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
        self._local = threading.local()

    def cursor(self):
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._connection.cursor()
        return cursor

    def rows(self, query) -> list[dict]:
        """The query's result as dicts keyed by column name."""
        result = self.cursor().execute(query.sql, query.params)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def frame(self, query):
        """The query's result as a pandas DataFrame."""
        return self.cursor().execute(query.sql, query.params).df()

    def close(self) -> None:
        self._connection.close()
