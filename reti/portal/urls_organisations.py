from django.urls import path

from . import organisations, territories

urlpatterns = [
    path("organizzazioni/", organisations.organisation_list, name="organisation_list"),
    path("organizzazioni/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("territori/", territories.territory_map, name="territory_map"),
    path("territori/<str:code>/", territories.territory_detail, name="territory_detail"),
]
