"""The network-of-networks graph in Chromium: drawn under the CSP, reached and read by keyboard."""

import re
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from reti.browser_testing import assert_accessible
from reti.portal.graph import _PageUrls
from reti.registry.models import GoverningRole, NetworkLink
from reti.registry.tests import factories as f

pytestmark = pytest.mark.browser


def it(name: str) -> str:
    with translation.override("it"):
        return reverse(name)


@pytest.fixture
def small_graph(db):
    alfa = f.NetworkFactory(name_it="Rete Alfa di prova", acronym="ALFA")
    beta = f.NetworkFactory(name_it="Rete Beta di prova", acronym="BETA")
    NetworkLink.objects.create(from_network=alfa, to_network=beta, kind="linked_to")
    region = f.OrganisationFactory(name_it="Regione di prova")
    GoverningRole.objects.create(network=alfa, organisation=region, role="secretariat")
    GoverningRole.objects.create(network=beta, organisation=region, role="member")
    project = f.ProjectFactory(title_it="Progetto di prova", acronym="PROVA")
    project.networks.add(alfa)
    return alfa


def test_graph_is_reached_and_read_by_keyboard(page, small_graph):
    page.goto(it("portal:graph"))
    graph = page.locator("#graph")
    expect(graph).to_have_attribute("data-ready", "true")
    # Drawn on a wide screen: the nodes' table stays open beside the graph, the edges' folds.
    expect(page.locator("#graph-nodes")).to_be_visible()
    expect(page.locator("#graph-edges")).to_be_hidden()
    assert_accessible(page)

    page.get_by_role("button", name="Applica i filtri").focus()
    # Past the type filter's three boxes and the three zoom buttons.
    for _ in range(12):
        if page.evaluate("document.activeElement.id") == "graph":
            break
        page.keyboard.press("Tab")
    expect(graph).to_be_focused()

    status = page.get_by_role("status")
    page.keyboard.press("ArrowRight")
    # The first arrow selects the most connected node: Alfa (a link, a role, a project).
    expect(status).to_contain_text("Rete Alfa di prova — rete. 3 collegamenti")
    expect(status).to_contain_text("BETA (collegata a)")
    first = status.text_content()
    for key in ("ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
        if status.text_content() != first:
            break
    assert status.text_content() != first, "no arrow moved the selection"
    expect(graph).to_be_focused()

    # Home goes back to the most connected node, Alfa, whose page Enter opens.
    page.keyboard.press("Home")
    expect(status).to_contain_text("Rete Alfa di prova")
    page.keyboard.press("Enter")
    with translation.override("it"):
        alfa_page = _PageUrls().url("network", small_graph)
    expect(page).to_have_url(re.compile(re.escape(alfa_page) + "$"))


def test_tables_open_and_list_the_edges(page, small_graph):
    page.goto(it("portal:graph"))
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name=re.compile(r"Collegamenti \(\d+\)")).click()
    edges = page.locator("#graph-edges table")
    expect(edges).to_be_visible()
    expect(edges).to_contain_text("ALFA")
    expect(edges).to_contain_text("collegata a")


def test_language_switch_keeps_the_graph_page(page, small_graph):
    page.goto(it("portal:graph") + "?period=2007-2013")
    page.get_by_role("button", name="EN English").click()
    expect(page).to_have_url(re.compile(r"/en/grafo/\?period=2007-2013$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_404_page_is_accessible(page):
    # Chromium logs every 404 document as a console error, which the harness counts as a
    # failure: the real 404 answer is handed to the page as a 200, its status kept here.
    statuses = []

    def as_200(route):
        response = route.fetch()
        statuses.append(response.status)
        route.fulfill(response=response, status=200)

    page.route(re.compile(r"/non-esiste-questa-pagina/$"), as_200)
    page.goto("/it/non-esiste-questa-pagina/")
    assert statuses == [404]
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina non trovata")
    assert_accessible(page)


def test_graph_zooms_and_filters_by_type_with_buttons(page, small_graph):
    """Issue 15: zoom without a pinch or a wheel, hide a type, networks always named."""
    page.goto(it("portal:graph"))
    graph = page.locator("#graph")
    expect(graph).to_have_attribute("data-ready", "true")

    def graph_state():
        return page.evaluate(
            """() => {
              const cy = document.getElementById("graph")._cyreg.cy;
              const alfa = cy.nodes().filter(n => n.data("name") === "Rete Alfa di prova");
              return {zoom: cy.zoom(), visible: cy.nodes(":visible").map(n => n.data("kind")),
                      label: alfa.style("label"),
                      screenFont: parseFloat(alfa.style("font-size")) * cy.zoom()};
            }"""
        )

    before = graph_state()
    # The layout puts networks in the centre and names them at a readable size on screen.
    assert before["label"] and round(before["screenFont"]) == 11
    # A graph this small is drawn at the highest zoom: out first, then in again.
    page.get_by_role("button", name="Riduci").click()
    reduced = graph_state()
    assert reduced["zoom"] < before["zoom"]
    page.get_by_role("button", name="Ingrandisci").click()
    assert graph_state()["zoom"] > reduced["zoom"]
    page.wait_for_timeout(200)
    assert round(graph_state()["screenFont"]) == 11
    page.get_by_role("button", name="Adatta alla finestra").click()

    # Bootstrap Italia draws the box on the label, which takes the click.
    organisations = page.locator("label[for=show-organisation]")
    organisations.click()
    expect(page.get_by_role("checkbox", name="Organizzazioni")).not_to_be_checked()
    assert "organisation" not in graph_state()["visible"]
    assert set(graph_state()["visible"]) == {"network", "project"}
    organisations.click()
    assert "organisation" in graph_state()["visible"]
    assert_accessible(page)


PHONE = {"width": 390, "height": 844}

# The names cytoscape draws now, each with its box on screen (nodes hidden or unlabelled, or
# whose letters are below the size cytoscape draws, are left out).
DRAWN_LABELS = """() => {
  const cy = document.getElementById("graph")._cyreg.cy;
  return cy.nodes(":visible").filter(n => {
    const screenFont = parseFloat(n.style("font-size")) * cy.zoom();
    return n.style("label") && screenFont >= parseFloat(n.style("min-zoomed-font-size"));
  }).map(n => {
    const box = n.renderedBoundingBox({includeNodes: false, includeEdges: false,
                                       includeLabels: true});
    return {name: n.data("name"), kind: n.data("kind"), selected: n.selected(),
            x1: box.x1, x2: box.x2, y1: box.y1, y2: box.y2};
  });
}"""


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["name"], b["name"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]
    ]


@pytest.fixture
def crowded_graph(db):
    """Sixteen networks with long names and no acronym, each linked to the next, as in the demo."""
    networks = [
        f.NetworkFactory(name_it=f"Rete interregionale di prova numero {number}", acronym="")
        for number in range(1, 17)
    ]
    for source, target in pairwise(networks):
        NetworkLink.objects.create(from_network=source, to_network=target, kind="linked_to")
    for number in range(1, 9):
        region = f.OrganisationFactory(name_it=f"Organizzazione di prova {number}", acronym="")
        for network in networks[number : number + 4]:
            GoverningRole.objects.create(network=network, organisation=region, role="member")
    return networks


def test_on_a_phone_the_names_drawn_never_overlap_and_focus_names_the_rest(page, crowded_graph):
    """Issue 15 §4: fitted on a 390 px phone, the names were a tangle of overlapping letters."""
    page.set_viewport_size(PHONE)
    page.goto(it("portal:graph"))
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    page.wait_for_timeout(200)
    labels = page.evaluate(DRAWN_LABELS)
    assert any(label["kind"] == "network" for label in labels), "no network is named"
    assert overlapping(labels) == []
    # Zoomed in, more names fit, still apart.
    page.get_by_role("button", name="Ingrandisci").click()
    page.wait_for_timeout(200)
    zoomed = page.evaluate(DRAWN_LABELS)
    assert overlapping(zoomed) == []
    assert len(zoomed) >= len(labels)
    # A node whose name gives way is named when the keyboard (or a pointer) selects it.
    page.get_by_role("button", name="Adatta alla finestra").click()
    page.wait_for_timeout(200)
    page.locator("#graph").focus()
    page.keyboard.press("Home")
    expect(page.get_by_role("status")).to_contain_text("Rete interregionale di prova numero")
    selected = [label for label in page.evaluate(DRAWN_LABELS) if label["selected"]]
    assert len(selected) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_on_a_wide_screen_the_table_sits_beside_the_graph(page, small_graph):
    """Issue 15 §4: the accessible table was below the graph, out of sight, on a desktop."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(it("portal:graph"))
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    nodes = page.locator("#graph-nodes table")
    expect(nodes).to_be_visible()
    graph = page.locator("#graph").bounding_box()
    table = page.locator("#graph-tables").bounding_box()
    assert table["x"] >= graph["x"] + graph["width"], "the table is not beside the graph"
    assert table["y"] < graph["y"] + graph["height"]
    assert_accessible(page)
    # On a phone the table comes after the graph, folded.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    graph = page.locator("#graph").bounding_box()
    assert page.locator("#graph-tables").bounding_box()["y"] > graph["y"] + graph["height"]
    expect(page.locator("#graph-nodes")).to_be_hidden()
