"""List filters and pagination: every filter narrows the list, every bad value is a 400."""

import pytest
from django.urls import reverse

from reti.registry.tests import factories as f
from reti.registry.tests.api_fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def ids(client, name, **params):
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["items"]}


def test_project_filters(client, world):
    penal, grant = world.penal_project.pk, world.grant_project.pk
    cases = [
        ({"period": "2007-2013"}, {penal}),
        ({"period": "2000-2006"}, {grant}),
        ({"theme": "esecuzione-penale"}, {penal}),
        ({"theme": "inclusione-sociale"}, {penal}),  # sub-themes count
        ({"theme": "rsi"}, set()),
        ({"territory": "048017"}, {penal}),  # the cooperative's municipality
        ({"territory": "09"}, {penal}),  # Toscana, by ISTAT code
        ({"territory": "ITI4"}, {grant}),  # Lazio, by NUTS code
        ({"territory": "IT"}, {penal, grant}),
        ({"territory": "09", "role": "lead"}, {penal}),
        ({"territory": "048017", "role": "lead"}, set()),
        ({"organisation": world.coop.pk}, {penal}),
        ({"organisation": world.lazio.pk, "role": "lead"}, {grant}),
        ({"role": "partner"}, {penal}),
        ({"network": world.esf.pk}, {penal}),
        ({"network": world.esf.slug}, {penal}),
        ({"status": "completed"}, {grant}),
        ({"kind": "agreement"}, set()),
        ({"fund": "FSE"}, {penal, grant}),
        ({"q": "ppep"}, {penal}),
        ({"q": "SUSSIDI"}, {grant}),
        ({"synthetic": "false"}, {penal}),
        ({"synthetic": "true"}, {grant}),
        ({"period": "2007-2013", "territory": "12"}, set()),
    ]
    for params, expected in cases:
        assert ids(client, "project_list", **params) == expected, params


def test_organisation_filters(client, world):
    cases = [
        # The cooperative sits in the municipality of Firenze, inside region 09.
        ({"territory": "09"}, {world.toscana.pk, world.coop.pk}),
        ({"territory": "ITI1"}, {world.toscana.pk, world.coop.pk}),
        ({"territory": "048"}, {world.coop.pk}),
        ({"territory": "RO"}, {world.ministry.pk}),
        ({"kind": "social_coop_b"}, {world.coop.pk}),
        ({"role": "presidency"}, {world.toscana.pk, world.ministry.pk}),
        ({"role": "secretariat", "network": world.esf.slug}, {world.lazio.pk}),
        ({"network": world.esf.pk, "territory": "09"}, {world.toscana.pk, world.coop.pk}),
        ({"q": "cooperativa"}, {world.coop.pk}),
        ({"synthetic": "false"}, {world.ministry.pk}),
        ({"status": "ceased"}, set()),
    ]
    for params, expected in cases:
        assert ids(client, "organisation_list", **params) == expected, params
    unit = f.OrganisationFactory(parent=world.lazio)
    assert ids(client, "organisation_list", parent=world.lazio.pk) == {unit.pk}


def test_network_filters(client, world):
    esf, learning, csr = world.esf.pk, world.learning.pk, world.csr_network.pk
    cases = [
        ({"period": "2007-2013"}, {esf}),
        ({"theme": "rsi"}, {csr}),
        ({"theme": "inclusione-sociale"}, {esf}),
        ({"status": "starting"}, {csr}),
        ({"scope": "eu_learning"}, {learning}),
        ({"territory": "RO"}, {esf}),  # the Romanian ministry presides it
        ({"territory": "RO", "role": "member"}, set()),
        ({"organisation": world.coop.pk, "role": "member"}, {esf}),
        ({"role": "secretariat"}, {esf}),
        ({"q": "RPI"}, {esf}),
        ({"q": "europea"}, {learning}),
        ({"synthetic": "true"}, {learning}),
    ]
    for params, expected in cases:
        assert ids(client, "network_list", **params) == expected, params


def test_territory_and_working_group_filters(client, world):
    assert ids(client, "territory_list", level="municipality") == {world.firenze.pk}
    assert ids(client, "territory_list", parent="ITI") == {
        world.toscana_region.pk,
        world.lazio_region.pk,
    }
    assert ids(client, "territory_list", q="roman") == {world.romania.pk}
    group = world.group.pk
    assert ids(client, "working_group_list", network=world.esf.slug) == {group}
    assert ids(client, "working_group_list", network=world.learning.pk) == set()
    assert ids(client, "working_group_list", year=2012) == {group}
    assert ids(client, "working_group_list", year=2013) == set()
    assert ids(client, "working_group_list", theme="inclusione-sociale") == {group}
    assert ids(client, "working_group_list", coordinator=world.toscana.pk) == {group}
    assert ids(client, "working_group_list", territory="09") == {group}
    assert ids(client, "working_group_list", q="test group") == {group}


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("project_list", {"period": "1800-1801"}, "period"),
        ("project_list", {"theme": "no-such-theme"}, "theme"),
        ("project_list", {"territory": "XX9"}, "territory"),
        ("project_list", {"status": "lost"}, "status"),
        ("project_list", {"kind": "bogus"}, "kind"),
        ("project_list", {"role": "boss"}, "role"),
        ("project_list", {"fund": "NOPE"}, "fund"),
        ("project_list", {"network": "no-such-network"}, "network"),
        ("project_list", {"organisation": "999999"}, "organisation"),
        ("project_list", {"organisation": "toscana"}, "organisation"),
        ("project_list", {"synthetic": "maybe"}, "synthetic"),
        ("project_list", {"q": "x"}, "q"),
        ("project_list", {"perod": "2007-2013"}, "perod"),
        ("network_list", {"period": "1800-1801"}, "period"),
        ("network_list", {"scope": "galactic"}, "scope"),
        ("network_list", {"territory": "00"}, "territory"),
        ("organisation_list", {"territory": "XX9"}, "territory"),
        ("organisation_list", {"kind": "club"}, "kind"),
        ("organisation_list", {"role": "king"}, "role"),
        ("organisation_list", {"parent": "999999"}, "parent"),
        ("territory_list", {"level": "galaxy"}, "level"),
        ("territory_list", {"parent": "XX9"}, "parent"),
        ("working_group_list", {"year": "1800"}, "year"),
        ("working_group_list", {"coordinator": "999999"}, "coordinator"),
        ("working_group_list", {"theme": "no-such-theme"}, "theme"),
        ("working_group_list", {"cursor": "not-a-cursor"}, "cursor"),
        ("network_list", {"limit": "0"}, "limit"),
        ("network_list", {"limit": "many"}, "limit"),
    ],
)
def test_bad_filter_value_is_a_400_naming_the_parameter(client, world, name, params, field):
    response = client.get(reverse(f"api:{name}"), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    fields = [error["field"] for error in response.json()["detail"]]
    assert field in fields
    assert all(error["message"] for error in response.json()["detail"])


# Pagination


def walk(client, url, params):
    """Every row of a list, following `next` links; and the number of pages."""
    rows, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        rows += body["items"]
        pages += 1
        if body["next"] is None:
            return rows, pages
        response = client.get(body["next"])


def test_walking_every_page_returns_each_row_once_in_id_order(client, world):
    made = {f.OrganisationFactory(territory=world.firenze).pk for _ in range(23)}

    rows, pages = walk(client, reverse("api:organisation_list"), {"limit": 5})

    seen = [row["id"] for row in rows]
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen))
    assert made <= set(seen)
    assert pages == -(-len(seen) // 5)


def test_next_link_keeps_the_filters(client, world):
    in_firenze = {f.OrganisationFactory(territory=world.firenze).pk for _ in range(7)}
    f.OrganisationFactory.create_batch(5, territory=world.lazio_region)

    rows, pages = walk(client, reverse("api:organisation_list"), {"territory": "048", "limit": 3})

    assert {row["id"] for row in rows} == in_firenze | {world.coop.pk}
    assert pages == 3


def test_a_row_added_while_walking_does_not_shift_pages(client, world):
    first = client.get(reverse("api:project_list"), {"limit": 1}).json()
    f.ProjectFactory()  # a new project gets a higher id: it lands on a later page

    second = client.get(first["next"]).json()

    assert second["items"][0]["id"] == world.grant_project.pk
    assert first["items"][0]["id"] == world.penal_project.pk


def test_page_size_defaults_and_maximum_come_from_settings(client, world, settings):
    settings.RETI_API_PAGE_SIZE = 2
    settings.RETI_API_MAX_PAGE_SIZE = 4

    default = client.get(reverse("api:territory_list")).json()
    too_big = client.get(reverse("api:territory_list"), {"limit": 5})

    assert len(default["items"]) == 2
    assert default["next"] is not None
    assert len(client.get(reverse("api:territory_list"), {"limit": 4}).json()["items"]) == 4
    assert too_big.status_code == 400
    assert too_big.json()["detail"][0]["field"] == "limit"
