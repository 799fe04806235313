"""Portal pages: who sees participants, who uploads, reports and exports logged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reti.lib.tests import downloads
from reti.monitoring.importing.run import import_batch
from reti.monitoring.models import ImportBatch, ParticipantAccessLog, ParticipantRecord

from .importing_helpers import csv_bytes, fake_code, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_list_is_public_and_filters_by_region(client, monitoring):
    response = client.get(reverse("monitoring:intervention_list"), {"region": "12"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "LAZ-001" in body and "TOS-001" not in body


def test_old_italian_parameters_move_to_the_english_names(client, monitoring):
    url = reverse("monitoring:intervention_list")
    response = client.get(url, {"regione": "12", "strumento": "ordinary_call", "pagina": "2"})
    assert response.status_code == 301
    assert response.url == f"{url}?region=12&instrument=ordinary_call"
    body = client.get(response.url).content.decode()
    assert "LAZ-001" in body and "TOS-001" not in body


def test_a_filter_the_list_does_not_know_is_said_not_dropped(client, monitoring):
    url = reverse("monitoring:intervention_list")
    response = client.get(url, {"region": "99", "instrument": "lottery"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "region=99" in body and "instrument=lottery" in body  # named as not applied
    assert "LAZ-001" in body and "TOS-001" in body
    download = client.get(url, {"region": "99", "format": "csv"})
    assert download.status_code == 400


def test_the_list_pages_by_keyset_and_downloads_every_filtered_row(client, monitoring):
    from . import factories as mf

    lazio = monitoring.lazio_intervention.region
    for n in range(55):
        mf.InterventionFactory(code=f"LAZ-{n + 100:03d}", region=lazio)
    url = reverse("monitoring:intervention_list")
    first = client.get(url, {"region": "12"})
    assert "56 interventi" in first.content.decode()
    shown = [i.code for i in first.context["page"].rows]
    assert len(shown) == 50 and shown == sorted(shown)
    second = client.get(first.context["page"].links["next"])
    shown += [i.code for i in second.context["page"].rows]
    assert len(shown) == 56 and "TOS-001" not in shown
    rows = downloads.csv_rows(client.get(url, {"region": "12", "format": "csv"}))
    assert [r["codice"] for r in rows] == shown  # every filtered row, all pages, same order
    assert {r["regione"] for r in rows} == {"12"}


def test_the_detail_shows_participants_only_to_authorised_users(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(1), row(2)]))
    url = reverse("monitoring:intervention_detail", args=[intervention.pk])
    for user in (None, cast.lazio_officer, cast.viewer, cast.secretariat, cast.outsider):
        client.logout()
        if user:
            client.force_login(user)
        body = client.get(url).content.decode()
        assert 'id="participant-count"' not in body
        assert 'id="upload-form"' not in body
    client.force_login(cast.toscana_officer)
    body = client.get(url).content.decode()
    assert "2 partecipanti" in body
    assert 'id="upload-form"' in body
    client.force_login(monitoring.auditor)
    body = client.get(url).content.decode()
    assert "2 partecipanti" in body
    assert 'id="upload-form"' not in body


def test_upload_runs_and_the_page_shows_the_report(
    client, cast, monitoring, immediate_tasks, django_capture_on_commit_callbacks
):
    intervention = monitoring.toscana_intervention
    client.force_login(cast.toscana_officer)
    content = csv_bytes([row(1), row(2, genere="Z")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:batch_upload", args=[intervention.pk]),
            {"file": SimpleUploadedFile("p.csv", content), "mode": "replace"},
        )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("monitoring:batch_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Respinto" in page
    assert "genere" in page and "<td>3</td>" in page
    report = client.get(response.url, {"formato": "csv"})
    assert report["Content-Disposition"] == f'attachment; filename="rapporto-{batch.pk}.csv"'
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("3;genere;Z;")
    assert ParticipantAccessLog.objects.filter(action="export", user=cast.toscana_officer).exists()


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "secretariat", "outsider"])
def test_others_cannot_upload_nor_read_reports(client, cast, monitoring, who):
    intervention = monitoring.toscana_intervention
    batch = upload(cast.toscana_officer, intervention, csv_bytes([row(1, genere="Z")]))
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("monitoring:batch_upload", args=[intervention.pk]),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row(2)])), "mode": "replace"},
    )
    assert response.status_code == 403
    for name in ("batch_detail", "batch_status"):
        assert client.get(reverse(f"monitoring:{name}", args=[batch.pk])).status_code == 403
    report = client.get(reverse("monitoring:batch_detail", args=[batch.pk]), {"formato": "csv"})
    assert report.status_code == 403
    assert ImportBatch.objects.count() == 1
    assert ParticipantAccessLog.objects.filter(action="refused").count() >= 4
    assert not ParticipantAccessLog.objects.filter(action="export").exists()


def test_anonymous_is_sent_to_login(client, cast, monitoring):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    response = client.get(reverse("monitoring:batch_detail", args=[batch.pk]))
    assert response.status_code == 302
    export = reverse("monitoring:participant_export", args=[monitoring.toscana_intervention.pk])
    assert client.get(export).status_code == 302


def test_status_fragment_polls_while_running_and_refreshes_when_done(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    client.force_login(cast.toscana_officer)
    from reti.monitoring import actions

    batch = actions.upload_batch(
        cast.toscana_officer,
        intervention,
        SimpleUploadedFile("p.csv", csv_bytes([row(1)])),
        mode="replace",
    )
    url = reverse("monitoring:batch_status", args=[batch.pk])
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in running
    import_batch(batch.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_export_is_pseudonymised_logged_and_refused_to_others(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(1), row(2)]))
    url = reverse("monitoring:participant_export", args=[intervention.pk])
    client.force_login(cast.lazio_officer)
    assert client.get(url).status_code == 403
    client.force_login(monitoring.auditor)
    response = client.get(url)
    text = b"".join(response.streaming_content).decode()
    assert len(text.splitlines()) == 3
    assert fake_code(1) not in text
    assert ParticipantRecord.objects.first().person_key in text
    log = ParticipantAccessLog.objects.get(action="export", user=monitoring.auditor)
    assert log.record_count == 2


def test_templates_download(client):
    csv_response = client.get(reverse("monitoring:template"), {"formato": "csv"})
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert text.startswith("codice_fiscale;genere;")
    xlsx = client.get(reverse("monitoring:template"), {"formato": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames[0] == "partecipanti"
    assert [cell.value for cell in book["partecipanti"][1]][:2] == ["codice_fiscale", "genere"]
    notes = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert "data_ingresso" in notes
    spec = client.get(reverse("monitoring:column_specification")).content.decode()
    assert "condizione_ingresso" in spec


def test_pages_in_english(client, monitoring):
    from django.utils import translation

    with translation.override("en"):
        url = reverse("monitoring:intervention_list")
    body = client.get(url).content.decode()
    assert "Monitored interventions" in body
    assert "Ordinary call" in body


def _home(client, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("monitoring:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_monitoring_home_links_every_page_and_says_what_needs_an_account(client, monitoring):
    body = _home(client)
    public, account = body.split('id="public-pages"')[1].split('id="account-pages"')
    for name in ("intervention_list", "indicators", "comparison", "homogeneity"):
        assert f'href="{reverse(f"monitoring:{name}")}"' in public
    for name in ("dashboard", "added_value"):
        assert f'href="{reverse(f"monitoring:{name}")}"' in account
    assert "2 interventi registrati" in body
    note = body.split('id="access-note"')[1].split("</p>")[0]
    assert "richiedono l'accesso" in note
    assert reverse("accounts:login") in note


@pytest.mark.parametrize("who", ["outsider", "viewer", "lazio_officer"])
def test_the_monitoring_home_tells_an_unauthorised_account_why(client, cast, monitoring, who):
    # The viewer reads Toscana but not its participants; Lazio's officer edits its own.
    note = _home(client, getattr(cast, who)).split('id="access-note"')[1].split("</p>")[0]
    if who == "lazio_officer":
        assert "Il tuo account può aprire queste pagine." in note
    else:
        assert "Il tuo account non può aprire queste pagine" in note
        assert reverse("accounts:login") not in note


def test_the_monitoring_home_welcomes_an_auditor(client, monitoring):
    note = _home(client, monitoring.auditor).split('id="access-note"')[1].split("</p>")[0]
    assert "Il tuo account può aprire queste pagine." in note


def test_the_monitoring_home_in_english_and_wrong_method(client, monitoring):
    from django.utils import translation

    with translation.override("en"):
        url = reverse("monitoring:home")
    body = client.get(url).content.decode()
    assert "<h1>Monitoring</h1>" in body
    assert "Territorial homogeneity" in body
    assert client.post(url).status_code == 405
