"""The registry's domain queries take plain values, for the API and the pages alike."""

import pytest
from django.core.exceptions import ValidationError

from reti.registry import queries
from reti.registry.models import Organisation, Project, Territory
from reti.registry.tests.api_fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_filters_take_codes_and_ids_as_plain_values(world):
    penal, grant = world.penal_project.pk, world.grant_project.pk
    projects = Project.objects.all()
    assert set(
        queries.filter_projects(projects, period="2007-2013").values_list("pk", flat=True)
    ) == {penal}
    by_region = queries.filter_projects(projects, territory="ITI4")  # Lazio, by NUTS code
    assert set(by_region.values_list("pk", flat=True)) == {grant}
    led = queries.filter_projects(projects, organisation=world.lazio.pk, role="lead")
    assert set(led.values_list("pk", flat=True)) == {grant}
    assert set(queries.filter_projects(projects).values_list("pk", flat=True)) >= {penal, grant}


@pytest.mark.parametrize(
    ("values", "param"),
    [
        ({"theme": "nessuno"}, "theme"),
        ({"territory": "ZZ9"}, "territory"),
        ({"period": "1990-1999"}, "period"),
        ({"fund": "XYZ"}, "fund"),
        ({"network": "nessuna-rete"}, "network"),
        ({"organisation": 999_999}, "organisation"),
    ],
)
def test_a_value_naming_no_record_is_an_error_on_its_parameter(world, values, param):
    with pytest.raises(ValidationError) as raised:
        queries.filter_projects(Project.objects.all(), **values)
    assert list(raised.value.error_dict) == [param]


def test_territory_ids_hold_the_territory_and_everything_inside(world):
    region = Territory.objects.by_code("09")
    ids = queries.territory_ids(region.pk)
    assert region.pk in ids
    assert world.coop.territory_id in ids
    inside = queries.filter_organisations(Organisation.objects.all(), territory="09")
    assert world.coop in inside and world.lazio not in inside
