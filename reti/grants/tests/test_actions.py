"""The use cases: calls, claims, drafts, submission with protocol and receipt, withdrawal."""

import datetime
import hashlib
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reti.grants import actions, clock
from reti.grants.models import (
    Application,
    Call,
    CallAmendment,
    CallFAQ,
    ProtocolCounter,
    Receipt,
    RepresentationClaim,
)

from . import factories as gf
from .conftest import fill

pytestmark = pytest.mark.django_db


def test_a_published_call_is_frozen_but_amendable(grants):
    call = grants.call
    call.title_it = "Titolo cambiato"
    with pytest.raises(PermissionDenied):
        actions.save_call(grants.officer, call)
    with pytest.raises(ValidationError, match="rettifiche"):
        call.full_clean()
    call.refresh_from_db()
    new_deadline = call.deadline + datetime.timedelta(days=5)
    amendment = CallAmendment(
        date=datetime.date.today(),
        act="Decreto 12/2026",
        text_it="Proroga",
        new_deadline=new_deadline,
    )
    actions.amend_call(grants.officer, call, amendment)
    call.refresh_from_db()
    assert call.deadline == new_deadline
    assert call.title_it != "Titolo cambiato"
    assert call.history.first().history_change_reason == "Rettifica del bando: Decreto 12/2026"
    assert amendment.history.first().history_user == grants.officer


def test_only_the_intermediate_body_publishes_and_amends(grants, cast):
    draft = gf.CallFactory(
        global_grant=grants.call.global_grant, status=Call.Status.DRAFT, published_at=None
    )
    gf.LineFactory(call=draft)
    gf.CostCategoryFactory(call=draft)
    for intruder in (cast.toscana_officer, grants.applicant_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            actions.publish_call(intruder, draft)
    draft.refresh_from_db()
    assert draft.status == Call.Status.DRAFT
    actions.publish_call(grants.officer, draft)
    draft.refresh_from_db()
    assert draft.status == Call.Status.PUBLISHED and draft.published_at
    assert draft.history.first().history_change_reason == "Bando pubblicato"
    with pytest.raises(PermissionDenied):
        actions.amend_call(
            cast.toscana_officer,
            draft,
            CallAmendment(date=datetime.date.today(), act="x", text_it="y"),
        )
    assert not CallAmendment.objects.exists()


def test_a_call_without_lines_is_not_published(grants):
    draft = gf.CallFactory(
        global_grant=grants.call.global_grant, status=Call.Status.DRAFT, published_at=None
    )
    with pytest.raises(ValidationError) as error:
        actions.publish_call(grants.officer, draft)
    assert set(error.value.message_dict) == {"lines", "cost_categories"}


def test_faq_published_with_its_date(grants, cast):
    faq = CallFAQ.objects.create(call=grants.call, question_it="Chi?", answer_it="Gli ETS.")
    with pytest.raises(PermissionDenied):
        actions.publish_faq(grants.applicant_a, faq)
    actions.publish_faq(grants.officer, faq)
    faq.refresh_from_db()
    assert faq.published_at is not None
    with pytest.raises(PermissionDenied):
        actions.publish_faq(grants.officer, faq)  # once


def test_claim_checks_the_fiscal_code_and_waits_for_verification(grants, cast):
    claim = RepresentationClaim(
        organisation=grants.org_a, tax_code="12345678901", legal_representative="Rossi"
    )
    with pytest.raises(ValidationError) as error:
        actions.claim_organisation(cast.outsider, claim)
    assert "tax_code" in error.value.message_dict
    claim = RepresentationClaim(
        organisation=grants.org_a,
        tax_code=" " + grants.org_a.tax_code.lower() + " ",
        legal_representative="Rossi",
        runts_section="aps",
        runts_number="",
    )
    with pytest.raises(ValidationError) as error:
        actions.claim_organisation(cast.outsider, claim)
    assert set(error.value.message_dict) == {"runts_number"}
    claim.runts_number = "12345"
    actions.claim_organisation(cast.outsider, claim)
    assert claim.status == RepresentationClaim.Status.PENDING
    with pytest.raises(PermissionDenied):
        actions.create_application(cast.outsider, grants.call, grants.org_a, "Progetto")
    with pytest.raises(PermissionDenied):
        actions.verify_claim(grants.applicant_a, claim)
    actions.verify_claim(grants.officer, claim)
    cast.outsider._reti_applicant_orgs = None
    del cast.outsider._reti_applicant_orgs
    application = actions.create_application(cast.outsider, grants.call, grants.org_a, "Progetto")
    assert application.organisation == grants.org_a


def test_refusal_needs_a_reason(grants, cast):
    claim = actions.claim_organisation(
        cast.outsider,
        RepresentationClaim(
            organisation=grants.org_b, tax_code=grants.org_b.tax_code, legal_representative="R"
        ),
    )
    with pytest.raises(ValidationError):
        actions.refuse_claim(grants.officer, claim, "  ")
    claim.refresh_from_db()
    assert claim.status == RepresentationClaim.Status.PENDING
    actions.refuse_claim(grants.officer, claim, "Non è il legale rappresentante")
    claim.refresh_from_db()
    assert claim.status == RepresentationClaim.Status.REFUSED
    assert claim.decided_by == grants.officer


def test_incomplete_application_refused_naming_each_field(draft_a, grants):
    with pytest.raises(ValidationError) as error:
        actions.submit_application(grants.applicant_a, draft_a)
    fields = set(error.value.message_dict)
    assert {"summary", "line", "requested_amount", "budget", "attachments"} <= fields
    assert {"declares_truthful", "cofinancing_amount"} <= fields
    draft_a.refresh_from_db()
    assert draft_a.status == Application.Status.DRAFT
    assert not ProtocolCounter.objects.exists() and not Receipt.objects.exists()


def test_budget_checked_against_the_call(ready_a, grants):
    Application.objects.filter(pk=ready_a.pk).update(
        requested_amount=Decimal("9000"), cofinancing_amount=Decimal("1000")
    )
    ready_a.budget_items.filter(category=grants.travel).update(amount=Decimal("2500.00"))
    ready_a.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.submit_application(grants.applicant_a, ready_a)
    messages = error.value.message_dict
    assert any("almeno" in m for m in messages["cofinancing_amount"])
    assert any("Viaggi" in m and "massimale" in m for m in messages["budget"])
    assert any("costo totale" in m for m in messages["budget"])


def test_submission_gives_a_receipt_with_protocol_and_fingerprints(ready_a, grants):
    receipt = actions.submit_application(grants.applicant_a, ready_a)
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.SUBMITTED
    assert receipt.protocol_number == f"{grants.call.code.upper()}/{receipt.year}/000001"
    assert receipt.content_sha256 == hashlib.sha256(receipt.content.encode()).hexdigest()
    content = json.loads(receipt.content)
    attachment = ready_a.attachments.get()
    assert content["attachments"][0]["sha256"] == attachment.sha256
    assert content["requested_amount"] == "8000.00"
    with attachment.file.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == attachment.sha256
    assert ready_a.history.first().history_change_reason.startswith("Domanda presentata")


def test_submitting_twice_is_not_a_duplicate(ready_a, grants):
    first = actions.submit_application(grants.applicant_a, ready_a)
    second = actions.submit_application(grants.applicant_a, ready_a)
    assert first.pk == second.pk
    assert Receipt.objects.count() == 1
    assert ProtocolCounter.objects.get().last == 1


def test_submission_mail_in_the_submitters_language(
    ready_a, grants, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        receipt = actions.submit_application(grants.applicant_a, ready_a)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Application submitted: protocol {receipt.protocol_number}"
    assert receipt.content_sha256 in message.body
    assert message.to == [grants.applicant_a.email]


def test_other_organisation_cannot_submit_or_edit(ready_a, grants, cast):
    for intruder in (grants.applicant_b, grants.officer, cast.staff, cast.outsider):
        with pytest.raises(PermissionDenied):
            actions.submit_application(intruder, ready_a)
        with pytest.raises(PermissionDenied):
            actions.save_application(intruder, ready_a)
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.DRAFT


def test_an_organisation_has_several_representatives(ready_a, grants):
    """A's second verified representative edits and submits the draft the first began; a
    claim still pending gives nothing."""
    second = gf.applicant(grants.org_a, "applicant_a2")
    pending = gf.applicant(grants.org_a, "applicant_a3")
    RepresentationClaim.objects.filter(user=pending).update(
        status=RepresentationClaim.Status.PENDING
    )
    with pytest.raises(PermissionDenied):
        actions.submit_application(pending, ready_a)
    actions.save_application(second, ready_a)
    receipt = actions.submit_application(second, ready_a)
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.SUBMITTED
    assert receipt.application_id == ready_a.pk
    assert actions.submit_application(grants.applicant_a, ready_a) == receipt


def test_after_the_deadline_submission_is_refused(ready_a, grants):
    late = grants.call.deadline + datetime.timedelta(seconds=1)
    with (
        mock.patch.object(clock, "now", return_value=late),
        pytest.raises(ValidationError) as error,
    ):
        actions.submit_application(grants.applicant_a, ready_a)
    assert "scaduto" in error.value.message_dict["deadline"][0]
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.DRAFT


def test_a_submission_started_before_and_ending_after_the_deadline_is_refused(ready_a, grants):
    """The clock passes the deadline while the submission waits for the protocol counter."""
    deadline = grants.call.deadline
    moments = {"now": deadline - datetime.timedelta(seconds=1)}
    take_number = actions.applications._next_protocol

    def slow_counter(series, year):
        number = take_number(series, year)
        moments["now"] = deadline + datetime.timedelta(milliseconds=5)  # waited for the lock
        return number

    with (
        mock.patch.object(clock, "now", side_effect=lambda: moments["now"]),
        mock.patch.object(actions.applications, "_next_protocol", slow_counter),
        pytest.raises(ValidationError) as error,
    ):
        actions.submit_application(grants.applicant_a, ready_a)
    assert "deadline" in error.value.message_dict
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.DRAFT
    assert not Receipt.objects.exists()
    assert not ProtocolCounter.objects.filter(last__gt=0).exists()  # the number came back


def test_protocol_numbers_unique_and_gapless(grants, pdf):
    numbers = []
    for index in range(6):
        organisation = gf.f.OrganisationFactory(
            kind="third_sector", tax_code=gf.tax_code(), name_it=f"Ente {index} (prova)"
        )
        user = gf.applicant(organisation, f"rep{index}")
        application = actions.create_application(user, grants.call, organisation, f"P{index}")
        fill(application, grants, pdf_factory=pdf)
        if index == 2:  # a refused one in the middle takes no number
            Application.objects.filter(pk=application.pk).update(summary="")
            application.refresh_from_db()
            with pytest.raises(ValidationError):
                actions.submit_application(user, application)
            continue
        numbers.append(actions.submit_application(user, application).sequence)
    assert numbers == [1, 2, 3, 4, 5]
    assert len(set(Receipt.objects.values_list("protocol_number", flat=True))) == 5


def test_withdrawal_until_the_deadline(ready_a, grants):
    actions.submit_application(grants.applicant_a, ready_a)
    with pytest.raises(PermissionDenied):
        actions.withdraw_application(grants.applicant_b, ready_a)
    late = grants.call.deadline + datetime.timedelta(minutes=1)
    with mock.patch.object(clock, "now", return_value=late), pytest.raises(PermissionDenied):
        actions.withdraw_application(grants.applicant_a, ready_a)
    actions.withdraw_application(grants.applicant_a, ready_a)
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.WITHDRAWN
    assert ready_a.receipt.protocol_number  # the receipt stays


def test_submitted_application_is_read_only(ready_a, grants, pdf):
    actions.submit_application(grants.applicant_a, ready_a)
    ready_a.summary = "Cambiata"
    with pytest.raises(PermissionDenied):
        actions.save_application(grants.applicant_a, ready_a)
    with pytest.raises(PermissionDenied):
        actions.add_attachment(grants.applicant_a, ready_a, pdf())
    ready_a.refresh_from_db()
    assert ready_a.summary == "Sintesi"


def test_save_application_all_or_nothing_with_named_fields(draft_a, grants):
    from reti.grants.models import BudgetItem, IndicatorTarget

    draft_a.summary = "Nuova sintesi"
    with pytest.raises(ValidationError) as error:
        actions.save_application(
            grants.applicant_a,
            draft_a,
            budget_items=[BudgetItem(category=grants.travel, amount=Decimal("100"))],
            indicator_targets=[IndicatorTarget(code="NOPE", target=3)],
        )
    assert "indicator_targets.0.code" in error.value.message_dict
    draft_a.refresh_from_db()
    assert draft_a.summary == ""
    assert not draft_a.budget_items.exists()


def test_only_pdf_attachments(draft_a, grants):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("statuto.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        actions.add_attachment(grants.applicant_a, draft_a, fake)
    assert "file" in error.value.message_dict
    assert not draft_a.attachments.exists()


def test_money_is_quantized(draft_a, grants):
    draft_a.requested_amount = Decimal("1000.005")
    actions.save_application(grants.applicant_a, draft_a)
    draft_a.refresh_from_db()
    assert draft_a.requested_amount == Decimal("1000.01")
    assert timezone.now()
