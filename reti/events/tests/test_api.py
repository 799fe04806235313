"""The events API: public reads, token writes with the portal's rules, errors naming fields."""

import json

import icalendar
import pytest
from django.urls import reverse

from reti.accounts.models import ApiToken
from reti.events.models import Event, Registration
from reti.events.tests.factories import EventFactory, RegistrationFactory

API = "/api/v1"


def _auth(user):
    if user is None:
        return {}
    _token, key = ApiToken.objects.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path, body, user, method="post"):
    return getattr(client, method)(
        f"{API}{path}", json.dumps(body), content_type="application/json", **_auth(user)
    )


def test_list_and_filter_events(client, cast, visit):
    EventFactory(kind=Event.Kind.CONFERENCE, title_it="Conferenza")
    items = client.get(f"{API}/events").json()["items"]
    assert {item["title_it"] for item in items} == {"Visita a Firenze", "Conferenza"}
    items = client.get(f"{API}/events", {"network": cast.network.slug}).json()["items"]
    assert [item["title_it"] for item in items] == ["Visita a Firenze"]
    assert items[0]["network"] == cast.network.slug


def test_an_unknown_filter_or_kind_names_the_parameter(client, db):
    assert client.get(f"{API}/events", {"kinds": "x"}).json()["detail"][0]["field"] == "kinds"
    response = client.get(f"{API}/events", {"kind": "party"})
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "kind"


def test_detail_shows_consented_participants_only(client, visit):
    RegistrationFactory(event=visit, name="Pubblica", public_consent=True)
    RegistrationFactory(event=visit, name="Riservata")
    body = client.get(f"{API}/events/{visit.pk}").json()
    assert [p["name"] for p in body["participants"]] == ["Pubblica"]
    assert body["seats_taken"] == 2 and body["registration_open"] is True
    assert "email" not in json.dumps(body["participants"])


def test_a_token_user_registers_and_the_next_one_is_waitlisted(client, cast, visit):
    visit.capacity = 1
    visit.save()
    first = _post(client, f"/events/{visit.pk}/registrations", {"language": "en"}, cast.outsider)
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    second = _post(client, f"/events/{visit.pk}/registrations", {}, cast.viewer)
    assert second.json()["status"] == "waitlisted"
    again = _post(client, f"/events/{visit.pk}/registrations", {}, cast.outsider)
    assert again.status_code == 400
    assert again.json()["detail"][0]["field"] == "email"

    path = f"{API}/events/{visit.pk}/registrations/{first.json()['id']}"
    assert client.delete(path, **_auth(cast.viewer)).status_code == 403
    cancelled = client.delete(path, **_auth(cast.outsider)).json()
    assert cancelled["cancelled"]["status"] == "cancelled"
    assert cancelled["promoted"]["id"] == second.json()["id"]


def test_registering_needs_a_token(client, visit):
    assert _post(client, f"/events/{visit.pk}/registrations", {}, None).status_code == 401


def test_registrations_list_is_for_organisers(client, cast, visit):
    RegistrationFactory(event=visit, email="x@example.org")
    path = f"{API}/events/{visit.pk}/registrations"
    assert client.get(path, **_auth(cast.secretariat)).json()[0]["email"] == "x@example.org"
    assert client.get(path, **_auth(cast.lazio_officer)).status_code == 403
    assert client.get(path).status_code == 401


def test_create_an_event_and_errors_name_the_field(client, cast):
    body = {
        "kind": "peer_review",
        "title_it": "Peer review di Trento",
        "host": cast.trento.pk,
        "network": cast.network.slug,
        "start": "2031-04-01T09:00:00+02:00",
        "end": "2031-04-01T18:00:00+02:00",
        "capacity": 12,
    }
    created = _post(client, "/events", body, cast.secretariat)
    assert created.status_code == 201, created.json()
    event = Event.objects.get(pk=created.json()["id"])
    assert event.history.get().history_user == cast.secretariat

    wrong = _post(client, "/events", {**body, "end": "2031-04-01T08:00:00+02:00"}, cast.staff)
    assert wrong.status_code == 400 and wrong.json()["detail"][0]["field"] == "end"
    unknown = _post(client, "/events", {**body, "network": "nessuna"}, cast.staff)
    assert unknown.json()["detail"][0]["field"] == "network"
    typo = _post(client, "/events", {**body, "titel": "x"}, cast.staff)
    assert typo.status_code == 400
    assert _post(client, "/events", body, cast.lazio_officer).status_code == 403
    assert _post(client, "/events", body, None).status_code == 401


def test_more_seats_through_the_api_promote_the_waiting_list(client, cast, visit):
    for n in range(3):
        RegistrationFactory(
            event=visit, position=n + 1, status="confirmed" if n < 2 else "waitlisted"
        )
    response = _post(
        client, f"/events/{visit.pk}", {"capacity": 3}, cast.toscana_officer, method="patch"
    )
    assert response.status_code == 200
    assert not visit.registrations.filter(status=Registration.Status.WAITLISTED).exists()
    assert (
        _post(
            client, f"/events/{visit.pk}", {"capacity": 9}, cast.viewer, method="patch"
        ).status_code
        == 403
    )


def test_attendance_through_the_api(client, cast, visit):
    registration = RegistrationFactory(event=visit)
    path = f"/events/{visit.pk}/attendance"
    assert (
        _post(client, path, {"attended": {registration.pk: True}}, cast.lazio_officer).status_code
        == 403
    )
    assert _post(
        client, path, {"attended": {registration.pk: True}}, cast.toscana_officer
    ).json() == {"changed": 1}


@pytest.mark.parametrize("kind", ["all", "network"])
def test_api_calendar_feeds(client, cast, visit, kind):
    path = (
        "/calendar/events.ics" if kind == "all" else f"/calendar/networks/{cast.network.slug}.ics"
    )
    response = client.get(f"{API}{path}")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Visita a Firenze"]
    assert reverse("api:calendar_all") == f"{API}/calendar/events.ics"
