"""The analytics pages, included from reti/monitoring/urls.py (namespace monitoring)."""

urlpatterns = []
