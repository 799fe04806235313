from django.urls import path

from .views import applicant, committee, public, rankings

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
    # After the deadline: committee, ranking runs, appeals, scorrimento, publication.
    path("bandi/domande/<int:pk>/ricorso/", rankings.appeal_lodge, name="appeal_lodge"),
    path("bandi/ricorsi/<int:pk>/decisione/", committee.appeal_decide, name="appeal_decide"),
    path("bandi/graduatorie/<int:pk>/", committee.run_detail, name="run_detail"),
    path("bandi/graduatorie/<int:pk>/pubblica/", committee.run_publish, name="run_publish"),
    path("bandi/graduatorie/<int:pk>/replay.json", committee.run_export, name="run_export"),
    path("bandi/<slug:code>/graduatoria/", rankings.ranking_public, name="ranking_public"),
    path("bandi/<slug:code>/valutazione/", committee.call_ranking, name="call_ranking"),
    path(
        "bandi/<slug:code>/valutazione/commissione/",
        committee.committee_open,
        name="committee_open",
    ),
    path(
        "bandi/<slug:code>/valutazione/commissione/domande/",
        committee.committee_add,
        name="committee_add",
    ),
    path("bandi/<slug:code>/valutazione/elabora/", committee.run_create, name="run_create"),
    path("bandi/<slug:code>/valutazione/scorrimento/", committee.scroll, name="scroll"),
    path("bandi/<slug:code>/", public.call_detail, name="call_detail"),
    path("bandi/<slug:code>/domanda/", applicant.application_create, name="application_create"),
]
