"""A busy database (an import holding SQLite's write lock) never answers 500.

Reads with a token answer; writes answer 503 with Retry-After; token use is recorded at most
once a minute, outside the request, and skipped while the database is busy.
"""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reti.accounts.models import ApiToken
from reti.lib.busy import is_database_busy

from .importing_helpers import csv_bytes, row, upload


@contextmanager
def write_lock_held_elsewhere():
    """Another connection holding the database's write lock, as a running import does."""
    other = connection.copy()
    other.ensure_connection()
    if connection.vendor == "sqlite":
        other.connection.execute("BEGIN IMMEDIATE")
    else:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            # PostgreSQL has no database-wide write lock: hold every token row instead.
            cursor.execute("SELECT id FROM accounts_apitoken FOR UPDATE")
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            other.connection.execute("ROLLBACK")
        else:
            other.rollback()
        other.close()


def _token(user):
    token, key = ApiToken.objects.issue(user, "poller")
    return token, {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db(transaction=True)
def test_polling_an_import_answers_while_another_transaction_holds_the_write_lock(cast, monitoring):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    token, headers = _token(cast.toscana_officer)
    client = Client(raise_request_exception=False)
    poll = reverse("api:monitoring_batch", args=[batch.pk])
    project = reverse("api:project_detail", args=[cast.toscana_project.pk])

    with write_lock_held_elsewhere():
        read = client.get(poll, headers=headers)
        write = client.patch(
            project, data={"title_en": "Busy"}, content_type="application/json", headers=headers
        )

    assert read.status_code == 200
    assert read.json()["id"] == batch.pk
    token.refresh_from_db()
    assert token.last_used_at is None  # skipped while busy, not waited for
    if connection.vendor == "sqlite":
        assert write.status_code == 503
        assert write["Retry-After"] == "5"
        assert write.json() == {"detail": "The database is busy; retry in a few seconds."}
    else:
        assert write.status_code == 200  # only the token rows were held

    # Once the lock is gone the next read records the use.
    assert client.get(poll, headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_answers_503_while_another_transaction_holds_the_write_lock(cast):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    client = Client(raise_request_exception=False)
    client.get(reverse("accounts:login"))
    with write_lock_held_elsewhere():
        response = client.post(
            reverse("accounts:login"),
            {"username": cast.toscana_officer.username, "password": "test-password-1"},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Servizio momentaneamente occupato" in response.content.decode()


@pytest.mark.django_db
def test_token_use_is_recorded_at_most_once_a_minute(
    client, cast, monitoring, django_capture_on_commit_callbacks
):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    token, headers = _token(cast.toscana_officer)
    poll = reverse("api:monitoring_batch", args=[batch.pk])

    with django_capture_on_commit_callbacks(execute=True) as recorded:
        assert client.get(poll, headers=headers).status_code == 200
    assert len(recorded) == 1
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    with django_capture_on_commit_callbacks(execute=True) as recorded:
        for _ in range(3):
            assert client.get(poll, headers=headers).status_code == 200
    assert recorded == []  # no write at all within the minute
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(poll, headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)
    assert token.last_used_at <= timezone.now()


def test_only_lock_failures_count_as_busy():
    assert is_database_busy(OperationalError("database is locked"))
    assert is_database_busy(OperationalError("canceling statement due to lock timeout"))
    assert not is_database_busy(OperationalError("no such table: reti_thing"))
    assert not is_database_busy(ValueError("database is locked"))
