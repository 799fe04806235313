"""Events shown on other apps' pages: a network's and an organisation's events."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from reti.events import queries

register = template.Library()


def _listing(**params) -> dict:
    base = reverse("events:list")
    return {
        "upcoming_url": f"{base}?{urlencode({**params, 'when': 'upcoming'})}",
        "past_url": f"{base}?{urlencode({**params, 'when': 'past'})}",
    }


@register.simple_tag
def network_events(network) -> dict:
    """The next and the latest events of a network, with links to the filtered list."""
    return queries.events_of(network=network) | _listing(network=network.slug)


@register.simple_tag
def organisation_events(organisation) -> dict:
    """The next and the latest events an organisation hosts, with links to the filtered list."""
    return queries.events_of(host=organisation) | _listing(host=organisation.pk)
