"""The snapshot a first `make run` starts from is what the migrations build (SQLite)."""

import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from reti.portal import fresh_database

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the snapshot is of a SQLite database"
)


def schema(rows) -> set[tuple[str, str, str]]:
    return {(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows}


@pytest.fixture
def snapshot():
    database = sqlite3.connect(":memory:")
    database.executescript(fresh_database.SNAPSHOT.read_text(encoding="utf-8"))
    yield database
    database.close()


@pytest.mark.django_db
def test_the_snapshot_has_the_schema_and_migrations_the_test_database_was_migrated_to(snapshot):
    query = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    with connection.cursor() as cursor:
        cursor.execute(query)
        migrated = schema(cursor.fetchall())
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    recorded = set(snapshot.execute("SELECT app, name FROM django_migrations"))
    assert recorded == applied, "a migration was added or renamed: run `make fresh-database`"
    assert schema(snapshot.execute(query)) == migrated, "run `make fresh-database`"


def test_an_empty_database_starts_from_the_snapshot_and_migrate_finds_nothing_to_do(tmp_path):
    """prepare-local's first step on an empty database, in a process of its own."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from reti.portal import fresh_database\n"
        "assert fresh_database.applies()\n"
        "fresh_database.load()\n"
        "assert not fresh_database.applies()\n"
        "call_command('migrate', plan=True)\n"
    )
    environment = {
        **os.environ,
        "RETI_LOCAL": "1",
        "RETI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "reti.settings",
    }
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "No planned migration operations." in done.stdout
