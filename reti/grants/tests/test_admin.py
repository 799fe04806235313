"""The back office: the officer publishes calls and FAQ, records amendments, verifies claims;
each through its action, audited; others are refused and nothing changes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reti.grants.models import Call, CallAmendment, CallFAQ, RepresentationClaim

from . import factories as gf

pytestmark = pytest.mark.django_db


def _draft(grants):
    call = gf.CallFactory(
        global_grant=grants.call.global_grant, status=Call.Status.DRAFT, published_at=None
    )
    gf.LineFactory(call=call)
    gf.CostCategoryFactory(call=call)
    return call


def _action(client, model, action, pks, **extra):
    url = reverse(f"admin:grants_{model}_changelist")
    return client.post(
        url, {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
    )


def test_officer_publishes_a_call_from_the_back_office(client, grants):
    draft = _draft(grants)
    client.force_login(grants.officer)
    response = _action(client, "call", "publish_call", [draft.pk])
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Call.Status.PUBLISHED
    entry = draft.history.first()
    assert (
        entry.history_user == grants.officer and entry.history_change_reason == "Bando pubblicato"
    )


def test_an_editor_of_another_organisation_sees_no_calls(client, grants, cast):
    draft = _draft(grants)
    client.force_login(cast.toscana_officer)
    assert client.get(reverse("admin:grants_call_changelist")).status_code == 403
    _action(client, "call", "publish_call", [draft.pk])
    draft.refresh_from_db()
    assert draft.status == Call.Status.DRAFT


def test_amendment_recorded_through_the_action(client, grants):
    client.force_login(grants.officer)
    new_deadline = timezone.localtime(grants.call.deadline + datetime.timedelta(days=3))
    response = client.post(
        reverse("admin:grants_callamendment_add"),
        {
            "call": grants.call.pk,
            "date": "2026-12-01",
            "act": "Decreto 7/2026",
            "text_it": "Proroga",
            "new_deadline_0": new_deadline.strftime("%d/%m/%Y"),
            "new_deadline_1": new_deadline.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    grants.call.refresh_from_db()
    assert CallAmendment.objects.get().act == "Decreto 7/2026"
    assert grants.call.deadline == new_deadline.replace(microsecond=0)
    assert (
        grants.call.history.first().history_change_reason == "Rettifica del bando: Decreto 7/2026"
    )


def test_faq_published_by_the_officer(client, grants):
    faq = CallFAQ.objects.create(call=grants.call, question_it="Chi?", answer_it="Gli ETS.")
    client.force_login(grants.officer)
    _action(client, "callfaq", "publish_faq", [faq.pk])
    faq.refresh_from_db()
    assert faq.published_at is not None


def test_claims_verified_or_refused_with_a_reason(client, grants, cast):
    claims = [
        RepresentationClaim.objects.create(
            user=user,
            organisation=grants.org_b,
            tax_code=grants.org_b.tax_code,
            legal_representative="R",
        )
        for user in (cast.outsider, cast.viewer)
    ]
    client.force_login(grants.applicant_a)  # not an officer: no back office
    _action(client, "representationclaim", "verify_claim", [claims[0].pk])
    claims[0].refresh_from_db()
    assert claims[0].status == RepresentationClaim.Status.PENDING
    client.force_login(grants.officer)
    _action(client, "representationclaim", "verify_claim", [claims[0].pk])
    claims[0].refresh_from_db()
    assert claims[0].status == RepresentationClaim.Status.VERIFIED
    assert claims[0].history.first().history_user == grants.officer
    _action(client, "representationclaim", "refuse_claim", [claims[1].pk], refusal_reason="")
    claims[1].refresh_from_db()
    assert claims[1].status == RepresentationClaim.Status.PENDING  # a reason is needed
    _action(
        client, "representationclaim", "refuse_claim", [claims[1].pk], refusal_reason="Non delegato"
    )
    claims[1].refresh_from_db()
    assert claims[1].status == RepresentationClaim.Status.REFUSED
    assert claims[1].refusal_reason == "Non delegato"


def test_drafts_stay_out_of_the_back_office(client, draft_a, grants, cast):
    for user in (grants.officer, cast.staff):
        client.force_login(user)
        page = client.get(reverse("admin:grants_application_changelist"))
        assert draft_a.title not in page.content.decode()
        change = client.get(reverse("admin:grants_application_change", args=[draft_a.pk]))
        assert change.status_code in (302, 404)


def test_the_istruttoria_is_read_only_in_the_back_office(
    client, grants, submitted_a, after_deadline, other_officer
):
    import datetime

    from reti.grants import actions
    from reti.grants.models import DocumentRequest

    asked = actions.request_document(
        grants.officer,
        submitted_a,
        "Inviare lo statuto.",
        after_deadline["now"] + datetime.timedelta(days=3),
    )
    client.force_login(grants.officer)
    for model in ("admissibility", "admissibilitycheck", "documentrequest"):
        assert client.get(reverse(f"admin:grants_{model}_changelist")).status_code == 200
    change = reverse("admin:grants_documentrequest_change", args=[asked.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"text": "Cambiata", "status": "answered"})
    asked.refresh_from_db()
    assert asked.text == "Inviare lo statuto." and asked.status == "open"
    assert client.get(reverse("admin:grants_documentrequest_add")).status_code == 403
    client.force_login(other_officer)
    listing = client.get(reverse("admin:grants_documentrequest_changelist"))
    assert "Inviare lo statuto." not in listing.text
    assert client.get(change).status_code in (302, 404)
    assert DocumentRequest.objects.count() == 1
