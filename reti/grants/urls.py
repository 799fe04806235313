from django.urls import path

from .views import applicant, public

app_name = "grants"
urlpatterns = [
    path("bandi/", public.call_list, name="call_list"),
    path("bandi/rappresentanza/", applicant.claims, name="claims"),
    path("bandi/domande/", applicant.application_mine, name="application_mine"),
    path("bandi/domande/<int:pk>/", applicant.application_detail, name="application_detail"),
    path("bandi/domande/<int:pk>/modulo/", applicant.application_edit, name="application_edit"),
    path("bandi/domande/<int:pk>/invia/", applicant.application_submit, name="application_submit"),
    path(
        "bandi/domande/<int:pk>/ritira/",
        applicant.application_withdraw,
        name="application_withdraw",
    ),
    path("bandi/domande/<int:pk>/allegati/", applicant.attachment_upload, name="attachment_upload"),
    path("bandi/domande/<int:pk>/ricevuta/", applicant.receipt, name="receipt"),
    path(
        "bandi/domande/<int:pk>/ricevuta/scarica/",
        applicant.receipt_download,
        name="receipt_download",
    ),
    path("bandi/allegati/<int:pk>/", applicant.attachment_download, name="attachment_download"),
    path("bandi/allegati/<int:pk>/rimuovi/", applicant.attachment_remove, name="attachment_remove"),
    path("bandi/<slug:code>/", public.call_detail, name="call_detail"),
    path("bandi/<slug:code>/domanda/", applicant.application_create, name="application_create"),
]
