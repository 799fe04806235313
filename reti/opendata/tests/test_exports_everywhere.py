"""Every public list, table and analysis of the site downloads at one URL pattern: the page's
own address with `?format=csv|csv-intl|xlsx|json`, and its data dictionary with
`?format=datapackage` (issue 20, "Exports with a dictionary").

The test walks every such page as an anonymous visitor, follows the links the page shows,
and opens each file as a reader would: the Italian CSV (BOM, `;`), the international one,
the XLSX with openpyxl (typed cells, frozen header, the notes sheet with the dictionary), the
JSON; the header of each is the dictionary's fields, the international CSV is valid against
the dictionary's Table Schema (frictionless), and no text cell can run as a formula. A last
test reads every template with a table: one that offers no download says why here.
"""

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from frictionless import Resource
from openpyxl import load_workbook

import reti
from reti.communities.models import Community
from reti.events.tests.factories import EventFactory
from reti.grids.actions import load_catalogue
from reti.lib.tabular import cells
from reti.opendata.registry import datasets
from reti.registry.models import Network
from reti.registry.search import rebuild_index

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "csv-intl", "xlsx", "json", "datapackage")
RISKY_NAME = '=HYPERLINK("http://example.invalid","prova")'
LINK = re.compile(r'href="([^"]+)" download id="download-([a-z-]+)"')
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


@dataclass(frozen=True)
class Page:
    """A public page with a table: its URL name, the record it is about, its query."""

    name: str
    args: tuple = ()
    query: tuple = ()


PAGES = (
    # Portal and registry
    Page("portal:network_list"),
    Page("portal:project_list"),
    Page("portal:organisation_list"),
    Page("portal:timeline"),
    Page("portal:territory_map"),
    Page("portal:search", query=(("q", "prova"),)),
    # Knowledge
    Page("knowledge:practice_list"),
    Page("knowledge:outcomes"),
    # Events and communities
    Page("events:list"),
    Page("communities:list"),
    # Monitoring: the public analyses, and the interventions
    Page("monitoring:intervention_list"),
    Page("monitoring:indicators"),
    Page("monitoring:indicators", query=(("regione", "09"),)),
    Page("monitoring:comparison", query=(("tasso", "employed_6m"),)),
    Page("monitoring:homogeneity"),
    # Grants and grids: the public calls, a published ranking, the published grids
    Page("grants:call_list"),
    Page("grants:ranking_public", ("call_code",)),
    Page("grids:grid_list"),
    # Open data: the list of datasets, and each dataset
    Page("opendata:list"),
)


@pytest.fixture
def world(cast, published_data, three_regions):
    """The cast's records, a network whose name is a formula, a published ranking, an event,
    the grid catalogue, and a monitoring snapshot with cells to hide."""
    Network.objects.filter(pk=cast.network.pk).update(name_it=RISKY_NAME)
    EventFactory(network=cast.network, title_it=RISKY_NAME)
    load_catalogue()
    Community.objects.create(
        slug="comunita-prova", name_it=RISKY_NAME, network=cast.network, is_public=True
    )
    rebuild_index()
    from reti.grants.models import RankingRun

    run = RankingRun.objects.exclude(published_at=None).select_related("call").get()
    return {"call_code": run.call.code}


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _url(page: Page, world) -> str:
    return reverse(page.name, args=[world[key] for key in page.args])


def _links(client, url: str, query: dict) -> dict[str, str]:
    response = client.get(url, query)
    assert response.status_code == 200, url
    found = {fmt: html.unescape(href) for href, fmt in LINK.findall(response.content.decode())}
    assert set(found) == set(FORMATS), (url, sorted(found))
    return found


def _get(client, href: str) -> bytes:
    response = client.get(href)
    assert response.status_code == 200, href
    return _body(response)


def _no_formula(rows: list[list[str]], where: str) -> None:
    for row in rows:
        for value in row:
            assert not cells.risky(value) or NUMBER.match(value), (where, value)


def check_page(client, url: str, query: dict, tmp_path) -> dict:
    """Download every format of the page at `url` and check it; return what was read."""
    links = _links(client, url, query)
    package = json.loads(_get(client, links["datapackage"]))
    international, italian = package["resources"]
    names = [field["name"] for field in international["schema"]["fields"]]
    assert names == [field["name"] for field in italian["schema"]["fields"]]

    excel = _get(client, links["csv"]).decode("utf-8")
    assert excel.startswith("\ufeff"), url
    excel_rows = list(csv.reader(io.StringIO(excel[1:]), delimiter=";"))
    assert excel_rows[0] == names, url
    _no_formula(excel_rows[1:], f"{url} csv")

    data = _get(client, links["csv-intl"])
    intl_rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert intl_rows[0] == names, url
    assert len(intl_rows) == len(excel_rows), url
    _no_formula(intl_rows[1:], f"{url} csv-intl")
    (tmp_path / "download.csv").write_bytes(data)
    resource = dict(international, path="download.csv")
    report = Resource(resource, basepath=str(tmp_path)).validate()
    assert report.valid, (url, report.flatten(["rowNumber", "fieldName", "type", "note"]))

    book = load_workbook(io.BytesIO(_get(client, links["xlsx"])))
    sheet, notes = book.worksheets
    assert sheet.freeze_panes == "A2", url
    table = list(sheet.iter_rows())
    assert [cell.value for cell in table[0]] == names, url
    fields = [row[0] for row in notes.iter_rows(values_only=True)]
    assert fields[-len(names) :] == names, "the notes sheet lists the dictionary"
    types = [field["type"] for field in international["schema"]["fields"]]
    for row in table[1:]:
        for kind, cell in zip(types, row, strict=True):
            assert cell.data_type != "f", (url, cell.value)
            if cell.value is None:
                continue
            if kind in ("integer", "number"):
                assert isinstance(cell.value, int | float), (url, kind, cell.value)
            elif kind == "string" and cells.risky(str(cell.value)):
                assert cell.quotePrefix, (url, cell.value)
    assert len(table) == len(excel_rows), url

    document = json.loads(_get(client, links["json"]))
    assert len(document["righe"]) == len(excel_rows) - 1, url
    assert all(list(row) == names for row in document["righe"]), url
    return {"csv": excel_rows, "xlsx": table, "json": document["righe"]}


def test_every_public_table_downloads_in_every_format_with_its_dictionary(client, world, tmp_path):
    """One world, every page (and every dataset's page) in turn."""
    walked = [(page.name, _url(page, world), dict(page.query)) for page in PAGES]
    walked += [
        ("opendata:detail", reverse("opendata:detail", args=[d.code]), {}) for d in datasets()
    ]
    empty = set()
    for name, url, query in walked:
        read = check_page(client, url, query, tmp_path)
        if not read["csv"][1:]:
            empty.add(name)
    # Pages whose table this world leaves empty (their header, formats and dictionary are
    # still checked above): a practice's transfers need a second organisation's adoption.
    assert empty <= {"knowledge:outcomes"}, empty


def test_a_name_that_is_a_formula_is_text_in_every_format(client, world, tmp_path):
    read = check_page(client, reverse("portal:network_list"), {}, tmp_path)
    column = read["csv"][0].index("nome")
    assert "'" + RISKY_NAME in [row[column] for row in read["csv"][1:]]
    cell = next(row[column] for row in read["xlsx"][1:] if row[column].value == RISKY_NAME)
    assert cell.data_type == "s" and cell.quotePrefix
    assert RISKY_NAME in [row["nome"] for row in read["json"]]  # JSON is read by programs


def test_the_dictionary_keeps_the_filters_of_the_page(client, world):
    url = reverse("monitoring:indicators")
    links = _links(client, url, {"regione": "09"})
    package = json.loads(_get(client, links["datapackage"]))
    assert package["filters"] == {"regione": "09"}
    assert all("regione=09" in r["path"] for r in package["resources"])


# Templates with a table that offer no download, and why. A template leaves this list when
# it gains one (the test below fails until it does: the list cannot go stale).
NOT_DOWNLOADED = {
    # Private pages: a person's own data (their account, registrations, applications, grants,
    # assessments) or an officer's working pages, never public lists.
    **dict.fromkeys(
        (
            "accounts/account.html",
            "accounts/erased.html",
            "accounts/my_data.html",
            "accounts/security.html",
            "csr/company_detail.html",
            "csr/prize_manage.html",
            "csr/validation_queue.html",
            "csr/includes/result.html",
            "events/includes/account_registrations.html",
            "events/includes/outputs.html",
            "grants/application_mine.html",
            "grants/management/grant_detail.html",
            "grants/management/grant_list.html",
            "grants/management/report_detail.html",
            "grants/management/report_verify.html",
            "grants/officer/application_review.html",
            "grids/assessment_sheet.html",
            "grids/committee_detail.html",
            "grids/my_assignments.html",
            "identity/includes/account_identities.html",
            "knowledge/includes/organisation_transfers.html",
            "monitoring/analytics/dashboard.html",
            "monitoring/batch_detail.html",
            "monitoring/intervention_detail.html",
        ),
        "not public: a person's own data or an authorised user's working page",
    ),
    # PDF templates: the report is the download.
    **dict.fromkeys(
        (
            "csr/pdf/attestation.html",
            "csr/pdf/result.html",
            "grants/pdf/ranking.html",
            "monitoring/pdf/region_indicators.html",
            "portal/pdf/network_dossier.html",
        ),
        "the PDF report itself; its figures download from the page it comes from",
    ),
    # One record's page: its parts belong to the record; the lists download the records.
    **dict.fromkeys(
        (
            "csr/prize_edition.html",
            "events/detail.html",
            "grants/call_detail.html",
            "grants/ranking/run.html",
            "knowledge/practice_detail.html",
            "portal/history.html",
            "portal/organisations/detail.html",
            "portal/organisations/record.html",
        ),
        "one record's parts: the record downloads in its list (and its dataset)",
    ),
    "csr/network.html": "a summary of lists that download: the facilitations "
    "(csr:facilitation_list) and the attestations' dataset (attestazioni-rsi)",
    "grants/instrument/figures.html": "included by grants/instrument/report.html, whose "
    "figures download",
    "grants/instrument/overview.html": "the global grants side by side, each linking to its "
    "report, whose figures download",
    "events/calendar.html": "a month's grid of the events that events:list downloads",
    "grants/includes/call_table.html": "included by grants/call_list.html, which downloads",
    "grants/ranking/entries.html": "included by grants/ranking/public.html, which downloads",
    "knowledge/includes/practice_table.html": "included by lists that download",
    "monitoring/specification.html": "the dictionary of the import template, whose own "
    "download (monitoring:template) has ?format=datapackage",
    "portal/graph/tables.html": "the graph's nodes and links: portal:graph_data (JSON)",
}


def test_every_template_with_a_table_downloads_or_says_why():
    root = Path(reti.__file__).parent
    missing, stale = [], []
    for path in sorted(root.glob("*/templates/**/*.html")) + sorted(
        root.glob("templates/**/*.html")
    ):
        name = str(path).split("/templates/", 1)[1]
        text = path.read_text()
        if "<table" not in text:
            continue
        offers = "tabular/downloads.html" in text
        if not offers and name not in NOT_DOWNLOADED:
            missing.append(name)
        if offers and name in NOT_DOWNLOADED:
            stale.append(name)
    assert missing == [], (
        f"a public table without downloads: list it in PAGES, or say why: {missing}"
    )
    assert stale == []
