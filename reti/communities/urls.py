from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("comunita/", views.community_list, name="list"),
    path("comunita/<slug:slug>/", views.community_detail, name="detail"),
    path("comunita/<slug:slug>/entra/", views.join, name="join"),
    path("comunita/<slug:slug>/esci/", views.leave, name="leave"),
    path("comunita/discussioni/<int:pk>/", views.thread_detail, name="thread"),
    path("comunita/discussioni/<int:pk>/chiudi/", views.lock_thread, name="lock"),
    path("comunita/messaggi/<int:pk>/nascondi/", views.hide_post, name="hide"),
    path("comunita/avvisi/disiscrizione/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
