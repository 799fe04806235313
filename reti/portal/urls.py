from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("registro/<slug:kind>/<int:pk>/storia/", views.record_history, name="record_history"),
]
