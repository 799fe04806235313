"""The network-of-networks graph: its JSON data, its filters, its bounds and its tables."""

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from reti.portal import graph as graph_module
from reti.registry.models import GoverningRole, Network, NetworkLink, Project
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403


def graph_url(language: str = "it", name: str = "portal:graph") -> str:
    with translation.override(language):
        return reverse(name)


def graph_data(client, **params):
    response = client.get(graph_url(name="portal:graph_data"), params)
    assert response.status_code == 200, response.content
    return response.json()


def node(data, label: str) -> dict:
    return next(n for n in data["nodes"] if n["label"] == label)


def test_esfconet_is_linked_to_earlall(client, presentation):
    data = graph_data(client)
    esfconet, earlall = node(data, "ESFCoNet"), node(data, "EARLALL")
    link = [
        e for e in data["edges"] if e["source"] == esfconet["id"] and e["target"] == earlall["id"]
    ]
    assert [(e["kind"], e["relation"], e["label"]) for e in link] == [
        ("link", "linked_to", "collegata a")
    ]
    # Roles in networks and partnerships are edges too.
    trento = next(n for n in data["nodes"] if "Trento" in n["name"])
    assert any(
        e["source"] == trento["id"]
        and e["target"] == esfconet["id"]
        and e["relation"] == "secretariat"
        for e in data["edges"]
    )
    assert not data["truncated"]


def test_period_2000_2006_keeps_the_sg_project_and_drops_esfconet(client, presentation):
    data = graph_data(client, period="2000-2006")
    labels = {n["label"] for n in data["nodes"]}
    sg = Project.objects.get(key="sg-piccoli-sussidi")
    assert f"project-{sg.pk}" in {n["id"] for n in data["nodes"]}
    assert "ESFCoNet" not in labels
    assert "EARLALL" not in labels
    # Regione Toscana is the SG project's known partner.
    toscana = next(n for n in data["nodes"] if n["name"] == "Regione Toscana")
    assert any(e["source"] == toscana["id"] and e["relation"] == "partner" for e in data["edges"])
    assert data["filters"] == {"period": "2000-2006"}

    page = client.get(graph_url(), {"period": "2000-2006"}).content.decode()
    assert "Rete ESFCoNet" not in page
    assert "Fare rete per l&#x27;inclusione sociale" in page


def test_theme_filter_takes_sub_themes(client, presentation):
    data = graph_data(client, theme="education-training")
    labels = {n["label"] for n in data["nodes"]}
    assert "EARLALL" in labels  # lifelong-learning, a sub-theme
    assert "SaviAV" not in labels


def test_node_urls_open_the_records_pages(client, presentation):
    data = graph_data(client)
    esfconet = Network.objects.get(slug="esfconet")
    assert node(data, "ESFCoNet")["url"] == reverse(
        "portal:network_detail", kwargs={"slug": esfconet.slug}
    )
    assert all(n["url"] for n in data["nodes"])


def test_unknown_filters_are_shown_back(client, presentation):
    response = client.get(graph_url(), {"period": "1800-1801", "colore": "blu", "theme": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="graph-problems"' in page
    problems = page[page.index('id="graph-problems"') :][:800]
    assert "colore=blu" in problems
    assert "period=1800-1801" in problems and "theme=x" in problems
    # The graph drawn is the unfiltered one, and its data URL carries no unknown filter.
    assert "Rete ESFCoNet" in page
    assert f'data-source="{graph_url(name="portal:graph_data")}"' in page

    data = client.get(graph_url(name="portal:graph_data"), {"colore": "blu"})
    assert data.status_code == 400
    assert data.json()["detail"][0]["field"] == "colore"


@pytest.mark.parametrize("value", ["\x00", "2007-2013\x00", "x" * 500, "' OR 1=1 --", "🕸️"])
def test_odd_filter_values_are_shown_back_never_a_500(client, presentation, value):
    response = client.get(graph_url(), {"period": value, "theme": value})
    assert response.status_code == 200
    assert 'id="graph-problems"' in response.content.decode()
    data = client.get(graph_url(name="portal:graph_data"), {"period": value, "theme": value})
    assert data.status_code == 400
    assert {d["field"] for d in data.json()["detail"]} == {"period", "theme"}


def test_english_graph_page(client, presentation):
    page = client.get(graph_url("en"), {"period": "2007-2013"}).content.decode()
    assert '<html lang="en">' in page
    assert "The network of networks" in page
    assert "linked to" in page
    data = client.get(graph_url("en", "portal:graph_data")).json()
    assert any(e["label"] == "linked to" for e in data["edges"])


def test_tables_carry_the_same_nodes_and_edges(client, presentation):
    page = client.get(graph_url()).content.decode()
    data = graph_data(client)
    assert f"Nodi ({len(data['nodes'])})" in page
    assert f"Collegamenti ({len(data['edges'])})" in page
    assert "<tr><td>ESFCoNet</td><td>collegata a</td><td>EARLALL</td></tr>" in page
    # The tables start open, for browsers without JavaScript; graph.js folds them.
    assert 'id="graph-nodes" class="accordion-collapse collapse show"' in page
    # Static names are hashed when DEBUG is off, as in `make test`.
    assert f'<script src="{static("vendor/cytoscape/cytoscape.min.js")}"' in page


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(
        graph_module, "SYNTHETIC_LIMITS", {"network": 2, "organisation": 3, "project": 2}
    )


def _busy_network(members: int, **kwargs) -> Network:
    network = f.NetworkFactory(**kwargs)
    for _ in range(members):
        GoverningRole.objects.create(
            network=network, organisation=f.OrganisationFactory(), role="member"
        )
    return network


def test_synthetic_nodes_are_capped_to_the_most_connected(client, presentation, small_limits):
    busiest = _busy_network(4, name_it="Rete demo più collegata")
    second = _busy_network(3, name_it="Rete demo seconda")
    quiet = _busy_network(1, name_it="Rete demo poco collegata")
    NetworkLink.objects.create(from_network=second, to_network=quiet, kind="supports")
    for _ in range(3):
        project = f.ProjectFactory()
        project.networks.add(busiest)

    data = graph_data(client)
    synthetic = [n for n in data["nodes"] if n["synthetic"]]
    by_kind = {
        kind: [n for n in synthetic if n["kind"] == kind] for kind in graph_module.NODE_PAGES
    }
    assert {n["name"] for n in by_kind["network"]} == {busiest.name_it, second.name_it}
    assert len(by_kind["project"]) == 2
    assert len(by_kind["organisation"]) == 3
    assert data["truncated"]
    # The presentation's records are all still there.
    assert {"ESFCoNet", "EARLALL", "SaviAV", "ExOCoop"} <= {n["label"] for n in data["nodes"]}
    # No edge points to a node left out.
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])

    page = client.get(graph_url()).content.decode()
    assert 'id="graph-truncated"' in page
    assert "Il grafo è troncato" in page


def test_few_queries_whatever_the_graph_size(
    client, presentation, commit_cache_bumps, django_assert_max_num_queries
):
    for number in range(6):
        network = _busy_network(3, name_it=f"Rete demo {number}")
        project = f.ProjectFactory()
        project.networks.add(network)
        f.PartnershipFactory(project=project)
    commit_cache_bumps()
    with django_assert_max_num_queries(16):
        graph_data(client, period="2007-2013", theme="social-inclusion")
    with django_assert_max_num_queries(14):
        assert client.get(graph_url()).status_code == 200
    # Built once until its records change: the same graph again costs only the filters'
    # lookups.
    with django_assert_max_num_queries(4):
        graph_data(client, period="2007-2013", theme="social-inclusion")


def test_language_switch_keeps_the_graph_and_its_filters(client, presentation):
    url = graph_url() + "?period=2007-2013"
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response.url == "/en/grafo/?period=2007-2013"


def test_graph_refuses_post(client, presentation):
    assert client.post(graph_url()).status_code == 405
    assert client.post(graph_url(name="portal:graph_data")).status_code == 405
