"""A project's places follow its partners: the territory filter finds a project in the
municipality, province and region of each partner, and stops finding it when they go."""

import pytest
from django.urls import reverse

from reti.registry import places
from reti.registry.models import Partnership, ProjectPlace
from reti.registry.tests import factories as f
from reti.registry.tests.api_fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def found(client, territory: str) -> set[int]:
    response = client.get(reverse("api:project_list"), {"territory": territory})
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["items"]}


def test_places_are_the_partners_municipality_province_and_region(world):
    stored = set(
        ProjectPlace.objects.filter(project=world.penal_project).values_list(
            "territory__code", flat=True
        )
    )
    # The cooperative in Firenze and Regione Toscana; no country or macro-area rows.
    assert {"048017", "048", "09"} <= stored
    assert not stored & {"IT", "ITI"}


def test_new_partner_makes_the_project_found_in_its_territories(client, world):
    assert world.grant_project.pk not in found(client, "048017")
    f.PartnershipFactory(project=world.grant_project, organisation=world.coop, role="partner")
    for code in ("048017", "048", "09"):
        assert world.grant_project.pk in found(client, code)


def test_removed_partner_takes_its_territories_away(client, world):
    Partnership.objects.get(project=world.penal_project, organisation=world.coop).delete()
    assert world.penal_project.pk not in found(client, "048017")
    assert world.penal_project.pk not in found(client, "048")
    # Regione Toscana, the lead, is still there.
    assert world.penal_project.pk in found(client, "09")


def test_partner_moved_to_another_project(client, world):
    partnership = Partnership.objects.get(project=world.penal_project, organisation=world.coop)
    partnership.project = world.grant_project
    partnership.save()
    assert world.penal_project.pk not in found(client, "048017")
    assert world.grant_project.pk in found(client, "048017")


def test_organisation_that_moves_takes_its_projects_along(client, world):
    roma = f.TerritoryFactory(
        code="058091", level="municipality", name_it="Roma", parent=world.lazio_region
    )
    world.coop.territory = roma
    world.coop.save()
    assert world.penal_project.pk not in found(client, "048017")
    assert world.penal_project.pk in found(client, "058091")
    assert world.penal_project.pk in found(client, world.lazio_region.code)


def test_rebuild_gives_what_the_upkeep_gave(world):
    kept = set(ProjectPlace.objects.values_list("territory_id", "project_id"))
    assert kept
    ProjectPlace.objects.all().delete()
    assert places.rebuild() == len(kept)
    assert set(ProjectPlace.objects.values_list("territory_id", "project_id")) == kept


def test_territory_filter_with_a_role_still_reads_the_partnership(client, world):
    # The cooperative is a partner, not the lead: "lead in Firenze" finds nothing.
    response = client.get(reverse("api:project_list"), {"territory": "048017", "role": "lead"})
    assert response.json()["items"] == []
