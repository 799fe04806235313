import pytest
from django.core.cache import cache
from django.utils import translation

from reti.events.tests.factories import EventFactory


@pytest.fixture
def visit(cast):
    """A study visit hosted by Toscana within the cast's network, two seats."""
    return EventFactory(
        host=cast.toscana, network=cast.network, capacity=2, title_it="Visita a Firenze"
    )


@pytest.fixture
def mails(transactional_db, mailoutbox):
    """The outbox, in a test whose transactions really commit: e-mails leave on commit."""
    return mailoutbox


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The portal caches its header and footer (static URLs included) and our feeds.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _italian():
    """Each test starts in Italian, whatever language an earlier request left active."""
    with translation.override("it"):
        yield


from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: E402, F401
