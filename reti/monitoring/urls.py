from django.urls import include, path

app_name = "monitoring"
urlpatterns = [
    # Analytics pages (indicatori/, confronto/, omogeneita/, valore-aggiunto/): analytics engineer.
    path("", include("reti.monitoring.analytics.urls")),
]
