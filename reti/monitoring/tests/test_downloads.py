"""The monitoring downloads through the site's writer: the validation report escapes the cells
it echoes, the participant export stays checked and logged before its first byte, and the old
`.csv` addresses redirect."""

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from reti.lib.tests import downloads
from reti.monitoring.models import ParticipantAccessLog

from .importing_helpers import csv_bytes, row, upload

pytestmark = pytest.mark.django_db

SUM = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def rejected(cast, monitoring):
    """A batch whose report echoes formula payloads: a gender, an age, a masked code."""
    content = csv_bytes(
        [row(1, genere=SUM), row(2, eta_ingresso="-2+3"), row(3, codice_fiscale="=1+2+3+4+5")]
    )
    return upload(cast.toscana_officer, monitoring.toscana_intervention, content)


def test_the_report_escapes_the_cells_it_echoes(client, cast, rejected):
    client.force_login(cast.toscana_officer)
    page = reverse("monitoring:batch_detail", args=[rejected.pk])
    rows = downloads.csv_rows(client.get(page, {"formato": "csv"}))
    values = {row["colonna"]: row["valore"] for row in rows}
    assert values["genere"] == "'" + SUM
    assert values["eta_ingresso"] == "'-2+3"
    assert values["codice_fiscale"].startswith("'=")  # masked, and still escaped
    assert {row["riga"] for row in rows} >= {"2", "3", "4"}

    sheet = downloads.workbook(client.get(page, {"formato": "xlsx"})).worksheets[0]
    assert sheet.freeze_panes == "A2"
    cells = {r[1].value: (r[0], r[2]) for r in sheet.iter_rows(min_row=2)}
    line, value = cells["genere"]
    assert (line.value, line.data_type) == (2, "n")
    assert (value.value, value.data_type, value.quotePrefix) == (SUM, "s", True)


def test_the_report_download_is_logged_and_refused_to_others(client, cast, rejected):
    page = reverse("monitoring:batch_detail", args=[rejected.pk])
    client.force_login(cast.lazio_officer)
    assert client.get(page, {"formato": "csv"}).status_code == 403
    assert ParticipantAccessLog.objects.filter(action="refused", user=cast.lazio_officer).exists()
    client.logout()
    assert client.get(page, {"formato": "csv"}).status_code == 302  # to sign in
    client.force_login(cast.toscana_officer)
    client.get(page, {"formato": "csv"})
    assert ParticipantAccessLog.objects.filter(action="export", user=cast.toscana_officer).exists()


def test_participant_export_is_logged_before_the_first_byte(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(1), row(2)]))
    export = reverse("monitoring:participant_export", args=[intervention.pk])
    client.force_login(cast.toscana_officer)
    response = client.get(export, {"formato": "xlsx"})
    assert isinstance(response, StreamingHttpResponse)
    log = ParticipantAccessLog.objects.get(action="export", user=cast.toscana_officer)
    assert log.record_count == 2  # logged while no byte has been read yet
    name = f"partecipanti-{intervention.code}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    sheet = downloads.workbook(response).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, sheet[2], strict=True))
    assert first["age_at_entry"].data_type == "n"
    assert first["entry_date"].is_date
    assert first["penal_execution"].value is True
    # Without ?formato= the table's URL gives the Italian-Excel CSV.
    rows = downloads.csv_rows(client.get(export))
    assert len(rows) == 2 and rows[0]["penal_execution"] == "sì"


@pytest.mark.parametrize("who", [None, "lazio_officer", "viewer", "outsider"])
def test_participant_export_refused_to_others(client, cast, monitoring, who):
    export = reverse("monitoring:participant_export", args=[monitoring.toscana_intervention.pk])
    if who:
        client.force_login(getattr(cast, who))
    response = client.get(export, {"formato": "csv"})
    assert response.status_code == (403 if who else 302)
    assert not ParticipantAccessLog.objects.filter(action="export").exists()


def test_old_monitoring_addresses_redirect(client, cast, monitoring, rejected):
    intervention = monitoring.toscana_intervention
    moves = {
        f"/it/monitoraggio/caricamenti/{rejected.pk}/rapporto.csv": reverse(
            "monitoring:batch_detail", args=[rejected.pk]
        )
        + "?format=csv",
        f"/it/monitoraggio/interventi/{intervention.pk}/partecipanti.csv": reverse(
            "monitoring:participant_export", args=[intervention.pk]
        )
        + "?format=csv",
        "/it/monitoraggio/modello.csv": reverse("monitoring:template") + "?format=csv",
        "/it/monitoraggio/modello.xlsx": reverse("monitoring:template") + "?format=xlsx",
    }
    for old, new in moves.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
