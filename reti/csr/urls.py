from django.urls import path

from .views import company, officer, prize, public, validation

app_name = "csr"
urlpatterns = [
    path("rsi/", public.home, name="home"),
    path("rsi/prova/", public.anonymous, name="anonymous"),
    path("rsi/prova/risultato/", public.anonymous_result, name="anonymous_result"),
    path("rsi/prova/risultato.pdf", public.anonymous_pdf, name="anonymous_pdf"),
    path("rsi/prova/risultato.json", public.anonymous_json, name="anonymous_json"),
    path("rsi/prova/ricomincia/", public.anonymous_clear, name="anonymous_clear"),
    path("rsi/verifica/<str:code>/", public.attestation_verify, name="attestation_verify"),
    path("rsi/imprese/", company.mine, name="mine"),
    path("rsi/imprese/registra/", company.company_register, name="company_register"),
    path("rsi/imprese/abilitazione/", company.claim_create, name="claim_create"),
    path("rsi/imprese/<int:pk>/", company.company_detail, name="company_detail"),
    path(
        "rsi/imprese/<int:pk>/autovalutazione/", company.assessment_start, name="assessment_start"
    ),
    path("rsi/imprese/<int:pk>/piano/", company.plan_add, name="plan_add"),
    path("rsi/piano/<int:pk>/stato/", company.plan_status, name="plan_status"),
    path("rsi/autovalutazioni/<int:pk>/", company.assessment_detail, name="assessment_detail"),
    path("rsi/autovalutazioni/<int:pk>/modifica/", company.assessment_edit, name="assessment_edit"),
    path(
        "rsi/autovalutazioni/<int:pk>/risultato.pdf", company.assessment_pdf, name="assessment_pdf"
    ),
    path(
        "rsi/autovalutazioni/<int:pk>/risultato.json",
        company.assessment_json,
        name="assessment_json",
    ),
    path("rsi/evidenze/<int:pk>/", company.evidence_download, name="evidence_download"),
    path("rsi/evidenze/<int:pk>/rimuovi/", company.evidence_remove, name="evidence_remove"),
    path("rsi/attestazioni/<int:pk>/pdf/", company.attestation_pdf, name="attestation_pdf"),
    path(
        "rsi/attestazioni/<int:pk>/revoca/", officer.attestation_revoke, name="attestation_revoke"
    ),
    path("rsi/validazione/", validation.queue, name="validation_queue"),
    path("rsi/validazione/<int:pk>/prendi/", validation.take, name="validation_take"),
    path("rsi/validazione/<int:pk>/", validation.review, name="validation_review"),
    path("rsi/regione/", officer.region, name="region"),
    path("rsi/rete/", public.network_page, name="network"),
    path("rsi/agevolazioni/", public.facilitation_list, name="facilitation_list"),
    path("rsi/premio/", prize.prize_list, name="prize_list"),
    path("rsi/premio/<int:year>/", prize.prize_edition, name="prize_edition"),
    path("rsi/premio/<int:year>/candidatura/", prize.prize_apply, name="prize_apply"),
    path("rsi/premio/<int:year>/gestione/", prize.prize_manage, name="prize_manage"),
    path("rsi/premio/<int:year>/pubblica/", prize.prize_publish, name="prize_publish"),
    path("rsi/abilitazioni/<int:pk>/verifica/", officer.claim_verify, name="claim_verify"),
    path("rsi/abilitazioni/<int:pk>/respingi/", officer.claim_refuse, name="claim_refuse"),
]
