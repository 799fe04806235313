"""Fast bulk writing of generated rows: executemany on SQLite, COPY on PostgreSQL.

The ORM's bulk_create builds a model instance per row and cannot reach national scale
(~12 million rows) in minutes on a small machine; these writers take plain tuples in a known
column order and fill every other column with its field's default, read from the model.
Inside `background_writes()` the database work runs in a second thread while the caller
generates the next batch: sqlite3 and psycopg release the GIL while the database works.
"""

import queue
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager, suppress

from django.db import connection, models
from django.utils import timezone


def _constant(field, now):
    """The value a column takes when generation does not set it."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    elif field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    elif isinstance(field, models.CharField | models.TextField):
        value = ""
    else:
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value")
    return field.get_db_prep_save(value, connection)


def _sqlite_literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


class Table:
    """Rows for one table: the generated columns first, then constants for all the others."""

    def __init__(self, model, columns: Sequence[str], *, fixed: dict | None = None):
        fields = {f.column: f for f in model._meta.concrete_fields}
        fixed = dict(fixed or {})
        unknown = [c for c in [*columns, *fixed] if c not in fields]
        if unknown:
            raise ValueError(f"{model._meta.db_table} has no column {unknown}")
        now = timezone.now()
        rest = [c for c in fields if c not in columns and c not in fixed and c != "id"]
        tail = [fields[c].get_db_prep_save(v, connection) for c, v in fixed.items()]
        tail += [_constant(fields[c], now) for c in rest]
        connection.ensure_connection()
        self.raw_connection = connection.connection
        self.vendor = connection.vendor
        self.table = model._meta.db_table
        self.columns = [*columns, *fixed, *rest]
        self.tail = tuple(tail)
        self.count = 0
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        if self.vendor == "postgresql":
            self.sql = f"COPY {table} ({quoted}) FROM STDIN"
        else:
            # Constants go into the statement as literals: sqlite3 then binds only what varies.
            marks = ["?"] * len(columns) + [_sqlite_literal(value) for value in self.tail]
            self.sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(marks)})"
            self.tail = ()

    def write(self, rows: Iterable[tuple]) -> None:
        """Insert rows (tuples of the generated columns, values ready for the database)."""
        tail = self.tail
        full = [row + tail for row in rows] if tail else list(rows)
        if not full:
            return
        self.count += len(full)
        if _background.worker is not None:
            _background.worker.submit(self._insert, full)
        else:
            self._insert(full)

    def _insert(self, rows: list[tuple]) -> None:
        raw = self.raw_connection.cursor()
        try:
            if self.vendor == "postgresql":
                with raw.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                raw.executemany(self.sql, rows)
        finally:
            raw.close()


class _Worker:
    """One thread running inserts in order; at most two batches wait, to bound memory."""

    def __init__(self):
        self.jobs = queue.Queue(maxsize=2)
        self.error = None
        self.thread = threading.Thread(target=self._run, name="reti-demo-writer", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            job = self.jobs.get()
            if job is None:
                self.jobs.task_done()
                return
            if self.error is None:
                try:
                    job[0](*job[1:])
                except BaseException as exc:  # handed back to the generating thread
                    self.error = exc
            self.jobs.task_done()

    def submit(self, function, *args):
        self._raise()
        self.jobs.put((function, *args))

    def wait(self):
        """Block until every submitted insert ran, before the caller uses the connection."""
        self.jobs.join()
        self._raise()

    def close(self):
        self.jobs.put(None)
        self.thread.join()
        self._raise()

    def _raise(self):
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class _Background(threading.local):
    worker = None


_background = _Background()


@contextmanager
def background_writes():
    """Run the inserts of `Table.write` in a writer thread until the block ends."""
    connection.ensure_connection()
    worker = _background.worker = _Worker()
    try:
        yield
    except BaseException:
        _background.worker = None
        with suppress(BaseException):  # the first error is the one to report
            worker.close()
        raise
    _background.worker = None
    worker.close()


def reserve_ids(model, count: int) -> int:
    """Reserve `count` consecutive primary keys for `model`; returns the first.

    On PostgreSQL the block is taken from the table's sequence, so concurrent inserts never
    collide with it; SQLite serialises writers, and the block starts past every id ever used.
    """
    if _background.worker is not None:
        _background.worker.wait()
    connection.ensure_connection()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if count == 0:
                return 1
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            return cursor.fetchone()[0] - count + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        return max(highest, row[0] if row else 0) + 1


def date_value(value) -> str:
    """A date as the database takes it in a raw row."""
    return value.isoformat()


@contextmanager
def bulk_cache(kib: int = 1_000_000):
    """A larger page cache on SQLite (about 1 GB) while a bulk load runs, restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")
