"""The map of Italy and an organisation's page in a real browser: WCAG 2.1 AA, keyboard."""

import pytest
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.registry.models import Organisation, Partnership, Territory
from reti.registry.territories import load_territories
from reti.registry.tests import factories as f

pytestmark = pytest.mark.browser


def test_map_is_accessible_and_a_region_is_reached_by_keyboard(page):
    load_territories()
    toscana = f.OrganisationFactory(
        name_it="Regione di prova in Toscana", territory=Territory.objects.get(code="09")
    )
    Partnership.objects.create(project=f.ProjectFactory(), organisation=toscana, role="lead")

    page.goto("/it/territori/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Territori")
    expect(page.locator('#italy-map a[data-region="09"]')).to_have_attribute(
        "aria-label", "Toscana: 1 progetti, 1 partenariati"
    )
    expect(page.locator('#region-table tr[data-region="09"]')).to_contain_text("Toscana")
    assert_accessible(page)

    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#italy-map') !== null"):
            break
    focused = page.evaluate("document.activeElement.getAttribute('data-region')")
    assert focused, "Tab never reached a region of the map"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/it/')[0]}/it/territori/{focused}/")


def test_organisation_page_is_accessible(page):
    ministry = f.OrganisationFactory(name_it="Ministero di prova", kind=Organisation.Kind.MINISTRY)
    unit = f.OrganisationFactory(
        name_it="Dipartimento di prova",
        kind=Organisation.Kind.MINISTRY_DEPARTMENT,
        parent=ministry,
    )
    page.goto(f"/it/organizzazioni/{unit.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dipartimento di prova")
    page.get_by_role("link", name="Ministero di prova").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministero di prova")
    assert_accessible(page)
    page.goto("/it/organizzazioni/?colore=blu")
    expect(page.locator("#unrecognised-filters")).to_contain_text("colore")
    assert_accessible(page)
