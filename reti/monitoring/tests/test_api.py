"""The monitoring API: public interventions; uploads, batches, reports, records by token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reti.monitoring.importing.run import import_batch
from reti.monitoring.models import ImportBatch, ParticipantAccessLog
from reti.registry.tests.api_fixtures import bearer

from .importing_helpers import csv_bytes, fake_code, row, upload

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"api:{name}", args=args)


def test_interventions_are_public(client, monitoring):
    items = client.get(_url("monitoring_interventions"), {"region": "09"}).json()["items"]
    assert [item["code"] for item in items] == ["TOS-001"]
    detail = client.get(_url("monitoring_intervention", items[0]["id"])).json()
    assert detail["region"] == "09" and detail["period"] == "2021-2027"


def test_upload_by_token_then_status_and_report(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    response = client.post(
        _url("monitoring_upload", intervention.pk),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row(1), row(2, eta_ingresso="200")]))},
        headers=bearer(cast.toscana_officer),
    )
    assert response.status_code == 202, response.content
    batch_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    import_batch(batch_id)
    headers = bearer(cast.toscana_officer)
    status = client.get(_url("monitoring_batch", batch_id), headers=headers).json()
    assert (status["status"], status["error_count"], status["progress"]) == ("rejected", 1, 1.0)
    report = client.get(_url("monitoring_batch_report", batch_id), headers=headers).json()
    assert report == [
        {"row": 3, "column": "eta_ingresso", "value": "200", "reason": report[0]["reason"]}
    ]
    assert "0-120" in report[0]["reason"]


def test_a_wrong_mode_names_the_field(client, cast, monitoring):
    response = client.post(
        _url("monitoring_upload", monitoring.toscana_intervention.pk),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row(1)])), "mode": "merge"},
        headers=bearer(cast.toscana_officer),
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "mode"
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "secretariat", "outsider"])
def test_others_are_refused_everywhere(client, cast, monitoring, who):
    intervention = monitoring.toscana_intervention
    batch = upload(cast.toscana_officer, intervention, csv_bytes([row(1)]))
    headers = bearer(getattr(cast, who))
    upload_response = client.post(
        _url("monitoring_upload", intervention.pk),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row(2)]))},
        headers=headers,
    )
    assert upload_response.status_code == 403
    for url in (
        _url("monitoring_batch", batch.pk),
        _url("monitoring_batch_report", batch.pk),
        _url("monitoring_participants", intervention.pk),
    ):
        assert client.get(url, headers=headers).status_code == 403
    assert ParticipantAccessLog.objects.filter(action="refused", channel="api").count() == 4


def test_anonymous_needs_a_token(client, cast, monitoring):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    assert client.get(_url("monitoring_batch", batch.pk)).status_code == 401
    participants = _url("monitoring_participants", monitoring.toscana_intervention.pk)
    assert client.get(participants).status_code == 401


def test_auditor_reads_records_pseudonymised_and_logged(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(3)]))
    response = client.get(
        _url("monitoring_participants", intervention.pk),
        {"limit": 2},
        headers=bearer(monitoring.auditor),
    )
    body = response.json()
    assert len(body["items"]) == 2 and body["next"]
    assert fake_code(0) not in response.content.decode()
    assert body["items"][0]["gender"] == "male"
    log = ParticipantAccessLog.objects.get(action="export", channel="api")
    assert (log.user, log.record_count) == (monitoring.auditor, 2)
