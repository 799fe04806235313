import pytest
from django.core.cache import cache

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The home page caches its counts: each test starts from the database.
    cache.clear()
    yield
    cache.clear()
