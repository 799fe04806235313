"""Test set-up shared by every app: the PostgreSQL check, a fast hasher, an empty cache.

The cast of users is in reti/conftest.py; how the suite is organised is in docs/testing.md.
"""

import os

import pytest


def pytest_configure(config):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    try:
        psycopg.connect(url.replace("postgresql://", "postgres://", 1), connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError(f"PostgreSQL at DATABASE_URL is unreachable: {exc}") from exc
        config.option.markexpr = "not django_db and not browser"
        config._reti_pg_skip = str(exc)


def pytest_collection_modifyitems(config, items):
    reason = getattr(config, "_reti_pg_skip", None)
    if reason:
        skip = pytest.mark.skip(reason=f"PostgreSQL unreachable (not in CI): {reason}")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Slow hashing is a production virtue and a test-suite cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts with an empty cache: on SQLite a rolled-back test's ids come back in
    # the next test, and what a page cached under them must not come back with them.
    from django.core.cache import cache

    cache.clear()
