from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("reti.portal.urls_registry")),
    path("", include("reti.portal.urls_graph")),
    path("", include("reti.portal.urls_organisations")),
    path("", include("reti.portal.urls_search")),
    path("registro/<slug:kind>/<int:pk>/storia/", views.record_history, name="record_history"),
]
