"""Downloads of the registry's lists: every filtered row in the site's dialect, formulas
escaped in CSV and XLSX, and the old download addresses still working."""

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from reti.lib.tests import downloads
from reti.registry.models import Organisation, Territory
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example","click")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
CMD = "+cmd|' /C calc'!A0"
ARITHMETIC = "-2+3"


def url(name: str, *args) -> str:
    with translation.override("it"):
        return reverse(name, args=args)


def _sheet(response):
    sheet = downloads.workbook(response).worksheets[0]
    assert sheet.freeze_panes == "A2"
    return sheet


def _cells(sheet, header: str) -> dict:
    """The column's cells by value."""
    column = [cell.value for cell in sheet[1]].index(header)
    return {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}


@pytest.fixture
def toscana_organisations(presentation):
    """60 organisations in Toscana's municipalities (one named with a formula) and one in Lazio."""
    toscana = Territory.objects.get(code="09")
    places = list(Territory.objects.filter(parent__parent=toscana)[:3]) or [toscana]
    for n in range(59):
        f.OrganisationFactory(name_it=f"Associazione toscana {n:02d}", territory=places[n % 3])
    f.OrganisationFactory(name_it=HYPERLINK, territory=places[0])
    f.OrganisationFactory(name_it=SUM, territory=Territory.objects.get(code="12"))
    return toscana


def test_organisations_in_toscana_download_every_row_not_the_page(client, toscana_organisations):
    in_toscana = Organisation.objects.filter(
        Q(territory__code="09") | Q(territory__parent__code="09")
        | Q(territory__parent__parent__code="09")
    )  # fmt: skip
    page = client.get(url("portal:organisation_list"), {"territory": "09"}).content.decode()
    assert 'rel="next"' in page  # the page shows the first 50
    response = client.get(url("portal:organisation_list"), {"territory": "09", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="organizzazioni.csv"'
    rows = downloads.csv_rows(response)  # checks the BOM
    assert list(rows[0])[:3] == ["id", "nome", "nome_en"]  # Italian headers, `;`-separated
    assert len(rows) == in_toscana.count() > 60
    assert {int(row["id"]) for row in rows} == set(in_toscana.values_list("pk", flat=True))
    names = [row["nome"] for row in rows]
    assert "'" + HYPERLINK in names
    assert not any(name.endswith(SUM) for name in names)  # Lazio's stays out


def test_organisation_names_with_formulas_are_escaped_in_xlsx(client, toscana_organisations):
    response = client.get(url("portal:organisation_list"), {"territory": "09", "format": "xlsx"})
    sheet = _sheet(response)
    cell = _cells(sheet, "nome")[HYPERLINK]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    ids = _cells(sheet, "id")
    assert all(cell.data_type == "n" for cell in ids.values())


def test_a_download_with_a_filter_the_page_dropped_is_refused(client, presentation):
    page = client.get(url("portal:organisation_list"), {"territory": "XX"}).content.decode()
    assert f'href="{url("portal:organisation_list")}?format=csv"' in page
    response = client.get(url("portal:organisation_list"), {"territory": "XX", "format": "csv"})
    assert response.status_code == 400
    assert "territory=XX" in response.content.decode()


def test_network_names_with_formulas_are_escaped(client, presentation):
    f.NetworkFactory(name_it=SUM, name_en=ARITHMETIC)
    response = client.get(url("portal:network_list"), {"format": "csv"})
    row = next(row for row in downloads.csv_rows(response) if row["nome"].endswith(SUM))
    assert (row["nome"], row["nome_en"]) == ("'" + SUM, "'" + ARITHMETIC)
    assert row["id"].isdigit()
    response = client.get(url("portal:network_list"), {"format": "xlsx"})
    cell = _cells(_sheet(response), "nome")[SUM]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_project_titles_with_formulas_are_escaped(client, presentation):
    f.ProjectFactory(title_it=CMD, title_en=HYPERLINK, declared_partner_count=3)
    response = client.get(url("portal:project_list"), {"format": "csv"})
    row = next(row for row in downloads.csv_rows(response) if row["titolo"].endswith(CMD))
    assert (row["titolo"], row["titolo_en"]) == ("'" + CMD, "'" + HYPERLINK)
    assert row["partner_dichiarati"] == "3"
    response = client.get(url("portal:project_list"), {"format": "xlsx"})
    sheet = _sheet(response)
    cell = _cells(sheet, "titolo")[CMD]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    partners = _cells(sheet, "partner_dichiarati")
    assert partners[3].data_type == "n"
    intl = client.get(url("portal:project_list"), {"format": "csv-intl"})
    assert any(row["titolo"] == "'" + CMD for row in downloads.intl_rows(intl))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("portal:network_download", "portal:network_list"),
        ("portal:project_download", "portal:project_list"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_old_download_addresses_redirect_to_the_list(client, old, new, fmt):
    response = client.get(url(old, fmt), {"period": "2007-2013"})
    assert response.status_code == 301
    assert response["Location"] == f"{url(new)}?period=2007-2013&format={fmt}"


def test_an_unknown_format_is_refused(client, presentation):
    response = client.get(url("portal:network_list"), {"format": "pdf"})
    assert response.status_code == 400
    assert "csv, csv-intl, xlsx, json" in response.content.decode()
