"""Read access to the Parquet snapshot through DuckDB (one in-process connection per reader)."""

import threading
from pathlib import Path

import duckdb
from django.conf import settings

from .definitions import PREPARED_SQL, RECORDS_SQL

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
    """The snapshot's tables as DuckDB views named like the files (participants, ...), the
    views `records` (definitions.RECORDS_SQL) and `prepared` (PREPARED_SQL) over them, and
    `cube` (engine.cube_sql), every participant count by intervention and gender, computed
    in one pass over the records when the snapshot is opened and kept in memory (a few
    thousand rows: the records themselves stay in the Parquet file).

    Indicators, rates and dashboards sum the cube; only the added value reads records (the
    prepared view). `current()` gives the Snapshot matching the files on disk, opening a new
    one after each refresh. DuckDB connections are not shared between threads: each thread
    gets its own cursor.
    """

    def __init__(self, directory: Path | str | None = None, *, threads: int | None = None):
        self.directory = Path(directory or default_directory())
        missing = [t for t in TABLES if not (self.directory / f"{t}.parquet").exists()]
        if missing:
            raise SnapshotMissing(f"{self.directory}: no snapshot ({', '.join(missing)} missing)")
        self._connection = duckdb.connect()
        self._connection.execute("SET enable_progress_bar = false")
        if threads:
            self._connection.execute(f"SET threads = {int(threads)}")
        for table in TABLES:
            path = str(self.directory / f"{table}.parquet").replace("'", "''")
            self._connection.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
        self._connection.execute(f"CREATE VIEW records AS {RECORDS_SQL}")
        self._connection.execute(f"CREATE VIEW prepared AS {PREPARED_SQL}")
        from .engine import cube_sql

        self._connection.execute(f"CREATE TABLE cube AS {cube_sql()}")
        self._local = threading.local()
        self.version = _version(self.directory)

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


def _version(directory: Path) -> tuple:
    return tuple((t, (directory / f"{t}.parquet").stat().st_mtime_ns) for t in TABLES)


_current: dict[Path, Snapshot] = {}
_lock = threading.Lock()


def current(directory: Path | str | None = None) -> Snapshot:
    """The open snapshot of `directory` (default: the setting), reopened when its files change."""
    directory = Path(directory or default_directory())
    with _lock:
        open_one = _current.get(directory)
        try:
            fresh = open_one is not None and open_one.version == _version(directory)
        except FileNotFoundError:
            fresh = False
        if not fresh:
            _current[directory] = Snapshot(directory)
            if open_one is not None:
                open_one.close()
        return _current[directory]
