"""Networks and projects in a real browser: filter, download what the list shows, accessibility."""

import csv
import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.registry.presentation import load_presentation
from reti.registry.territories import load_territories

pytestmark = pytest.mark.browser


def url(name: str, *args) -> str:
    with translation.override("it"):
        return reverse(name, args=args)


@pytest.fixture
def facts(transactional_db):
    """The presentation's facts, committed so that the live server sees them."""
    load_territories()
    load_presentation()


def test_filter_projects_to_2007_2013_and_download_the_csv(page, facts, tmp_path):
    page.goto(url("portal:project_list"))
    expect(page.locator("#project-table tbody tr")).to_have_count(3)
    assert_accessible(page)

    page.get_by_label("Periodo di programmazione").select_option("2007-2013")
    page.get_by_role("button", name="Filtra").click()
    # Only the filter in use goes in the shareable URL (registry-filters.js drops empty ones).
    expect(page).to_have_url(
        re.compile(re.escape(url("portal:project_list")) + r"\?period=2007-2013$")
    )
    rows = page.locator("#project-table tbody tr")
    expect(rows).to_have_count(2)
    shown = [rows.nth(i).get_attribute("data-id") for i in range(2)]
    titles = page.locator("#project-table tbody th").all_inner_texts()
    assert any(t.startswith("Oltre il Confine") for t in titles)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^CSV \(Excel\)")).click()
    download = download_info.value
    assert download.suggested_filename == "progetti.csv"
    path = tmp_path / "progetti.csv"
    download.save_as(path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        downloaded = list(csv.DictReader(file, delimiter=";"))
    assert [row["id"] for row in downloaded] == shown
    assert {row["periodo"] for row in downloaded} == {"2007-2013"}
    assert "Oltre il Confine" in {row["titolo"] for row in downloaded}


def test_network_page_is_accessible(page, facts):
    page.goto(url("portal:network_detail", "esfconet"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rete ESFCoNet")
    expect(page.locator("#presidency")).to_contain_text("Finlandia")
    assert_accessible(page)
    page.get_by_role("link", name="EARLALL").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("EARLALL")
