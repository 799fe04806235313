"""Read access to the Parquet snapshot through DuckDB (one in-process connection per reader).

The cube (every participant count by intervention and gender) is counted once per snapshot,
at refresh time, and kept beside the files as `cube-<fingerprint>.parquet`
(`persist_cube`); the fingerprint covers the six files (size and modification time) and the
cube's SQL, so a cube is read only for the very files and definitions it was counted from.
Opening a snapshot reads that small file, or counts the records when it is missing or stale.
"""

import hashlib
import os
import threading
import uuid
from datetime import UTC, datetime
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

    `cube_file` is the persisted cube that was read (None: the cube was counted here);
    `persisted=False` always counts.
    """

    def __init__(
        self,
        directory: Path | str | None = None,
        *,
        threads: int | None = None,
        persisted: bool = True,
    ):
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
        self.version = _version(self.directory)
        self.cube_file = (
            _read_cube(self._connection, self.directory, self.version) if persisted else None
        )
        if self.cube_file is None:
            self._connection.execute(f"CREATE TABLE cube AS {_cube_sql()}")
        self._local = threading.local()

    @property
    def as_of(self) -> datetime:
        """When the snapshot's files were last written: the time its figures are as of."""
        return datetime.fromtimestamp(max(m for _t, m in self.version) / 1e9, UTC)

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


def _cube_sql() -> str:
    from .engine import cube_sql

    return cube_sql()


def cube_path(directory: Path, version: tuple) -> Path:
    """Where the cube counted from the files of `version` is kept (name = its fingerprint)."""
    digest = hashlib.sha256(_cube_sql().encode())
    for table, mtime in version:
        digest.update(
            f"|{table}:{mtime}:{(directory / f'{table}.parquet').stat().st_size}".encode()
        )
    return directory / f"cube-{digest.hexdigest()[:32]}.parquet"


def _read_cube(connection, directory: Path, version: tuple) -> Path | None:
    """Load the persisted cube of these files into table `cube`; None when there is none."""
    try:
        path = cube_path(directory, version)
    except FileNotFoundError:
        return None
    if not path.exists():
        return None
    quoted = str(path).replace("'", "''")
    try:
        connection.execute(f"CREATE TABLE cube AS SELECT * FROM read_parquet('{quoted}')")
    except duckdb.Error:  # removed by a newer refresh meanwhile: count instead
        connection.execute("DROP TABLE IF EXISTS cube")
        return None
    return path


def persist_cube(directory: Path | str | None = None) -> Path | None:
    """Count the cube of the snapshot in `directory` and keep it beside the files.

    Called by the refresh once the new files are in place. Older cubes are removed. Returns
    the file written, or None when the files changed while it was counted (a newer refresh
    then persists its own).
    """
    directory = Path(directory or default_directory())
    snapshot = Snapshot(directory, persisted=False, threads=None)
    try:
        target = cube_path(directory, snapshot.version)
        if _version(directory) != snapshot.version:
            return None
        temporary = directory / f".cube-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
        quoted = str(temporary).replace("'", "''")
        snapshot._connection.execute(f"COPY cube TO '{quoted}' (FORMAT parquet)")
    finally:
        snapshot.close()
    temporary.replace(target)
    for old in directory.glob("cube-*.parquet"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


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
