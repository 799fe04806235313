from django.urls import include, path

from . import views

app_name = "monitoring"
urlpatterns = [
    # Analytics pages (indicatori/, confronto/, omogeneita/, valore-aggiunto/): analytics engineer.
    path("monitoraggio/", views.monitoring_home, name="home"),
    path("", include("reti.monitoring.analytics.urls")),
    path("monitoraggio/interventi/", views.intervention_list, name="intervention_list"),
    path(
        "monitoraggio/interventi/<int:pk>/", views.intervention_detail, name="intervention_detail"
    ),
    path("monitoraggio/interventi/<int:pk>/carica/", views.batch_upload, name="batch_upload"),
    path(
        "monitoraggio/interventi/<int:pk>/partecipanti.csv",
        views.participant_export,
        name="participant_export",
    ),
    path("monitoraggio/caricamenti/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("monitoraggio/caricamenti/<int:pk>/stato/", views.batch_status, name="batch_status"),
    path("monitoraggio/caricamenti/<int:pk>/rapporto.csv", views.batch_report, name="batch_report"),
    path(
        "monitoraggio/modello.csv",
        views.template_download,
        {"fmt": "csv"},
        name="template_csv",
    ),
    path(
        "monitoraggio/modello.xlsx",
        views.template_download,
        {"fmt": "xlsx"},
        name="template_xlsx",
    ),
    path("monitoraggio/colonne/", views.column_specification, name="column_specification"),
]
