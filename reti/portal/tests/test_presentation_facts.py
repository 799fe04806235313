"""What a visitor can learn from the portal about the presentation's facts (PRODUCT.md):
slide 2's origins, how each working group relates to other networks, how many Regions took
part in each project beside those known by name, who took part in ESFCoNet and as what."""

import pytest
from django.urls import reverse
from django.utils import translation

from reti.registry.models import Network, Project, Statement, WorkingGroup
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "it") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def section(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</section>", 1)[0]


def test_slide_2_origins_are_loaded_with_their_source_and_shown_on_the_home(client, presentation):
    origins = Statement.objects.get(key="origini-reti-progetti")
    assert origins.source == presentation and origins.source_slides == "2"
    assert origins.since_period.code == "1994-1999"
    assert len(origins.points) == 2 and "sovraregionale" in origins.points_it
    home = section(client.get(url("portal:home")).content.decode(), 'id="origins"')
    assert "Origini delle reti e dei progetti" in home
    assert "1994-1999" in home and "livello sovraregionale" in home
    assert "slide 2" in home
    english = section(
        client.get(url("portal:home", language="en")).content.decode(), 'id="origins"'
    )
    assert (
        "Origins of the networks and projects" in english and "above the regional level" in english
    )


def test_slide_8_says_supported_by_for_one_group_and_in_connection_with_for_the_other(
    client, presentation
):
    groups = {g.title_it[:6]: g for g in WorkingGroup.objects.all()}
    assert groups["Inclus"].network_relation == WorkingGroup.NetworkRelation.SUPPORTED_BY
    assert groups["Giovan"].network_relation == WorkingGroup.NetworkRelation.IN_CONNECTION
    page = section(
        client.get(url("portal:network_detail", "esfconet")).content.decode(),
        'id="working-groups"',
    )
    cards = page.split('class="card card-bg mb-3"')[1:]
    first = next(c for c in cards if "Inclusione sociale e nuove povertà" in c)
    second = next(c for c in cards if "Giovani tra istruzione e lavoro" in c)
    assert "Con il sostegno di" in first and "Empowerment and social inclusion" in first
    assert "In collegamento con" in second and "Con il sostegno di" not in second
    assert "EARLALL" in second


@pytest.mark.parametrize(
    "key, regions, text",
    [
        ("oltre-il-confine", 11, "11 regioni (0 note per nome)"),
        ("esecuzione-penale", 14, "14 regioni (0 note per nome)"),
        ("sg-piccoli-sussidi", 12, "12 regioni (1 nota per nome)"),
    ],
)
def test_projects_declare_their_regions_beside_those_known_by_name(
    client, presentation, key, regions, text
):
    project = Project.objects.get(key=key)
    assert project.declared_region_count == regions
    known = project.partnerships.filter(organisation__kind="region").count()
    assert known < regions  # none invented
    page = client.get(url("portal:project_detail", project.pk)).content.decode()
    assert text in page.split('id="region-count"')[1].split("</p>")[0]


def test_english_project_page_counts_regions_in_english(client, presentation):
    project = Project.objects.get(key="oltre-il-confine")
    page = client.get(url("portal:project_detail", project.pk, language="en")).content.decode()
    assert "11 regions (0 known by name)" in page


@pytest.mark.parametrize(
    "key, kinds",
    [
        ("oltre-il-confine", {"study_visit", "seminar", "community_of_practice", "exchange"}),
        (
            "esecuzione-penale",
            {"survey_analysis", "monitoring_evaluation", "communication", "study_visit"},
        ),
    ],
)
def test_both_projects_activities_are_records_shown_on_their_page(client, presentation, key, kinds):
    project = Project.objects.get(key=key)
    assert kinds <= set(project.actions.values_list("kind", flat=True))
    assert all(a.source_slides for a in project.actions.all())
    page = section(
        client.get(url("portal:project_detail", project.pk)).content.decode(), 'id="actions"'
    )
    for action in project.actions.all():
        assert action.title_it.split()[0] in page


def test_esfconet_page_says_who_took_part_and_as_what(client, presentation):
    page = client.get(url("portal:network_detail", "esfconet")).content.decode()
    members = section(page, 'id="members"')
    assert "Nessun membro registrato per nome" not in members
    assert "4 organizzazioni note per nome" in members
    for name in (
        "Provincia autonoma di Trento",
        "Regione Toscana",
        "Fiandre (Belgio)",
        "Ministero del Lavoro e dell&#x27;economia della Finlandia",
    ):
        assert name in members
    trento = members.split("Provincia autonoma di Trento")[1].split("</ul>")[0]
    assert "Segretariato, attestata il 5 novembre 2011" in trento
    finland = members.split("Finlandia")[1].split("</ul>")[0]
    assert "Presidenza, attestata il 5 novembre 2011" in finland
    toscana = members.split("Regione Toscana")[1].split("</ul>")[0]
    assert "«Giovani tra istruzione e lavoro, tra merito e competenze», programma 2012" in toscana
    flanders = members.split("Fiandre (Belgio)")[1].split("</ul>")[0]
    assert "«Inclusione sociale e nuove povertà», programma 2012" in flanders
    # Regions first.
    assert members.index("Provincia autonoma di Trento") < members.index("Fiandre (Belgio)")


def test_a_network_with_no_one_known_by_name_still_says_so(client, presentation):
    page = client.get(url("portal:network_detail", "earlall")).content.decode()
    assert "Nessun membro registrato per nome" in section(page, 'id="members"')


def test_home_shows_the_presentations_networks_and_projects_before_demo_data(client, presentation):
    for _ in range(6):
        f.NetworkFactory(synthetic=True)
        f.ProjectFactory(synthetic=True)
    page = client.get(url("portal:home")).content.decode()
    networks = section(page, 'id="source-networks"')
    for network in Network.objects.filter(synthetic=False):
        assert url("portal:network_detail", network.slug) in networks
    assert "dato sintetico" not in networks
    projects = section(page, 'id="source-projects"')
    for project in Project.objects.filter(synthetic=False):
        assert url("portal:project_detail", project.pk) in projects
    demo = section(page, 'id="demo-records"')
    assert "dati sintetici" in demo
    assert page.index('id="source-networks"') < page.index('id="demo-records"')
