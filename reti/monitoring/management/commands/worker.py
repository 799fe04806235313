"""`reti worker`: django-tasks' database worker, with the import upkeep beside it.

At start, and then every MONITORING_REAP_SECONDS from a thread of its own, the worker fails
the imports whose process died and deletes leftover upload files
(reti/monitoring/importing/recovery.py). Every option of `db_worker` applies.
"""

import logging
import threading

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from reti.monitoring.importing import recovery

logger = logging.getLogger(__name__)


def _upkeep_loop(interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            recovery.upkeep()
        except Exception:  # the loop outlives a bad round (a file it could not delete)
            logger.exception("import upkeep failed")
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
        if settings.MONITORING_REAP_SECONDS > 0:
            upkeep.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            if upkeep.is_alive():
                upkeep.join(60)  # a round under way finishes: no half-reaped batch
