"""The account area in a real browser: an auditor signs in through the form and reaches a
monitoring dashboard; every account page meets WCAG 2.1 AA, in Italian and in English."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.monitoring import synthetic
from reti.monitoring.analytics.snapshot import _current
from reti.monitoring.tests import factories as mf

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def snapshot(settings, tmp_path):
    """A small synthetic analytics snapshot over the 21 regions."""
    settings.MONITORING_SNAPSHOT_DIR = tmp_path / "snapshot"
    _current.clear()
    synthetic.write_snapshot(settings.MONITORING_SNAPSHOT_DIR, None, 5_000, seed=3)
    yield
    _current.clear()


def test_an_auditor_signs_in_through_the_form_and_reaches_the_dashboard(page, db, snapshot):
    auditor = mf.auditor()
    auditor.first_name, auditor.last_name = "Anna", "Revisori"
    auditor.save()
    dashboard = reverse("monitoring:dashboard")

    # Anonymous, the dashboard says what it holds and links to the portal's sign-in, which
    # keeps where to go next.
    page.goto(dashboard)
    page.locator("#access-needed").get_by_role("link", name="Accedi", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login")) + r"\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accedi a Reti")
    assert_accessible(page)

    page.get_by_label("Nome utente").fill(auditor.username)
    page.get_by_label("Password").fill("non-la-password")
    page.get_by_role("button", name="Accedi", exact=True).click()
    expect(page.locator("#form-errors")).to_contain_text("password corretti")
    assert_accessible(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(dashboard) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cruscotto degli indicatori")
    expect(page.locator("#dashboard-table")).to_contain_text("EECO01")
    expect(page.locator("#account-link")).to_contain_text("Anna Revisori")

    # Their page says what they are; sign-out is the header's button.
    page.locator("#account-link").click()
    expect(page.locator("#auditor")).to_contain_text("Revisore")
    assert_accessible(page)
    page.get_by_role("button", name="Esci").click()
    expect(page).to_have_url(re.compile(r"/it/$"))
    expect(page.get_by_role("link", name="Accedi")).to_be_visible()


def test_account_pages_are_accessible_in_both_languages(page, cast):
    page.goto(reverse("accounts:password_reset"))
    assert_accessible(page)
    page.get_by_label("Email").fill(cast.viewer.email)
    page.get_by_role("button", name="Invia il collegamento").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlla la posta")
    assert_accessible(page)

    page.goto("/en/area-personale/accedi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Reti")
    page.get_by_label("Username").fill(cast.viewer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/area-personale/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.locator("#memberships")).to_contain_text("Read only")
    assert_accessible(page)

    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Old password").fill("wrong")
    page.get_by_role("button", name="Change your password").click()
    expect(page.locator("#id_old_password_error")).to_be_visible()
    assert_accessible(page)


def test_the_lockout_page_is_accessible(page, cast):
    login = reverse("accounts:login")
    # Chromium logs a 429 document as a failed resource (a console error): the page is served
    # to the browser as it is, with the status turned into 200 once its own has been checked.
    statuses = []

    def keep_status(route):
        response = route.fetch()
        statuses.append(response.status)
        route.fulfill(response=response, status=200)

    page.route(f"**{login}", keep_status)
    page.goto(login)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Nome utente").fill(cast.viewer.username)
        page.get_by_label("Password").fill("indovina")
        page.get_by_role("button", name="Accedi", exact=True).click()
    expect(page.locator("#locked-out")).to_contain_text("Riprova tra 15 minuti")
    assert statuses[-1] == 429
    assert_accessible(page)
