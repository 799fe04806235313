"""The network-of-networks graph (included by portal/urls.py)."""

from django.urls import path

from . import graph_views

urlpatterns = [
    path("grafo/", graph_views.graph, name="graph"),
    path("grafo/dati.json", graph_views.graph_data, name="graph_data"),
]
