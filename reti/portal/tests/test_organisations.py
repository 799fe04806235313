"""Organisations: the list with its filters and downloads, and an organisation's page."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from reti.lib.tests import downloads
from reti.registry.models import GoverningRole, Organisation, Territory, WorkingGroup
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name, *args, language="it"):
    with translation.override(language):
        return reverse(name, args=args)


def listed_names(page: str) -> list[str]:
    table = page.split('id="organisation-table"')[1].split("</table>")[0]
    return [
        html.unescape(n)
        for n in re.findall(r'<a href="/\w\w/organizzazioni/\d+/">([^<]+)</a>', table)
    ]


def test_dap_page_shows_its_parent(client, presentation):
    dap = Organisation.objects.get(key="dap")
    page = client.get(url("portal:organisation_detail", dap.pk)).content.decode()
    parent = page[page.index('id="organisation-parent"') :]
    ministry = Organisation.objects.get(key="ministero-giustizia")
    assert url("portal:organisation_detail", ministry.pk) in parent[:300]
    assert "Ministero della Giustizia" in parent[:300]
    assert "slide" in page
    assert reverse("portal:record_history", kwargs={"kind": "organizzazioni", "pk": dap.pk}) in page


def test_ministry_lists_the_dap_among_its_units(client, presentation):
    ministry = Organisation.objects.get(key="ministero-giustizia")
    page = client.get(url("portal:organisation_detail", ministry.pk)).content.decode()
    units = page[page.index('id="organisation-units"') :]
    assert "Dipartimento dell&#x27;Amministrazione Penitenziaria" in units[:500]


def test_toscana_page_shows_roles_partnerships_groups_and_territory(client, presentation):
    toscana = Organisation.objects.get(key="regione-toscana")
    page = client.get(url("portal:organisation_detail", toscana.pk)).content.decode()
    assert url("portal:territory_detail", "09") in page
    assert "Sovvenzione Globale" in page[page.index('id="organisation-partnerships"') :]
    assert 'id="organisation-groups"' in page


def test_an_organisation_s_record_is_kept_yet_every_change_shows_at_once(
    client, presentation, commit_cache_bumps, django_assert_max_num_queries
):
    """The page keeps the organisation's facts, units, roles and groups between visits, in
    each language, and shows at the next visit whatever changed in them; its partnerships
    are read on every visit."""
    toscana = Organisation.objects.get(key="regione-toscana")

    def page(language="it"):
        commit_cache_bumps()  # each change below committed before the visit
        return client.get(url("portal:organisation_detail", toscana.pk, language=language)).content

    def record(content):
        return content.split(b'id="organisation-facts"')[1].split(b'id="partnerships-title"')[0]

    first = record(page())
    page("en")
    # The cached record, the partnerships, the apps' sections (transfers, events, and the
    # CSR attestations a company may hold): one query each, never one per row.
    with django_assert_max_num_queries(7):
        assert record(page()) == first
    assert b"Toscana" in first
    toscana.website = "https://regione.toscana.example/demo"
    toscana.save()
    assert b"https://regione.toscana.example/demo" in page()
    assert b"https://regione.toscana.example/demo" in page("en")
    f.OrganisationFactory(name_it="Ufficio sintetico (demo)", parent=toscana)
    assert b"Ufficio sintetico (demo)" in page()
    network = f.NetworkFactory(name_it="Rete sintetica (demo)", name_en="Synthetic network (demo)")
    role = GoverningRole.objects.create(
        network=network, organisation=toscana, role=GoverningRole.Role.MEMBER
    )
    assert b"Rete sintetica (demo)" in page()
    assert b"Synthetic network (demo)" in page("en")
    network.name_it = "Rete sintetica rinominata (demo)"
    network.save()
    assert b"Rete sintetica rinominata (demo)" in page()
    WorkingGroup.objects.create(
        network=network, title_it="Gruppo sintetico (demo)", programme_year=2026,
        coordinator=toscana,
    )  # fmt: skip
    assert b"Gruppo sintetico (demo)" in page()
    territory = Territory.objects.get(code="09")
    territory.name_it = "Toscana rinominata (demo)"
    territory.save()
    assert b"Toscana rinominata (demo)" in page()
    role.delete()
    assert b"Rete sintetica rinominata (demo)" not in page().split(b"organisation-groups")[0]
    project = f.ProjectFactory(title_it="Progetto appena aggiunto (demo)")
    f.PartnershipFactory(organisation=toscana, project=project, role="partner")
    assert b"Progetto appena aggiunto (demo)" in page()


def test_synthetic_organisation_says_so_and_shows_its_tax_code(client):
    org = f.OrganisationFactory(
        name_it="Cooperativa sintetica", kind="company", tax_code="00743110157"
    )
    page = client.get(url("portal:organisation_detail", org.pk)).content.decode()
    assert "dato sintetico" in page
    assert "00743110157" in page


def test_unknown_organisation_is_404(client):
    assert client.get(url("portal:organisation_detail", 999999)).status_code == 404


def test_list_filters_by_kind_region_and_text(client, presentation):
    response = client.get(url("portal:organisation_list"), {"territory": "09", "kind": "region"})
    assert listed_names(response.content.decode()) == ["Regione Toscana"]
    response = client.get(url("portal:organisation_list"), {"q": "giustizia"})
    names = listed_names(response.content.decode())
    assert "Ministero della Giustizia" in names
    assert all("giustizia" in n.lower() for n in names)


def test_unknown_filter_and_bad_values_are_shown_back(client, presentation):
    response = client.get(
        url("portal:organisation_list"), {"colore": "blu", "territory": "ZZ9", "kind": "castello"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    alert = page[page.index('id="unrecognised-filters"') :][:800]
    assert "colore=blu" in alert
    assert "territory=ZZ9" in alert and "kind=castello" in alert


def test_synthetic_flag_filters_and_a_bad_value_is_shown_back(client, presentation):
    f.OrganisationFactory(name_it="Ente sintetico di prova")
    listed = url("portal:organisation_list")
    page = client.get(listed, {"q": "sintetico di prova", "synthetic": "yes"}).content.decode()
    assert listed_names(page) == ["Ente sintetico di prova"]
    page = client.get(listed, {"q": "sintetico di prova", "synthetic": "false"}).content.decode()
    assert "Ente sintetico di prova" not in page
    page = client.get(listed, {"q": "sintetico di prova", "synthetic": "forse"}).content.decode()
    assert "synthetic=forse" in page[page.index('id="unrecognised-filters"') :][:500]
    assert listed_names(page) == ["Ente sintetico di prova"]


def test_short_text_is_refused_not_ignored_silently(client, presentation):
    page = client.get(url("portal:organisation_list"), {"q": "a"}).content.decode()
    alert = page[page.index('id="unrecognised-filters"') :][:500]
    assert "q=a" in alert and "almeno 2 caratteri" in alert


def test_keyset_pages_cover_the_list_once(client, db):
    for n in range(120):
        f.OrganisationFactory(name_it=f"Ente {n:03d}")
    seen, next_url = [], url("portal:organisation_list") + "?q=Ente"
    while next_url:
        page = client.get(next_url.replace("&amp;", "&")).content.decode()
        seen += listed_names(page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        next_url = found.group(1) if found else ""
    assert seen == [f"Ente {n:03d}" for n in range(120)]


def test_csv_and_json_equal_the_list(client, presentation):
    params = {"territory": "IT"}
    page = client.get(url("portal:organisation_list"), params).content.decode()
    shown = listed_names(page)
    assert shown
    response = client.get(url("portal:organisation_list"), {**params, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [row["nome"] for row in downloads.csv_rows(response)] == shown
    response = client.get(url("portal:organisation_list"), {**params, "format": "json"})
    assert [row["nome"] for row in downloads.json_rows(response)] == shown


def test_list_and_detail_in_english(client, presentation):
    page = client.get(url("portal:organisation_list", language="en")).content.decode()
    assert '<html lang="en">' in page
    dap = Organisation.objects.get(key="dap")
    detail = client.get(url("portal:organisation_detail", dap.pk, language="en"))
    assert detail.status_code == 200
    assert dap.name_en in detail.content.decode()


def test_query_counts_are_bounded(client, presentation, django_assert_max_num_queries):
    toscana = Organisation.objects.get(key="regione-toscana")
    # More partnerships than a query per row would stay under the bound with.
    for _ in range(12):
        f.PartnershipFactory(organisation=toscana, role="partner")
    with django_assert_max_num_queries(8):
        client.get(url("portal:organisation_list"), {"territory": "09", "q": "to"})
    with django_assert_max_num_queries(10):
        client.get(url("portal:organisation_detail", toscana.pk))


def test_pages_refuse_post(client, presentation):
    assert client.post(url("portal:organisation_list")).status_code == 405
    assert client.post(url("portal:territory_map")).status_code == 405


def territory_names(page: str) -> list[str]:
    listed = page.split('id="territory-organisations"')[1].split("</ul>")[0]
    return [html.unescape(n) for n in re.findall(r'/organizzazioni/\d+/">([^<]+)</a>', listed)]


@pytest.mark.parametrize("many", [1, 10_000])
def test_a_regions_pages_are_the_same_whichever_index_reads_them(client, db, monkeypatch, many):
    """Past MANY organisations the list walks the name index (organisations.in_territories):
    the same organisations, in the same order, page after page, and a bounded query count."""
    from reti.portal import organisations

    monkeypatch.setattr(organisations, "MANY", many)
    region = f.TerritoryFactory(code="77", name_it="Regione di prova")
    province = f.TerritoryFactory(code="777", level="province", parent=region)
    town = f.TerritoryFactory(code="777001", level="municipality", parent=province)
    elsewhere = f.TerritoryFactory(code="78", name_it="Altrove")
    for n in range(130):
        f.OrganisationFactory(name_it=f"Ente {n % 60:03d}", territory=(town, province)[n % 2])
        f.OrganisationFactory(name_it=f"Ente {n:03d} fuori", territory=elsewhere)
    expected = list(
        Organisation.objects.filter(territory__in=[region, province, town])
        .order_by("name_it", "id")
        .values_list("name_it", flat=True)
    )
    pages = [
        (url("portal:organisation_list") + "?territory=77", listed_names),
        (url("portal:territory_detail", "77"), territory_names),
    ]
    for base, names in pages:
        seen, next_url = [], base
        while next_url:
            page = client.get(next_url.replace("&amp;", "&")).content.decode()
            seen += names(page)
            found = re.search(r'rel="next" href="([^"]+)"', page)
            next_url = found.group(1) if found else ""
        assert seen == expected
