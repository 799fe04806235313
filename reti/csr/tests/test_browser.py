"""The company's path in a real browser: register a company, assess, submit."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.registry.demo.taxcodes import entity_code

from .. import actions
from ..models import Company, CsrAssessment
from .factories import PDF

pytestmark = pytest.mark.browser
PASSWORD = "test-password-1"  # the factories' password


def _log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_a_company_registers_assesses_and_submits(page, cast, csr, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    vat = entity_code(810_001)
    _log_in(page, cast.outsider.username)
    page.goto(reverse("csr:company_register"))
    assert_accessible(page)
    page.get_by_label("Ragione sociale").fill("Laboratorio del browser srl")
    page.get_by_label("Partita IVA").fill(vat)
    page.get_by_label("Forma giuridica").select_option("srl")
    page.get_by_label("Attività prevalente (ATECO 2025)").select_option("62.10.00")
    page.get_by_label("Occupati (ULA)").fill("12")
    page.get_by_label("Fatturato annuo (euro)").fill("1800000")
    page.get_by_label("Totale di bilancio annuo (euro)").fill("1200000")
    page.get_by_label("Regione della sede legale").select_option(label="Toscana")
    page.get_by_label("Indirizzo della sede legale").fill("Via dei Test 1, Firenze")
    page.get_by_label("Legale rappresentante").fill("Giulia Verdi")
    page.get_by_label("Il tuo ruolo nell'impresa").fill("Amministratrice")
    page.locator("#register").click()
    expect(page.locator("#messages")).to_contain_text("Impresa registrata")

    company = Company.objects.get(organisation__vat_number=vat)
    assert company.size_class == "small"
    # The region's officer verifies the claim (their page is tested in test_views.py).
    actions.verify_claim(cast.toscana_officer, company.claims.get())

    page.goto(reverse("csr:company_detail", args=[company.pk]))
    assert_accessible(page)
    page.locator("#start").click()
    expect(page.locator("#scoring-form")).to_be_visible()
    assert_accessible(page)
    csr_row = CsrAssessment.objects.get(company=company)
    # Most answers given earlier (saved and resumed); the last ones from the keyboard here.
    answers = csr.answers(company)
    for code in ("A1.1", "REQ-SAFETY"):
        answers.pop(code)
    for item in answers.values():  # documents are PDFs uploaded, as the one below
        item["evidence"] = [e for e in item["evidence"] if e["kind"] != "document"]
    code_of_ethics = SimpleUploadedFile("codice.pdf", PDF, content_type="application/pdf")
    actions.save_answers(cast.outsider, csr_row, answers, {"REQ-CODE": code_of_ethics})
    page.reload()

    first = page.locator("#criterion-A1\\.1 input[type=radio]").first
    first.focus()
    page.keyboard.press("ArrowDown")  # "planned"
    page.locator("#id_j-A1\\.1").fill("Valori scritti, non ancora condivisi.")
    page.locator("#criterion-REQ-SAFETY input[value=true]").focus()
    page.keyboard.press("Space")
    page.locator("#id_j-REQ-SAFETY").fill("DVR aggiornato.")
    page.set_input_files(
        "#id_f-REQ-SAFETY",
        files=[{"name": "dvr.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("#save").click()
    expect(page.locator("#messages")).to_contain_text("Bozza salvata")
    expect(page.locator("#criterion-REQ-SAFETY .evidence")).to_contain_text("dvr.pdf")

    page.locator("#submit").click()
    expect(page.locator("#state")).to_contain_text("Inviata")
    expect(page.locator("#areas-table")).to_be_visible()
    assert_accessible(page)
    csr_row.refresh_from_db()
    assert csr_row.state == "submitted"
    assert csr_row.assessment.answers["A1.1"]["value"] == "planned"
