"""Reading the registry through /api/v1: lists, details with their relations, query counts."""

import pytest
from django.urls import reverse

from reti.registry.tests import factories as f
from reti.registry.tests.api_fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_network_detail_carries_roles_groups_links_projects_and_source(client, world):
    response = client.get(reverse("api:network_detail", args=[world.esf.pk]))

    assert response.status_code == 200
    body = response.json()
    assert body["name_it"] == "Rete di prova per l'inclusione"
    assert body["name_en"] == "Test network for inclusion"
    assert body["declared_member_count"] == 12
    assert body["provenance"] == {
        "source": {"key": "prova-2011", "title": "Presentazione di prova"},
        "slides": "7",
        "synthetic": False,
    }
    assert body["periods"] == ["2007-2013"]
    assert [t["code"] for t in body["themes"]] == ["inclusione-sociale"]
    presidencies = [
        (r["organisation"]["id"], r["start_date"], r["end_date"])
        for r in body["roles"]
        if r["role"] == "presidency"
    ]
    assert presidencies == [
        (world.toscana.pk, "2010-01-01", "2010-12-31"),
        (world.ministry.pk, "2011-01-01", None),
    ]
    member = next(r for r in body["roles"] if r["role"] == "member")
    assert member["attested_on"] == "2011-11-05"
    [group] = body["working_groups"]
    assert group["coordinator"]["id"] == world.toscana.pk
    assert group["priorities_it"] == ["Prima priorità", "Seconda priorità"]
    assert group["priorities_en"] == ["First priority", "Second priority"]
    assert [(link["kind"], link["network"]["id"]) for link in body["links_out"]] == [
        ("linked_to", world.learning.pk)
    ]
    assert body["links_in"] == []
    assert [p["id"] for p in body["projects"]] == [world.penal_project.pk]
    assert body["projects_url"].endswith(reverse("api:project_list") + f"?network={world.esf.pk}")
    assert [a["kind"] for a in body["actions"]] == ["peer_review"]


def test_link_shows_on_both_networks(client, world):
    body = client.get(reverse("api:network_detail", args=[world.learning.pk])).json()

    assert [(link["kind"], link["network"]["id"]) for link in body["links_in"]] == [
        ("linked_to", world.esf.pk)
    ]


def test_project_detail_carries_partners_lead_first_and_declared_count(client, world):
    response = client.get(reverse("api:project_detail", args=[world.penal_project.pk]))

    assert response.status_code == 200
    body = response.json()
    assert [(p["organisation"]["id"], p["role"]) for p in body["partners"]] == [
        (world.toscana.pk, "lead"),
        (world.coop.pk, "partner"),
    ]
    assert body["declared_partner_count"] == 14
    assert body["period"] == "2007-2013"
    assert body["fund"]["code"] == "FSE"
    assert [n["id"] for n in body["networks"]] == [world.esf.pk]
    assert [a["title_it"] for a in body["actions"]] == ["Indagine"]
    assert [t["code"] for t in body["themes"]] == ["esecuzione-penale"]
    assert {"title_it", "title_en", "objectives_it", "objectives_en"} <= body.keys()


def test_organisation_detail_carries_parent_territory_roles_and_partnerships(client, world):
    unit = f.OrganisationFactory(name_it="Ufficio di prova", parent=world.toscana)

    body = client.get(reverse("api:organisation_detail", args=[world.toscana.pk])).json()
    unit_body = client.get(reverse("api:organisation_detail", args=[unit.pk])).json()

    assert body["territory"] == {
        "code": "09",
        "level": "region",
        "name_it": "Toscana",
        "name_en": "",
    }
    assert [(r["network"]["id"], r["role"], r["end_date"]) for r in body["network_roles"]] == [
        (world.esf.pk, "presidency", "2010-12-31")
    ]
    assert [(p["project"]["id"], p["role"]) for p in body["partnerships"]] == [
        (world.penal_project.pk, "lead")
    ]
    assert body["partnerships_url"].endswith(f"?organisation={world.toscana.pk}")
    assert unit_body["parent"]["id"] == world.toscana.pk


def test_territory_detail_by_istat_or_nuts_code(client, world):
    by_istat = client.get(reverse("api:territory_detail", args=["09"])).json()
    by_nuts = client.get(reverse("api:territory_detail", args=["ITI1"])).json()

    assert by_istat == by_nuts
    assert by_istat["parent"]["code"] == "ITI"
    assert by_istat["children_counts"] == {"province": 1}
    italy = client.get(reverse("api:territory_detail", args=["IT"])).json()
    assert italy["children_counts"] == {"macro_area": 1}


def test_working_group_detail(client, world):
    body = client.get(reverse("api:working_group_detail", args=[world.group.pk])).json()

    assert body["network"]["id"] == world.esf.pk
    assert body["coordinator"]["name_it"] == "Regione Toscana (sintetica)"
    assert body["programme_year"] == 2012
    assert body["priorities_en"] == ["First priority", "Second priority"]
    assert [n["id"] for n in body["related_networks"]] == [world.learning.pk]
    assert [t["code"] for t in body["themes"]] == ["esecuzione-penale"]


@pytest.mark.parametrize(
    "name",
    [
        "network_detail",
        "project_detail",
        "organisation_detail",
        "working_group_detail",
        "partnership_detail",
        "governingrole_detail",
        "networklink_detail",
    ],
)
def test_unknown_id_is_a_json_404(client, name):
    response = client.get(reverse(f"api:{name}", args=[999999]))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_territory_code_is_a_json_404(client, world):
    response = client.get(reverse("api:territory_detail", args=["XX9"]))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_lists_answer_items_and_next(client, world):
    for name, expected in [
        ("network_list", {world.esf.pk, world.learning.pk, world.csr_network.pk}),
        ("project_list", {world.penal_project.pk, world.grant_project.pk}),
        ("working_group_list", {world.group.pk}),
    ]:
        body = client.get(reverse(f"api:{name}")).json()
        assert {row["id"] for row in body["items"]} == expected, name
        assert body["next"] is None
    organisations = client.get(reverse("api:organisation_list")).json()["items"]
    assert {o["id"] for o in organisations} >= {world.toscana.pk, world.coop.pk}
    territories = client.get(reverse("api:territory_list")).json()["items"]
    assert {t["code"] for t in territories} >= {"IT", "09", "048017", "RO"}


# No N+1: the number of queries does not grow with the rows or relations shown.


@pytest.fixture
def crowd(world):
    """25 of each kind of record, each with themes, partners and roles to show."""
    for n in range(25):
        org = f.OrganisationFactory(territory=world.firenze, parent=world.toscana)
        project = f.ProjectFactory(period=world.p2007)
        project.themes.set([world.penal, world.inclusion])
        project.networks.set([world.esf])
        f.PartnershipFactory(project=project, organisation=org, role="lead")
        f.PartnershipFactory(project=world.penal_project, organisation=org)
        network = f.NetworkFactory()
        network.themes.set([world.csr])
        network.periods.set([world.p2000, world.p2007])
        world.esf.roles.create(organisation=org, role="member")
        world.esf.working_groups.create(
            title_it=f"Gruppo {n}", programme_year=2012, coordinator=org
        ).themes.set([world.csr])
        f.TerritoryFactory(code=f"048{n:03d}", level="municipality", parent=world.firenze_province)
    return world


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("network_list", 3),
        ("project_list", 2),
        ("organisation_list", 1),
        ("territory_list", 1),
        ("working_group_list", 2),
    ],
)
def test_lists_use_a_fixed_number_of_queries(
    client, crowd, django_assert_max_num_queries, name, queries
):
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(f"api:{name}"), {"limit": 30})

    assert len(response.json()["items"]) >= 25


def test_details_use_a_fixed_number_of_queries(client, crowd, django_assert_max_num_queries):
    cases = [
        ("network_detail", crowd.esf.pk, 10),
        ("project_detail", crowd.penal_project.pk, 5),
        ("organisation_detail", crowd.toscana.pk, 3),
        ("territory_detail", "048", 2),
        ("working_group_detail", crowd.group.pk, 3),
    ]
    for name, key, queries in cases:
        with django_assert_max_num_queries(queries):
            response = client.get(reverse(f"api:{name}", args=[key]))
        assert response.status_code == 200, name
    body = client.get(reverse("api:network_detail", args=[crowd.esf.pk])).json()
    assert len(body["roles"]) >= 25
    assert len(body["working_groups"]) == 26
    # 26 linked projects: the first 25 embedded, all of them one list away.
    assert len(body["projects"]) == 25
    assert f"network={crowd.esf.pk}" in body["projects_url"]
