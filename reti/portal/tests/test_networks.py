"""The networks' list, downloads and page, on the presentation's facts."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from reti.lib.tests import downloads
from reti.registry.models import Action, GoverningRole, Network, NetworkLink, Organisation
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "it") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def listed_slugs(page: str) -> list[str]:
    return [
        slug
        for slug in Network.objects.values_list("slug", flat=True)
        if f'href="{url("portal:network_detail", slug)}"' in page
    ]


def test_esfconet_page_shows_governance_groups_and_links(client, presentation):
    response = client.get(url("portal:network_detail", "esfconet"))
    assert response.status_code == 200
    page = response.content.decode()
    secretariat = page.split('id="secretariat"')[1].split("</ol>")[0]
    assert "Provincia autonoma di Trento" in secretariat
    presidency = page.split('id="presidency"')[1].split("</ol>")[0]
    assert "Ministero del Lavoro e dell&#x27;economia della Finlandia" in presidency
    assert "attestata il 5 novembre 2011" in presidency
    groups = page.split('id="working-groups"')[1].split("</section>")[0]
    assert groups.count('class="h5 card-title"') == 2
    assert "Inclusione sociale e nuove povertà" in groups
    assert "Fiandre (Belgio)" in groups
    assert "Regione Toscana" in groups
    assert "programma 2012" in groups
    links = page.split('id="linked-networks"')[1].split("</section>")[0]
    for slug in ("earlall", "empowerment-social-inclusion", "youth-employment"):
        assert url("portal:network_detail", slug) in links
    assert "collegata a" in links and "sostiene" in links
    assert "slide 7" in page
    assert reverse("portal:record_history", kwargs={"kind": "reti", "pk": 0})[:-9] in page


def test_coordinator_links_to_organisation_page(client, presentation):
    toscana = Organisation.objects.get(key="regione-toscana")
    page = client.get(url("portal:network_detail", "esfconet")).content.decode()
    assert f'href="{reverse("portal:organisation_detail", args=[toscana.pk])}"' in page


def test_english_page_uses_english_names(client, presentation):
    page = client.get(url("portal:network_detail", "esfconet", language="en")).content.decode()
    assert "<h1>ESFCoNet network" in page
    assert "Social inclusion and new poverty" in page
    assert "Flanders (Belgium)" in page
    assert "Working groups" in page


def test_network_page_in_few_queries(client, presentation, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # the first view; the next ones keep the record
        response = client.get(url("portal:network_detail", "esfconet"))
    assert response.status_code == 200


def test_network_page_lists_its_twenty_newest_projects_and_links_to_all(client, territories):
    network = f.NetworkFactory()
    period = f.PeriodFactory()
    projects = [f.ProjectFactory(period=period, fund=None) for _ in range(23)]
    other = f.ProjectFactory(period=period, fund=None, title_it="Progetto di un'altra rete")
    for project in projects:
        project.networks.add(network)
    other.networks.add(f.NetworkFactory())
    page = client.get(url("portal:network_detail", network.slug)).content.decode()
    shown = [p for p in projects if f'href="{url("portal:project_detail", p.pk)}"' in page]
    assert shown == projects[3:]
    assert other.title_it not in page
    assert "Tutti i progetti collegati alla rete" in page
    api = client.get(f"/api/v1/networks/{network.pk}").json()
    assert [p["id"] for p in api["projects"]] == [p.pk for p in projects]


def test_a_network_s_record_is_kept_yet_every_change_shows_at_once(
    client, presentation, commit_cache_bumps, django_assert_max_num_queries
):
    """The page keeps the network's record between visits, in each language, and shows the
    next visit any role, organisation, theme, working group, link or action changed."""
    esfconet = Network.objects.get(slug="esfconet")

    def page(language="it"):
        commit_cache_bumps()  # each change below committed before the visit
        return client.get(url("portal:network_detail", "esfconet", language=language)).content

    page(), page("en")
    with django_assert_max_num_queries(5):
        assert b"Provincia autonoma di Trento" in page()
    cooperative = f.OrganisationFactory(name_it="Cooperativa Il Ponte (demo)")
    role = GoverningRole.objects.create(
        network=esfconet, organisation=cooperative, role=GoverningRole.Role.MEMBER
    )
    assert b"Cooperativa Il Ponte (demo)" in page()
    cooperative.name_it = cooperative.name_en = "Cooperativa Il Ponte Nuovo (demo)"
    cooperative.save()
    assert b"Cooperativa Il Ponte Nuovo (demo)" in page()
    assert b"Cooperativa Il Ponte Nuovo (demo)" in page("en")
    theme = f.ThemeFactory(name_it="Economia circolare (demo)", name_en="Circular economy (demo)")
    esfconet.themes.add(theme)  # a relation changed, the network itself not saved
    assert b"Economia circolare (demo)" in page()
    assert b"Circular economy (demo)" in page("en")
    theme.name_it = "Economia circolare e riuso (demo)"
    theme.save()
    assert b"Economia circolare e riuso (demo)" in page()
    supporter = f.NetworkFactory(name_it="Rete di sostegno (demo)")
    esfconet.working_groups.first().related_networks.add(supporter)
    assert page().count(b"Rete di sostegno (demo)") == 1
    NetworkLink.objects.create(
        from_network=esfconet,
        to_network=f.NetworkFactory(name_it="Rete gemella (demo)"),
        kind=NetworkLink.Kind.LINKED_TO,
    )
    assert b"Rete gemella (demo)" in page()
    Action.objects.create(
        network=esfconet,
        kind=Action.Kind.PEER_REVIEW,
        level=Action.Level.INTERREGIONAL,
        title_it="Peer review tra le regioni (demo)",
    )
    assert b"Peer review tra le regioni (demo)" in page()
    role.delete()
    assert b"Cooperativa Il Ponte Nuovo (demo)" not in page()


def test_unknown_slug_is_404(client, presentation):
    assert client.get(url("portal:network_detail", "nessuna-rete")).status_code == 404


def test_list_filters_by_period_and_status(client, presentation):
    everything = listed_slugs(client.get(url("portal:network_list")).content.decode())
    assert "esfconet" in everything
    starting = client.get(url("portal:network_list"), {"status": "starting"}).content.decode()
    assert listed_slugs(starting) == ["rete-rsi"]
    older = client.get(url("portal:network_list"), {"period": "2000-2006"}).content.decode()
    assert listed_slugs(older) == []
    assert "Nessuna rete corrisponde ai filtri." in older


def test_unknown_filters_are_shown_back(client, presentation):
    response = client.get(url("portal:network_list"), {"colour": "blu", "period": "1900-1901"})
    page = response.content.decode()
    alert = page.split('id="unrecognised-filters"')[1].split("</div>")[0]
    assert "Filtro non riconosciuto" in alert
    assert "colour=blu" in alert and "period=1900-1901" in alert
    # The download links carry only the filters the site understood.
    assert f'href="{url("portal:network_list")}?format=csv"' in page


def test_csv_download_has_the_rows_the_list_shows(client, presentation):
    query = {"scope": "eu_learning"}
    page = client.get(url("portal:network_list"), query).content.decode()
    response = client.get(url("portal:network_list"), {**query, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = downloads.csv_rows(response)
    assert sorted(r["identificativo"] for r in rows) == sorted(listed_slugs(page))
    assert len(rows) == 5
    assert rows[0]["ambito"] == "Rete di apprendimento europea"


def test_json_download_and_bad_download_filter(client, presentation):
    response = client.get(url("portal:network_list"), {"status": "starting", "format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["filtri"] == {"status": "starting"}
    assert [row["identificativo"] for row in data["righe"]] == ["rete-rsi"]
    refused = client.get(url("portal:network_list"), {"status": "dormiente", "format": "csv"})
    assert refused.status_code == 400
    assert "status=dormiente" in refused.content.decode()


def test_list_in_few_queries(client, presentation, django_assert_max_num_queries):
    # Code lookups, the count, one page, its periods, the form's choices: not one per row.
    with django_assert_max_num_queries(10):
        page = client.get(
            url("portal:network_list"), {"period": "2007-2013", "theme": "social-inclusion"}
        ).content.decode()
    assert "esfconet" in listed_slugs(page)
    assert "earlall" not in listed_slugs(page)
