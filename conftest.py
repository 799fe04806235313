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


@pytest.fixture
def commit_cache_bumps():
    """Call it to bump, as a commit would, the cache scopes the test's data changed so far.

    A test runs inside a transaction that is never committed, so `reti.lib.cache` keeps
    computing afresh what those data changed; a test of what is kept between visits calls
    this once its data are in place (or writes them under `django_capture_on_commit_callbacks`).
    """
    from django.db import connection

    from reti.lib import cache

    def commit():
        for _savepoints, hook, *_robust in list(connection.run_on_commit):
            if isinstance(hook, cache._Bump) and not hook.done:
                hook()

    return commit
