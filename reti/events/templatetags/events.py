"""Events shown on other apps' pages (a network's and an organisation's events), and when
an event takes place."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
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


DAY_AND_TIME = "j F Y, H:i"


@register.simple_tag
def event_when(event) -> str:
    """Start and end as two <time> elements, local time; the end's day only when it differs.

    A tag rather than an included template: lists show it on every row, and the include with
    its four date filters cost more than the rest of the row.
    """
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    until = format_date(end, "H:i" if start.date() == end.date() else DAY_AND_TIME)
    return format_html(
        '<time datetime="{}">{}</time> – <time datetime="{}">{}</time>',
        start.isoformat(),
        format_date(start, DAY_AND_TIME),
        end.isoformat(),
        until,
    )
