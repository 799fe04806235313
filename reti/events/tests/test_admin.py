"""The back office of events: organisers see and change their own events only."""

import pytest
from django.urls import reverse

from reti.events.tests.factories import EventFactory


def test_an_organiser_lists_only_their_events(client, cast, visit):
    EventFactory(title_it="Evento del Lazio", host=cast.lazio)
    client.force_login(cast.toscana_officer)
    page = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "Visita a Firenze" in page and "Evento del Lazio" not in page


def test_an_organiser_opens_their_event_and_its_history(client, cast, visit):
    client.force_login(cast.secretariat)
    url = reverse("admin:events_event_change", args=[visit.pk])
    form = client.get(url)
    assert form.status_code == 200
    history = client.get(reverse("admin:events_event_history", args=[visit.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "outsider"])
def test_others_do_not_open_the_event(client, cast, visit, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("admin:events_event_change", args=[visit.pk]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "login" in response.url or response.url.endswith("/admin/")


def test_anonymous_people_are_sent_to_the_login(client, visit):
    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 302 and "login" in response.url
