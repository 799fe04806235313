"""Search in a real browser: from the home's search box to a network's page."""

import re

import pytest
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.registry.search import rebuild_index
from reti.registry.tests import factories as f

pytestmark = pytest.mark.browser


def test_search_from_home_then_a_typo_then_the_header(page):
    f.NetworkFactory(name_it="Rete ESFCoNet", acronym="ESFCoNet", slug="esfconet")
    f.NetworkFactory(name_it="Rete per l'economia sociale", acronym="RES")
    # Saves index through on_commit; the rebuild also clears what earlier tests left in FTS5.
    rebuild_index()
    page.goto("/it/")
    page.get_by_label("Cerca reti, progetti, organizzazioni, gruppi di lavoro, territori").fill(
        "esfconet"
    )
    page.locator("#home-search").press("Enter")
    expect(page).to_have_url(re.compile(r"/it/cerca/\?q=esfconet"))
    results = page.locator('[data-kind="network"]')
    expect(results.get_by_role("heading", level=2)).to_contain_text("Reti")
    expect(results.get_by_role("link", name="Rete ESFCoNet")).to_be_visible()
    assert_accessible(page)

    page.goto("/it/cerca/?q=ESFCoNte")
    expect(page.locator("#search-suggestion")).to_contain_text("Forse cercavi: ESFCoNet")
    page.locator("#search-suggestion").get_by_role("link").click()
    expect(page.get_by_role("link", name="Rete ESFCoNet")).to_be_visible()
    assert_accessible(page)

    page.locator("#header-search").fill("economia")
    page.locator("#header-search").press("Enter")
    expect(page.get_by_role("link", name="Rete per l'economia sociale")).to_be_visible()


def test_on_a_phone_the_home_search_label_sits_clear_of_its_field(page):
    """Issue 15 §4: at 390 px the floating label's two lines covered the field."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/it/")
    label = page.locator("label[for=home-search]").bounding_box()
    field = page.locator("#home-search").bounding_box()
    assert label["y"] + label["height"] <= field["y"], (label, field)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
