"""A fresh local SQLite database built from a snapshot of its migrated schema.

A first `make run` spent most of its time in `migrate`: Django rebuilds its model state after
each of ~470 operations (about 37,000 model classes; docs/benchmarks.md, "The first make
run"), the same work on every machine for the same result. `fresh_database.sql` is that result
(the schema, the applied migrations and the rows `migrate` writes), taken once with
`make fresh-database`. `reti prepare-local` loads it into an empty SQLite database, then runs
`migrate` as usual, which applies whatever the snapshot lacks, so a stale snapshot costs time,
never correctness. A test holds the snapshot to what the migrations build
(`reti/portal/tests/test_fresh_database.py`). PostgreSQL and existing databases always migrate.
"""

from pathlib import Path

from django.db import connection

SNAPSHOT = Path(__file__).with_name("fresh_database.sql")


def applies() -> bool:
    """True for an empty SQLite database (a first run, or after `make reset`)."""
    return (
        connection.vendor == "sqlite"
        and SNAPSHOT.exists()
        and "django_migrations" not in connection.introspection.table_names()
    )


def load() -> None:
    """Write the snapshot into the (empty) database, in one transaction of SQLite's."""
    connection.ensure_connection()
    # The dump lists tables by name, not by their foreign keys: checked once all are written.
    script = SNAPSHOT.read_text(encoding="utf-8")
    connection.connection.executescript(f"PRAGMA foreign_keys=OFF;\n{script}")
    connection.connection.execute("PRAGMA foreign_keys=ON")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_key_check")
        if broken := cursor.fetchall():
            raise RuntimeError(f"{SNAPSHOT.name}: rows whose foreign key fails: {broken[:3]}")


def dump() -> str:
    """The database as SQL: to be taken right after `migrate` on an empty database.

    SQLite's own dump writes a virtual table (the FTS5 search index) straight into its
    catalogue, which a database already open does not see: it is created again instead,
    after the tables it reads, and its shadow tables are left for it to make.
    """
    connection.ensure_connection()
    database = connection.connection
    virtual = database.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
    ).fetchall()
    shadows = tuple(f"{name}_" for name, _sql in virtual)

    def kept(statement: str) -> bool:
        if statement.startswith(("PRAGMA writable_schema", "INSERT INTO sqlite_master")):
            return False
        for prefix in ("CREATE TABLE '", 'CREATE TABLE "', 'INSERT INTO "'):
            if statement.startswith(prefix) and statement[len(prefix) :].startswith(shadows):
                return False
        return True

    statements = [statement for statement in database.iterdump() if kept(statement)]
    closing = statements.pop()
    assert closing == "COMMIT;", closing
    statements += [f"{sql};" for _name, sql in virtual] + [closing]
    return "\n".join(statements) + "\n"
