"""The portal in a real browser: Bootstrap Italia loads under the CSP, the language switches."""

import re

import pytest
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.registry.tests import factories as f

pytestmark = pytest.mark.browser


def test_home_in_italian_then_english_then_login(page):
    """Home (it), the switch to English, the portal's login; WCAG 2.1 AA on each."""
    f.NetworkFactory.create_batch(2)
    f.ProjectFactory.create_batch(3)
    page.goto("/it/")

    expect(page.get_by_role("heading", level=1, name="Reti")).to_be_visible()
    expect(page.locator('[data-count="networks"]')).to_have_text("2")
    expect(page.locator('[data-count="projects"]')).to_have_text("3")
    expect(page.get_by_text("Reti è il sistema informativo")).to_be_visible()
    # Bootstrap Italia's fonts come from our static files (vendor/bootstrap-italia/css/fonts.css).
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
    assert_accessible(page)

    page.get_by_role("button", name="EN English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Reti is the information system")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/area-personale/accedi/\?next=/en/$"))
    expect(page.get_by_label("Username")).to_be_visible()
    assert_accessible(page)


def test_history_page_is_accessible(page):
    network = f.NetworkFactory(name_it="Rete con storico")
    network.name_it = "Rete con storico rivisto"
    network.save()
    page.goto(f"/it/registro/reti/{network.pk}/storia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Storico delle modifiche")
    expect(page.get_by_role("table")).to_contain_text("Rete con storico rivisto")
    assert_accessible(page)
