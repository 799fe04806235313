"""One backup of a running Reti, and its restore on a fresh machine (docs/operations.md).

A backup is one gzipped tar archive:

    manifest.json       what is inside: format, date, database vendor, row count of every table,
                        applied migrations, size and SHA-256 of every file, key fingerprint
    database.sqlite3    SQLite: a copy made by SQLite's online backup API (consistent, while
                        the site runs)
    database.dump       PostgreSQL: pg_dump's custom format, taken in a snapshot exported from
                        the transaction that counts the rows, so counts and dump agree
    media/...           MEDIA_ROOT (attachments, images), except monitoring/imports/: uploads
                        in progress hold clear codici fiscali and are deleted once imported
    snapshot/...        the monitoring analytics snapshot (MONITORING_SNAPSHOT_DIR), without
                        the files a refresh is still writing

The pseudonym key (RETI_PSEUDONYM_KEY) is **not** in the archive: with it, the pseudonyms of
the participants could be turned back into codici fiscali by trying them all. The manifest
keeps a fingerprint of it (an HMAC of a fixed text, which does not reveal the key), and a
restore refuses to run under another key, which would split every person in two.

Reti does not encrypt the archive (it holds accounts' e-mail addresses, registrations,
pseudonymised participant records and attachments): it is written with mode 0600, or to
standard output so that it goes through the operator's encryption (`gpg`, `age`) before it
touches a disk. `restore` reads it back the same way.

A restore first unpacks everything into a temporary directory (tar's "data" filter: no
absolute paths, links out of it or devices), checks every file's checksum, refuses a database
that already holds tables unless told to replace them, then loads the database, counts every
table against the manifest, and only then puts the files in place.
"""

import datetime
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from reti.lib import cache

FORMAT = 1
MANIFEST = "manifest.json"
# Under MEDIA_ROOT: uploads of participant files waiting for (or in) their import.
TRANSIENT_MEDIA = ("monitoring/imports",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def key_fingerprint(key: str | None = None) -> str:
    """A fingerprint of the pseudonym key that does not reveal it."""
    key = settings.MONITORING_PSEUDONYM_KEY if key is None else key
    return hmac.new(key.encode(), b"reti backup key check", hashlib.sha256).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables) -> list[list[str]]:
    if "django_migrations" not in tables:
        raise BackupError(
            "The database holds no Reti tables: check DATABASE_URL (nothing to back up)."
        )
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for the database Django uses (no password on a command line)."""
    environ = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environ[variable] = str(settings_dict[key])
    if sslmode := settings_dict.get("OPTIONS", {}).get("sslmode"):
        environ["PGSSLMODE"] = sslmode
    return environ


def _run(command: list[str], environ: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs "
            f"(Debian: postgresql-client, the server's major version or newer)."
        )
    result = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(work: Path) -> tuple[Path, dict]:
    """The database into `work`, and what the manifest says of it."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = work / "database.sqlite3"
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): the copy is the database at one instant, writers wait
            # only on SQLite's own lock for the copy's duration.
            connection.connection.backup(copy)
            cursor = copy.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]
            migrations = _applied_migrations(cursor, tables)
            counts = _table_counts(cursor, tables)
        finally:
            copy.close()
        return target, {"counts": counts, "migrations": migrations}
    if connection.vendor == "postgresql":
        target = work / "database.dump"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                _pg_environment(connection.settings_dict),
            )
            tables = connection.introspection.table_names(cursor)
            migrations = _applied_migrations(cursor, tables)
            counts = _table_counts(cursor, tables)
        return target, {"counts": counts, "migrations": migrations}
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _files(root: Path, skip: Callable[[str], bool]) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if not skip(relative) and path.is_file() and not path.is_symlink():
                found.append((path, relative))
    return found


def _is_transient_media(relative: str) -> bool:
    return any(relative == top or relative.startswith(top + "/") for top in TRANSIENT_MEDIA)


def _is_unfinished_snapshot(relative: str) -> bool:
    # A refresh writes under names starting with a dot and renames them into place.
    return any(part.startswith(".") for part in relative.split("/"))


def create(output: BinaryIO, *, work_dir: str | None = None) -> dict:
    """Write a backup of this instance to `output`; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="reti-backup-", dir=work_dir) as tmp:
        work = Path(tmp)
        database, about = _dump_database(work)
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database": database.name,
            "key_fingerprint": key_fingerprint(),
            **about,
            "files": {},
        }
        members = [(database, database.name)]
        # Files after the database: a file added meanwhile is one more (harmless), a row never
        # points to a file the archive lacks unless it was deleted during these seconds.
        for path, relative in _files(Path(settings.MEDIA_ROOT), _is_transient_media):
            members.append((path, f"media/{relative}"))
        snapshot = Path(settings.MONITORING_SNAPSHOT_DIR)
        for path, relative in _files(snapshot, _is_unfinished_snapshot):
            members.append((path, f"snapshot/{relative}"))
        with tarfile.open(fileobj=output, mode="w|gz") as archive:
            for path, name in members:
                # Read once, into the archive and the checksum (a snapshot file may be renamed
                # over meanwhile: the open handle keeps the file that was there).
                with path.open("rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    digest = hashlib.sha256()
                    info = tarfile.TarInfo(name)
                    info.size = size
                    info.mode = 0o600
                    info.mtime = int(path.stat().st_mtime)
                    archive.addfile(info, _Hashing(handle, digest, size))
                if name != database.name:
                    manifest["files"][name] = {"size": size, "sha256": digest.hexdigest()}
                else:
                    manifest["database_sha256"] = digest.hexdigest()
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(data))
    return manifest


class _Hashing:
    """A file read into the archive that hashes what it gives, at most `size` bytes."""

    def __init__(self, handle, digest, size):
        self.handle, self.digest, self.left = handle, digest, size

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        block = self.handle.read(n)
        self.left -= len(block)
        self.digest.update(block)
        return block


def _unpack(source: BinaryIO, work: Path) -> dict:
    try:
        with tarfile.open(fileobj=source, mode="r|*") as archive:
            archive.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"This is not a readable Reti backup: {exc}") from exc
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("The archive has no readable manifest.json: not a Reti backup.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not {FORMAT}.")
    expected = {manifest["database"]: manifest["database_sha256"]} | {
        name: about["sha256"] for name, about in manifest["files"].items()
    }
    for name, sha256 in expected.items():
        path = work / name
        if not path.is_file() or _sha256(path) != sha256:
            raise BackupError(f"{name} is missing or damaged in the archive; nothing restored.")
    return manifest


def _has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def _load_database(path: Path, manifest: dict, *, replace: bool) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database and DATABASE_URL names a "
            f"{connection.vendor} one: restore it into the same kind of database."
        )
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (check,) = source.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"The backed-up SQLite database is damaged: {check}")
            connection.ensure_connection()
            # Every page replaced at once: the restored file is the backup, tables the backup
            # lacks included.
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *(["--clean", "--if-exists"] if replace else []),
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        _pg_environment(connection.settings_dict),
    )


def _place_files(work: Path, manifest: dict) -> None:
    roots = {
        "media": Path(settings.MEDIA_ROOT),
        "snapshot": Path(settings.MONITORING_SNAPSHOT_DIR),
    }
    for name in manifest["files"]:
        top, relative = name.split("/", 1)
        target = roots[top] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".restoring-{target.name}")
        shutil.copyfile(work / name, partial)
        os.replace(partial, target)


def pending_migrations() -> int:
    """How many migrations the code has that the database has not applied."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore(source: BinaryIO, *, replace: bool = False, work_dir: str | None = None) -> dict:
    """Restore the backup read from `source` into this instance; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="reti-restore-", dir=work_dir) as tmp:
        work = Path(tmp)
        manifest = _unpack(source, work)
        if manifest["key_fingerprint"] != key_fingerprint():
            raise BackupError(
                "RETI_PSEUDONYM_KEY is not the key of the backed-up instance: every participant "
                "would become a new person. Set the key kept with the backup's instance "
                "(it is never in the archive); nothing restored."
            )
        if not replace and _has_tables():
            raise BackupError(
                "The database already holds tables (a site, or `reti migrate` run before the "
                "restore): restore into an empty database, or pass --replace to replace them."
            )
        _load_database(work / manifest["database"], manifest, replace=replace)
        connection.close()
        with connection.cursor() as cursor:
            counts = _table_counts(cursor, list(manifest["counts"]))
        wrong = {t: (n, counts[t]) for t, n in manifest["counts"].items() if counts[t] != n}
        if wrong:
            raise BackupError(f"Restored row counts differ from the backup's: {wrong}")
        _place_files(work, manifest)
    # Pages cached from the database before the restore are out of reach from now on.
    cache.bump_everything()
    return manifest
