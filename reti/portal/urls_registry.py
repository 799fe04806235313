"""The portal's pages on networks, projects and the timeline (included by portal/urls.py)."""

from django.urls import path

from reti.lib import tabular

from . import networks, projects, timeline

urlpatterns = [
    path("reti/", networks.network_list, name="network_list"),
    # Old download addresses: the lists themselves now answer ?formato= (reti.lib.tabular).
    path("reti/scarica.<str:fmt>", tabular.moved("portal:network_list"), name="network_download"),
    path("reti/<slug:slug>/", networks.network_detail, name="network_detail"),
    path("progetti/", projects.project_list, name="project_list"),
    path(
        "progetti/scarica.<str:fmt>", tabular.moved("portal:project_list"), name="project_download"
    ),
    path("progetti/<int:pk>/", projects.project_detail, name="project_detail"),
    path("cronologia/", timeline.timeline, name="timeline"),
]
