"""The analytics pages in English: headings, forms and tables come from the English catalogue."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reti.monitoring import synthetic
from reti.monitoring.analytics.snapshot import _current

from . import factories as mf

PAGES = {
    "monitoring:indicators": ("Common indicators by region", "Indicatori comuni per regione"),
    "monitoring:comparison": ("A fair comparison of regions", "Confronto equo tra regioni"),
    "monitoring:homogeneity": ("Territorial homogeneity", "Omogeneità territoriale"),
    "monitoring:dashboard": ("Indicator dashboard", "Cruscotto degli indicatori"),
    "monitoring:added_value": ("Added value of an instrument", "Valore aggiunto di uno strumento"),
}
# Words of the pages' menus, forms and tables that must not stay in Italian.
ITALIAN = ("Analisi del monitoraggio", "Scegli ", "Mostra", "Uomini", "Totale", "Fonte")


@pytest.fixture
def national(db):
    _current.clear()
    synthetic.write_snapshot(settings.MONITORING_SNAPSHOT_DIR, None, 3_000, seed=7)
    yield
    _current.clear()


def english(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


@pytest.mark.parametrize("name", PAGES)
def test_each_analytics_page_speaks_english_under_en(client, national, name):
    client.force_login(mf.auditor())
    url = english(name)
    assert url.startswith("/en/")
    page = client.get(url).content.decode()
    heading, italian_heading = PAGES[name]
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", page), heading
    assert italian_heading not in page
    assert "Monitoring analysis" in page  # the analytics menu
    main = page.split('id="main-container"')[1].split("</main>")[0]
    left = [word for word in ITALIAN if word in main]
    assert not left, f"{url}: still in Italian: {left}"


def test_the_indicator_table_and_the_dashboard_tables_have_english_headings(client, national):
    client.force_login(mf.auditor())
    page = client.get(english("monitoring:indicators")).content.decode()
    for text in ("Women", "Men", "Non-binary people", "Total", "Italy", "Choose the indicator"):
        assert text in page, text
    page = client.get(english("monitoring:dashboard")).content.decode()
    for text in ("Indicators by gender", "Targets and achievements", "Filter the indicators"):
        assert text in page, text
    page = client.get(english("monitoring:homogeneity")).content.decode()
    for text in ("Indices by period", "Coeff. of variation", "Theil between macro-areas"):
        assert text in page, text


def test_the_same_pages_stay_italian_under_it(client, national):
    page = client.get(reverse("monitoring:indicators")).content.decode()
    assert "Indicatori comuni per regione" in page and "Common indicators by region" not in page
