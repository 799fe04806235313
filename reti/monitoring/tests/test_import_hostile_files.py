"""Files that would lose rows silently, exhaust the worker, or hide their real problem."""

import re
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reti.monitoring.importing import readers
from reti.monitoring.models import ImportBatch, ParticipantRecord
from reti.registry.tests.api_fixtures import bearer

from .importing_helpers import csv_bytes, rewrite_member, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db
Status = ImportBatch.Status
SHEET = "xl/worksheets/sheet1.xml"


def _reasons(batch) -> str:
    return " | ".join(problem[3] for problem in batch.report)


def _with_dimension(ref: str):
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        return xml.replace(b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1)

    return change


# --- XLSX: every row that is there ---------------------------------------------------------


def test_a_lying_dimension_tag_hides_no_row(cast, monitoring):
    content = rewrite_member(
        xlsx_bytes([row(i) for i in range(101)]), SHEET, _with_dimension("A1:AA3")
    )
    assert b'<dimension ref="A1:AA3"/>' in readers.zipfile.ZipFile(
        readers.io.BytesIO(content)
    ).read(SHEET)
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, content, name="p.xlsx")
    assert batch.status == Status.ACCEPTED, batch.report
    assert (batch.rows_read, batch.rows_created) == (101, 101)


def test_a_one_cell_dimension_tag_hides_no_column(cast, monitoring):
    content = rewrite_member(xlsx_bytes([row(i) for i in range(5)]), SHEET, _with_dimension("A1"))
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, content, name="p.xlsx")
    assert batch.status == Status.ACCEPTED, batch.report
    assert "colonna obbligatoria mancante" not in _reasons(batch)
    assert ParticipantRecord.objects.count() == 5


# --- XLSX: decompression bombs -------------------------------------------------------------


def _bomb(spaces: int) -> bytes:
    """A small workbook whose sheet holds `spaces` bytes of whitespace between two cells."""

    def change(xml: bytes) -> bytes:
        return xml.replace(b"</row>", b"</row>" + b" " * spaces, 1)

    return rewrite_member(xlsx_bytes([row(1)]), SHEET, change)


def test_a_decompression_bomb_is_refused_before_parsing(cast, monitoring):
    content = _bomb(200 * 1024 * 1024)
    assert len(content) < 1024 * 1024  # a small upload that expands 200 MiB
    tracemalloc.start()
    try:
        batch = upload(
            cast.toscana_officer, monitoring.toscana_intervention, content, name="p.xlsx"
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert batch.status == Status.REJECTED
    assert "bomba di decompressione" in _reasons(batch)
    assert "compresso" in _reasons(batch) and SHEET in _reasons(batch)
    assert peak < 50 * 1024 * 1024  # nothing of the 200 MiB was held


def test_a_long_unmarked_run_is_refused_whatever_its_ratio(cast, monitoring, monkeypatch):
    monkeypatch.setattr(readers, "XLSX_MAX_TEXT_RUN", 64 * 1024)
    batch = upload(
        cast.toscana_officer, monitoring.toscana_intervention, _bomb(100 * 1024), name="p.xlsx"
    )
    assert batch.status == Status.REJECTED
    assert "senza marcatura" in _reasons(batch)


def test_a_workbook_expanding_beyond_the_total_bound_is_refused(cast, monitoring, monkeypatch):
    monkeypatch.setattr(readers, "XLSX_MAX_UNCOMPRESSED", 4096)
    batch = upload(
        cast.toscana_officer,
        monitoring.toscana_intervention,
        xlsx_bytes([row(i) for i in range(50)]),
        name="p.xlsx",
    )
    assert batch.status == Status.REJECTED
    assert "si espande" in _reasons(batch)


# --- CSV: the real problem, on its row -----------------------------------------------------


def test_a_nul_byte_is_named_on_its_row(cast, monitoring):
    content = csv_bytes([row(i) for i in range(60)])
    lines = content.split(b"\r\n")
    lines[50] = lines[50].replace(b";", b";\x00", 1)  # row 51 (the header is row 1)
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, b"\r\n".join(lines))
    assert batch.status == Status.REJECTED
    assert [(r, reason) for r, _c, _v, reason in batch.report if "NUL" in reason] == [
        (51, batch.report[-1][3])
    ]
    assert "UTF-16" not in _reasons(batch)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8, "binari"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binari"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), ".xls"),
        ("codice_fiscale;genere\r\nX;F\r\n".encode("utf-16-le"), "UTF-16"),
    ],
    ids=["pdf", "png", "xls", "utf-16-without-bom"],
)
def test_a_binary_file_is_called_what_it_is(cast, monitoring, content, expected):
    batch = upload(cast.toscana_officer, monitoring.toscana_intervention, content)
    assert batch.status == Status.REJECTED
    assert expected in _reasons(batch), batch.report
    if expected != "UTF-16":
        assert "UTF-16" not in _reasons(batch)


# --- Replace: no drastic shrinking without confirmation ------------------------------------


def test_a_replace_that_loses_most_records_needs_confirmation(cast, monitoring):
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(100)]))
    short = csv_bytes([row(i) for i in range(2)])
    refused = upload(cast.toscana_officer, intervention, short)
    assert refused.status == Status.REJECTED
    assert "100" in _reasons(refused) and "confermando la riduzione" in _reasons(refused)
    assert ParticipantRecord.objects.count() == 100
    confirmed = upload(cast.toscana_officer, intervention, short, confirm_shrink=True)
    assert confirmed.status == Status.ACCEPTED, confirmed.report
    assert ParticipantRecord.objects.count() == 2


@pytest.mark.parametrize(("before", "after"), [(100, 50), (10, 1), (0, 3)])
def test_ordinary_replacements_need_no_confirmation(cast, monitoring, before, after):
    intervention = monitoring.toscana_intervention
    if before:
        upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(before)]))
    batch = upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(after)]))
    assert batch.status == Status.ACCEPTED, batch.report
    assert ParticipantRecord.objects.count() == after


def test_the_portal_form_and_the_api_carry_the_confirmation(client, cast, monitoring):
    intervention = monitoring.toscana_intervention
    client.force_login(cast.toscana_officer)
    page = client.get(reverse("monitoring:intervention_detail", args=[intervention.pk]))
    assert 'name="confirm_shrink"' in page.content.decode()
    client.post(
        reverse("monitoring:batch_upload", args=[intervention.pk]),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row(1)])), "mode": "replace"},
    )
    client.post(
        reverse("monitoring:batch_upload", args=[intervention.pk]),
        {
            "file": SimpleUploadedFile("p.csv", csv_bytes([row(2)])),
            "mode": "replace",
            "confirm_shrink": "on",
        },
    )
    answer = client.post(
        reverse("api:monitoring_upload", args=[intervention.pk]),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([row(3)])), "confirm_shrink": "true"},
        headers=bearer(cast.toscana_officer),
    )
    assert answer.status_code == 202, answer.content
    assert list(ImportBatch.objects.order_by("pk").values_list("confirm_shrink", flat=True)) == [
        False,
        True,
        True,
    ]
