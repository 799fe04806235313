"""Running an import batch: stream, check, write in chunks inside one transaction.

- atomic: the whole batch is one transaction; any problem rolls it back, so a rejected file
  stores nothing (the batch row keeps the report);
- idempotent: a file whose SHA-256 equals an accepted batch of the same intervention changes
  nothing (status "duplicate");
- replace mode: the intervention's records are deleted and the file's written, and the
  previous accepted batches are marked replaced; append mode: new people are added, people
  already recorded are re-entries (the first entry's data kept, the exit and the results
  updated);
- bounded memory: rows are read one at a time and written 5,000 at a time; what is kept for
  the whole file is one 64-bit number per person (the same person twice in a file).
"""

import contextlib
import logging
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reti.lib.bulk import Table, background_writes, bulk_cache

from .. import pseudonym
from ..models import ImportBatch, ParticipantAccessLog, ParticipantRecord
from . import files
from .files import OwnerLock
from .readers import FileProblem, normalise_header, open_source
from .validate import RECORD_COLUMNS, Problem, RowChecker, header_problems

logger = logging.getLogger(__name__)

CHUNK = 5_000
# SQLite's page cache while a batch is written (KiB): the two indexes on the person key take
# rows in random order, and a cache that holds them saves most of the insert time.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024
MAX_REPORTED = 100_000  # problems kept in the report; all are counted
# A replacing file that would lose more than half of the intervention's records, and more
# than this many, is refused unless its uploader confirmed the shrinking (confirm_shrink):
# a file cut short by mistake must not wipe an intervention's history silently.
SHRINK_MIN_LOST = 10
RESULT_COLUMNS = (
    "exit_date",
    "leaving_observed_on",
    "leaving_job_searching",
    "leaving_in_education",
    "leaving_qualification",
    "leaving_employed",
    "followup_observed_on",
    "followup_employed",
    "followup_improved",
)
_RESULT_POSITIONS = [RECORD_COLUMNS.index(c) for c in RESULT_COLUMNS]


class _Rejected(Exception):
    """Raised inside the transaction to roll the batch back."""


def progress_path(batch: ImportBatch) -> Path:
    return files.progress_path(batch.pk)


def read_progress(batch: ImportBatch) -> tuple[float, int]:
    """(fraction of the file read, rows read) of a running batch, from its progress file."""
    try:
        fraction, rows = progress_path(batch).read_text().split()
        return float(fraction), int(rows)
    except (OSError, ValueError):
        return 0.0, 0


class _Report:
    def __init__(self):
        self.problems: list[list] = []
        self.count = 0
        self.rows = 0

    def add(self, problems) -> None:
        for problem in problems:
            self.count += 1
            if len(self.problems) < MAX_REPORTED:
                self.problems.append(problem.as_list())


class _Progress:
    """Writes the fraction read to a small file the page polls (the batch row is locked)."""

    def __init__(self, batch, source):
        self.path = progress_path(batch)
        self.source = source
        self.last = 0.0

    def tick(self, rows: int, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last > 0.5:
            self.last = now
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(f"{self.source.progress():.4f} {rows}")
            tmp.replace(self.path)


class _Writer:
    """Inserts new records and, in append mode, updates re-entries, a chunk at a time."""

    def __init__(self, batch: ImportBatch, report: _Report):
        self.batch = batch
        self.append = batch.mode == ImportBatch.Mode.APPEND
        self.report = report
        self.table = Table(
            ParticipantRecord,
            RECORD_COLUMNS,
            fixed={
                "intervention_id": batch.intervention_id,
                "batch_id": batch.pk,
                "synthetic": False,
            },
        )
        self.updated = 0
        self.pending: list[tuple[int, tuple]] = []

    def add(self, number: int, values: tuple) -> None:
        self.pending.append((number, values))
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        if not self.append:
            self.table.write(values for _n, values in rows)
            return
        keys = [values[0] for _n, values in rows]
        known = {
            key: (pk, entry.isoformat())
            for key, pk, entry in ParticipantRecord.objects.filter(
                intervention_id=self.batch.intervention_id, person_key__in=keys
            ).values_list("person_key", "pk", "entry_date")
        }
        new, updates = [], []
        for number, values in rows:
            if values[0] not in known:
                new.append(values)
                continue
            pk, first_entry = known[values[0]]
            exit_date = values[RECORD_COLUMNS.index("exit_date")]
            if exit_date is not None and exit_date < first_entry:
                self.report.add(
                    [
                        Problem(
                            number,
                            "data_uscita",
                            exit_date,
                            _("rientro: uscita precedente al primo ingresso (%(date)s)")
                            % {"date": first_entry},
                        )
                    ]
                )
                continue
            updates.append((*(values[i] for i in _RESULT_POSITIONS), self.batch.pk, pk))
        self.table.write(new)
        if updates:
            assignments = ", ".join(f"{c} = %s" for c in (*RESULT_COLUMNS, "batch_id"))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {ParticipantRecord._meta.db_table} SET {assignments} WHERE id = %s",
                    updates,
                )
            self.updated += len(updates)

    @property
    def created(self) -> int:
        return self.table.count


def _replace_existing(batch: ImportBatch) -> int:
    """Delete the intervention's records before a replacing batch writes its own."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ParticipantRecord._meta.db_table} WHERE intervention_id = %s",
            [batch.intervention_id],
        )
        return cursor.rowcount


def _load(batch: ImportBatch, report: _Report) -> dict:
    """Read and write the batch's file inside the current transaction; raise _Rejected."""
    with bulk_cache(SQLITE_IMPORT_CACHE_KIB):
        return _load_rows(batch, report)


def _load_rows(batch: ImportBatch, report: _Report) -> dict:
    try:
        source = open_source(Path(batch.stored_file))
    except FileProblem as problem:
        report.add([Problem(problem.row, "", "", problem.reason)])
        raise _Rejected from None
    progress = _Progress(batch, source)
    try:
        header = [normalise_header(name) for name in source.header]
        problems = header_problems(header)
        if problems:
            report.add(problems)
            raise _Rejected
        checker = RowChecker(header, pseudonym.secret(), timezone.localdate())
        removed = _replace_existing(batch) if batch.mode == ImportBatch.Mode.REPLACE else 0
        writer = _Writer(batch, report)
        # Replace mode: the inserts run in a second thread while this one reads and checks
        # (sqlite3 and psycopg release the GIL while the database works). Append mode looks
        # up re-entries between chunks on the same connection, so it writes in this thread.
        writes = background_writes() if not writer.append else contextlib.nullcontext()
        with writes:
            seen: dict[int, int] = {}
            rows = 0
            try:
                for number, values in source.rows():
                    if not any(v.strip() for v in values):
                        continue  # blank lines, as spreadsheets leave them
                    rows += 1
                    report.rows = rows
                    if rows % 2_000 == 0:
                        progress.tick(rows)
                    result = checker.fast(values)
                    if result is None:  # not in its plainest form, or a problem to name
                        result = checker.check(number, values)
                    if isinstance(result, list):
                        report.add(result)
                        continue
                    short = int(result[0][:16], 16)
                    first = seen.get(short)
                    if first is not None:
                        report.add(
                            [
                                Problem(
                                    number,
                                    "codice_fiscale",
                                    "",
                                    _("stessa persona già alla riga %(row)d") % {"row": first},
                                )
                            ]
                        )
                        continue
                    seen[short] = number
                    if not report.count:
                        writer.add(number, result)
            except FileProblem as problem:
                report.add([Problem(problem.row, "", "", problem.reason)])
            if not report.count:
                writer.flush()
        if rows == 0 and not report.count:
            report.add([Problem(2, "", "", _("nessuna riga di dati dopo l'intestazione"))])
        if report.count:  # also the re-entries the last chunk of an append found wrong
            raise _Rejected
        if not batch.confirm_shrink and shrinks_drastically(removed, writer.created):
            report.add([Problem(0, "", "", _shrink_reason(removed, writer.created))])
            raise _Rejected
        progress.tick(rows, force=True)
        return {
            "rows_read": rows,
            "rows_created": writer.created,
            "rows_updated": writer.updated,
            "rows_removed": removed,
        }
    finally:
        source.close()


def shrinks_drastically(before: int, after: int) -> bool:
    """Whether replacing `before` records by `after` loses more than half and SHRINK_MIN_LOST."""
    lost = before - after
    return lost > SHRINK_MIN_LOST and lost * 2 > before


def _shrink_reason(before: int, after: int) -> str:
    return _(
        "il file sostituirebbe i %(before)d record dell'intervento con %(after)d: più della "
        "metà andrebbe persa. Se il file è completo, caricarlo di nuovo confermando la "
        "riduzione (nel portale la casella «Confermo la riduzione», nell'API "
        "confirm_shrink=true)"
    ) % {"before": before, "after": after}


def import_batch(batch_id: int) -> ImportBatch:
    """Run a queued batch to its end: accepted, rejected (with its report), duplicate or
    failed. The uploaded file and the progress files are deleted whatever the outcome."""
    batch = ImportBatch.objects.select_related("intervention").get(pk=batch_id)
    stored_file = batch.stored_file
    owner = OwnerLock(batch.pk)
    if batch.finished or not owner.acquire():
        if batch.finished:
            files.delete_files(batch.pk, stored_file)
        return batch  # done, or run by another live process
    try:
        started = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.QUEUED)
        if not started.update(status=ImportBatch.Status.RUNNING):
            batch.refresh_from_db()
            return batch  # failed by the reaper meanwhile, or left running by a dead process
        return _run(batch)
    finally:
        files.delete_files(batch.pk, stored_file)
        owner.release()


def _run(batch: ImportBatch) -> ImportBatch:
    report = _Report()
    try:
        duplicate = (
            ImportBatch.objects.filter(
                intervention_id=batch.intervention_id,
                sha256=batch.sha256,
                status=ImportBatch.Status.ACCEPTED,
            )
            .exclude(pk=batch.pk)
            .exists()
        )
        if duplicate:
            _finish(batch, ImportBatch.Status.DUPLICATE, report, {"rows_read": 0})
        else:
            try:
                with transaction.atomic():
                    counts = _load(batch, report)
                    _accept(batch, counts)
                    # In the same transaction: a process killed after the commit never
                    # leaves a batch whose records are stored marked as running.
                    _finish(batch, ImportBatch.Status.ACCEPTED, report, counts)
            except _Rejected:
                _finish(batch, ImportBatch.Status.REJECTED, report, {"rows_read": report.rows})
    except BaseException as exc:
        # The message may quote file content: only the type and the batch are logged.
        logger.error("import batch %s failed (%s)", batch.pk, type(exc).__name__)
        interrupted = isinstance(exc, SystemExit | KeyboardInterrupt)
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.FAILED,
            failure=ImportBatch.Failure.INTERRUPTED if interrupted else ImportBatch.Failure.ERROR,
            finished_at=timezone.now(),
            stored_file="",
        )
        raise
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.ACCEPTED:
        from ..snapshot import refresh

        refresh()
    return batch


def _finish(batch: ImportBatch, status: str, report: _Report, counts: dict) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status,
        finished_at=timezone.now(),
        error_count=report.count,
        report=report.problems,
        stored_file="",
        **counts,
    )


def _accept(batch: ImportBatch, counts: dict) -> None:
    """Inside the transaction: mark replaced batches and log the import."""
    if batch.mode == ImportBatch.Mode.REPLACE:
        previous = ImportBatch.objects.filter(
            intervention_id=batch.intervention_id, status=ImportBatch.Status.ACCEPTED
        ).exclude(pk=batch.pk)
        latest = previous.order_by("-uploaded_at", "-id").first()
        if latest is not None:
            ImportBatch.objects.filter(pk=batch.pk).update(replaced_batch=latest)
        previous.update(status=ImportBatch.Status.REPLACED)
    ParticipantAccessLog.objects.create(
        user_id=batch.uploaded_by_id,
        action=ParticipantAccessLog.Action.IMPORT,
        intervention_id=batch.intervention_id,
        what=f"batch {batch.pk}: {batch.file_name}"[:300],
        record_count=counts["rows_created"] + counts["rows_updated"],
        channel="import",
    )
