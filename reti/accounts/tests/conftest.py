import pytest
from django.core.cache import cache
from django.utils import translation

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401

PASSWORD = "test-password-1"  # the factories' password


@pytest.fixture(autouse=True)
def _italian_and_fresh_cache():
    # LocaleMiddleware leaves the last request's language active; the header is a cached
    # fragment that must not outlive the test that rendered it.
    translation.activate("it")
    cache.clear()
    yield
    cache.clear()
    translation.activate("it")
