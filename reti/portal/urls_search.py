"""The portal's search page (included by portal/urls.py)."""

from django.urls import path

from . import search

urlpatterns = [path("cerca/", search.search_page, name="search")]
