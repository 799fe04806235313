"""Fixtures that give a test the real territories and the presentation's facts.

Loading ~8,300 territories and the presentation takes a couple of seconds, too long to
repeat for every test. So the data are loaded once per test module, inside a transaction
that stays open while the module's tests run (each test's own transaction is a savepoint
inside it) and is rolled back when the module ends: nothing is committed, and other modules
never see the data.

- `territories`: Italy's territories (ISTAT) and the world's countries.
- `presentation`: the territories, the reference data and data/presentation.yaml; the
  fixture's value is the presentation's `Source` record.

Once a test in a module asks for one of them, the data stay visible to the module's later
tests too. Do not combine them with `transactional_db` or `live_server` in the same module:
those flush the database.

Tests of other apps get them by importing them into their own conftest.py:
`from reti.registry.tests.conftest import *  # noqa: F403` (the names below are exported).
"""

from contextlib import contextmanager

import pytest
from django.db import transaction

from reti.registry.models import Source
from reti.registry.presentation import load_presentation
from reti.registry.territories import load_territories

__all__ = ["_module_presentation", "_module_territories", "presentation", "territories"]


@contextmanager
def _rolled_back(django_db_blocker):
    """An open transaction for a module's data, rolled back at the end of the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_territories(django_db_setup, django_db_blocker):
    with _rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            load_territories()
        yield


@pytest.fixture(scope="module")
def _module_presentation(_module_territories, django_db_blocker):
    with _rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            load_presentation()
        yield


@pytest.fixture
def territories(_module_territories, db):
    """Italy's territories and the world's countries, loaded once per module."""


@pytest.fixture
def presentation(_module_presentation, db) -> Source:
    """The presentation's facts (with territories and reference data); its Source record."""
    return Source.objects.get(key="presentazione-2011")
