"""The open-data pages (under /it/ and /en/, named in each language) and the catalogue."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "opendata"
urlpatterns = [
    path(_("dati-aperti/"), views.dataset_list, name="list"),
    path(_("dati-aperti/<slug:code>/"), views.dataset_detail, name="detail"),
    path(_("dati-aperti/<slug:code>/datapackage.json"), views.datapackage, name="package"),
]
# Outside the language prefix: one stable address for harvesters (reti/urls.py).
catalog_patterns = [
    path("catalog", views.catalog, name="catalog"),
    path("catalog.<str:suffix>", views.catalog, name="catalog_file"),
    path("dumps/<slug:code>/<str:name>", views.dump_file, name="dump_file"),
]
