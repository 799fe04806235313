"""The /practices and /transfers API: reads public or by token, writes with the same rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reti.knowledge.models import GoodPractice, Transfer
from reti.registry.tests import factories as rf
from reti.registry.tests.api_fixtures import bearer, send

from . import files

pytestmark = pytest.mark.django_db
State = GoodPractice.State


def _url(name, *args):
    return reverse(f"api:{name}", args=args)


def test_anonymous_lists_published_only(client, draft, published):
    draft_other = GoodPractice.objects.create(
        title_it="Bozza altrui", lead_organisation=published.lead_organisation
    )
    items = client.get(_url("practice_list")).json()["items"]
    assert [item["id"] for item in items] == [published.pk]
    assert draft_other.pk not in [item["id"] for item in items]


def test_a_token_shows_its_users_drafts(client, cast, draft):
    items = client.get(_url("practice_list"), headers=bearer(cast.toscana_officer)).json()["items"]
    assert [item["id"] for item in items] == [draft.pk]
    assert client.get(_url("practice_detail", draft.pk)).status_code == 404
    response = client.get(_url("practice_detail", draft.pk), headers=bearer(cast.lazio_officer))
    assert response.status_code == 404


def test_unknown_filter_and_value_name_the_parameter(client):
    response = client.get(_url("practice_list"), {"colour": "red"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "colour"
    response = client.get(_url("practice_list"), {"theme": "inesistente"})
    assert response.json()["detail"] == [
        {"field": "theme", "message": "Unknown theme: inesistente"}
    ]


def test_create_edit_submit_validate_publish(client, cast):
    theme = rf.ThemeFactory(code="inclusione")
    body = {
        "title_it": "Sportello lavoro in carcere",
        "summary_it": "Orientamento al lavoro.",
        "lead_organisation": cast.toscana.pk,
        "network": cast.network.slug,
        "themes": ["inclusione"],
        "amount": "12000.50",
    }
    response = send(client, "post", _url("practice_list"), body, cast.toscana_officer)
    assert response.status_code == 201, response.content
    practice = GoodPractice.objects.get(pk=response.json()["id"])
    assert list(practice.themes.all()) == [theme]
    assert practice.history.first().history_user == cast.toscana_officer

    detail = _url("practice_detail", practice.pk)
    response = send(
        client, "patch", detail, {"title_en": "Job desk in prison"}, cast.toscana_officer
    )
    assert response.json()["title_en"] == "Job desk in prison"

    assert (
        send(
            client, "post", _url("practice_submit", practice.pk), None, cast.toscana_officer
        ).status_code
        == 200
    )
    response = send(
        client, "post", _url("practice_validate", practice.pk), {"comment": ""}, cast.secretariat
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "comment"
    send(
        client,
        "post",
        _url("practice_validate", practice.pk),
        {"comment": "Bene."},
        cast.secretariat,
    )
    response = send(client, "post", _url("practice_publish", practice.pk), None, cast.secretariat)
    assert response.json()["state"] == "published"


def test_bad_input_names_the_field_and_saves_nothing(client, cast):
    body = {"title_it": "X", "lead_organisation": cast.toscana.pk, "amount": "-5"}
    response = send(client, "post", _url("practice_list"), body, cast.toscana_officer)
    assert response.status_code == 400
    assert "amount" in [error["field"] for error in response.json()["detail"]]
    body = {"title_it": "X", "lead_organisation": cast.toscana.pk, "network": "nessuna"}
    response = send(client, "post", _url("practice_list"), body, cast.toscana_officer)
    assert response.json()["detail"][0]["field"] == "network"
    assert not GoodPractice.objects.exists()


def test_writes_need_a_token_and_the_right_user(client, cast, draft):
    body = {"title_it": "Y", "lead_organisation": cast.toscana.pk}
    assert send(client, "post", _url("practice_list"), body).status_code == 401
    assert send(client, "post", _url("practice_list"), body, cast.lazio_officer).status_code == 403
    detail = _url("practice_detail", draft.pk)
    assert send(client, "patch", detail, {"title_it": "Z"}, cast.secretariat).status_code == 403
    assert (
        send(client, "post", _url("practice_submit", draft.pk), None, cast.outsider).status_code
        == 404
    )
    assert GoodPractice.objects.get(pk=draft.pk).title_it == draft.title_it


def test_another_networks_secretariat_neither_sees_nor_archives(client, cast, published):
    from reti.registry.models import GoverningRole

    GoverningRole.objects.create(
        network=rf.NetworkFactory(), organisation=cast.lazio, role=GoverningRole.Role.SECRETARIAT
    )
    response = send(
        client, "post", _url("practice_archive", published.pk), None, cast.lazio_officer
    )
    assert response.status_code == 403
    assert GoodPractice.objects.get(pk=published.pk).state == State.PUBLISHED
    draft = GoodPractice.objects.create(
        title_it="Bozza", lead_organisation=cast.toscana, network=cast.network
    )
    response = send(client, "post", _url("practice_submit", draft.pk), None, cast.lazio_officer)
    assert response.status_code == 404


def test_upload_refuses_a_fake_pdf_naming_the_field(client, cast, draft):
    url = _url("practice_attachments", draft.pk)
    response = client.post(
        url,
        {"file": SimpleUploadedFile("finto.pdf", b"not a pdf")},
        headers=bearer(cast.toscana_officer),
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "file"
    response = client.post(
        url,
        {"file": SimpleUploadedFile("vero.pdf", files.minimal_pdf("ok")), "title": "Relazione"},
        headers=bearer(cast.toscana_officer),
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "pdf"


def test_transfers_recorded_and_listed(client, cast, published):
    body = {"practice": published.pk, "adopting_organisation": cast.lazio.pk, "stage": "interest"}
    assert send(client, "post", _url("transfer_list"), body, cast.outsider).status_code == 403
    response = send(client, "post", _url("transfer_list"), body, cast.lazio_officer)
    assert response.status_code == 201
    transfer_id = response.json()["id"]
    again = send(client, "post", _url("transfer_list"), body, cast.lazio_officer)
    assert again.status_code == 400
    assert again.json()["detail"][0]["field"] == "adopting_organisation"

    url = _url("transfer_detail", transfer_id)
    response = send(
        client, "patch", url, {"stage": "adopted", "start_date": "2013-01-01"}, cast.lazio_officer
    )
    assert response.json()["stage"] == "adopted"
    assert Transfer.objects.get().history.count() == 2

    items = client.get(_url("transfer_list"), {"network": cast.network.slug}).json()["items"]
    assert [item["id"] for item in items] == [transfer_id]
    items = client.get(_url("transfer_list"), {"organisation": cast.toscana.pk}).json()["items"]
    assert len(items) == 1


def test_transfer_of_a_draft_is_refused(client, cast, draft):
    body = {"practice": draft.pk, "adopting_organisation": cast.lazio.pk, "stage": "interest"}
    response = send(client, "post", _url("transfer_list"), body, cast.lazio_officer)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "practice"


def test_results_and_links_are_written_with_the_practice(client, cast, draft):
    url = _url("practice_detail", draft.pk)
    body = {
        "figures": [{"label_it": "Persone assunte", "value": "37", "unit": "persone"}],
        "links": [{"url": "https://example.org/relazione", "label_it": "Relazione"}],
    }
    response = send(client, "patch", url, body, cast.toscana_officer)
    assert response.status_code == 200, response.content
    assert response.json()["figures"][0]["value"] == "37.00"
    assert response.json()["links"][0]["url"] == "https://example.org/relazione"

    bad = {"title_it": "Non salvato", "links": [{"url": "ftp://x.org/f", "label_it": "X"}]}
    response = send(client, "patch", url, bad, cast.toscana_officer)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"].startswith("links.0.")
    assert GoodPractice.objects.get(pk=draft.pk).title_it != "Non salvato"
    assert draft.figures.count() == 1
