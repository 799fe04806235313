"""The analytics pages, included from reti/monitoring/urls.py (namespace monitoring)."""

from django.urls import path

from . import views

urlpatterns = [
    path("monitoraggio/indicatori/", views.indicators, name="indicators"),
    path("monitoraggio/indicatori/pdf/", views.indicators_pdf, name="indicators_pdf"),
    path("monitoraggio/indicatori/cruscotto/", views.dashboard, name="dashboard"),
    path("monitoraggio/confronto/", views.comparison, name="comparison"),
    path("monitoraggio/omogeneita/", views.homogeneity_view, name="homogeneity"),
    path("monitoraggio/valore-aggiunto/", views.added_value_view, name="added_value"),
]
