"""`reti worker`: django-tasks' database worker, with the import upkeep beside it.

At start, and then every MONITORING_REAP_SECONDS from a thread of its own, the worker fails
the imports whose process died and deletes leftover upload files
(reti/monitoring/importing/recovery.py). From another thread, every DUMP_CHECK_SECONDS, it
rebuilds the open datasets' full dumps once a night (reti/opendata/dumps.py). Every option
of `db_worker` applies.
"""

import logging
import threading

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from reti.monitoring.importing import recovery
from reti.opendata.dumps import upkeep as rebuild_dumps

logger = logging.getLogger(__name__)
# How often the worker asks whether the nightly dumps are due (a cheap look at 8 files).
DUMP_CHECK_SECONDS = 300


def _upkeep_loop(interval: float, stop: threading.Event, work=recovery.upkeep) -> None:
    while not stop.wait(interval):
        try:
            work()
        except Exception:  # the loop outlives a bad round (a file it could not delete)
            logger.exception("upkeep failed: %s", work.__qualname__)
        finally:
            recovery.close_connection()


class Command(DbWorkerCommand):
    help = "Run background tasks; fail imports whose worker died and delete their files"

    def handle(self, *args, **options):
        recovery.upkeep()
        recovery.close_connection()
        stop = threading.Event()
        upkeep = threading.Thread(
            target=_upkeep_loop,
            args=(settings.MONITORING_REAP_SECONDS, stop),
            name="import-upkeep",
            daemon=True,
        )
        nightly = threading.Thread(
            target=_upkeep_loop,
            args=(DUMP_CHECK_SECONDS, stop, rebuild_dumps),
            name="opendata-dumps",
            daemon=True,
        )
        if settings.MONITORING_REAP_SECONDS > 0:
            upkeep.start()
        nightly.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            if upkeep.is_alive():
                upkeep.join(60)  # a round under way finishes: no half-reaped batch
            # A dump under way is swapped in whole or not at all: no need to wait for it.
