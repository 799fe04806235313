from django.urls import path

from .views import applicant, document_requests, officer, public

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
    # The intermediate body: a call's applications, the istruttoria, the soccorso istruttorio
    path("bandi/istruttoria/<int:pk>/", officer.application_review, name="officer_application"),
    path("bandi/istruttoria/<int:pk>/checklist/", officer.checks_record, name="officer_checks"),
    path(
        "bandi/istruttoria/<int:pk>/esito/",
        officer.admissibility_decide,
        name="officer_decide",
    ),
    path(
        "bandi/istruttoria/<int:pk>/integrazioni/",
        officer.document_request_create,
        name="officer_request",
    ),
    path(
        "bandi/integrazioni/<int:pk>/risposta/",
        document_requests.document_request_answer,
        name="document_request_answer",
    ),
    path(
        "bandi/integrazioni/<int:pk>/documento/",
        document_requests.document_request_file,
        name="document_request_file",
    ),
    path("bandi/<slug:code>/", public.call_detail, name="call_detail"),
    path("bandi/<slug:code>/domande/", officer.call_applications, name="officer_applications"),
    path("bandi/<slug:code>/domanda/", applicant.application_create, name="application_create"),
]
