import pytest
from django.core.cache import cache
from django.utils import translation

from reti.accounts.models import Membership
from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401
from reti.registry.models import GoverningRole
from reti.registry.tests import factories as f

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


@pytest.fixture
def toscana_admin(cast):
    """An admin of Toscana: the one who decides who joins it (the cast has editors only)."""
    return f.MembershipFactory(
        organisation=cast.toscana, user__username="toscana-admin", role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def lazio_admin(cast):
    """An admin of Lazio: the wrong organisation's admin for Toscana's requests."""
    return f.MembershipFactory(
        organisation=cast.lazio, user__username="lazio-admin", role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def toscana_in_network(cast):
    """Toscana a current member of the cast's network, whose secretariat is Trento."""
    return GoverningRole.objects.create(
        network=cast.network, organisation=cast.toscana, role=GoverningRole.Role.MEMBER
    )
