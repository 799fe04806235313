"""Recovering from an import whose process died: the reaper and the sweep of leftover files.

A worker killed mid-import (SIGKILL, OOM, a machine restart) leaves its batch "running", its
django-tasks task "running" and the uploaded file, with clear codici fiscali, on disk; the
database rolls the import's transaction back by itself. `upkeep()` runs when `reti worker`
starts and every MONITORING_REAP_SECONDS while it runs (monitoring/management/commands/
worker.py):

- a running batch is abandoned when no live process holds its lock (files.OwnerLock): it is
  marked failed ("abandoned", a reason the batch page shows with the way to retry), its task
  failed, and its files deleted;
- a queued batch whose task was claimed by a worker that died before it started, or whose
  task no longer exists or has ended, is failed the same way after IMPORT_START_GRACE;
- files that no unfinished batch owns are deleted: progress and lock files at once, uploaded
  files once they are older than ORPHAN_UPLOAD_GRACE (an upload is written before its batch
  row commits; a request that fails leaves it behind).
"""

import datetime
import logging
import time
from pathlib import Path

from django.db import DatabaseError, connection
from django.utils import timezone

from ..models import ImportBatch
from . import files
from .files import OwnerLock

logger = logging.getLogger(__name__)

TASK_PATH = "reti.monitoring.tasks.run_import"
IMPORT_START_GRACE = datetime.timedelta(minutes=2)
ORPHAN_UPLOAD_GRACE = datetime.timedelta(minutes=15)
UNFINISHED = (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)


class AbandonedImport(Exception):
    """Recorded on the task of an import whose worker process died."""


def upkeep() -> None:
    """Reap abandoned imports, then sweep leftover files; never raises for a busy database."""
    try:
        reaped = reap_abandoned()
        swept = sweep_orphans()
    except DatabaseError as exc:  # e.g. SQLite locked by a running import: next time
        logger.warning("import upkeep skipped: %s", type(exc).__name__)
        return
    if reaped or swept:
        logger.warning("import upkeep: %d abandoned batches failed, %d files gone", reaped, swept)


def reap_abandoned() -> int:
    """Mark failed the unfinished batches no live process runs; returns how many."""
    now = timezone.now()
    reaped = 0
    for batch in ImportBatch.objects.filter(status__in=UNFINISHED).only(
        "pk", "status", "stored_file", "uploaded_at"
    ):
        if batch.pk in files.RUNNING_HERE:
            continue
        if batch.status == ImportBatch.Status.QUEUED and not _never_started(batch, now):
            continue
        owner = OwnerLock(batch.pk)
        if not owner.acquire():
            continue  # a live process runs it
        try:
            # Files first: a batch the page shows as failed has nothing left on disk.
            files.delete_files(batch.pk, batch.stored_file)
            failed = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
                status=ImportBatch.Status.FAILED,
                failure=ImportBatch.Failure.ABANDONED,
                finished_at=now,
                stored_file="",
            )
            if failed:
                _fail_tasks(batch.pk)
                reaped += 1
        finally:
            owner.release()
    return reaped


def _tasks(batch_id: int):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__args__0=batch_id)


def _never_started(batch: ImportBatch, now) -> bool:
    """A queued batch that no worker will start: its task is gone, ended, or was claimed by
    a worker that died before the import began."""
    from django_tasks_db.compat import TaskResultStatus

    if now - batch.uploaded_at < IMPORT_START_GRACE:
        return False
    tasks = _tasks(batch.pk)
    if tasks.filter(status=TaskResultStatus.READY).exists():
        return False  # waiting for a worker
    running = tasks.filter(status=TaskResultStatus.RUNNING)
    return not running.filter(started_at__gt=now - IMPORT_START_GRACE).exists()


def _fail_tasks(batch_id: int) -> None:
    from django_tasks_db.compat import TaskResultStatus

    for task in _tasks(batch_id).filter(status=TaskResultStatus.RUNNING):
        task.set_failed(AbandonedImport(f"the worker running import batch {batch_id} died"))


def sweep_orphans() -> int:
    """Delete the files of the imports directory no unfinished batch owns; returns how many."""
    unfinished = dict(
        ImportBatch.objects.filter(status__in=UNFINISHED).values_list("pk", "stored_file")
    )
    owned = {Path(path).name for path in unfinished.values() if path}
    limit = time.time() - ORPHAN_UPLOAD_GRACE.total_seconds()
    deleted = 0
    for path in files.imports_dir().iterdir():
        stem, suffix = path.stem, path.suffix
        if suffix == ".upload":
            orphan = path.name not in owned and _mtime(path) < limit
        elif suffix in (".progress", ".tmp"):
            orphan = not stem.isdigit() or int(stem) not in unfinished
        elif suffix == ".lock" and stem.isdigit() and int(stem) not in unfinished:
            owner = OwnerLock(int(stem))
            if owner.acquire():  # deleted by release()
                owner.release()
                deleted += 1
            continue
        else:
            continue  # not an import's file
        if orphan:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()


def close_connection() -> None:
    """For the reaper's own thread: give its connection back after each round."""
    connection.close()
