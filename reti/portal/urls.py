"""The public portal's pages (mounted under /it/ and /en/ by reti/urls.py).

Other apps mount their own pages (knowledge, events, communities, monitoring, accounts); the
portal holds the registry's public side. URL names are `portal:<name>`.
"""

from django.urls import path

from reti.lib import tabular

from . import (
    graph_views,
    networks,
    organisations,
    projects,
    search,
    territories,
    timeline,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # Networks and projects: lists with filters, downloads of what a list shows, detail pages.
    path("reti/", networks.network_list, name="network_list"),
    # Old download addresses: the lists themselves now answer ?format= (reti.lib.tabular).
    path(
        "reti/scarica.<str:fmt>",
        tabular.moved("portal:network_list"),
        name="network_download",
    ),
    path("reti/<slug:slug>/", networks.network_detail, name="network_detail"),
    path("reti/<slug:slug>/dossier.pdf", networks.network_pdf, name="network_pdf"),
    path("progetti/", projects.project_list, name="project_list"),
    path(
        "progetti/scarica.<str:fmt>",
        tabular.moved("portal:project_list"),
        name="project_download",
    ),
    path("progetti/<int:pk>/", projects.project_detail, name="project_detail"),
    path("cronologia/", timeline.timeline, name="timeline"),
    # Organisations and territories (the map of Italy and each territory's page).
    path("organizzazioni/", organisations.organisation_list, name="organisation_list"),
    path("organizzazioni/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("territori/", territories.territory_map, name="territory_map"),
    path("territori/<str:code>/", territories.territory_detail, name="territory_detail"),
    # The network-of-networks graph: the page, and the JSON it draws.
    path("grafo/", graph_views.graph, name="graph"),
    path("grafo/dati.json", graph_views.graph_data, name="graph_data"),
    # Search over every registered kind (reti/registry/search).
    path("cerca/", search.search_page, name="search"),
    # Any registry record's change history.
    path("registro/<slug:kind>/<int:pk>/storia/", views.record_history, name="record_history"),
]
