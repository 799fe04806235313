"""A network's and an organisation's portal pages list their events (upcoming and past)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from reti.events.tests.factories import EventFactory


def _event(cast, days: int, title: str, **kwargs):
    start = timezone.now() + timedelta(days=days)
    return EventFactory(
        title_it=title,
        host=kwargs.pop("host", cast.toscana),
        network=kwargs.pop("network", cast.network),
        start=start,
        end=start + timedelta(hours=4),
        **kwargs,
    )


def _section(page: str, name: str) -> str:
    found = re.search(rf'<ul[^>]*id="events-{name}".*?</ul>', page, re.S)
    return found.group(0) if found else ""


def _get(client, name: str, arg) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=[arg]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize(
    ("page", "arg"),
    [("portal:network_detail", "network"), ("portal:organisation_detail", "toscana")],
)
def test_the_page_lists_upcoming_and_past_events_in_a_constant_number_of_queries(
    client, cast, page, arg
):
    key = (lambda c: c.network.slug) if arg == "network" else (lambda c: c.toscana.pk)
    _event(cast, 10, "Visita di studio a Firenze")
    _event(cast, -10, "Seminario concluso")
    _get(client, page, key(cast))  # a network's record is cached at its first view
    html, few = _get(client, page, key(cast))
    assert "Visita di studio a Firenze" in _section(html, "upcoming")
    assert "Seminario concluso" in _section(html, "past")
    assert "Seminario concluso" not in _section(html, "upcoming")
    for day in range(1, 13):
        _event(cast, day * 3, f"Incontro futuro {day}")
        _event(cast, -day * 3, f"Incontro passato {day}")
    html, many = _get(client, page, key(cast))
    assert many == few  # not one query per event
    upcoming, past = _section(html, "upcoming"), _section(html, "past")
    assert upcoming.count("<li") == 5 and past.count("<li") == 5
    assert "Incontro futuro 1<" in upcoming and "Incontro futuro 6<" not in upcoming  # soonest
    assert (
        "Incontro passato 1<" in past and "Visita di studio a Firenze" not in past
    )  # latest first
    assert "Tutti gli eventi in programma" in html and "Tutti gli eventi passati" in html


def test_an_organisation_links_to_the_list_of_the_events_it_hosts(client, cast):
    _event(cast, 5, "Ospitato dalla Toscana")
    _event(cast, 6, "Ospitato da Trento", host=cast.trento)
    html, _ = _get(client, "portal:organisation_detail", cast.toscana.pk)
    assert "Ospitato da Trento" not in html
    link = re.search(r'href="([^"]*host=[^"]*when=upcoming[^"]*)"', html).group(1)
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Ospitato dalla Toscana" in listing and "Ospitato da Trento" not in listing
    assert "Eventi organizzati da Regione Toscana (prova)" in listing


def test_a_network_links_to_its_past_events(client, cast):
    _event(cast, -5, "Concluso nella rete")
    _event(cast, -5, "Concluso altrove", network=None)
    html, _ = _get(client, "portal:network_detail", cast.network.slug)
    link = re.search(r'href="([^"]*when=past[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"network={cast.network.slug}" in link
    listing = client.get(link).content.decode()
    assert "Concluso nella rete" in listing and "Concluso altrove" not in listing


def test_a_page_without_events_says_so_in_english(client, cast):
    with translation.override("en"):
        url = reverse("portal:network_detail", args=[cast.network.slug])
    html = client.get(url).content.decode()
    assert "Network events" in html
    assert "No upcoming events." in html and "No past events." in html
