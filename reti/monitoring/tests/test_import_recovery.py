"""An import never leaves clear data on disk, and never stays "running" after its process died.

The uploaded file holds clear codici fiscali: it and the progress files go whatever the
outcome. A worker that dies mid-import (test_import_worker_kill.py kills a real one) leaves
its batch to the reaper, which fails it with a reason the uploader reads, and deletes its files.
"""

import datetime
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reti.monitoring import actions
from reti.monitoring.importing import files, recovery, run
from reti.monitoring.models import ImportBatch, ParticipantRecord
from reti.monitoring.tasks import run_import
from reti.registry.tests.api_fixtures import bearer

from .importing_helpers import csv_bytes, row, upload

pytestmark = pytest.mark.django_db
Status = ImportBatch.Status


@pytest.fixture
def imports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "monitoring" / "imports"


def _queue(cast, monitoring, rows=3):
    """An uploaded batch, queued (its task not run)."""
    content = SimpleUploadedFile("p.csv", csv_bytes([row(i) for i in range(rows)]))
    return actions.upload_batch(
        cast.toscana_officer, monitoring.toscana_intervention, content, mode="replace"
    )


def _left(imports) -> list[str]:
    return sorted(p.name for p in imports.iterdir())


@pytest.mark.parametrize(
    ("exc", "failure"),
    [(RuntimeError, "error"), (SystemExit, "interrupted"), (KeyboardInterrupt, "interrupted")],
    ids=["error", "worker-stopped", "ctrl-c"],
)
def test_an_import_that_fails_is_failed_with_its_reason_and_deleted(
    cast, monitoring, imports, monkeypatch, exc, failure
):
    batch = _queue(cast, monitoring)

    def broken(batch, report):
        run._Progress(batch, type("S", (), {"progress": lambda self: 0.4})()).tick(10, True)
        raise exc

    monkeypatch.setattr(run, "_load", broken)
    with pytest.raises(exc):
        run.import_batch(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.failure, batch.stored_file) == (Status.FAILED, failure, "")
    assert _left(imports) == []


@pytest.mark.parametrize("content", [csv_bytes([row(1)]), csv_bytes([row(1, genere="Q")])])
def test_accepted_and_rejected_imports_leave_no_file(cast, monitoring, imports, content):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, content)
    assert batch.status in (Status.ACCEPTED, Status.REJECTED)
    assert _left(imports) == []


def test_a_running_batch_with_no_live_owner_is_failed_and_its_files_deleted(
    cast, monitoring, imports
):
    batch = _queue(cast, monitoring)
    task = run_import.enqueue(batch.pk)
    DBTaskResult.objects.filter(pk=task.id).update(status=TaskResultStatus.RUNNING)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING)
    files.progress_path(batch.pk).write_text("0.4000 96000")
    (imports / f"{batch.pk}.lock").touch()  # left by the dead process, unlocked
    assert recovery.reap_abandoned() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.failure) == (Status.FAILED, ImportBatch.Failure.ABANDONED)
    assert batch.finished_at is not None
    assert DBTaskResult.objects.get(pk=task.id).status == TaskResultStatus.FAILED
    assert _left(imports) == []
    # The user retries with the same file: it is imported.
    again = upload(
        cast.toscana_officer,
        monitoring.toscana_intervention,
        csv_bytes([row(i) for i in range(3)]),
    )
    assert again.status == Status.ACCEPTED
    assert ParticipantRecord.objects.count() == 3


def test_a_batch_whose_owner_lives_is_left_running(cast, monitoring, imports):
    batch = _queue(cast, monitoring)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.RUNNING)
    owner = files.OwnerLock(batch.pk)
    assert owner.acquire()
    files.RUNNING_HERE.discard(batch.pk)  # as if another process held it
    try:
        assert recovery.reap_abandoned() == 0
        assert recovery.sweep_orphans() == 0
        assert ImportBatch.objects.get(pk=batch.pk).status == Status.RUNNING
        assert os.path.exists(batch.stored_file)
        # Nor does a second import of the same batch run beside it.
        assert run.import_batch(batch.pk).status == Status.RUNNING
        assert os.path.exists(batch.stored_file)
    finally:
        owner.release()


def test_a_queued_batch_whose_task_died_before_starting_is_failed(cast, monitoring, imports):
    batch = _queue(cast, monitoring)
    task = run_import.enqueue(batch.pk)
    assert recovery.reap_abandoned() == 0  # waiting for a worker
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    ImportBatch.objects.filter(pk=batch.pk).update(uploaded_at=long_ago)
    assert recovery.reap_abandoned() == 0  # still waiting: its task is ready
    DBTaskResult.objects.filter(pk=task.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago
    )
    assert recovery.reap_abandoned() == 1
    assert ImportBatch.objects.get(pk=batch.pk).failure == ImportBatch.Failure.ABANDONED
    assert _left(imports) == []


def test_leftover_files_are_swept(cast, monitoring, imports):
    queued = _queue(cast, monitoring)
    stray = imports / "0123abcd.upload"  # an upload whose request failed before its batch
    stray.write_bytes(csv_bytes([row(1)]))
    fresh = imports / "4567ef.upload"  # one being uploaded now
    fresh.write_bytes(b"")
    old = time.time() - 3600
    os.utime(stray, (old, old))
    os.utime(queued.stored_file, (old, old))
    (imports / "999999.progress").write_text("0.1 1")
    (imports / "999999.tmp").write_text("0.1 1")
    (imports / "999999.lock").touch()
    (imports / "README").write_text("not an import's")
    assert recovery.sweep_orphans() == 4
    kept = ["4567ef.upload", os.path.basename(queued.stored_file), "README"]
    assert _left(imports) == sorted(kept)


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_batch_page_says_why_it_failed_and_how_to_retry(client, cast, monitoring, language):
    batch = _queue(cast, monitoring)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.FAILED, failure=ImportBatch.Failure.ABANDONED
    )
    client.force_login(cast.toscana_officer)
    with translation.override(language):
        url = reverse("monitoring:batch_detail", args=[batch.pk])
    html = client.get(url).content.decode()
    expected = {"it": "nessun dato è stato salvato", "en": "no data was saved"}[language]
    assert expected in html
    assert 'id="batch-retry"' in html


def test_the_api_says_why_a_batch_failed(client, cast, monitoring):
    batch = _queue(cast, monitoring)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.FAILED, failure=ImportBatch.Failure.ABANDONED
    )
    answer = client.get(
        reverse("api:monitoring_batch", args=[batch.pk]), headers=bearer(cast.toscana_officer)
    ).json()
    assert (answer["status"], answer["failure"]) == ("failed", "abandoned")
    assert "nessun dato è stato salvato" in answer["failure_reason"]
