"""The analytics pages in a real browser: charts drawn without console errors, WCAG 2.1 AA."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible, browser, page  # noqa: F401
from reti.monitoring import synthetic
from reti.monitoring.analytics.snapshot import _current

pytestmark = pytest.mark.browser
PASSWORD = "test-password-1"  # the factories' password


@pytest.fixture
def national(monitoring):
    """A small synthetic snapshot over the 21 regions."""
    # The portal's header is a cached fragment: one rendered earlier with hashed static URLs
    # would point the live server (plain static names) at files it does not have.
    cache.clear()
    _current.clear()
    synthetic.write_snapshot(settings.MONITORING_SNAPSHOT_DIR, None, 20_000, seed=5)
    yield
    _current.clear()


def _chart_drawn(browser_page, selector="canvas[data-chart]") -> bool:
    return browser_page.evaluate(
        "s => !!(window.Chart && window.Chart.getChart(document.querySelector(s)))", selector
    )


def test_public_pages_draw_their_charts_and_are_accessible(page, national):  # noqa: F811
    page.goto(reverse("monitoring:indicators"))
    expect(page.locator("#indicator-table")).to_contain_text("Lombardia")
    assert _chart_drawn(page)
    assert_accessible(page)
    page.get_by_label("Indicatore", exact=True).select_option("EECR05")
    page.get_by_role("button", name="Mostra").click()
    expect(page).to_have_url(re.compile(r"indicatore=EECR05"))
    expect(page.locator("h2.h4")).to_contain_text("EECR05")

    page.goto(reverse("monitoring:comparison"))
    expect(page.locator("#funnel-table")).to_be_visible()
    assert _chart_drawn(page)
    assert_accessible(page)

    page.goto(reverse("monitoring:homogeneity"))
    expect(page.locator("#indices-table")).to_contain_text("2021-2027")
    assert _chart_drawn(page)
    assert_accessible(page)


def test_an_officer_filters_the_dashboard(page, national, cast):  # noqa: F811
    page.goto("/it/admin/login/")
    page.get_by_label("Nome utente").fill(cast.toscana_officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    page.goto(reverse("monitoring:dashboard"))
    assert _chart_drawn(page)
    assert_accessible(page)
    page.get_by_label("Regione", exact=True).select_option(label="Toscana")
    page.get_by_label("Genere", exact=True).select_option("female")
    page.get_by_role("button", name="Mostra").click()
    expect(page).to_have_url(re.compile(r"regione=09"))
    expect(page.locator("#dashboard-table")).to_contain_text("EECO01")
    assert_accessible(page)
