from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("area-personale/accedi/<str:kind>/scegli/", views.choose, name="choose"),
    path("area-personale/accedi/<str:kind>/avvia/", views.start, name="start"),
    path("area-personale/esci/identita-digitale/", views.logout_start, name="logout"),
    path("area-personale/identita/<int:pk>/scollega/", views.remove, name="remove"),
]

# The addresses the identity providers know, from the metadata: one for every language.
saml_patterns = [
    path("metadata/", views.sp_metadata, name="metadata"),
    path("cie/metadata/", views.cie_metadata, name="cie_metadata"),
    path("acs/", views.acs, name="acs"),
    path("slo/", views.slo, name="slo"),
]
