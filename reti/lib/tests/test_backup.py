"""`reti backup` of a running site, `reti restore` on a fresh machine: same rows, same files.

The backup is taken in-process from the test database (SQLite or PostgreSQL, whichever the
suite runs on); the restore runs as a separate `reti restore` into a fresh database (a new
SQLite file, or a new PostgreSQL database) with empty upload and snapshot directories, as on a
new machine; the test then reads that database and those files directly and compares them.
The same archive is then restored over the test site itself: refused, with nothing changed,
without --replace, under another pseudonym key or when damaged; with --replace, the site is
as it was when backed up.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from reti.events.models import Event, Registration
from reti.events.tests.factories import EventFactory, RegistrationFactory
from reti.lib import backup

PDF = b"%PDF-1.4\n% synthetic attachment for the backup test\n%%EOF\n"
PARQUET = b"PAR1 synthetic snapshot bytes PAR1"
# Where the apps that came after the first backups keep their uploads (each model's
# upload_to): an application's attachment, an answer to a document request, a report's
# receipt, a CSR evidence. A grant's agreement is rendered from its stored text, so the
# database carries it.
NEW_APP_MEDIA = {
    "grants/attachments/2026/12/domanda.pdf": PDF + b"% application\n",
    "grants/requests/2026/12/risposta.pdf": PDF + b"% answer\n",
    "grants/reports/2026/12/fattura.pdf": PDF + b"% receipt\n",
    "csr/evidence/7/0123456789abcdef.pdf": PDF + b"% evidence\n",
}


@pytest.fixture
def site(settings, tmp_path, transactional_db):
    """A small site: an event with registrations, an uploaded file, a snapshot, leftovers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MONITORING_SNAPSHOT_DIR = tmp_path / "snapshot"
    event = EventFactory(capacity=2)
    for n in range(3):
        RegistrationFactory(event=event, email=f"backup{n}@example.org", position=n + 1)
    default_storage.save("knowledge/attachments/relazione.pdf", ContentFile(PDF))
    for name, data in NEW_APP_MEDIA.items():
        assert default_storage.save(name, ContentFile(data)) == name
    snapshot = Path(settings.MONITORING_SNAPSHOT_DIR)
    snapshot.mkdir(parents=True)
    (snapshot / "participants.parquet").write_bytes(PARQUET)
    # A refresh still writing, and an upload of clear codici fiscali waiting for its import.
    (snapshot / ".refresh-abc.duckdb").write_bytes(b"half written")
    imports = Path(settings.MEDIA_ROOT) / "monitoring" / "imports"
    imports.mkdir(parents=True)
    (imports / "x.upload").write_text("RSSMRA80A01H501U;...")
    return event


def _registrations_checksum(rows) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def _our_registrations():
    rows = Registration.objects.values_list("id", "event_id", "name", "email", "status", "position")
    return _registrations_checksum(list(rows))


def _table_counts():
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in connection.introspection.table_names(cursor)
        }


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, reader) of an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda sql: sqlite3.connect(path).execute(sql).fetchall()
        return
    import psycopg

    # A sibling of the database DATABASE_URL names (the test database is "test_" + that name).
    base = connection.settings_dict["NAME"].removeprefix("test_")
    name = f"{base}_restore_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f"CREATE DATABASE {name}")

    def read(sql):
        with psycopg.connect(dbname=name, **server) as restored:
            return restored.execute(sql).fetchall()

    auth = f"{server['user']}:{server['password']}@" if server["password"] else f"{server['user']}@"
    try:
        yield f"postgres://{auth}{server['host']}:{server['port']}/{name}", read
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_restores_on_a_fresh_machine_and_over_a_site_only_when_safe(
    site, settings, tmp_path, fresh_database
):
    # One test, one archive, for both (each committing test, and each pg_dump, costs seconds
    # on PostgreSQL).
    archive = tmp_path / "reti.tar.gz"
    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600
    before_counts = _table_counts()
    before_registrations = _our_registrations()

    url, read = fresh_database
    machine = tmp_path / "new-machine"
    environ = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
        "RETI_LOCAL": "1",
        "DATABASE_URL": url,
        "RETI_VAR_DIR": str(machine),
        "MEDIA_ROOT": str(machine / "media"),
        "RETI_MONITORING_SNAPSHOT_DIR": str(machine / "snapshot"),
        # The key is never in the archive: the new machine is given the same one.
        "RETI_PSEUDONYM_KEY": settings.MONITORING_PSEUDONYM_KEY,
    }
    # Read from standard input, as from `gpg --decrypt … |`.
    result = subprocess.run(
        [sys.executable, "-m", "reti.cli", "restore", "-"],
        env=environ,
        input=archive.read_bytes(),
        capture_output=True,
        check=False,
    )
    result.stdout, result.stderr = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, result.stderr
    assert "counts checked" in result.stdout
    assert "run `reti migrate`" not in result.stdout

    for table, count in before_counts.items():
        assert read(f'SELECT count(*) FROM "{table}"') == [(count,)], table
    restored = read("SELECT id, event_id, name, email, status, position FROM events_registration")
    assert _registrations_checksum([tuple(row) for row in restored]) == before_registrations
    media = machine / "media" / "knowledge" / "attachments" / "relazione.pdf"
    assert media.read_bytes() == PDF
    for name, data in NEW_APP_MEDIA.items():  # grants and CSR uploads travel too
        assert (machine / "media" / name).read_bytes() == data, name
    assert (machine / "snapshot" / "participants.parquet").read_bytes() == PARQUET
    # Neither the clear codici fiscali of an upload nor a half-written refresh travel.
    assert not (machine / "media" / "monitoring").exists()
    assert not (machine / "snapshot" / ".refresh-abc.duckdb").exists()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert not any("imports" in name or "refresh" in name for name in names)
    assert settings.MONITORING_PSEUDONYM_KEY not in archive.read_bytes().decode("latin-1")
    assert manifest["files"]["media/knowledge/attachments/relazione.pdf"]["sha256"] == (
        hashlib.sha256(PDF).hexdigest()
    )
    for name, data in NEW_APP_MEDIA.items():
        assert manifest["files"][f"media/{name}"]["sha256"] == hashlib.sha256(data).hexdigest()

    _restoring_over_the_site_is_refused_unless_safe_then_replaces_it(
        site, settings, tmp_path, io.BytesIO(archive.read_bytes())
    )


def _damaged(archive: io.BytesIO, tmp_path) -> io.BytesIO:
    """The archive with one uploaded file changed after the backup."""
    archive.seek(0)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(fileobj=archive) as opened:
        opened.extractall(unpacked, filter="data")
    (unpacked / "media/knowledge/attachments/relazione.pdf").write_bytes(b"tampered")
    damaged = io.BytesIO()
    with tarfile.open(fileobj=damaged, mode="w:gz") as repacked:
        for path in sorted(unpacked.rglob("*")):
            if path.is_file():
                repacked.add(path, path.relative_to(unpacked).as_posix())
    damaged.seek(0)
    return damaged


def _restoring_over_the_site_is_refused_unless_safe_then_replaces_it(
    site, settings, tmp_path, archive: io.BytesIO
):
    counts = _table_counts()
    registrations = _our_registrations()
    site.registrations.all().delete()
    EventFactory()
    default_storage.delete("knowledge/attachments/relazione.pdf")

    # Refused, with nothing changed: a database that holds tables, without --replace ...
    archive.seek(0)
    with pytest.raises(backup.BackupError, match="--replace"):
        backup.restore(archive)
    # ... a damaged archive ...
    with pytest.raises(backup.BackupError, match=r"relazione\.pdf is missing or damaged"):
        backup.restore(_damaged(archive, tmp_path), replace=True)
    # ... something that is no archive ...
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a readable Reti backup"):
        call_command("restore", str(garbage), "--replace")
    # ... and another pseudonym key, which would make every participant a new person.
    key = settings.MONITORING_PSEUDONYM_KEY
    settings.MONITORING_PSEUDONYM_KEY = "another key " * 4
    archive.seek(0)
    with pytest.raises(backup.BackupError, match="RETI_PSEUDONYM_KEY is not the key"):
        backup.restore(archive, replace=True)
    assert Registration.objects.count() == 0
    assert Event.objects.count() == 2
    assert not default_storage.exists("knowledge/attachments/relazione.pdf")

    settings.MONITORING_PSEUDONYM_KEY = key
    archive.seek(0)
    backup.restore(archive, replace=True)
    assert _table_counts() == counts
    assert _our_registrations() == registrations
    assert Event.objects.count() == 1
    assert default_storage.open("knowledge/attachments/relazione.pdf").read() == PDF
