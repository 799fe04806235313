from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import translation

from reti.communities.models import Community, Member


@dataclass
class Circle:
    community: Community  # private, of the cast's network
    open_community: Community  # public, on a theme
    member: object  # Toscana's officer, a member of both
    moderator: object  # Lazio's officer, moderator of the private community


@pytest.fixture
def circle(cast):
    community = Community.objects.create(
        slug="cdp-vittime-tratta",
        name_it="Inclusione lavorativa delle vittime di tratta",
        network=cast.network,
    )
    open_community = Community.objects.create(
        slug="cdp-rsi", name_it="Responsabilità sociale d'impresa", is_public=True
    )
    for item in (community, open_community):
        Member.objects.create(community=item, user=cast.toscana_officer)
    Member.objects.create(community=community, user=cast.lazio_officer, role="moderator")
    return Circle(community, open_community, cast.toscana_officer, cast.lazio_officer)


@pytest.fixture
def mails(transactional_db, mailoutbox):
    """The outbox, in a test whose transactions really commit: notices leave on commit."""
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
