"""A busy database answers 503 with Retry-After, never 500; small writes skip when it is busy.

On SQLite one transaction at a time may write: while a long one runs (an import), another
write waits `busy_timeout` and then fails with OperationalError "database is locked". On
PostgreSQL the same happens with a lock timeout. Neither is a bug of the request: the client
should retry shortly. Nor is a PostgreSQL server that restarts, is unreachable or has no
connection left: the request fails, the broken connection is closed when it ends
(CONN_HEALTH_CHECKS), and the next request connects again. `DatabaseBusyMiddleware` (first in
MIDDLEWARE) turns such a failure, wherever it happens (a view, the API, the session saved on
the way out), into 503 with `Retry-After`: JSON under /api/, the portal's page elsewhere.

`write_unless_busy` is for book-keeping writes a request can do without (when an API token
was last used): it does not wait for the lock and gives up quietly.
"""

import logging
import sys
from contextlib import contextmanager

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
BUSY_MESSAGES = ("database is locked", "database table is locked", "lock timeout")
_MARK = "_reti_database_busy"


# PostgreSQL's SQLSTATE classes of a server that is gone or refusing for now: 08 connection
# exception, 53 insufficient resources (too many connections), 57 operator intervention
# (restart, shutdown, "cannot connect now", a statement cancelled by its timeout).
UNAVAILABLE_CLASSES = ("08", "53", "57")


def _postgresql_unavailable(exc: BaseException) -> bool:
    cause = exc.__cause__
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False
    # No SQLSTATE: libpq lost the connection itself ("server closed the connection
    # unexpectedly", "connection refused").
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate[:2] in UNAVAILABLE_CLASSES


def is_database_busy(exc: BaseException | None) -> bool:
    """Whether `exc` is a database refusing for now (worth a retry): a lock held elsewhere, or
    a PostgreSQL server restarting, unreachable or out of connections."""
    if isinstance(exc, InterfaceError):
        # The connection was closed under the request (a server restart noticed late).
        return True
    if not isinstance(exc, OperationalError):
        return False
    message = str(exc).lower()
    return any(text in message for text in BUSY_MESSAGES) or _postgresql_unavailable(exc)


def busy_response(request) -> HttpResponse:
    """503 with Retry-After: JSON for the API, the portal's page for everything else."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The database is busy; retry in a few seconds."}, status=503
        )
    else:
        # No request context: the page must not need the database it could not use.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _mark_busy(sender, request=None, **kwargs):
    # Sent by Django inside its `except` block, so the exception is the current one.
    if request is not None and is_database_busy(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_busy, dispatch_uid="reti.lib.busy")


class DatabaseBusyMiddleware:
    """Replaces the error page of a request that failed on a busy database with a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            logger.warning("Database busy or unreachable, answered 503: %s", request.path)
            return busy_response(request)
        return response


@contextmanager
def _without_waiting():
    """Let a write fail at once, instead of waiting, when another transaction holds the lock."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            (previous,) = cursor.fetchone()
            cursor.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            yield
    else:
        yield


def write_unless_busy(write) -> bool:
    """Run `write()` now if the database can take it; skip it (False) if it is busy."""
    try:
        with _without_waiting():
            write()
    except OperationalError as exc:
        if not is_database_busy(exc):
            raise
        logger.info("Database busy, skipped a book-keeping write")
        return False
    return True
