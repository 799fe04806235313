"""Secondary indexes (and, on PostgreSQL, foreign keys) set aside during a national load.

Inserting millions of rows into B-trees keyed in random order (a partnership's organisation)
costs far more than building each index once, sorted, at the end; PostgreSQL likewise checks
a foreign key over a whole table in one join instead of row by row. Both databases run DDL in
the transaction, so a failed load restores every index and constraint with everything else.
Primary keys and unique constraints stay in place throughout.
"""

from contextlib import contextmanager

from django.db import connection

_SQLITE_INDEXES = """
    SELECT name, sql FROM sqlite_master
    WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})
"""
# Indexes that back no constraint (plain indexes and Django's conditional unique indexes).
_POSTGRES_INDEXES = """
    SELECT i.relname, pg_get_indexdef(i.oid)
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""
_POSTGRES_FOREIGN_KEYS = """
    SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relname = ANY(%s) AND pg_table_is_visible(t.oid)
"""


@contextmanager
def set_aside(models):
    """Drop the secondary indexes (and foreign keys on PostgreSQL) of these models' tables
    for the block, then rebuild them exactly as they were."""
    tables = [m._meta.db_table for m in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_INDEXES, [tables])
            indexes = cursor.fetchall()
            cursor.execute(_POSTGRES_FOREIGN_KEYS, [tables])
            foreign_keys = cursor.fetchall()
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(_SQLITE_INDEXES.format(tables=marks), tables)
            indexes = cursor.fetchall()
            foreign_keys = []
        _check_pending_constraints(cursor)
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        _check_pending_constraints(cursor)
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _check_pending_constraints(cursor) -> None:
    """Run the deferred checks now: PostgreSQL neither alters nor indexes a table with pending
    trigger events (rows deleted under a foreign key leave some on the referenced table)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
