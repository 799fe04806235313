"""Territories: the map of Italy with its table, a region's page, a country's page."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from reti.registry.models import (
    GoverningRole,
    Organisation,
    Partnership,
    Project,
    Territory,
    WorkingGroup,
)
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name, *args, language="it"):
    with translation.override(language):
        return reverse(name, args=args)


def map_links(page: str) -> dict[str, tuple[int, int]]:
    links = re.findall(
        r'<a href="[^"]+" data-region="(\w+)" data-projects="(\d+)" data-partnerships="(\d+)"',
        page,
    )
    return {code: (int(p), int(q)) for code, p, q in links}


def table_rows(page: str) -> dict[str, tuple[int, int]]:
    table = page[page.index('id="region-table"') :]
    rows = re.findall(
        r'<tr data-region="(\w+)">.*?data-projects="(\d+)".*?data-partnerships="(\d+)"',
        table,
        re.S,
    )
    return {code: (int(p), int(q)) for code, p, q in rows}


def test_map_has_a_link_per_region_with_counts(client, presentation):
    page = client.get(url("portal:territory_map")).content.decode()
    links = map_links(page)
    # 19 regions and the two autonomous provinces that make up Trentino-Alto Adige.
    assert len(links) == 21
    assert "04" not in links and {"021", "022"} <= set(links)
    toscana = Organisation.objects.get(key="regione-toscana")
    projects = Project.objects.filter(partnerships__organisation=toscana).distinct().count()
    assert projects > 0
    assert links["09"][0] >= projects
    assert f'href="{url("portal:territory_detail", "09")}"' in page
    assert re.search(rf'aria-label="Toscana: {links["09"][0]} progetti, \d+ partenariati"', page)
    assert "ISTAT" in page and "CC BY" in page
    assert "Dati calcolati il" in page


def test_table_equals_the_map(client, presentation):
    page = client.get(url("portal:territory_map")).content.decode()
    assert map_links(page) == {
        code: figures for code, figures in table_rows(page).items() if code != "04"
    }


def test_counts_follow_municipalities_to_their_region(client, territories):
    before = map_links(client.get(url("portal:territory_map")).content.decode())
    cache.clear()
    florence = Territory.objects.get(code="048017")
    org = f.OrganisationFactory(territory=florence, kind=Organisation.Kind.COMPANY)
    other = f.OrganisationFactory(territory=Territory.objects.get(code="046"))
    project = f.ProjectFactory()
    Partnership.objects.create(project=project, organisation=org, role="lead")
    Partnership.objects.create(project=project, organisation=other, role="partner")
    links = map_links(client.get(url("portal:territory_map")).content.decode())
    # One project with two partners in Toscana: counted once, with two partnerships.
    assert links["09"] == (before["09"][0] + 1, before["09"][1] + 2)
    assert links["03"] == before["03"]


def test_toscana_page_lists_its_organisation_networks_and_projects(client, presentation):
    page = client.get(url("portal:territory_detail", "09")).content.decode()
    assert "<h1>Toscana</h1>" in page
    toscana = Organisation.objects.get(key="regione-toscana")
    assert url("portal:organisation_detail", toscana.pk) in page
    networks = page[page.index('id="territory-networks"') :]
    assert "ESFCoNet" in networks
    projects = page[page.index('id="territory-projects"') :]
    assert "Sovvenzione Globale" in projects


def territory_networks(client, code: str) -> str:
    page = client.get(url("portal:territory_detail", code)).content.decode()
    start = page.index('id="networks-title"')
    return page[start : page.index("</section>", start)]


def test_a_region_s_networks_follow_roles_and_groups_at_once(client, territories):
    """The networks of a region are cached, yet a role or a working group given, moved or
    removed anywhere shows on the next visit."""
    florence = Territory.objects.get(code="048017")
    milan = Territory.objects.get(code="015146")
    cooperative = f.OrganisationFactory(territory=florence)
    network = f.NetworkFactory(name_it="Rete dei laboratori")
    assert "Rete dei laboratori" not in territory_networks(client, "09")
    role = GoverningRole.objects.create(
        network=network, organisation=cooperative, role=GoverningRole.Role.MEMBER
    )
    networks = territory_networks(client, "09")
    assert (
        f'href="{url("portal:network_detail", network.slug)}">Rete dei laboratori</a>' in networks
    )
    assert "Rete dei laboratori" not in territory_networks(client, "03")
    # The organisation moves to Milan: the network goes with it.
    cooperative.territory = milan
    cooperative.save()
    assert "Rete dei laboratori" not in territory_networks(client, "09")
    assert "Rete dei laboratori" in territory_networks(client, "03")
    role.delete()
    assert "Rete dei laboratori" not in territory_networks(client, "03")
    # A renamed network keeps its place by name; a coordinator counts as a role does.
    WorkingGroup.objects.create(
        network=network, title_it="Laboratori", programme_year=2024, coordinator=cooperative
    )
    network.name_it = "Rete dei laboratori sociali"
    network.save()
    assert "Rete dei laboratori sociali" in territory_networks(client, "03")


def test_a_region_s_networks_follow_a_change_made_by_another_process(
    client, territories, commit_cache_bumps, django_capture_on_commit_callbacks
):
    """The networks of a region are cached for every web worker: a role given and committed
    anywhere (here: outside the request) shows on the next visit."""
    florence = Territory.objects.get(code="048017")
    cooperative = f.OrganisationFactory(territory=florence)
    network = f.NetworkFactory(name_it="Rete delle botteghe")
    commit_cache_bumps()
    assert "Rete delle botteghe" not in territory_networks(client, "09")
    with django_capture_on_commit_callbacks(execute=True):
        GoverningRole.objects.create(
            network=network, organisation=cooperative, role=GoverningRole.Role.MEMBER
        )
    assert "Rete delle botteghe" in territory_networks(client, "09")


def test_a_municipality_created_later_takes_its_organisations_into_its_region(client, territories):
    """What a region holds is cached, yet a municipality created afterwards (in the back
    office, or by a load after a merger) brings its organisations to the region's pages."""
    region_page = url("portal:territory_detail", "09")
    region_list = url("portal:organisation_list") + "?territory=09"
    assert "Cooperativa di Borgo Nuovo" not in client.get(region_page).content.decode()
    assert "Cooperativa di Borgo Nuovo" not in client.get(region_list).content.decode()
    province = Territory.objects.get(code="048")
    borgo = Territory.objects.create(
        code="048999",
        level=Territory.Level.MUNICIPALITY,
        name_it="Borgo Nuovo (demo)",
        name_en="Borgo Nuovo (demo)",
        parent=province,
    )
    f.OrganisationFactory(territory=borgo, name_it="Cooperativa di Borgo Nuovo (demo)")
    assert "Cooperativa di Borgo Nuovo" in client.get(region_page).content.decode()
    assert "Cooperativa di Borgo Nuovo" in client.get(region_list).content.decode()
    api = client.get("/api/v1/organisations?territory=048").json()
    assert "Cooperativa di Borgo Nuovo (demo)" in [row["name_it"] for row in api["items"]]


def test_foreign_regions_and_countries_show_their_organisations(client, presentation):
    for code in ("BE2", "FI", "RO"):
        response = client.get(url("portal:territory_detail", code))
        assert response.status_code == 200
        assert 'id="territory-organisations"' in response.content.decode(), code


def test_unknown_territory_code_is_404(client, presentation):
    assert client.get(url("portal:territory_detail", "ZZ9")).status_code == 404


def test_pages_in_english(client, presentation):
    page = client.get(url("portal:territory_map", language="en")).content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Territories</h1>" in page
    assert re.search(r'aria-label="[^"]+: \d+ projects, \d+ partnerships"', page)
    detail = client.get(url("portal:territory_detail", "09", language="en"))
    assert detail.status_code == 200


def test_query_counts_are_bounded(client, presentation, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(url("portal:territory_map"))
    with django_assert_max_num_queries(15):
        client.get(url("portal:territory_detail", "09"))


def test_figures_are_computed_once_until_a_partnership_changes(
    client,
    territories,
    commit_cache_bumps,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    """The map's aggregate runs at the first visit and after a committed change, not on every
    visit; no thread is started for it."""
    org = f.OrganisationFactory(territory=Territory.objects.get(code="048017"))
    project = f.ProjectFactory()
    commit_cache_bumps()
    before = map_links(client.get(url("portal:territory_map")).content.decode())
    with django_assert_num_queries(0):
        again = map_links(client.get(url("portal:territory_map")).content.decode())
    assert again == before
    with django_capture_on_commit_callbacks(execute=True):
        Partnership.objects.create(project=project, organisation=org, role="lead")
    after = map_links(client.get(url("portal:territory_map")).content.decode())
    assert after["09"] == (before["09"][0] + 1, before["09"][1] + 1)


def test_trentino_counts_go_to_its_autonomous_province(client, territories):
    before = map_links(client.get(url("portal:territory_map")).content.decode())
    cache.clear()
    trento = Territory.objects.get(code="022")
    town = trento.children.filter(level=Territory.Level.MUNICIPALITY).first()
    org = f.OrganisationFactory(territory=town, kind=Organisation.Kind.COMPANY)
    Partnership.objects.create(project=f.ProjectFactory(), organisation=org, role="lead")
    links = map_links(client.get(url("portal:territory_map")).content.decode())
    assert links["022"] == (before["022"][0] + 1, before["022"][1] + 1)
    assert links["021"] == before["021"]
    page = client.get(url("portal:territory_detail", "022")).content.decode()
    assert url("portal:organisation_detail", org.pk) in page
