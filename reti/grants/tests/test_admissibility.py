"""The istruttoria di ammissibilità and the soccorso istruttorio, through the actions: the
checklist (grid gates, Reti's documentary checks), the decision and its rules, requests and
answers against the server clock, who may do what, the audit trail and the e-mails."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reti.accounts.models import SignUp
from reti.grants import actions, checklist
from reti.grants.models import Admissibility, AdmissibilityCheck, Call, DocumentRequest
from reti.grids.actions import load_catalogue
from reti.grids.models import GridTemplate

pytestmark = pytest.mark.django_db

MET, NOT_MET = AdmissibilityCheck.Result.MET, AdmissibilityCheck.Result.NOT_MET
DOCUMENTS = ["DOC-ATTACHMENTS", "DOC-GRANT", "DOC-COFINANCING", "DOC-BUDGET"]
GATES = ["ADM-DEADLINE", "ADM-SIGNATURE", "ADM-ELIGIBLE", "ADM-BUDGET"]


def _with_grid(call):
    load_catalogue()
    grid = GridTemplate.objects.get(code="small-grant-merit", version=1)
    Call.objects.filter(pk=call.pk).update(grid_template=grid)  # a published call is frozen
    call.refresh_from_db()
    return grid


def _all_met(application, officer):
    codes = [c.code for c in checklist.build(application)]
    return actions.record_checks(officer, application, dict.fromkeys(codes, (MET, "")))


def _later(moment, **delta):
    return moment["now"] + datetime.timedelta(**delta)


def test_the_checklist_is_the_grids_gates_then_retis_documentary_checks(
    grants, submitted_a, after_deadline
):
    assert [i.code for i in checklist.build(submitted_a)] == DOCUMENTS  # no grid: no gates
    _with_grid(grants.call)
    submitted_a.call.refresh_from_db()
    items = checklist.build(submitted_a)
    assert [i.code for i in items] == GATES + DOCUMENTS
    assert items[0].label == {
        "it": "Domanda presentata entro il termine",
        "en": "Application submitted on time",
    }
    assert [i.computed for i in items] == [None] * 4 + [True] * 4

    admissibility = actions.record_checks(
        grants.officer, submitted_a, {"ADM-DEADLINE": (MET, "Protocollo entro la scadenza")}
    )
    stored = {c.code: c for c in admissibility.checks.all()}
    assert list(stored) == GATES + DOCUMENTS
    assert stored["ADM-DEADLINE"].result == MET
    assert stored["ADM-DEADLINE"].recorded_by == grants.officer
    assert stored["ADM-SIGNATURE"].result == AdmissibilityCheck.Result.PENDING
    assert admissibility.outcome == Admissibility.Outcome.PENDING
    entry = stored["ADM-DEADLINE"].history.first()
    assert entry.history_change_reason == "Checklist di ammissibilità registrata"


def test_a_result_against_retis_computation_needs_a_note(grants, submitted_a, after_deadline):
    Call.objects.filter(pk=grants.call.pk).update(max_grant=Decimal("7000.00"))
    submitted_a.call.refresh_from_db()
    grant = {i.code: i for i in checklist.build(submitted_a)}["DOC-GRANT"]
    assert grant.computed is False
    assert "tra 5" in grant.detail["it"] and "between 5" in grant.detail["en"]

    with pytest.raises(ValidationError) as refused:
        actions.record_checks(
            grants.officer, submitted_a, {"DOC-GRANT": (MET, ""), "DOC-BUDGET": (MET, "")}
        )
    assert "check-DOC-GRANT" in refused.value.message_dict
    # nothing half-saved: the budget's result was not kept either
    assert not AdmissibilityCheck.objects.filter(result=MET).exists()

    actions.record_checks(
        grants.officer, submitted_a, {"DOC-GRANT": (MET, "Massimale corretto da rettifica")}
    )
    assert AdmissibilityCheck.objects.get(code="DOC-GRANT").result == MET


def test_unknown_item_and_result_are_named(grants, submitted_a, after_deadline):
    with pytest.raises(ValidationError) as refused:
        actions.record_checks(
            grants.officer, submitted_a, {"DOC-NOPE": (MET, ""), "DOC-GRANT": ("maybe", "")}
        )
    assert set(refused.value.message_dict) == {"check-DOC-NOPE", "check-DOC-GRANT"}


def test_only_the_calls_officers_examine_and_only_after_the_deadline(
    grants, submitted_a, cast, other_officer, evaluator
):
    for intruder in (
        grants.applicant_a,
        grants.applicant_b,
        other_officer,
        evaluator,
        cast.secretariat,
        cast.outsider,
    ):
        with pytest.raises(PermissionDenied):
            actions.record_checks(intruder, submitted_a, {"DOC-GRANT": (MET, "")})
        with pytest.raises(PermissionDenied):
            actions.decide_admissibility(intruder, submitted_a, "not_admissible", "No")
    with pytest.raises(PermissionDenied):  # the call still accepts applications
        actions.record_checks(grants.officer, submitted_a, {"DOC-GRANT": (MET, "")})
    assert not Admissibility.objects.exists()


def test_staff_examine_every_call(grants, submitted_a, cast, after_deadline):
    _all_met(submitted_a, cast.staff)
    decided = actions.decide_admissibility(cast.staff, submitted_a, "admitted", "")
    assert decided.outcome == "admitted" and decided.decided_by == cast.staff


def test_admitted_needs_every_item_met(grants, submitted_a, after_deadline):
    _with_grid(grants.call)
    submitted_a.call.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.decide_admissibility(grants.officer, submitted_a, "admitted", "")
    assert "checks" in refused.value.message_dict
    assert not Admissibility.objects.exists()  # a refused decision leaves nothing behind

    codes = GATES + DOCUMENTS
    results = dict.fromkeys(codes, (MET, ""))
    results["ADM-SIGNATURE"] = (NOT_MET, "Firma mancante")
    actions.record_checks(grants.officer, submitted_a, results)
    with pytest.raises(ValidationError, match="Domanda firmata"):
        actions.decide_admissibility(grants.officer, submitted_a, "admitted", "")
    # the engine's law: a failed gate is not admissible, whatever else
    assert checklist.failed_gates(submitted_a, {c: r for c, (r, _n) in results.items()}) == [
        "ADM-SIGNATURE"
    ]


def test_the_decision_is_audited_and_mailed_in_the_applicants_language(
    grants, submitted_a, after_deadline, django_capture_on_commit_callbacks
):
    grants.applicant_a.email = "a@example.org"
    grants.applicant_a.save()
    SignUp.objects.create(
        user=grants.applicant_a, language="en", privacy_accepted_at=timezone.now()
    )
    with pytest.raises(ValidationError) as refused:
        actions.decide_admissibility(grants.officer, submitted_a, "not_admissible", "  ")
    assert "reasons" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.decide_admissibility(grants.officer, submitted_a, "pending", "x")
    assert "outcome" in refused.value.message_dict
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided = actions.decide_admissibility(
            grants.officer, submitted_a, "not_admissible", "Statuto non conforme all'art. 3."
        )
    assert decided.decided_by == grants.officer
    assert decided.decided_at == after_deadline["now"]
    entry = decided.history.first()
    assert entry.history_user == grants.officer
    assert entry.history_change_reason == "Domanda non ammissibile"
    (message,) = mail.outbox
    assert message.to == ["a@example.org"]
    assert message.subject.startswith("Application not admissible")
    assert "Statuto non conforme" in message.body


def test_deciding_again_needs_a_reason_and_is_audited(grants, submitted_a, after_deadline):
    actions.decide_admissibility(grants.officer, submitted_a, "not_admissible", "Manca firma")
    with pytest.raises(ValidationError) as refused:
        actions.decide_admissibility(grants.officer, submitted_a, "not_admissible", "Altro")
    assert "change_reason" in refused.value.message_dict
    assert Admissibility.objects.get().reasons == "Manca firma"
    with pytest.raises(ValidationError, match="checklist non cambia"):
        actions.record_checks(grants.officer, submitted_a, {"DOC-GRANT": (MET, "")})

    decided = actions.decide_admissibility(
        grants.officer,
        submitted_a,
        "not_admissible",
        "Manca la firma del legale rappresentante.",
        change_reason="Motivazione precisata",
    )
    assert decided.reasons == "Manca la firma del legale rappresentante."
    assert decided.history.first().history_change_reason == (
        "Esito dell'istruttoria cambiato: not_admissible: Motivazione precisata"
    )
    assert decided.history.count() == 3  # opened, decided, decided again


def test_soccorso_istruttorio_answered_in_time(
    grants, submitted_a, after_deadline, pdf, django_capture_on_commit_callbacks
):
    grants.applicant_a.email = "a@example.org"
    grants.applicant_a.save()
    grants.officer.email = "officer@example.org"
    grants.officer.save()
    mail.outbox.clear()
    deadline = _later(after_deadline, days=10)
    with django_capture_on_commit_callbacks(execute=True):
        asked = actions.request_document(
            grants.officer, submitted_a, "Inviare lo statuto firmato.", deadline
        )
    assert asked.status == "open" and asked.asked_at == after_deadline["now"]
    (message,) = mail.outbox
    assert message.to == ["a@example.org"] and "Soccorso istruttorio" in message.subject
    assert "Inviare lo statuto firmato." in message.body
    assert timezone.localtime(deadline).strftime("%d/%m/%Y") in message.body

    # while it runs: neither admitted nor not admissible
    _all_met(submitted_a, grants.officer)
    with pytest.raises(ValidationError) as refused:
        actions.decide_admissibility(grants.officer, submitted_a, "admitted", "")
    assert "requests" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.decide_admissibility(grants.officer, submitted_a, "not_admissible", "No")
    assert "requests" in refused.value.message_dict

    with pytest.raises(PermissionDenied):
        actions.answer_document_request(grants.applicant_b, asked, "Eccolo")
    with pytest.raises(ValidationError) as refused:
        actions.answer_document_request(grants.applicant_a, asked, "  ")
    assert "answer_text" in refused.value.message_dict
    fake = SimpleUploadedFile("statuto.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        actions.answer_document_request(grants.applicant_a, asked, "Eccolo", fake)
    assert "answer_file" in refused.value.message_dict

    mail.outbox.clear()
    after_deadline["now"] = _later(after_deadline, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        answered = actions.answer_document_request(
            grants.applicant_a, asked, "Allegato lo statuto firmato.", pdf("firmato.pdf")
        )
    assert answered.status == "answered" and answered.answered_at == after_deadline["now"]
    assert answered.answer_name == "firmato.pdf" and len(answered.answer_sha256) == 64
    assert answered.history.first().history_user == grants.applicant_a
    (message,) = mail.outbox
    assert message.to == ["officer@example.org"] and "firmato.pdf" in message.body
    with pytest.raises(ValidationError, match="già una risposta"):
        actions.answer_document_request(grants.applicant_a, asked, "Di nuovo")

    decided = actions.decide_admissibility(grants.officer, submitted_a, "admitted", "")
    assert decided.outcome == "admitted"
    with pytest.raises(PermissionDenied):  # requests only while the outcome is pending
        actions.request_document(
            grants.officer, submitted_a, "Altro", _later(after_deadline, days=5)
        )


def test_a_late_answer_is_refused_by_the_server_clock(grants, submitted_a, after_deadline):
    deadline = _later(after_deadline, days=10)
    asked = actions.request_document(grants.officer, submitted_a, "Chiarire il budget.", deadline)
    after_deadline["now"] = deadline  # the deadline itself is late
    with pytest.raises(ValidationError) as refused:
        actions.answer_document_request(grants.applicant_a, asked, "In ritardo")
    rome = timezone.localtime(deadline)
    assert refused.value.message_dict["deadline"] == [
        f"Il termine per rispondere è scaduto il {rome:%d/%m/%Y} alle {rome:%H:%M} (ora "
        "italiana): la risposta non è stata registrata."
    ]
    asked.refresh_from_db()
    assert asked.status == "open" and asked.answer_text == "" and asked.answered_at is None

    # after expiry: not admissible is allowed (and the request is recorded expired), admitted
    # is not
    _all_met(submitted_a, grants.officer)
    with pytest.raises(ValidationError, match="senza risposta"):
        actions.decide_admissibility(grants.officer, submitted_a, "admitted", "")
    actions.decide_admissibility(
        grants.officer, submitted_a, "not_admissible", "Nessuna risposta al soccorso istruttorio."
    )
    asked.refresh_from_db()
    assert asked.status == "expired"
    assert asked.history.first().history_change_reason == (
        "Soccorso istruttorio: termine scaduto senza risposta"
    )


def test_a_request_needs_a_text_and_a_future_aware_deadline(grants, submitted_a, after_deadline):
    with pytest.raises(ValidationError) as refused:
        actions.request_document(grants.officer, submitted_a, "", after_deadline["now"])
    assert set(refused.value.message_dict) == {"text", "deadline"}
    naive = datetime.datetime(2030, 1, 1, 12, 0)
    with pytest.raises(ValidationError) as refused:
        actions.request_document(grants.officer, submitted_a, "Testo", naive)
    assert "deadline" in refused.value.message_dict
    assert not DocumentRequest.objects.exists()


def test_withdrawn_applications_are_not_examined(grants, ready_a, cast):
    actions.submit_application(grants.applicant_a, ready_a)
    actions.withdraw_application(grants.applicant_a, ready_a)
    ready_a.refresh_from_db()
    from unittest import mock

    from reti.grants import clock

    with (
        mock.patch.object(clock, "now", return_value=grants.call.deadline),
        pytest.raises(PermissionDenied),
    ):
        actions.decide_admissibility(grants.officer, ready_a, "not_admissible", "Ritirata")
