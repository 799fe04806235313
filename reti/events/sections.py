"""What events add to other apps' pages (declared in apps.py, see reti.lib.extensions)."""

from django.urls import reverse
from django.utils.http import urlencode

from reti.lib.mail import site_url

from . import ical, queries
from .models import Registration


def _listing(**params) -> dict:
    base = reverse("events:list")
    return {
        "upcoming_url": f"{base}?{urlencode({**params, 'when': 'upcoming'})}",
        "past_url": f"{base}?{urlencode({**params, 'when': 'past'})}",
    }


def network_events(request, network) -> dict:
    """The next and the latest events of a network, with links to the filtered list."""
    events = queries.events_of(network=network) | _listing(network=network.slug)
    return {"events": events, "of": "network"}


def organisation_events(request, organisation) -> dict:
    """The next and the latest events an organisation hosts, with links to the filtered list."""
    events = queries.events_of(host=organisation) | _listing(host=organisation.pk)
    return {"events": events, "of": "organisation"}


def account_registrations(request, user) -> dict:
    """The user's registrations, latest event first."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event")
        .order_by("-event__start", "-pk")[:100]
    )
    feed_url = site_url(reverse("events:my_feed", args=[ical.feed_token(user)]))
    return {"registrations": list(registrations), "feed_url": feed_url}
