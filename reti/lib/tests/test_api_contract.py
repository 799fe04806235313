"""The API answers what its OpenAPI schema declares (issue 22.12).

A client generated from the schema must never meet an answer the schema does not list: every
status an operation can return is declared, a refused caller learns nothing from the body it
sent, and a malformed multipart body is a 400 in Reti's format, never a 500.
"""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from reti.api import api
from reti.events.tests.factories import EventFactory, RegistrationFactory
from reti.knowledge.tests.factories import PracticeFactory
from reti.registry.tests.api_fixtures import bearer

pytestmark = pytest.mark.django_db


def _declared(path_template: str, method: str = "get") -> set[str]:
    operation = api.get_openapi_schema()["paths"][path_template][method]
    return {str(status) for status in operation["responses"]}


@pytest.mark.parametrize(
    ("template", "path"),
    [
        ("/api/v1/calendar/networks/{slug}.ics", "/api/v1/calendar/networks/none-such.ics"),
        ("/api/v1/calendar/themes/{code}.ics", "/api/v1/calendar/themes/none-such.ics"),
    ],
)
def test_an_unknown_calendar_feed_is_a_declared_404(client, template, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert "404" in _declared(template)
    responses = api.get_openapi_schema()["paths"][template]["get"]["responses"]
    ok = responses.get(200) or responses.get("200")
    assert "text/calendar" in ok["content"]


def test_every_list_declares_the_400_its_filters_can_answer(client):
    schema = api.get_openapi_schema()["paths"]
    undeclared = [
        path
        for path, operations in schema.items()
        if "get" in operations
        and any(p["in"] == "query" for p in operations["get"].get("parameters", []))
        and 400 not in {int(status) for status in operations["get"]["responses"]}
    ]

    assert undeclared == []


def test_an_unknown_organisation_in_a_filter_is_a_400_naming_it(client):
    response = client.get(reverse("api:network_list"), {"organisation": 987654})

    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "organisation"


@pytest.fixture
def visit(cast):
    return EventFactory(host=cast.toscana, network=cast.network, title_it="Visita")


@pytest.mark.parametrize("body", [{"attended": "all of them"}, {"nonsense": 1}, "[", None])
def test_attendance_refuses_a_non_organiser_before_reading_the_body(client, cast, visit, body):
    url = reverse("api:event_attendance", args=[visit.pk])
    data = body if isinstance(body, str) else json.dumps(body)

    response = client.post(
        url, data, content_type="application/json", headers=bearer(cast.lazio_officer)
    )

    assert response.status_code == 403


def test_an_organiser_still_gets_the_field_of_a_bad_attendance_body(client, cast, visit):
    registration = RegistrationFactory(event=visit)
    url = reverse("api:event_attendance", args=[visit.pk])
    headers = bearer(cast.toscana_officer)

    bad = client.post(
        url,
        json.dumps({"attended": {registration.pk: "maybe"}}),
        content_type="application/json",
        headers=headers,
    )
    broken = client.post(url, "{", content_type="application/json", headers=headers)
    good = client.post(
        url,
        json.dumps({"attended": {registration.pk: True}}),
        content_type="application/json",
        headers=headers,
    )

    assert bad.status_code == 400
    assert bad.json()["detail"][0]["field"] == f"attended.{registration.pk}"
    assert broken.status_code == 400
    assert broken.json()["detail"] == [{"field": None, "message": "Cannot parse request body"}]
    assert good.json() == {"changed": 1}
    operation = api.get_openapi_schema()["paths"]["/api/v1/events/{event_id}/attendance"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "attended" in json.dumps(body)


@override_settings(DEBUG=True)
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_multipart_without_a_boundary_is_a_400_even_under_debug(client, cast, content_type):
    practice = PracticeFactory(lead_organisation=cast.toscana)
    upload = reverse("api:practice_attachments", args=[practice.pk])

    response = client.post(
        upload,
        b"--x\r\n",
        content_type=content_type,
        headers=bearer(cast.toscana_officer),
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], list)
