"""PostgreSQL lost in the middle of a request: 503 with Retry-After, no traceback, then recovery.

The request's own server process is terminated (what a PostgreSQL restart or failover does to
every open connection) after the request started and before its view queries. Requests go
through Django's WSGI handler, as under gunicorn, so that the end of a request closes the
broken connection as it does in production and the next request connects again.
"""

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory

from reti.lib.busy import is_database_busy

LEAKS = ("Traceback", "psycopg", "terminating connection", "OperationalError", "pg_")


class _TerminateOnce:
    """Terminates this process's PostgreSQL connection once, from another one, when armed."""

    armed = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _TerminateOnce.armed:
            _TerminateOnce.armed = False
            # A first query, as a request makes before its view (the session, the user): it
            # runs Django's health check, which would quietly replace a connection that died
            # between requests without the request noticing.
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            pid = connection.connection.info.backend_pid
            other = connection.copy()
            try:
                with other.cursor() as cursor:
                    # Waits (up to 5 s) until the server process is gone.
                    cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            finally:
                other.close()
        return self.get_response(request)


def _serve(path: str):
    """One request through the WSGI handler: (status, headers, body)."""
    request = RequestFactory().get(path, headers={"Accept-Language": "it"})
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    iterable = WSGIHandler()(request.environ, start_response)
    try:
        body = b"".join(iterable).decode()
    finally:
        iterable.close()  # request_finished: Django closes a connection that failed
    return answer["status"], answer["headers"], body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server's fault")
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_mid_request_answers_503_then_the_next_request_recovers(settings):
    busy = "reti.lib.busy.DatabaseBusyMiddleware"
    settings.MIDDLEWARE = [busy, f"{__name__}._TerminateOnce"] + [
        name for name in settings.MIDDLEWARE if name != busy
    ]
    settings.DEBUG = False
    # One test for both (each test that commits costs a flush of every table).
    for path, kind in (
        ("/api/v1/practices", "application/json"),
        ("/it/organizzazioni/", "text/html"),
    ):
        assert _serve(path)[0] == 200

        _TerminateOnce.armed = True
        status, headers, body = _serve(path)
        assert status == 503, path
        assert headers["Retry-After"] == "5"
        assert headers["Content-Type"].startswith(kind)
        assert not [leak for leak in LEAKS if leak in body]
        if kind == "text/html":
            assert "Servizio momentaneamente occupato" in body

        status, _, body = _serve(path)
        assert status == 200, body[:500]


def _wrapped(cause: Exception, wrapper=OperationalError) -> Exception:
    error = wrapper(str(cause))
    error.__cause__ = cause
    return error


def test_a_server_gone_or_full_is_worth_a_retry_and_a_bug_is_not():
    assert is_database_busy(_wrapped(psycopg.errors.AdminShutdown("terminating connection")))
    assert is_database_busy(_wrapped(psycopg.errors.CannotConnectNow("starting up")))
    assert is_database_busy(_wrapped(psycopg.errors.TooManyConnections("too many clients")))
    assert is_database_busy(_wrapped(psycopg.OperationalError("server closed the connection")))
    assert is_database_busy(InterfaceError("connection already closed"))
    # A query Reti got wrong stays a server error, to be seen and fixed.
    assert not is_database_busy(_wrapped(psycopg.errors.UndefinedTable("no such relation")))
    assert not is_database_busy(_wrapped(psycopg.errors.SyntaxError("syntax error")))
    assert not is_database_busy(OperationalError("no such table: reti_thing"))
