import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The home page caches its counts: each test starts from the database.
    cache.clear()
    yield
    cache.clear()
