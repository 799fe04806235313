"""Reti's URLs plus a page that fails as it would with the database down (tests only)."""

from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError
from django.urls import path

from reti.urls import urlpatterns as reti_urlpatterns


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [
    *reti_urlpatterns,
    *i18n_patterns(path("prova-errore/", database_down, name="database_down")),
]
