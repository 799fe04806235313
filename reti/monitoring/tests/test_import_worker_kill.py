"""A real `reti worker` killed with SIGKILL at about 40% of an import: after a restart the
batch is failed with its reason, its task failed, no file is left, and the user can retry.

The worker is a separate process on the test database: PostgreSQL's test database as it is;
SQLite's in-memory test database copied to a file for the worker and back for the checks.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reti.monitoring import actions
from reti.monitoring.models import ImportBatch, ParticipantRecord

from .importing_helpers import csv_bytes, row, upload

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
ROWS = 120_000


class SharedDatabase:
    """The test database as a worker process opens it."""

    def __init__(self, tmp_path: Path):
        connection.ensure_connection()
        self.file = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
            self.url = f"postgres://{auth}@{host}/{s['NAME']}"

    def push(self) -> None:
        """What this process wrote, to the worker's copy."""
        if self.file is not None:
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def pull(self) -> None:
        """What the worker wrote, back here."""
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()


def _worker(shared: SharedDatabase, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "RETI_LOCAL": "1",
        "DEBUG": "0",
        "DATABASE_URL": shared.url,
        "MEDIA_ROOT": str(tmp_path),
        "RETI_MONITORING_SNAPSHOT_DIR": str(tmp_path / "snapshot"),
        "RETI_MONITORING_REAP_SECONDS": "1",
    }
    command = [sys.executable, "-m", "reti.cli", "worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(
        [*command, "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _fraction(path: Path) -> float:
    try:
        return float(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def test_a_worker_killed_mid_import_leaves_a_failed_batch_and_no_file(
    cast, monitoring, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    imports = tmp_path / "monitoring" / "imports"
    intervention = monitoring.toscana_intervention
    content = csv_bytes([row(i) for i in range(ROWS)])

    # Committed at once (transactional test): the upload enqueues its task as in production.
    batch = actions.upload_batch(
        cast.toscana_officer, intervention, SimpleUploadedFile("p.csv", content), mode="replace"
    )
    upload_file = Path(batch.stored_file)
    shared = SharedDatabase(tmp_path)
    shared.push()

    worker = _worker(shared, tmp_path)
    try:
        progress = imports / f"{batch.pk}.progress"
        _wait(lambda: _fraction(progress) >= 0.35, 300, "the import to reach 35%")
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)
    shared.pull()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING  # what the dead process left
    assert upload_file.exists()

    worker = _worker(shared, tmp_path)
    try:

        def failed():
            shared.pull()
            return ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.FAILED

        _wait(failed, 120, "the restarted worker to fail the abandoned batch")
    finally:
        worker.terminate()
        worker.wait(60)
    shared.pull()
    batch.refresh_from_db()
    assert batch.failure == ImportBatch.Failure.ABANDONED
    assert batch.stored_file == ""
    task = DBTaskResult.objects.get(args_kwargs__args__0=batch.pk)
    assert task.status == TaskResultStatus.FAILED
    assert not ParticipantRecord.objects.exists()  # the transaction died with the process
    assert sorted(p.name for p in imports.iterdir()) == []

    # The user uploads (a shorter version of) the file again: it is imported, nothing is left.
    again = upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(50)]))
    assert again.status == ImportBatch.Status.ACCEPTED, again.report[:3]
    assert again.rows_created == 50
    assert sorted(p.name for p in imports.iterdir()) == []
