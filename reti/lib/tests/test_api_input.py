"""Bad input never answers 500: ids beyond 64 bits and control characters, on every route."""

import json
import re

import pytest
from django.urls import reverse

from reti.api import api
from reti.communities.models import Community, Member
from reti.events.tests.factories import EventFactory
from reti.registry.tests.api_fixtures import bearer, send

pytestmark = pytest.mark.django_db

HUGE = 13881112614385209344  # beyond 2**63 - 1
ENORMOUS = 99999999999999999999999


def assert_json_error(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


def fields(response) -> list:
    return [error["field"] for error in assert_json_error(response, 400)]


# Ids out of range (issue 22.3)


@pytest.mark.parametrize("param", ["practice", "organisation"])
def test_a_transfer_filter_beyond_64_bits_is_a_400_naming_it(client, param):
    response = client.get(reverse("api:transfer_list"), {param: HUGE})

    assert fields(response) == [param]


def test_cancelling_a_registration_of_an_impossible_event_answers_json(client, cast):
    path = "/api/v1/events/16441305862150087789182325882880/registrations/23442"

    anonymous = client.delete(path)
    assert_json_error(anonymous, 401, 400, 404)
    with_token = client.delete(path, headers=bearer(cast.staff))
    assert fields(with_token) == ["event_id"]


def test_a_practice_with_an_impossible_partner_is_a_400(client, cast):
    body = {
        "title_it": "Sportello",
        "lead_organisation": cast.toscana.pk,
        "partner_organisations": [ENORMOUS],
    }
    response = send(client, "post", reverse("api:practice_list"), body, cast.toscana_officer)

    assert fields(response) == ["partner_organisations.0"]


def test_a_project_linked_to_an_impossible_network_is_a_400_in_json(client, cast):
    url = reverse("api:project_detail", args=[cast.toscana_project.pk])
    response = send(client, "patch", url, {"networks": [ENORMOUS]}, cast.toscana_officer)

    assert fields(response) == ["networks.0"]
    assert list(cast.toscana_project.networks.all()) == []


def _integer_path_routes():
    """(method, path template, integer parameters) of every API operation, from its schema."""
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = [
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "path" and p["schema"].get("type") == "integer"
            ]
            if names:
                yield method, path, names


ROUTES = list(_integer_path_routes())


def test_the_generated_check_covers_the_routes_of_every_app():
    prefixes = {re.match(r"/api/v1/(\w+)", path).group(1) for _, path, _ in ROUTES}
    assert {"events", "practices", "projects", "monitoring", "communities"} <= prefixes


@pytest.mark.parametrize(("method", "path", "names"), ROUTES, ids=lambda v: str(v))
@pytest.mark.parametrize("value", [2**63, 0, -1, 2**63 - 1])
def test_every_integer_path_parameter_answers_json_not_500(
    client, cast, method, path, names, value
):
    url = path
    for name in names:
        url = url.replace("{" + name + "}", str(value))
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(url, headers=bearer(cast.staff), **body)

    if value == 2**63 - 1:  # the largest id is valid and names nothing
        assert_json_error(response, 404, 400)
    else:
        assert {e["field"] for e in assert_json_error(response, 400)} & set(names)


def test_an_unexpected_error_under_the_api_answers_json(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("reti.knowledge.api.transfers.paginate", broken)
    client.raise_request_exception = False
    response = client.get(reverse("api:transfer_list"))

    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


# Control characters (issue 22.9)

NUL = "a\x00b"


def test_a_nul_in_an_organisation_name_is_a_400_naming_it(client, cast):
    url = reverse("api:organisation_detail", args=[cast.toscana.pk])
    response = send(client, "patch", url, {"name_en": NUL}, cast.toscana_officer)

    assert fields(response) == ["name_en"]
    cast.toscana.refresh_from_db()
    assert "\x00" not in cast.toscana.name_en


def test_a_project_refuses_control_characters_but_keeps_line_breaks_in_text(client, cast):
    url = reverse("api:project_detail", args=[cast.toscana_project.pk])
    user = cast.toscana_officer

    assert fields(send(client, "patch", url, {"title_it": "a\nb"}, user)) == ["title_it"]
    assert fields(send(client, "patch", url, {"objectives_it": NUL}, user)) == ["objectives_it"]
    assert fields(send(client, "patch", url, {"objectives_it": "a\x1bb"}, user)) == [
        "objectives_it"
    ]
    fine = send(client, "patch", url, {"objectives_it": "Uno\r\n\tdue"}, user)
    assert fine.status_code == 200
    assert fine.json()["objectives_it"] == "Uno\r\n\tdue"


def test_a_new_practice_refuses_a_nul(client, cast):
    body = {"title_it": NUL, "lead_organisation": cast.toscana.pk, "description_it": "x\x00"}
    response = send(client, "post", reverse("api:practice_list"), body, cast.toscana_officer)

    assert sorted(fields(response)) == ["description_it", "title_it"]


def test_a_new_event_refuses_a_nul(client, cast):
    body = {
        "kind": "peer_review",
        "title_it": "Peer review",
        "place": NUL,
        "host": cast.trento.pk,
        "start": "2031-04-01T09:00:00+02:00",
        "end": "2031-04-01T18:00:00+02:00",
    }
    response = send(client, "post", "/api/v1/events", body, cast.secretariat)

    assert fields(response) == ["place"]


def test_a_registration_refuses_a_nul(client, cast):
    event = EventFactory(host=cast.toscana, capacity=5)
    body = {"name": "Anna", "email": "anna@example.org", "affiliation": NUL}
    response = send(
        client, "post", f"/api/v1/events/{event.pk}/registrations", body, cast.lazio_officer
    )

    assert fields(response) == ["affiliation"]
    assert not event.registrations.exists()


def test_a_community_thread_and_reply_refuse_a_nul(client, cast):
    community = Community.objects.create(slug="cdp-rsi", name_it="RSI", is_public=True)
    Member.objects.create(community=community, user=cast.toscana_officer)
    path = "/api/v1/communities/cdp-rsi/threads"
    user = cast.toscana_officer

    assert fields(send(client, "post", path, {"title": NUL, "body": "Chi?"}, user)) == ["title"]
    created = send(client, "post", path, {"title": "Premio", "body": "Chi\nviene?"}, user)
    assert created.status_code == 201
    reply = f"/api/v1/communities/threads/{created.json()['id']}/posts"
    assert fields(send(client, "post", reply, {"body": NUL}, user)) == ["body"]


def test_a_query_parameter_with_a_control_character_is_a_400(client):
    response = client.get(reverse("api:organisation_list"), {"q": "a\x07b"})

    assert fields(response) == ["q"]


@pytest.mark.parametrize("param", ["region", "period"])
def test_a_monitoring_filter_with_a_nul_is_a_400(client, param):
    response = client.get(reverse("api:monitoring_interventions"), {param: NUL})

    assert fields(response) == [param]


def test_a_nul_in_a_slug_of_the_path_answers_json(client):
    response = client.get("/api/v1/communities/a%00b")

    assert_json_error(response, 400, 404)


# The schema and the answers agree (issue 22.12)


def test_a_body_that_is_not_utf8_is_a_400_in_the_documented_list(client, cast):
    response = client.post(
        reverse("api:practice_list"),
        data=b'{"title_it": "\xff\xfe"}',
        content_type="application/json",
        headers=bearer(cast.toscana_officer),
    )

    assert [error["field"] for error in assert_json_error(response, 400)] == [None]


def test_the_schema_declares_the_largest_page_and_a_larger_one_is_a_400(client):
    schema = api.get_openapi_schema()
    limit = next(
        p for p in schema["paths"]["/api/v1/transfers"]["get"]["parameters"] if p["name"] == "limit"
    )

    assert '"maximum": 500' in json.dumps(limit["schema"])
    assert fields(client.get(reverse("api:transfer_list"), {"limit": 501})) == ["limit"]
