from django.urls import path

from . import calendar_views, organiser_views, views

app_name = "events"
urlpatterns = [
    path("eventi/", views.event_list, name="list"),
    path("eventi/calendario/", calendar_views.month_calendar, name="calendar"),
    path("eventi/calendario.ics", calendar_views.feed_all, name="feed"),
    path(
        "eventi/reti/<slug:slug>/calendario.ics", calendar_views.feed_network, name="network_feed"
    ),
    path("eventi/temi/<slug:code>/calendario.ics", calendar_views.feed_theme, name="theme_feed"),
    path("eventi/miei/<str:token>/calendario.ics", calendar_views.feed_personal, name="my_feed"),
    path("eventi/<int:pk>/evento.ics", calendar_views.feed_event, name="detail_ics"),
    path("eventi/nuovo/", organiser_views.event_form, name="create"),
    path("eventi/<int:pk>/", views.event_detail, name="detail"),
    path("eventi/<int:pk>/modifica/", organiser_views.event_form, name="edit"),
    path("eventi/<int:pk>/iscrizione/", views.register, name="register"),
    path("eventi/<int:pk>/presenze/", organiser_views.attendance, name="attendance"),
    path("eventi/<int:pk>/esiti/", organiser_views.outputs, name="outputs"),
    path("eventi/follow-up/<int:pk>/", organiser_views.follow_up_edit, name="follow_up_edit"),
    path("eventi/iscrizioni/<int:pk>/annulla/", views.cancel, name="cancel"),
    path("eventi/annulla/<str:token>/", views.cancel_by_link, name="cancel_by_link"),
]
