from django.urls import include, path

from reti.lib import tabular

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
        "monitoraggio/interventi/<int:pk>/partecipanti/",
        views.participant_export,
        name="participant_export",
    ),
    path("monitoraggio/caricamenti/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("monitoraggio/caricamenti/<int:pk>/stato/", views.batch_status, name="batch_status"),
    path("monitoraggio/modello/", views.template_download, name="template"),
    # Old download addresses, now the page's (or the table's) URL with ?format=.
    path(
        "monitoraggio/interventi/<int:pk>/partecipanti.csv",
        tabular.moved("monitoring:participant_export", "csv"),
        name="participant_export_csv",
    ),
    path(
        "monitoraggio/caricamenti/<int:pk>/rapporto.csv",
        tabular.moved("monitoring:batch_detail", "csv"),
        name="batch_report",
    ),
    path(
        "monitoraggio/modello.csv", tabular.moved("monitoring:template", "csv"), name="template_csv"
    ),
    path(
        "monitoraggio/modello.xlsx",
        tabular.moved("monitoring:template", "xlsx"),
        name="template_xlsx",
    ),
    path("monitoraggio/colonne/", views.column_specification, name="column_specification"),
]
