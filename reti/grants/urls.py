from django.urls import path

from .views import (
    applicant,
    committee,
    document_requests,
    instrument,
    management,
    officer,
    public,
    rankings,
)

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
    # Grant management: from the funding decision to closure (views/management.py)
    path("bandi/concessioni/", management.grant_list, name="grant_list"),
    path("bandi/domande/<int:pk>/concessione/", management.grant_decide, name="grant_decide"),
    path("bandi/concessioni/<int:pk>/", management.grant_detail, name="grant_detail"),
    path(
        "bandi/concessioni/<int:pk>/convenzione/",
        management.agreement_generate,
        name="agreement_generate",
    ),
    path(
        "bandi/concessioni/<int:pk>/convenzione/accetta/",
        management.agreement_accept,
        name="agreement_accept",
    ),
    path(
        "bandi/concessioni/<int:pk>/convenzione.pdf",
        management.agreement_pdf,
        name="agreement_pdf",
    ),
    path(
        "bandi/concessioni/<int:pk>/erogazioni/",
        management.payment_prepare,
        name="payment_prepare",
    ),
    path("bandi/erogazioni/<int:pk>/approva/", management.payment_approve, name="payment_approve"),
    path("bandi/erogazioni/<int:pk>/paga/", management.payment_pay, name="payment_pay"),
    path("bandi/erogazioni/<int:pk>/storna/", management.payment_reverse, name="payment_reverse"),
    path("bandi/concessioni/<int:pk>/rendiconti/", management.report_create, name="report_create"),
    path("bandi/rendiconti/<int:pk>/", management.report_detail, name="report_detail"),
    path(
        "bandi/rendiconti/<int:pk>/giustificativi/",
        management.report_document_upload,
        name="report_document_upload",
    ),
    path(
        "bandi/giustificativi/<int:pk>/",
        management.report_document_download,
        name="report_document_download",
    ),
    path("bandi/rendiconti/<int:pk>/invia/", management.report_submit, name="report_submit"),
    path("bandi/rendiconti/<int:pk>/verifica/", management.report_verify, name="report_verify"),
    path(
        "bandi/concessioni/<int:pk>/variazioni/", management.change_request, name="change_request"
    ),
    path("bandi/variazioni/<int:pk>/decidi/", management.change_decide, name="change_decide"),
    path("bandi/concessioni/<int:pk>/rinuncia/", management.grant_renounce, name="grant_renounce"),
    path("bandi/concessioni/<int:pk>/revoca/", management.grant_revoke, name="grant_revoke"),
    path("bandi/revoche/<int:pk>/recuperi/", management.recovery_record, name="recovery_record"),
    path("bandi/concessioni/<int:pk>/chiudi/", management.grant_close, name="grant_close"),
    path("bandi/concessioni/<int:pk>/archivio.zip", management.grant_archive, name="grant_archive"),
    # The analysis of the instrument: one report per global grant, and all side by side
    path("bandi/sovvenzioni/", instrument.instrument_overview, name="instrument_overview"),
    path(
        "bandi/sovvenzioni/<int:pk>/analisi/",
        instrument.instrument_report,
        name="instrument_report",
    ),
    path(
        "bandi/sovvenzioni/<int:pk>/analisi.pdf",
        instrument.instrument_report_pdf,
        name="instrument_report_pdf",
    ),
    # After the deadline: committee, ranking runs, appeals, scorrimento, publication.
    path("bandi/domande/<int:pk>/ricorso/", rankings.appeal_lodge, name="appeal_lodge"),
    path("bandi/ricorsi/<int:pk>/decisione/", committee.appeal_decide, name="appeal_decide"),
    path("bandi/graduatorie/<int:pk>/", committee.run_detail, name="run_detail"),
    path("bandi/graduatorie/<int:pk>/pubblica/", committee.run_publish, name="run_publish"),
    path("bandi/graduatorie/<int:pk>/replay.json", committee.run_export, name="run_export"),
    path("bandi/graduatorie/<int:pk>/graduatoria.pdf", rankings.run_pdf, name="run_pdf"),
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
    path("bandi/<slug:code>/campione/", management.sample_draw, name="sample_draw"),
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
