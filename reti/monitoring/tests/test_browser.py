"""The officer's journey in a real browser: template, a file with errors, the report, the fix."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.monitoring.models import ParticipantRecord

from .importing_helpers import csv_bytes, row

pytestmark = pytest.mark.browser
PASSWORD = "test-password-1"  # the factories' password


def _log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/it/admin/login/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def _upload(page, content: bytes) -> None:
    page.locator("#id_file").set_input_files(
        {"name": "partecipanti.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.locator("#upload-submit").click()


def test_officer_downloads_template_fixes_errors_and_sees_records(page, cast, monitoring, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    intervention = monitoring.toscana_intervention
    _log_in(page, "toscana")
    page.goto(reverse("monitoring:intervention_detail", args=[intervention.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(intervention.title_it)
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("#template-csv").click()
    template = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert template.startswith("codice_fiscale;genere;")

    # A file with a wrong gender on row 3: rejected, nothing stored, row and column named.
    _upload(page, csv_bytes([row(1), row(2, genere="Z")]))
    expect(page.locator("#batch-result")).to_contain_text("Respinto")
    report = page.locator("#report")
    expect(report).to_contain_text("genere")
    expect(report.locator("tbody tr").first.locator("td").first).to_have_text("3")
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#report-download").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("3;genere;Z;")
    assert not ParticipantRecord.objects.exists()

    # The corrected file is accepted and the records are counted.
    page.goto(reverse("monitoring:intervention_detail", args=[intervention.pk]))
    _upload(page, csv_bytes([row(1), row(2)]))
    expect(page.locator("#batch-result")).to_contain_text("2 record creati")
    page.get_by_role("link", name=intervention.code).first.click()
    expect(page.locator("#participant-count")).to_contain_text("2 partecipanti")
    assert_accessible(page)


def test_another_region_sees_no_participant_data(page, cast, monitoring):
    _log_in(page, "lazio")
    page.goto(reverse("monitoring:intervention_detail", args=[monitoring.toscana_intervention.pk]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#participant-count")).to_have_count(0)
    expect(page.locator("#upload-form")).to_have_count(0)
    page.goto(reverse("monitoring:intervention_list"))
    expect(page.locator("#interventions")).to_contain_text("TOS-001")
    assert_accessible(page)
