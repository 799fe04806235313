"""Importing participant files: atomic, idempotent, every bad row named."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied

from reti.monitoring import pseudonym
from reti.monitoring.models import ImportBatch, ParticipantAccessLog, ParticipantRecord

from .importing_helpers import csv_bytes, fake_code, row, upload

pytestmark = pytest.mark.django_db
Status = ImportBatch.Status


def _problems(batch):
    return [(r, c, reason) for r, c, _v, reason in batch.report]


def test_a_good_file_stores_pseudonymised_records(cast, monitoring):
    intervention = monitoring.toscana_intervention
    batch = upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(10)]))
    assert batch.status == Status.ACCEPTED, batch.report
    assert (batch.rows_read, batch.rows_created) == (10, 10)
    record = ParticipantRecord.objects.get(person_key=pseudonym.person_key(fake_code(3)))
    assert record.intervention == intervention
    assert record.gender == "female"
    assert record.entry_date == datetime.date(2024, 3, 1)
    assert record.long_term_unemployed is True
    assert record.penal_execution is True
    assert record.leaving_employed is True
    assert record.followup_employed is None
    assert not ParticipantRecord.objects.filter(person_key=fake_code(3)).exists()
    log = ParticipantAccessLog.objects.get(action="import")
    assert (log.user, log.record_count) == (cast.toscana_officer, 10)


def test_the_uploaded_file_is_not_kept(cast, monitoring, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    assert batch.status == Status.ACCEPTED
    assert list((tmp_path / "monitoring" / "imports").iterdir()) == []


def test_a_file_with_errors_stores_nothing_and_names_every_row(cast, monitoring):
    rows = [
        row(0),
        row(1, codice_fiscale=fake_code(1)[:-1] + ("A" if fake_code(1)[-1] != "A" else "B")),
        row(2, genere="Q"),
        row(3, data_uscita="01/01/2024"),
        row(4, eta_ingresso="130"),
        row(0),  # the first person again
        row(
            6,
            data_uscita="",
            data_rilevazione_uscita="",
            uscita_occupato="",
            data_rilevazione_sei_mesi="01/04/2025",
            sei_mesi_occupato="si",
        ),
        row(7, condizione_ingresso="studente"),
        row(8, data_ingresso="31/02/2024"),
    ]
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes(rows))
    assert batch.status == Status.REJECTED
    assert not ParticipantRecord.objects.exists()
    problems = _problems(batch)
    assert [(r, c) for r, c, _ in problems] == [
        (3, "codice_fiscale"),
        (4, "genere"),
        (5, "data_uscita"),
        (6, "eta_ingresso"),
        (7, "codice_fiscale"),
        (8, "data_rilevazione_sei_mesi"),
        (9, "condizione_ingresso"),
        (10, "data_ingresso"),
    ]
    reasons = {(r, c): reason for r, c, reason in problems}
    assert "controllo" in reasons[(3, "codice_fiscale")]
    assert "riga 2" in reasons[(7, "codice_fiscale")]
    assert "ancora nell'intervento" in reasons[(8, "data_rilevazione_sei_mesi")]
    assert "0-120" in reasons[(6, "eta_ingresso")]
    assert batch.error_count == 8


def test_the_report_never_shows_a_codice_fiscale(cast, monitoring):
    wrong = fake_code(1)[:-1] + ("A" if fake_code(1)[-1] != "A" else "B")
    batch = upload(
        cast.toscana_officer,
        monitoring.toscana_intervention,
        csv_bytes([row(1, codice_fiscale=wrong)]),
    )
    assert wrong not in str(batch.report)
    assert batch.report[0][2] == pseudonym.mask(wrong)


def test_the_same_file_twice_changes_nothing(cast, monitoring):
    content = csv_bytes([row(i) for i in range(5)])
    first = upload(cast.toscana_officer, monitoring.toscana_intervention, content)
    ids = list(ParticipantRecord.objects.values_list("pk", flat=True))
    second = upload(cast.toscana_officer, monitoring.toscana_intervention, content)
    assert (first.status, second.status) == (Status.ACCEPTED, Status.DUPLICATE)
    assert list(ParticipantRecord.objects.values_list("pk", flat=True)) == ids


def test_a_corrected_batch_replaces_the_previous_one(cast, monitoring):
    intervention = monitoring.toscana_intervention
    first = upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(5)]))
    corrected = upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(3)]))
    assert corrected.status == Status.ACCEPTED
    assert (corrected.rows_created, corrected.rows_removed) == (3, 5)
    assert corrected.replaced_batch == first
    first.refresh_from_db()
    assert first.status == Status.REPLACED
    assert ParticipantRecord.objects.filter(intervention=intervention).count() == 3
    # Another intervention's records are not touched.
    upload(cast.lazio_officer, monitoring.lazio_intervention, csv_bytes([row(9)]))
    assert ParticipantRecord.objects.count() == 4


def test_a_re_entry_keeps_the_first_entry_and_updates_the_exit(cast, monitoring):
    intervention = monitoring.toscana_intervention
    upload(
        cast.toscana_officer,
        intervention,
        csv_bytes([row(1, data_uscita="", uscita_occupato="", data_rilevazione_uscita="")]),
    )
    again = row(
        1,
        data_ingresso="01/01/2025",
        data_uscita="30/06/2025",
        condizione_ingresso="occupato",
        disoccupato_lunga_durata="no",
        data_rilevazione_uscita="01/07/2025",
        uscita_occupato="si",
    )
    batch = upload(cast.toscana_officer, intervention, csv_bytes([again, row(2)]), mode="append")
    assert batch.status == Status.ACCEPTED, batch.report
    assert (batch.rows_created, batch.rows_updated) == (1, 1)
    record = ParticipantRecord.objects.get(person_key=pseudonym.person_key(fake_code(1)))
    assert record.entry_date == datetime.date(2024, 3, 1)
    assert record.status_at_entry == "unemployed"
    assert record.exit_date == datetime.date(2025, 6, 30)
    assert record.leaving_employed is True


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "vuoto"),
        (csv_bytes([]), "nessuna riga"),
        ("codice_fiscale;genere\r\n".encode("utf-16"), "UTF-16"),
        (b"nome;cognome;eta\r\nMario;Rossi;3\r\n", "colonna"),
    ],
    ids=["empty", "header-only", "utf-16", "mis-columned"],
)
def test_unreadable_files_are_rejected_with_a_reason(cast, monitoring, content, reason):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, content)
    assert batch.status == Status.REJECTED
    assert any(reason in problem[3] for problem in batch.report), batch.report
    assert not ParticipantRecord.objects.exists()


def test_a_truncated_file_names_the_short_row(cast, monitoring):
    content = csv_bytes([row(i) for i in range(4)])
    truncated = content[: content.rindex(b";", 0, len(content) - 40)]
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, truncated)
    assert batch.status == Status.REJECTED
    assert batch.report[-1][0] == 5
    assert "campi" in batch.report[-1][3]


def test_a_mixed_encoding_names_the_row(cast, monitoring):
    # UTF-8 for more than the 64 KiB sample, then a Windows-1252 "è" on row 702.
    content = csv_bytes([row(i) for i in range(700)])
    content += csv_bytes([row(700, minoranza="è")]).split(b"\r\n", 1)[1]
    batch = upload(
        cast.toscana_officer,
        monitoring.toscana_intervention,
        content.replace("è".encode(), "è".encode("cp1252")),
    )
    assert batch.status == Status.REJECTED
    assert batch.report[-1][0] == 702
    assert "codifica" in batch.report[-1][3]
    assert not ParticipantRecord.objects.exists()


def test_windows_1252_comma_iso_dates_and_bom_are_read(cast, monitoring):
    rows = [
        row(
            i,
            data_ingresso="2024-03-01",
            data_uscita="2024-09-30",
            data_rilevazione_uscita="2024-10-15",
            eta_ingresso="34,0",
        )
        for i in range(3)
    ]
    for content in (
        csv_bytes(rows, delimiter=",", encoding="cp1252"),
        csv_bytes(rows, bom=True),
    ):
        batch = upload(cast.toscana_officer, monitoring.toscana_intervention, content + b"\r\n")
        assert batch.status in (Status.ACCEPTED, Status.DUPLICATE), batch.report
    assert ParticipantRecord.objects.filter(age_at_entry=34).exists()


def test_age_from_the_date_of_birth(cast, monitoring):
    content = csv_bytes([row(1, eta_ingresso="", data_nascita="02/03/1990")])
    upload(cast.toscana_officer, monitoring.toscana_intervention, content)
    assert ParticipantRecord.objects.get().age_at_entry == 33


def test_an_xlsx_file_is_read(cast, monitoring):
    from openpyxl import Workbook

    from reti.monitoring.importing.spec import NAMES

    book = Workbook()
    sheet = book.active
    sheet.append(list(NAMES))
    for i in range(3):
        values = row(i)
        values["data_ingresso"] = datetime.datetime(2024, 3, 1)
        values["eta_ingresso"] = 30.0
        sheet.append([values[name] for name in NAMES])
    out = io.BytesIO()
    book.save(out)
    batch = upload(
        cast.toscana_officer, monitoring.toscana_intervention, out.getvalue(), name="p.xlsx"
    )
    assert batch.status == Status.ACCEPTED, batch.report
    assert ParticipantRecord.objects.filter(age_at_entry=30).count() == 3


def test_a_truncated_xlsx_is_rejected(cast, monitoring):
    from reti.monitoring.importing.spec import template_xlsx

    content = template_xlsx()
    batch = upload(
        cast.toscana_officer, monitoring.toscana_intervention, content[: len(content) // 2]
    )
    assert batch.status == Status.REJECTED
    assert "XLSX" in batch.report[0][3]


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "secretariat", "outsider"])
def test_only_the_owner_uploads(cast, monitoring, who):
    with pytest.raises(PermissionDenied):
        upload(getattr(cast, who), monitoring.toscana_intervention, csv_bytes([row(1)]))
    assert not ImportBatch.objects.exists()
    assert ParticipantAccessLog.objects.filter(action="refused").count() == 1


def test_a_bad_row_late_in_a_big_file_rejects_all_of_it(cast, monitoring):
    """Thousands of rows were already written (in chunks, by the writer thread) when the last
    row is found wrong: the whole batch is rolled back, the previous records stay."""
    intervention = monitoring.toscana_intervention
    first = upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(3)]))
    assert first.status == Status.ACCEPTED
    rows = [row(i) for i in range(12_000)]
    rows.append(row(12_000, data_uscita="01/01/2024"))  # exit before the entry
    batch = upload(cast.toscana_officer, intervention, csv_bytes(rows))
    assert batch.status == Status.REJECTED
    assert _problems(batch) == [(12_002, "data_uscita", "uscita precedente all'ingresso")]
    assert ParticipantRecord.objects.filter(intervention=intervention).count() == 3
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
