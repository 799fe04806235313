"""The application form in Chromium, on a phone's width, with the keyboard: autosave, save."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible

pytestmark = pytest.mark.browser


def _sign_in(page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_the_form_on_a_phone_autosaves_and_saves_from_the_keyboard(
    page, live_server, draft_a, grants
):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, grants.applicant_a, live_server)
    page.goto(reverse("grants:application_edit", args=[draft_a.pk]))
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    expect(page.locator("#problems")).to_contain_text("Statuto dell'ente")

    page.locator("#id_summary").fill("Scritta al telefono")
    expect(page.locator("#autosave-status")).to_have_text(
        "Bozza salvata automaticamente", timeout=10_000
    )
    draft_a.refresh_from_db()
    assert draft_a.summary == "Scritta al telefono"

    page.locator("#id_objectives").fill("Obiettivi scritti con la tastiera")
    page.locator("#save").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Bozza salvata.")
    draft_a.refresh_from_db()
    assert draft_a.objectives == "Obiettivi scritti con la tastiera"


def test_the_grant_page_is_accessible_and_the_manager_approves_from_it(
    page, live_server, management
):
    from reti.grants import actions
    from reti.grants.models import Payment

    from .conftest import active

    m = management
    grant = active(m)
    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="Polizza")
    _sign_in(page, m.manager, live_server)
    page.goto(reverse("grants:grant_detail", args=[grant.pk]))
    assert_accessible(page)
    expect(page.locator('[data-figure="granted"]')).to_have_text("8.000,00")
    page.locator(f"#payment-{payment.pk} button").click()
    expect(page.locator("#messages")).to_contain_text("Erogazione approvata.")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED and payment.approved_by == m.manager


def test_the_officer_examines_an_application_with_the_keyboard(
    page, live_server, submitted_a, grants, after_deadline
):
    _sign_in(page, grants.officer, live_server)
    page.goto(reverse("grants:officer_applications", args=[grants.call.code]))
    assert_accessible(page)
    page.locator("#f-outcome").select_option("pending")
    page.locator("#application-filters button[type=submit]").press("Enter")
    expect(page.locator("#application-count")).to_have_text("1 domanda")
    page.locator("#applications a").first.click()

    assert_accessible(page)
    for code in ("DOC-ATTACHMENTS", "DOC-GRANT", "DOC-COFINANCING", "DOC-BUDGET"):
        page.locator(f"#result-{code}").select_option("met")
    page.locator("#save-checks").press("Enter")
    expect(page.locator("#messages")).to_contain_text("Checklist registrata.")
    page.locator("#id_outcome_0").focus()
    page.keyboard.press("Space")
    page.locator("#decide").press("Enter")
    expect(page.locator("#admissibility-outcome")).to_contain_text("Ammissibile")
    assert submitted_a.admissibility.outcome == "admitted"
